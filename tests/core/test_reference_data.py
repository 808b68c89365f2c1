import csv
import datetime

import pytest

from core.models import ICS, ICSSuccession, Organisation, OrganisationMembership, StaffGroup
from core.services.reference_data import REFERENCE_DATA_DIR, reference_data_load

pytestmark = pytest.mark.django_db


def _open_trusts(year: int) -> list[dict[str, str]]:
    with (REFERENCE_DATA_DIR / f"trusts_open_{year}_with_icb.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_42_icbs_are_valid_in_2025_and_36_after_the_april_2026_mergers():
    assert ICS.objects.valid_on(datetime.date(2025, 1, 1)).count() == 42
    assert ICS.objects.valid_on(datetime.date(2026, 7, 1)).count() == 36


def test_successions_are_recorded_with_their_kind():
    assert ICSSuccession.objects.count() == 16
    merger = ICSSuccession.objects.get(predecessor__code="QMJ")
    assert merger.successor.code == "Z9B2Z"
    assert merger.kind == "merger"
    assert merger.date == datetime.date(2026, 4, 1)
    frimley = set(
        ICSSuccession.objects.filter(predecessor__code="QNQ").values_list("successor__code", "kind")
    )
    assert frimley == {("S0E4D", "split"), ("S9B9J", "split"), ("QRL", "acquisition")}


def test_new_icbs_take_their_region_from_their_predecessors():
    assert ICS.objects.get(code="Z9B2Z").region.code == "Y56"
    assert ICS.objects.get(code="T6Y0W").region.code == "Y61"


def test_royal_free_belongs_to_north_central_london_then_west_and_north_london():
    ral = Organisation.objects.get(code="RAL")
    assert ral.ics_on(datetime.date(2025, 6, 1)).code == "QMJ"
    assert ral.ics_on(datetime.date(2026, 3, 31)).code == "QMJ"
    assert ral.ics_on(datetime.date(2026, 4, 1)).code == "Z9B2Z"


@pytest.mark.parametrize(
    ("year", "on"), [(2025, datetime.date(2025, 7, 1)), (2026, datetime.date(2026, 7, 1))]
)
def test_every_english_trust_of_the_published_lists_has_its_icb(year, on):
    rows = _open_trusts(year)
    english = [row for row in rows if row["icb_code"] not in ("", "Q99")]
    assert len(english) >= 199
    for row in english:
        ics = Organisation.objects.get(code=row["org_code"]).ics_on(on)
        assert ics is not None and ics.code == row["icb_code"], row["org_code"]


def test_welsh_trusts_are_loaded_outside_any_english_ics():
    for code in ("RQF", "RT4", "RYT"):
        trust = Organisation.objects.get(code=code)
        assert not trust.memberships.exists()
        assert trust.ics_on(datetime.date(2025, 7, 1)) is None


def test_no_membership_is_invented_for_trusts_closed_before_icbs_existed():
    # Nottingham City Hospital closed in 2006: kept, inactive, in no ICS.
    trust = Organisation.objects.get(code="RCS")
    assert not trust.active
    assert not trust.memberships.exists()


def test_a_trust_that_closed_on_31_march_2026_never_joins_the_new_icb():
    memberships = list(
        OrganisationMembership.objects.filter(organisation__code="RNK").values_list(
            "ics__code", "valid_from", "valid_to"
        )
    )
    assert memberships == [("QMJ", datetime.date(2022, 7, 1), datetime.date(2026, 4, 1))]


def test_staff_groups_form_a_tree_with_the_taxonomy_and_care_groups():
    assert StaffGroup.objects.get(code="DOC-CON").parent.code == "DOC"
    assert StaffGroup.objects.get(code="DOC").parent.code == "PQC"
    assert StaffGroup.objects.get(code="PQC").parent.code == "ALL"
    assert StaffGroup.objects.get(code="SC-CW").parent.code == "SC"
    assert StaffGroup.objects.get(code="PC-ARR-PHARM").parent.code == "PC-ARR"
    assert StaffGroup.objects.get(code="PC-ARR").parent.code == "PC"
    # 13 hospital and community groups, 4 of general practice, 10 PCN additional roles and 3
    # of social care.
    assert StaffGroup.objects.filter(reportable=True).count() == 30
    assert StaffGroup.objects.filter(parent__isnull=True).count() == 1


def test_a_second_load_changes_nothing():
    counts = [m.objects.count() for m in (ICS, Organisation, OrganisationMembership, StaffGroup)]
    report = reference_data_load()
    assert not report.changed_anything
    assert report.summary().startswith("Reference data already up to date")
    assert counts == [
        m.objects.count() for m in (ICS, Organisation, OrganisationMembership, StaffGroup)
    ]


def test_a_load_puts_back_what_was_changed_by_hand():
    ICS.objects.filter(code="QKK").update(name="Wrong name")
    report = reference_data_load()
    assert report.updated["ICS"] == 1
    assert ICS.objects.get(code="QKK").name.startswith("NHS SOUTH EAST LONDON")


def test_the_pcn_additional_roles_sort_after_the_practice_groups_and_before_social_care():
    codes = list(StaffGroup.objects.filter(sector="primary_care").values_list("code", flat=True))
    assert codes[:6] == ["PC", "PC-GP", "PC-NUR", "PC-DPC", "PC-ADM", "PC-ARR"]
    assert len(codes) == 16 and all(code.startswith("PC-ARR-") for code in codes[6:])
    last_primary = StaffGroup.objects.get(code=codes[-1]).sort_order
    assert StaffGroup.objects.get(code="SC").sort_order == last_primary + 1
    assert not StaffGroup.objects.get(code="PC-ARR").reportable
