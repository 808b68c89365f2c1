"""A system's projection by planning sector: stored rows and the results API's `sector`."""

from __future__ import annotations

import csv
import io

import pytest

from core.models import ICS, Organisation, StaffGroup
from workforce.models import PlanTarget, ProjectionResult, ProjectionRun
from workforce.services.runs import projection_run_start

from .projection_data import BASELINE, publish, scenario

pytestmark = pytest.mark.django_db


def a_practice(ics: ICS) -> Organisation:
    return (
        Organisation.objects.filter(
            memberships__ics=ics, kind=Organisation.Kind.GP_PRACTICE, active=True
        )
        .order_by("code")
        .first()
    )


@pytest.fixture
def trust_and_practice(cast) -> tuple[Organisation, Organisation]:
    """One trust and one practice of South East London, with published FTE."""
    practice = a_practice(cast.ics_x)
    publish(cast.trust_a, {"NUR": 1000, "DOC": 300})
    publish(practice, {"PC-GP": 6.5, "PC-NUR": 3})
    return cast.trust_a, practice


def run_of(cast, django_capture_on_commit_callbacks, *, draws: int) -> ProjectionRun:
    plan = scenario(cast.ics_x, draws=draws, name=f"Draws {draws}")
    with django_capture_on_commit_callbacks(execute=True):
        run = projection_run_start(
            user=cast.lead_x, scenario=plan, ics=cast.ics_x, baseline_period=BASELINE
        )
    run.refresh_from_db()
    assert run.status == ProjectionRun.Status.SUCCEEDED, run.error
    return run


def ics_all_staff(run: ProjectionRun, sector: str, year: int) -> ProjectionResult:
    return ProjectionResult.objects.get(
        run=run, level="ics", entity_code="QKK", sector=sector, staff_group__code="ALL", year=year
    )


def test_organisation_rows_carry_their_sector_and_the_system_has_a_set_per_sector(
    cast, trust_and_practice, django_capture_on_commit_callbacks
):
    trust, practice = trust_and_practice
    run = run_of(cast, django_capture_on_commit_callbacks, draws=1)
    organisations = ProjectionResult.objects.filter(run=run, level="organisation")
    assert set(organisations.filter(entity_code=trust.code).values_list("sector", flat=True)) == {
        "nhs_trusts"
    }
    assert set(
        organisations.filter(entity_code=practice.code).values_list("sector", flat=True)
    ) == {"primary_care"}
    systems = ProjectionResult.objects.filter(run=run, level="ics")
    assert set(systems.values_list("sector", flat=True)) == {"", "nhs_trusts", "primary_care"}
    primary = systems.filter(sector="primary_care")
    assert set(primary.values_list("staff_group__code", flat=True)) >= {"PC-GP", "PC-NUR", "PC"}
    assert primary.get(staff_group__code="PC-GP", year=2025).supply_p50 == pytest.approx(6.5)
    # A sector's rows hold no other sector's staff: no rows for a group it employs no one in,
    # and an organisation has rows only for its own groups and their roll-ups.
    assert not primary.filter(staff_group__code="NUR").exists()
    assert set(
        organisations.filter(entity_code=practice.code).values_list("staff_group__code", flat=True)
    ) == {"PC-GP", "PC-NUR", "PC", "ALL"}


def test_with_one_draw_the_systems_figures_are_the_sum_of_its_sectors(
    cast, trust_and_practice, django_capture_on_commit_callbacks
):
    run = run_of(cast, django_capture_on_commit_callbacks, draws=1)
    for year in (2025, 2030):
        total = ics_all_staff(run, "", year)
        trusts, practices = (
            ics_all_staff(run, "nhs_trusts", year),
            ics_all_staff(run, "primary_care", year),
        )
        for name in ("supply_p50", "demand_p50", "gap_p90"):
            assert getattr(total, name) == pytest.approx(
                getattr(trusts, name) + getattr(practices, name)
            ), name


def test_with_draws_the_systems_percentiles_are_of_the_summed_draws_not_summed(
    cast, trust_and_practice, django_capture_on_commit_callbacks
):
    run = run_of(cast, django_capture_on_commit_callbacks, draws=500)
    total = ics_all_staff(run, "", 2030)
    trusts, practices = (
        ics_all_staff(run, "nhs_trusts", 2030),
        ics_all_staff(run, "primary_care", 2030),
    )
    # The two sectors' staff groups draw their own shocks: the band of the sum is narrower
    # than the sum of the bands, and its P90 below the sum of the P90s.
    assert total.supply_p90 < trusts.supply_p90 + practices.supply_p90
    assert total.supply_p10 > trusts.supply_p10 + practices.supply_p10
    assert total.supply_p90 - total.supply_p10 < (trusts.supply_p90 - trusts.supply_p10) + (
        practices.supply_p90 - practices.supply_p10
    )


def test_targets_and_their_probability_stay_on_the_all_sector_rows(
    cast, trust_and_practice, django_capture_on_commit_callbacks
):
    PlanTarget.objects.create(
        ics=cast.ics_x, staff_group=StaffGroup.objects.get(code="ALL"), year=2028, target_fte=1
    )
    run = run_of(cast, django_capture_on_commit_callbacks, draws=1)
    assert ics_all_staff(run, "", 2028).probability_meets_target == 1.0
    for sector in ("nhs_trusts", "primary_care"):
        row = ics_all_staff(run, sector, 2028)
        assert row.target_fte is None and row.probability_meets_target is None


def test_the_api_gives_all_sector_rows_unless_asked_for_a_sector(
    api, cast, trust_and_practice, django_capture_on_commit_callbacks
):
    run = run_of(cast, django_capture_on_commit_callbacks, draws=1)
    client = api(cast.analyst_x)
    url = f"/api/v1/runs/{run.pk}/results/"
    every = client.get(url, {"level": "ics", "staff_group": "ALL"}).json()["results"]
    assert {r["sector"] for r in every} == {""} and len(every) == 6
    primary = client.get(
        url, {"level": "ics", "staff_group": "ALL", "sector": "primary_care"}
    ).json()["results"]
    assert {r["sector"] for r in primary} == {"primary_care"} and len(primary) == 6
    assert primary[0]["supply_p50"] == pytest.approx(9.5)
    # Organisations: every one without a sector, only that sector's with one.
    organisations = client.get(url, {"level": "organisation", "sector": "nhs_trusts"}).json()
    assert {r["entity_code"] for r in organisations["results"]} == {cast.trust_a.code}
    unfiltered = client.get(url, {"level": "organisation", "page_size": 5000}).json()["results"]
    assert {r["sector"] for r in unfiltered} == {"nhs_trusts", "primary_care"}


def test_the_csv_carries_the_sector_after_the_fte_columns_and_before_the_money(
    api, cast, trust_and_practice, django_capture_on_commit_callbacks
):
    run = run_of(cast, django_capture_on_commit_callbacks, draws=1)
    response = api(cast.analyst_x).get(
        f"/api/v1/runs/{run.pk}/results/",
        {"level": "ics", "sector": "nhs_trusts", "staff_group": "NUR", "format": "csv"},
    )
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[0][:3] == ["level", "entity_code", "staff_group"]
    at = lines[0].index("sector")
    assert lines[0][at - 1] == "probability_meets_target" and lines[0][at + 1] == "pay_bill_p10"
    assert {line[at] for line in lines[1:]} == {"nhs_trusts"} and len(lines) == 7


@pytest.mark.parametrize("bad", ["planet", "", "NHS_TRUSTS", "all"])
def test_an_unknown_sector_is_a_400_in_the_one_error_shape(
    api, cast, trust_and_practice, django_capture_on_commit_callbacks, bad
):
    run = run_of(cast, django_capture_on_commit_callbacks, draws=1)
    response = api(cast.analyst_x).get(f"/api/v1/runs/{run.pk}/results/", {"sector": bad})
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["field"] == "sector" and "primary_care" in error["message"]


def test_a_national_run_has_the_nations_figures_by_sector(
    cast, trust_and_practice, django_capture_on_commit_callbacks
):
    publish(cast.trust_c, {"NUR": 500})  # Greater Manchester
    plan = scenario(None, draws=1, name="National")
    with django_capture_on_commit_callbacks(execute=True):
        run = projection_run_start(
            user=cast.national, scenario=plan, ics=None, baseline_period=BASELINE
        )
    run.refresh_from_db()
    assert run.status == ProjectionRun.Status.SUCCEEDED, run.error
    nation = ProjectionResult.objects.filter(run=run, level="national", staff_group__code="ALL")
    assert set(nation.values_list("sector", flat=True)) == {"", "nhs_trusts", "primary_care"}
    year0 = {r.sector: r.supply_p50 for r in nation.filter(year=2025)}
    assert year0["nhs_trusts"] == pytest.approx(1800)
    assert year0["primary_care"] == pytest.approx(9.5)
    assert year0[""] == pytest.approx(1809.5)
    manchester = ProjectionResult.objects.filter(run=run, level="ics", entity_code="QOP")
    assert set(manchester.values_list("sector", flat=True)) == {"", "nhs_trusts"}
