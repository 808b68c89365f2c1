"""Backtests through the API: started with 202, run on a worker (in-process here), scored,
calibrated, and their spreads applied only when asked."""

from __future__ import annotations

import pytest

from workforce.models import Backtest, ProjectionRun, ScenarioAssumption

from .backtest_data import system_with_history
from .projection_data import scenario

pytestmark = pytest.mark.django_db


def post(client, plan, *, ics=None, first="2012-09", last="2014-09", horizon=2):
    return client.post(
        "/api/v1/backtests/",
        {
            "scenario": plan.pk,
            "ics": ics,
            "first_baseline": first,
            "last_baseline": last,
            "horizon": horizon,
        },
        format="json",
    )


def messages(response) -> str:
    return " ".join(e["message"] for e in response.json()["errors"])


@pytest.fixture
def national_plan(cast):
    return scenario(draws=100, name="National test")


@pytest.fixture
def started(api, cast, national_plan, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(api(cast.national), national_plan)
    assert response.status_code == 202, response.content
    return response


def test_a_national_backtest_is_accepted_with_202_and_scored(api, cast, started):
    assert started.json()["status"] == "queued" and started.json()["results"] is None
    backtest = Backtest.objects.get(pk=started.json()["id"])
    assert backtest.status == "succeeded", backtest.error
    body = api(cast.national).get(f"/api/v1/backtests/{backtest.pk}/").json()
    assert body["status"] == "succeeded"
    assert body["first_baseline"] == "2012-09" and body["last_baseline"] == "2014-09"
    rows = body["results"]
    groups = {r["staff_group"] for r in rows}
    assert {"NUR", "DOC", "PQC", "ALL"} <= groups
    assert len(rows) == len(groups) * 2
    nurses = next(r for r in rows if r["staff_group"] == "NUR" and r["horizon"] == 1)
    assert set(nurses) == {"staff_group", "horizon", "coverage", "mape", "bias", "baselines"}
    assert nurses["baselines"] == 3
    assert 0 <= nurses["coverage"] <= 1 and nurses["mape"] >= abs(nurses["bias"])


def test_results_come_as_csv(api, cast, started):
    response = api(cast.national).get(f"/api/v1/backtests/{started.json()['id']}/?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert lines[0] == "staff_group,horizon,coverage,mape,bias,baselines"
    assert len(lines) == 1 + len(Backtest.objects.get().results)


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"first": "2005-09", "last": "2006-09"}, "no figures for September 2005"),
        ({"first": "2010-09", "last": "2012-09"}, "3 years before it"),
        ({"first": "2022-09", "last": "2022-09", "horizon": 5}, "needs figures for September 2027"),
        ({"first": "2014-09", "last": "2012-09"}, "before the first"),
        ({"first": "2012-13"}, "first_baseline"),
        ({"horizon": 0}, "horizon"),
    ],
)
def test_bad_input_is_400_with_the_reason(api, cast, national_plan, changes, reason):
    response = post(api(cast.national), national_plan, **changes)
    assert response.status_code == 400
    assert reason in messages(response) + str(response.json())
    assert not Backtest.objects.exists()


def test_a_scenario_of_another_system_is_404(api, cast):
    theirs = scenario(cast.ics_y, draws=10)
    response = post(api(cast.lead_x), theirs, ics="QKK")
    assert response.status_code == 404
    assert "No scenario" in messages(response)


def test_a_system_without_three_years_is_400_saying_what_it_has(api, cast):
    system_with_history(years=range(2024, 2026))
    response = post(api(cast.lead_x), scenario(cast.ics_x, draws=10), ics="QKK")
    assert response.status_code == 400
    assert "QKK has figures for 2 months, from September 2024 to September 2025" in messages(
        response
    )


def test_a_system_backtest_uses_its_published_figures(
    api, cast, django_capture_on_commit_callbacks
):
    system_with_history()
    plan = scenario(cast.ics_x, draws=50)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(
            api(cast.lead_x), plan, ics="QKK", first="2019-09", last="2022-09", horizon=3
        )
    assert response.status_code == 202, response.content
    body = api(cast.analyst_x).get(f"/api/v1/backtests/{response.json()['id']}/").json()
    assert body["status"] == "succeeded", body["error"]
    doctors = [r for r in body["results"] if r["staff_group"] == "DOC"]
    # Doctors did not change: the flows hold them level, and P50 is all but exact.
    assert all(r["mape"] < 0.001 for r in doctors) and len(doctors) == 3
    assert all(r["baselines"] == 4 for r in doctors)


def test_scope_follows_runs(api, cast, started):
    backtest_id = started.json()["id"]
    assert api(cast.lead_x).get(f"/api/v1/backtests/{backtest_id}/").status_code == 404
    assert api(cast.analyst_x).get("/api/v1/backtests/").json()["results"] == []
    assert api().get(f"/api/v1/backtests/{backtest_id}/").status_code in (401, 403)
    national = post(api(cast.lead_x), scenario(name="Another national", draws=10))
    assert national.status_code == 403


def test_calibrate_proposes_spreads_beside_the_current_ones_and_writes_nothing(api, cast, started):
    before = ScenarioAssumption.objects.count()
    response = api(cast.national).post(f"/api/v1/backtests/{started.json()['id']}/calibrate/")
    assert response.status_code == 200, response.content
    spreads = {row["staff_group"]: row for row in response.json()["spreads"]}
    assert "NUR" in spreads and "ALL" not in spreads
    nurses = spreads["NUR"]
    # The national defaults, which the national backtest set (defaults.BACKTEST_SPREADS).
    assert nurses["current"] == {"leaver_rate_sd": 0.023, "international_sd": 0.45}
    assert nurses["proposed"]["leaver_rate_sd"] == pytest.approx(0.023 * nurses["factor"], abs=1e-5)
    assert nurses["coverage_proposed"] >= 0.8 or not nurses["reached"]
    assert ScenarioAssumption.objects.count() == before


def test_applying_writes_each_group_spreads_and_is_refused_once_the_scenario_has_runs(
    api, cast, started, national_plan
):
    url = f"/api/v1/backtests/{started.json()['id']}/apply-spreads/"
    proposed = api(cast.national).post(url.replace("apply-spreads", "calibrate")).json()
    response = api(cast.national).post(url, {}, format="json")
    assert response.status_code == 200, response.content
    nurses = ScenarioAssumption.objects.get(scenario=national_plan, staff_group__code="NUR")
    expected = next(r for r in proposed["spreads"] if r["staff_group"] == "NUR")["proposed"]
    assert float(nurses.leaver_rate_sd) == pytest.approx(expected["leaver_rate_sd"])
    assert float(nurses.international_sd) == pytest.approx(expected["international_sd"])
    ProjectionRun.objects.create(scenario=national_plan, baseline_period="2026-02-01")
    refused = api(cast.national).post(url, {}, format="json")
    assert refused.status_code == 409 and "copy it" in messages(refused)


def test_calibrating_a_backtest_not_yet_run_is_409(api, cast, national_plan):
    backtest = Backtest.objects.create(
        scenario=national_plan,
        first_baseline="2012-09-01",
        last_baseline="2013-09-01",
        horizon=1,
    )
    response = api(cast.national).post(f"/api/v1/backtests/{backtest.pk}/calibrate/")
    assert response.status_code == 409
    csv = api(cast.national).get(f"/api/v1/backtests/{backtest.pk}/?format=csv")
    assert csv.status_code == 409
