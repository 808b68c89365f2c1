"""GP practices and PCNs from the 2022 mapping file, loaded with the reference data."""

import datetime

import pytest

from core.models import NetworkMembership, Organisation, OrganisationMembership
from core.services.reference_data import reference_data_load

pytestmark = pytest.mark.django_db

ICBS_BEGAN = datetime.date(2022, 7, 1)
SUCCESSIONS = datetime.date(2026, 4, 1)


def _memberships(code: str) -> list[tuple[str, datetime.date, datetime.date | None]]:
    return list(
        OrganisationMembership.objects.filter(organisation__code=code)
        .order_by("valid_from")
        .values_list("ics__code", "valid_from", "valid_to")
    )


def test_every_practice_and_network_of_the_file_is_loaded():
    assert Organisation.objects.filter(kind=Organisation.Kind.GP_PRACTICE).count() == 6527
    # 1,255 PCN codes in the file, one of which is "U", "Unallocated": not a network.
    assert Organisation.objects.filter(kind=Organisation.Kind.PRIMARY_CARE_NETWORK).count() == 1254
    assert not Organisation.objects.filter(code="U").exists()


def test_a_south_east_london_practice_is_in_its_pcn_and_ics_from_their_dates():
    practice = Organisation.objects.get(code="G83001")
    assert practice.name == "MANOR BROOK PMS"
    assert practice.kind == Organisation.Kind.GP_PRACTICE
    links = list(practice.network_memberships.values_list("pcn__code", "valid_from", "valid_to"))
    assert links == [("U00254", datetime.date(2022, 1, 1), None)]
    assert practice.pcn_on(datetime.date(2025, 1, 1)).name == "BLACKHEATH AND CHARLTON PCN"
    assert practice.pcn_on(datetime.date(2021, 12, 31)) is None
    assert _memberships("G83001") == [("QKK", ICBS_BEGAN, None)]


def test_a_practice_of_a_merged_icb_passes_to_the_successor_on_1_april_2026():
    assert _memberships("E83003") == [
        ("QMJ", ICBS_BEGAN, SUCCESSIONS),
        ("Z9B2Z", SUCCESSIONS, None),
    ]
    practice = Organisation.objects.get(code="E83003")
    assert practice.ics_on(datetime.date(2026, 3, 31)).code == "QMJ"
    assert practice.ics_on(SUCCESSIONS).code == "Z9B2Z"


def test_a_practice_of_a_split_icb_has_no_ics_from_the_split():
    # Ashwell Surgery, NHS Hertfordshire and West Essex (QM7), split on 1 April 2026.
    assert _memberships("D81047") == [("QM7", ICBS_BEGAN, SUCCESSIONS)]
    assert Organisation.objects.get(code="D81047").ics_on(SUCCESSIONS) is None


def test_a_pcn_is_in_the_ics_of_its_practices_and_one_spanning_two_icbs_in_none():
    assert _memberships("U00254") == [("QKK", ICBS_BEGAN, None)]
    assert _memberships("U33392") == [
        ("QMJ", ICBS_BEGAN, SUCCESSIONS),
        ("Z9B2Z", SUCCESSIONS, None),
    ]
    # Coast and Country PCN has practices in Devon (QJK) and Cornwall (QT6).
    assert _memberships("U41591") == []


def test_practices_without_a_network_have_no_pcn_membership():
    unallocated = Organisation.objects.get(code="A84035")  # "U", Unallocated, in the file
    assert not unallocated.network_memberships.exists()
    assert _memberships("A84035") == [("QHM", ICBS_BEGAN, None)]
    assert NetworkMembership.objects.count() == 6527 - 68


def test_loading_again_changes_nothing_and_reports_the_split_icb_practices():
    before = (
        OrganisationMembership.objects.count(),
        NetworkMembership.objects.count(),
        Organisation.objects.count(),
    )
    report = reference_data_load()
    assert not report.changed_anything
    after = (
        OrganisationMembership.objects.count(),
        NetworkMembership.objects.count(),
        Organisation.objects.count(),
    )
    assert after == before
    # QJG 92, QM7 137, QNQ 72 practices in the file.
    assert "301 GP practices of the ICBs split on 1 April 2026" in report.summary()
    assert "QM7: 137" in report.summary()
    assert "4 PCNs whose practices lie in different ICBs" in report.summary()


def test_a_second_load_keeps_what_an_import_changed():
    practice = Organisation.objects.get(code="G83001")
    practice.name = "MANOR BROOK MEDICAL CENTRE"
    practice.save()
    reference_data_load()
    practice.refresh_from_db()
    assert practice.name == "MANOR BROOK MEDICAL CENTRE"
