"""A system among its peers: rates, ranks and percentiles that can be checked by hand, from
three systems' returns, published sickness and the national central scenario's run; the
API's scopes; the dashboard's card."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from core.models import OrganisationMembership, StaffGroup, valid_on_q
from core.services.reference_data import REFERENCE_DATA_DIR
from core.sickness_absence import DaysLost, days_by_organisation, sickness_rate
from workforce.models import ProjectionResult, ProjectionRun, Scenario
from workforce.selectors import peers as peers_selector
from workforce.selectors.peers import Standing, standing, system_peers

from .returns_data import month, store_return

pytestmark = pytest.mark.django_db
BASELINE = datetime.date(2026, 2, 1)  # financial year 2025: five years on is 2030


def member_of(code: str):
    """A trust that is a member of the system today."""
    membership = (
        OrganisationMembership.objects.filter(valid_on_q(timezone.localdate()), ics__code=code)
        .select_related("organisation")
        .order_by("organisation__code")
        .first()
    )
    return membership.organisation


def nurses(fte, vacancies, leavers, bank, agency):
    return {
        "NUR": {
            "fte": str(fte),
            "vacancies_fte": str(vacancies),
            "leavers_fte": str(leavers),
            "bank_fte": str(bank),
            "agency_fte": str(agency),
        }
    }


def national_run(scenario: Scenario, gaps: dict[str, float], year: int = 2030) -> ProjectionRun:
    run = ProjectionRun.objects.create(
        scenario=scenario,
        ics=None,
        baseline_period=BASELINE,
        status=ProjectionRun.Status.SUCCEEDED,
        horizon=5,
        draws=1,
    )
    everyone = StaffGroup.objects.get(code="ALL")
    for code, gap in gaps.items():
        ProjectionResult.objects.create(
            run=run,
            level=ProjectionResult.Level.ICS,
            entity_code=code,
            sector="",
            staff_group=everyone,
            year=year,
            **{f"supply_{p}": 1000 - gap for p in ("p10", "p50", "p90")},
            **{f"demand_{p}": 1000 for p in ("p10", "p50", "p90")},
            **{f"gap_{p}": gap for p in ("p10", "p50", "p90")},
        )
    return run


@pytest.fixture
def three_systems(cast, monkeypatch):
    """QKK and QMF (London) and QOP (North West), one October 2026 return each:

    | system | FTE | vacancies | leavers | bank + agency | sickness | shortfall 2030/31 |
    | QKK    | 120 | 30 (20%)  | 1 (10%) | 30 (20%)      | 3%       | 100 of 1000 (10%) |
    | QOP    | 120 | 0 (0%)    | 2 (20%) | 0 (0%)        | 5%       | -50 (-5%)         |
    | QMF    | 120 | 80 (40%)  | 0.5 (5%)| 30 (20%)      | 4%       | 300 (30%)         |

    Leavers of one month are annualised: 12 x 1 / 120 = 10%.
    """
    qmf = member_of("QMF")
    store_return(cast.trust_a, month(2026, 10), nurses(120, 30, 1, 20, 10))
    store_return(cast.trust_c, month(2026, 10), nurses(120, 0, 2, 0, 0))
    store_return(qmf, month(2026, 10), nurses(120, 80, "0.5", 30, 0))
    # Thirteen months before the latest: outside the twelve months compared.
    store_return(cast.trust_a, month(2025, 9), nurses(10, 90, 9, 90, 0))
    days = {
        cast.trust_a.code: DaysLost(3, 100),
        cast.trust_c.code: DaysLost(5, 100),
        qmf.code: DaysLost(4, 100),
    }
    monkeypatch.setattr(peers_selector, "days_by_organisation", lambda path: days)
    central = Scenario.objects.create(name="Central (national)", central=True, draws=1, horizon=5)
    national_run(central, {"QKK": 900, "QOP": 900, "QMF": 900})  # older: not read
    national_run(central, {"QKK": 100, "QOP": -50, "QMF": 300})
    other = Scenario.objects.create(name="Other (national)", draws=1, horizon=5)
    national_run(other, {"QKK": 0, "QOP": 0, "QMF": 0})  # newer, but not the central scenario
    return qmf


def test_a_standing_is_a_rank_from_the_lowest_and_the_share_of_the_others_below():
    assert standing(0.2, [0.0, 0.2, 0.4]) == Standing(2, 3, 0.5, 0.0, 0.2, 0.4)
    assert standing(0.0, [0.0, 0.2, 0.4]).percentile == 0.0
    assert standing(0.4, [0.0, 0.2, 0.4]).percentile == 1.0
    tied = standing(0.2, [0.0, 0.2, 0.2])
    assert (tied.rank, tied.percentile) == (2, 0.5)  # ties share a rank
    assert standing(0.1, [0.1]).percentile is None  # alone: no others to be above
    assert standing(None, [0.1]) is None and standing(0.1, []) is None


def test_three_systems_rank_exactly_against_england_and_their_region(cast, three_systems):
    peers = system_peers(ics=cast.ics_x, today=timezone.localdate())
    expected = {  # value, England (rank, of, percentile), London (rank, of, percentile)
        "vacancy_rate": (0.2, (2, 3, 0.5), (1, 2, 0.0)),
        "leaver_rate": (0.1, (2, 3, 0.5), (2, 2, 1.0)),
        "sickness_absence_rate": (0.03, (1, 3, 0.0), (1, 2, 0.0)),
        "temporary_staffing_share": (0.2, (2, 3, 0.5), (1, 2, 0.0)),  # tied with QMF
        "shortfall_share": (0.1, (2, 3, 0.5), (1, 2, 0.0)),
    }
    for key, (value, england, region) in expected.items():
        measure = peers.measure(key)
        assert measure.value == value, key
        assert (measure.england.rank, measure.england.of, measure.england.percentile) == england
        assert (measure.region.rank, measure.region.of, measure.region.percentile) == region
    vacancy = peers.measure("vacancy_rate").england
    assert (vacancy.lowest, vacancy.median, vacancy.highest) == (0.0, 0.2, 0.4)
    assert (peers.returns_from, peers.returns_to) == (month(2025, 11), month(2026, 10))
    assert peers.year == 2030 and peers.run.scenario.central


def test_the_shortfall_of_another_year_is_read_when_asked(cast, three_systems):
    central = Scenario.objects.get(central=True, ics__isnull=True)
    run = ProjectionRun.objects.filter(scenario=central).order_by("-id").first()
    everyone = StaffGroup.objects.get(code="ALL")
    ProjectionResult.objects.create(
        run=run, level="ics", entity_code="QKK", sector="", staff_group=everyone, year=2027,
        supply_p10=0, supply_p50=0, supply_p90=0, demand_p10=400, demand_p50=400,
        demand_p90=400, gap_p10=100, gap_p50=100, gap_p90=100,
    )  # fmt: skip
    peers = system_peers(ics=cast.ics_x, today=timezone.localdate(), year=2027)
    measure = peers.measure("shortfall_share")
    assert (measure.value, measure.england.of) == (0.25, 1)
    assert measure.england.percentile is None


def test_with_no_central_national_run_there_is_no_shortfall_to_compare(cast):
    peers = system_peers(ics=cast.ics_x, today=timezone.localdate())
    shortfall = peers.measure("shortfall_share")
    assert shortfall.value is None and shortfall.england is None and peers.run is None
    assert "No national projection" in shortfall.source


def test_sickness_is_the_members_days_lost_over_their_days_available_as_published(cast):
    days = days_by_organisation(
        REFERENCE_DATA_DIR / "nhs_sickness_absence_rates_2025-03_org_ics.csv"
    )
    members = set(
        OrganisationMembership.objects.filter(
            valid_on_q(timezone.localdate()), ics=cast.ics_x
        ).values_list("organisation__code", flat=True)
    )
    expected = round(sickness_rate(days, members), 4)
    measure = system_peers(ics=cast.ics_x, today=timezone.localdate()).measure(
        "sickness_absence_rate"
    )
    assert measure.value == expected and 0.02 < expected < 0.08
    assert measure.england.of >= 30  # every open system with published trusts


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_the_api_answers_a_system_user_for_its_own_system_only(cast, three_systems):
    answer = api(cast.lead_x).get("/api/v1/systems/QKK/peers/")
    assert answer.status_code == 200
    data = answer.json()
    assert data["ics"] == "QKK" and data["region"] == cast.ics_x.region.code
    vacancy = next(m for m in data["measures"] if m["key"] == "vacancy_rate")
    assert vacancy["value"] == 0.2
    assert vacancy["england"] == {
        "rank": 2, "of": 3, "percentile": 0.5, "lowest": 0.0, "median": 0.2, "highest": 0.4,
    }  # fmt: skip
    assert vacancy["region"]["rank"] == 1 and vacancy["region"]["of"] == 2
    assert data["year"] == 2030 and data["run"] is not None
    for user in (cast.lead_x, cast.analyst_x, cast.uploader_a):
        refused = api(user).get("/api/v1/systems/QOP/peers/")
        assert refused.status_code == 404 and "errors" in refused.json()
    assert api(cast.uploader_a).get("/api/v1/systems/QKK/peers/").status_code == 404
    assert api(cast.lead_y).get("/api/v1/systems/QOP/peers/").status_code == 200
    assert api(cast.national).get("/api/v1/systems/QMF/peers/").status_code == 200
    assert api().get("/api/v1/systems/QKK/peers/").status_code == 401


def test_the_api_refuses_a_year_the_run_does_not_project_and_unknown_parameters(
    cast, three_systems
):
    client = api(cast.national)
    assert client.get("/api/v1/systems/QKK/peers/?year=2030/31").json()["year"] == 2030
    late = client.get("/api/v1/systems/QKK/peers/?year=2040")
    assert late.status_code == 400 and "2025 to 2030" in late.json()["errors"][0]["message"]
    assert client.get("/api/v1/systems/QKK/peers/?year=soon").status_code == 400
    odd = client.get("/api/v1/systems/QKK/peers/?sector=nhs")
    assert odd.status_code == 400 and odd.json()["errors"][0]["field"] == "sector"


def test_the_dashboard_loads_a_card_of_the_system_among_its_peers(client, cast, three_systems):
    client.force_login(cast.lead_x)
    page = client.get("/systems/QKK/dashboard/").content.decode()
    assert 'hx-get="/systems/QKK/dashboard/peers/' in page
    card = client.get("/systems/QKK/dashboard/peers/?year=2030").content.decode()
    assert "Compared with other systems" in card
    assert "20.0%" in card and "2nd lowest of 3, higher than 50% of the others" in card
    assert "1st lowest of 2, higher than 0% of the others" in card
    assert "Projected shortfall as a share of demand in 2030/31" in card
    assert 'href="/methods/glossary/#peers-rank-and-percentile"' in card
    assert client.get("/systems/QKK/dashboard/peers/?year=2040").status_code == 200
    assert client.get("/systems/QOP/dashboard/peers/").status_code == 404
