"""The demo's one workforce: uploaders of every kind, and social care figures that are
illustrative, made by the stated rule and said to be so."""

from __future__ import annotations

import io

import pytest
from django.db import transaction
from django.db.models import Sum
from rest_framework.test import APIClient

from core.demo import people, providers, published
from core.models import ICS, Organisation, RegisteredPatients, Role, User
from core.services.primary_care_figures import primary_care_figures_load
from workforce.demo import returns as demo_returns
from workforce.demo import social_care
from workforce.models import StaffingReturn, StaffingReturnRow

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Seeded once for the module, inside a transaction rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        primary_care_figures_load()
        for step in (providers, people, published, demo_returns, social_care):
            step.seed(io.StringIO())
        yield
        transaction.set_rollback(True)


def final_fte(code: str) -> float:
    rows = StaffingReturnRow.objects.filter(
        staffing_return__organisation__code=code,
        staffing_return__status=StaffingReturn.Status.SUBMITTED,
        staffing_return__period=demo_returns.FINAL_MONTH,
    )
    return float(rows.aggregate(total=Sum("fte"))["total"] or 0)


def test_every_system_has_a_social_care_sector_and_a_demo_provider_marked_illustrative(demo):
    for ics in ICS.objects.valid_on(demo_returns.FINAL_MONTH):
        sector = Organisation.objects.get(code=f"{ics.code}-SC")
        provider = Organisation.objects.get(code=f"{ics.code}-CP")
        for organisation in (sector, provider):
            assert organisation.kind == Organisation.Kind.SOCIAL_CARE
            assert organisation.illustrative
            assert "(illustrative)" in organisation.name
            assert organisation.ics_on(demo_returns.FINAL_MONTH) == ics
        assert sector.sector and not provider.sector
    assert not Organisation.objects.filter(kind="nhs_trust", illustrative=True).exists()


def test_social_care_fte_is_the_national_total_shared_by_registered_patients(demo):
    lists = RegisteredPatients.objects.filter(financial_year=social_care.LIST_YEAR)
    national = lists.aggregate(total=Sum("patients"))["total"]
    expected_total = social_care.national_fte(demo_returns.FINAL_MONTH)
    for code in ("QKK", "QOP"):
        patients = lists.filter(
            organisation__memberships__ics__code=code,
            organisation__memberships__valid_to__isnull=True,
        ).aggregate(total=Sum("patients"))["total"]
        system = final_fte(f"{code}-SC") + final_fte(f"{code}-CP")
        assert system == pytest.approx(expected_total * patients / national, rel=1e-4)
        assert final_fte(f"{code}-CP") == pytest.approx(sum(social_care.DEMO_PROVIDER_FTE.values()))
    # 1,705,000 filled posts at March 2024, grown 4.2% a year to October 2026.
    assert expected_total == pytest.approx(1_705_000 * 1.042 ** (31 / 12))


def test_social_care_returns_start_when_the_system_began(demo):
    merged = ICS.objects.filter(valid_from__gt=demo_returns.FINAL_MONTH.replace(year=2024))
    ics = merged.valid_on(demo_returns.FINAL_MONTH).first()
    assert ics is not None  # the April 2026 successors
    periods = StaffingReturn.objects.filter(organisation__code=f"{ics.code}-SC").values_list(
        "period", flat=True
    )
    assert min(periods) == ics.valid_from
    groups = set(
        StaffingReturnRow.objects.filter(
            staffing_return__organisation__code=f"{ics.code}-SC"
        ).values_list("staff_group__code", flat=True)
    )
    assert groups == {"SC-CW", "SC-RN", "SC-OTH"}


def test_each_system_has_a_practice_a_pcn_and_a_care_provider_uploader(demo):
    on = demo_returns.FINAL_MONTH
    for ics in ICS.objects.valid_on(on).filter(code__in=["QKK", "QOP", "S1Y5D"]):
        care = User.objects.get(username=f"care-{ics.code.lower()}")
        assert care.role == Role.TRUST_UPLOADER and care.organisation.code == f"{ics.code}-CP"
        practice = User.objects.get(
            username__startswith="practice-", organisation__memberships__ics=ics
        )
        pcn = User.objects.get(username__startswith="pcn-", organisation__memberships__ics=ics)
        assert practice.organisation.kind == Organisation.Kind.GP_PRACTICE
        assert pcn.organisation == practice.organisation.pcn_on(on)
        assert practice.username == f"practice-{practice.organisation.code.lower()}"
        largest = (
            RegisteredPatients.objects.filter(
                financial_year=people.LIST_YEAR,
                organisation__kind=Organisation.Kind.GP_PRACTICE,
                organisation__memberships__ics=ics,
                organisation__network_memberships__isnull=False,
            )
            .order_by("-patients")
            .first()
        )
        assert practice.organisation == largest.organisation


def test_the_api_says_an_organisation_is_illustrative(demo):
    client = APIClient()  # the demo's own national user: the test cast would clash with it
    client.force_authenticate(User.objects.get(username="national"))
    body = client.get("/api/v1/organisations/QKK-SC/").json()
    assert body["illustrative"] is True and "(illustrative)" in body["name"]
    assert client.get("/api/v1/organisations/RJ1/").json()["illustrative"] is False
