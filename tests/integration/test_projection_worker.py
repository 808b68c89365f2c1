"""A projection from the API to results on a real Celery worker over Redis and PostgreSQL."""

from __future__ import annotations

import os
import signal
import time

import pytest

from workforce.models import ProjectionResult, ProjectionRun

from ..workforce.projection_data import scenario, small_system

pytestmark = pytest.mark.integration


def wait_for(run_id: int, statuses: set[str], seconds: float = 120) -> ProjectionRun:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        run = ProjectionRun.objects.get(pk=run_id)
        if run.status in statuses:
            return run
        time.sleep(0.2)
    raise AssertionError(f"run {run_id} stayed {run.status}")


def test_a_projection_runs_on_a_worker_from_the_api_to_results(celery_worker, api, cast):
    system = small_system("QKK")
    plan = scenario(system, draws=200)
    response = api(cast.lead_x).post(
        "/api/v1/runs/",
        {"scenario": plan.pk, "ics": "QKK", "baseline_period": "2026-02"},
        format="json",
    )
    assert response.status_code == 202
    run = wait_for(response.json()["id"], {"succeeded", "failed"})
    assert run.status == "succeeded", run.error + celery_worker.log()[-2000:]
    assert ProjectionResult.objects.filter(run=run, level="ics").exists()
    body = (
        api(cast.analyst_x).get(f"/api/v1/runs/{run.pk}/results/?level=ics&staff_group=NUR").json()
    )
    first = body["results"][1]
    assert first["supply_p10"] <= first["supply_p50"] <= first["supply_p90"]
    assert "run_projection[" in celery_worker.log()


def test_a_worker_killed_mid_run_does_not_leave_the_run_running(celery_worker, api, cast):
    import io

    from core.demo import published

    published.seed(io.StringIO())  # every trust of England: a national run takes a while
    plan = scenario(None, draws=4000, horizon=20, name="National, many draws")
    run_id = (
        api(cast.national)
        .post("/api/v1/runs/", {"scenario": plan.pk, "baseline_period": "2026-02"}, format="json")
        .json()["id"]
    )
    run = wait_for(run_id, {"running", "succeeded", "failed"})
    deadline = time.monotonic() + 60
    while run.progress == 0 and run.status == "running" and time.monotonic() < deadline:
        time.sleep(0.1)
        run.refresh_from_db()
    assert run.status == "running", "the run ended before the worker could be killed"
    children = celery_worker.children()
    assert children, "the worker has no pool process"
    for pid in children:
        os.kill(pid, signal.SIGKILL)
    # The message comes back (acks_late, reject_on_worker_lost): a national run is in chunks,
    # so the chunk that was killed is delivered again and its rows replaced, never doubled.
    run = wait_for(run_id, {"succeeded", "failed"}, seconds=600)  # a bound, not a speed
    assert run.status == "succeeded", run.error + celery_worker.log()[-3000:]
    assert run.chunks.exists() and not run.chunks.filter(done=False).exists()
    assert ProjectionResult.objects.filter(run=run, level="national").exists()
    keys = ("level", "entity_code", "sector", "staff_group", "year")
    stored = ProjectionResult.objects.filter(run=run)
    assert stored.count() == stored.values(*keys).distinct().count()
