"""Scenario comparison refuses runs of different baselines, and offers to run every scenario
on one."""

from __future__ import annotations

import datetime

import pytest

from workforce.models import ProjectionRun
from workforce.projection.completeness import same_baseline
from workforce.services.runs import projection_run_start

from .dashboard_data import system_with_a_run
from .projection_data import BASELINE, scenario
from .returns_data import month, store_return

pytestmark = pytest.mark.django_db


def row(code: str, month: str, source: str = "return", under_review=()) -> dict:
    return {
        "organisation": code,
        "source": source,
        "month": month,
        "months_carried_forward": 0,
        "under_review": [{"return_id": i} for i in under_review],
    }


def test_same_baseline_is_the_month_and_the_figures_used():
    october, september = datetime.date(2026, 10, 1), datetime.date(2026, 9, 1)
    a = {"organisations": [row("RJ1", "2026-10"), row("RJ2", "2026-09")]}
    assert same_baseline([(october, a), (october, dict(a))])
    assert not same_baseline([(october, a), (september, a)])
    moved = {"organisations": [row("RJ1", "2026-10"), row("RJ2", "2026-10")]}
    assert not same_baseline([(october, a), (october, moved)])
    held = {"organisations": [row("RJ1", "2026-10"), row("RJ2", "2026-09", under_review=[7])]}
    assert not same_baseline([(october, a), (october, held)])
    # A run from before runs kept the account: its month alone.
    assert same_baseline([(october, a), (october, {})])


def started(user, plan, ics, capture, period=BASELINE) -> ProjectionRun:
    with capture(execute=True):
        run = projection_run_start(user=user, scenario=plan, ics=ics, baseline_period=period)
    run.refresh_from_db()
    assert run.status == "succeeded", run.error
    return run


@pytest.fixture
def two_baselines(cast, django_capture_on_commit_callbacks):
    ics, central, _ = system_with_a_run(cast, django_capture_on_commit_callbacks)
    other = scenario(ics, name="Faster growth")
    started(cast.lead_x, other, ics, django_capture_on_commit_callbacks, month(2026, 3))
    return central, other


def test_the_page_refuses_runs_of_different_baselines_and_says_so(client, cast, two_baselines):
    central, other = two_baselines
    client.force_login(cast.analyst_x)
    url = f"/systems/QKK/compare/?scenarios={central.pk},{other.pk}"
    html = client.get(url).content.decode()
    assert "Not comparable: different baselines" in html
    assert "chart-compare-gap-figure" not in html
    assert "February 2026" in html and "March 2026" in html
    assert "Run every scenario on this baseline" in html
    assert '<option value="2026-02">' in html and '<option value="2026-03">' in html
    download = client.get(f"/systems/QKK/compare/compare-gap.csv?scenarios={central.pk},{other.pk}")
    assert download.status_code == 400 and b"different baselines" in download.content


def test_the_button_runs_every_scenario_on_one_baseline(
    client, cast, two_baselines, django_capture_on_commit_callbacks
):
    central, other = two_baselines
    client.force_login(cast.lead_x)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/systems/QKK/compare/runs/",
            {"scenarios": f"{central.pk},{other.pk}", "baseline_period": "2026-03"},
        )
    assert response.status_code == 302
    newest = {
        plan: ProjectionRun.objects.filter(scenario=plan).order_by("-pk").first()
        for plan in (central, other)
    }
    assert {r.baseline_period for r in newest.values()} == {month(2026, 3)}
    assert newest[central].requested_by == cast.lead_x
    html = client.get(response["Location"]).content.decode()
    assert "Started on March 2026" in html
    assert "chart-compare-gap-figure" in html and "Not comparable" not in html


def test_a_return_between_two_runs_of_one_month_makes_them_not_comparable(
    client, cast, django_capture_on_commit_callbacks
):
    ics, central, _ = system_with_a_run(cast, django_capture_on_commit_callbacks)
    store_return(cast.trust_a, BASELINE)
    other = scenario(ics, name="Later")
    started(cast.lead_x, other, ics, django_capture_on_commit_callbacks)
    client.force_login(cast.lead_x)
    html = client.get(f"/systems/QKK/compare/?scenarios={central.pk},{other.pk}").content.decode()
    assert "Not comparable: different baselines" in html


def test_who_may_not_start_the_runs(client, cast, two_baselines):
    central, other = two_baselines
    body = {"scenarios": f"{central.pk},{other.pk}", "baseline_period": "2026-03"}
    before = ProjectionRun.objects.count()
    client.force_login(cast.lead_y)
    assert client.post("/systems/QKK/compare/runs/", body).status_code == 404
    client.force_login(cast.uploader_a)
    assert client.post("/systems/QKK/compare/runs/", body).status_code == 404
    client.force_login(cast.lead_x)
    bad = client.post("/systems/QKK/compare/runs/", {**body, "baseline_period": "soon"})
    assert bad.status_code == 302
    assert ProjectionRun.objects.count() == before
