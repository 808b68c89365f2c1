"""The demo's placement sectors: trusts' places in the sector of their published type, adult
nursing's illustrative split, and practices hosting its primary care weeks."""

import csv
import io

import pytest

from core.demo import published as published_demo
from core.models import ICS, Organisation
from core.services.reference_data import REFERENCE_DATA_DIR
from education import demo, pipeline
from education.models import EducatorCapacity, PlacementCapacity, Programme
from education.selectors import pipeline_inputs_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(db):
    published_demo.seed(io.StringIO())
    demo.seed(io.StringIO())


def published_types() -> dict[str, str]:
    path = REFERENCE_DATA_DIR / "nhs_sickness_absence_rates_2025-03_org_ics.csv"
    with path.open(encoding="utf-8-sig") as handle:
        return {row["ORG_CODE"]: row["ORG_TYPE"] for row in csv.DictReader(handle)}


def test_trusts_places_are_in_the_sector_of_their_published_type(seeded):
    types = published_types()
    sectors = dict(
        PlacementCapacity.objects.filter(organisation__kind="nhs_trust")
        .exclude(programme__code="NUR-ADULT-BSC")  # its community places may be at acute trusts
        .values_list("organisation__code", "sector")
        .distinct()
    )
    by_type = {(types.get(code), sector) for code, sector in sectors.items() if code in types}
    assert ("Mental Health", "mental_health") in by_type
    assert ("Community Provider Trust", "community") in by_type
    assert ("Acute", "acute") in by_type
    assert all(dict(demo.TRUST_TYPE_SECTORS)[t] == s for t, s in by_type)


def test_adult_nursing_takes_the_illustrative_split_and_practices_host_its_primary_weeks(seeded):
    adult = Programme.objects.get(code="NUR-ADULT-BSC")
    assert adult.placement_split == demo.ILLUSTRATIVE_SPLITS["NUR-ADULT-BSC"]
    practices = PlacementCapacity.objects.filter(organisation__kind="gp_practice")
    assert set(practices.values_list("sector", flat=True)) == {"primary_care"}
    assert set(practices.values_list("programme__code", flat=True)) == {"NUR-ADULT-BSC"}
    assert EducatorCapacity.objects.filter(organisation__kind="gp_practice").exists()
    # Every system with adult nursing places has all three parts recorded.
    programmes, intakes, placements, educators = pipeline_inputs_for(ics=None, on=demo.DAY)
    result = pipeline.newly_qualified_supply(
        programmes=programmes,
        intakes=intakes,
        placements=placements,
        educators=educators,
        baseline_year=2026,
        horizon=4,
    )
    uses = [
        use
        for (_, code), by_year in result.placement_use.items()
        if code == "NUR-ADULT-BSC"
        for use in by_year[2027]
    ]
    assert uses and all(use.places is not None for use in uses)
    bound = {c.ics for c in result.caps if c.sectors == ("primary_care", "social_care")}
    assert 1 <= len(bound) < ICS.objects.valid_on(demo.DAY).count() / 2


def test_a_split_set_by_an_administrator_is_kept(db):
    adult = Programme.objects.get(code="NUR-ADULT-BSC")
    own = [{"sectors": ["acute"], "weeks": 10.0}, {"sectors": ["community"], "weeks": 10.0}]
    adult.placement_split = own
    adult.save()
    demo._illustrative_splits()
    adult.refresh_from_db()
    assert adult.placement_split == own
    assert not Organisation.objects.filter(kind="gp_practice", placements__isnull=False).exists()
