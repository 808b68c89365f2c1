"""The demo's education step: every system has a plan, sized from its workforce, some flagged."""

import io

import pytest

from core.demo import published as published_demo
from core.models import ICS, PublishedFigure
from education import demo, pipeline
from education.models import CommissionedIntake, EducatorCapacity, PlacementCapacity
from education.selectors import pipeline_inputs_for, three_year_plan
from workforce.demo import STEPS

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(db):
    published_demo.seed(io.StringIO())
    out = io.StringIO()
    demo.seed(out)
    return out.getvalue()


def test_the_step_runs_after_the_published_figures_it_is_sized_from():
    assert STEPS.index("education.demo") > STEPS.index("core.demo.published")


def test_every_system_has_intakes_sized_from_its_nursing_workforce(seeded):
    systems = ICS.objects.valid_on(demo.DAY)
    assert set(CommissionedIntake.objects.values_list("ics__code", flat=True).distinct()) == set(
        systems.values_list("code", flat=True)
    )
    qkk = ICS.objects.get(code="QKK")
    nurses = sum(
        float(f.fte)
        for f in PublishedFigure.objects.filter(
            month=demo.LATEST_PUBLISHED_MONTH,
            staff_group__code="NUR",
            organisation__memberships__ics=qkk,
        ).distinct()
    )
    degrees = sum(
        CommissionedIntake.objects.filter(
            ics=qkk,
            academic_year=2026,
            programme__route="degree",
            programme__staff_group__code="NUR",
        ).values_list("planned_places", flat=True)
    )
    assert 0.035 < degrees / nurses < 0.055  # 4-5% of nursing FTE a year
    assert CommissionedIntake.objects.filter(
        academic_year=2025, actual_starts__isnull=False
    ).exists()
    assert not CommissionedIntake.objects.filter(
        academic_year=2027, actual_starts__isnull=False
    ).exists()
    assert PlacementCapacity.objects.filter(organisation__code="RJ1").exists()
    assert EducatorCapacity.objects.filter(organisation__code="RJ1").exists()


def test_some_programmes_are_over_capacity_so_the_flags_show(seeded):
    programmes, intakes, placements, educators = pipeline_inputs_for(ics=None, on=demo.DAY)
    caps = pipeline.newly_qualified_supply(
        programmes=programmes,
        intakes=intakes,
        placements=placements,
        educators=educators,
        baseline_year=2026,
        horizon=4,
    ).caps
    flagged = {c.ics for c in caps}
    assert {c.bound for c in caps} == {pipeline.PLACEMENTS, pipeline.EDUCATORS}
    assert 3 <= len(flagged) < ICS.objects.valid_on(demo.DAY).count()
    plan = three_year_plan(ics=ICS.objects.get(code=sorted(flagged)[0]))
    assert plan.shortfalls


def test_a_second_seed_adds_nothing(seeded):
    counts = [CommissionedIntake.objects.count(), PlacementCapacity.objects.count()]
    demo.seed(io.StringIO())
    assert [CommissionedIntake.objects.count(), PlacementCapacity.objects.count()] == counts
    assert "intakes" in seeded
