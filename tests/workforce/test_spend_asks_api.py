"""GET /runs/{id}/spend-asks/: a run's bank and agency spend against the national asks and
the plan's limits, for the run's system or, for a national run, the nation or one system."""

import pytest

from workforce.models import ProjectionRun

from .spend_data import money_run

pytestmark = pytest.mark.django_db


def asks(client, run, query: str = ""):
    return client.get(f"/api/v1/runs/{run.pk}/spend-asks/{query}")


def test_it_gives_each_year_after_the_baseline_against_the_asks_and_the_plan(api, cast):
    run = money_run(cast.lead_x, cast.ics_x)
    body = asks(api(cast.lead_x), run).json()
    assert (body["entity"], body["staff_group"], body["baseline_year"]) == ("QKK", "ALL", 2026)
    assert body["has_costs"] and body["message"] is None
    assert [y["year_label"] for y in body["years"]] == ["2027/28", "2028/29", "2029/30"]
    bank = [y["bank"] for y in body["years"]]
    # 10% lower a year from the baseline's 2m through 2028/29, then held.
    assert [b["ask_limit"] for b in bank] == pytest.approx([1_800_000, 1_620_000, 1_620_000])
    assert [b["against_ask"] for b in bank] == ["unlikely", "unlikely", "likely"]
    agency = body["years"][1]["agency"]
    assert agency["p50"] == 850_000 and agency["ask_limit"] == pytest.approx(1_000_000)
    assert (agency["plan_limit"], agency["probability_within_plan_limit"]) == (1_000_000, 0.9)
    assert body["years"][1]["bank"]["probability_within_plan_limit"] == 0.3
    assert body["years"][0]["bank"]["plan_limit"] is None
    sources = {(a["kind"], a["year"]): a for a in body["asks"]}
    assert sources[("agency", 2025)]["reduction"] == 0.3
    assert sources[("agency", 2025)]["confirmed"] is True
    assert "Medium Term Planning Framework" in sources[("bank", 2027)]["source"]


def test_a_run_without_costs_says_so_rather_than_showing_zeros(api, cast):
    run = money_run(cast.lead_x, cast.ics_x, costs=False)
    body = asks(api(cast.lead_x), run).json()
    assert body["has_costs"] is False
    assert body["message"] == "This run has no costs"
    assert body["years"] == []


def test_a_national_run_gives_the_nation_or_one_system(api, cast):
    run = money_run(cast.national, None, entities=(("national", "ENG"), ("ics", "QKK")))
    client = api(cast.national)
    assert asks(client, run).json()["entity"] == "ENG"
    body = asks(client, run, "?ics=qkk&staff_group=all").json()
    assert body["entity"] == "QKK" and body["has_costs"]


def test_it_validates_the_system_and_the_runs_status(api, cast):
    client = api(cast.lead_x)
    response = asks(client, money_run(cast.lead_x, cast.ics_x), "?ics=QOP")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "ics"
    queued = money_run(cast.lead_x, cast.ics_x, status=ProjectionRun.Status.QUEUED)
    assert asks(client, queued).status_code == 409


@pytest.mark.parametrize(
    ("who", "code"),
    [("lead_x", 200), ("analyst_x", 200), ("national", 200), ("lead_y", 404), ("uploader_a", 404)],
)
def test_it_is_seen_only_by_those_who_see_the_runs_system(api, cast, who, code):
    run = money_run(cast.lead_x, cast.ics_x)
    assert asks(api(getattr(cast, who)), run).status_code == code
    assert asks(api(), run).status_code == 401
