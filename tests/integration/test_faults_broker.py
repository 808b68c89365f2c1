"""The broker (Redis) unreachable when a run is requested: a clear 503, and the run not lost.

The app is pointed at a port nothing listens on, as a stopped or unreachable Redis would
look, and then back at the real one, where a real worker takes the run.
"""

from __future__ import annotations

import re
import socket

import pytest

from workforce.models import ProjectionRun
from workforce.services.runs import NOT_SENT
from workforce.tasks import resend_saved_runs

from ..workforce.projection_data import scenario, small_system
from .conftest import TEST_BROKER, _reset_connections
from .test_projection_worker import wait_for

pytestmark = pytest.mark.integration


def unreachable_broker() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # free once closed: nothing listens on it
    return f"redis://127.0.0.1:{port}/15"


@pytest.fixture
def broker_url():
    """Change the broker the test's process sends to; the worker keeps the real one."""
    from ics_planner.celery import app

    def use(url: str) -> None:
        app.conf.broker_url = url
        _reset_connections(app)

    yield use
    use(TEST_BROKER)


def post_run(client, plan) -> object:
    return client.post(
        "/api/v1/runs/",
        {"scenario": plan.pk, "ics": "QKK", "baseline_period": "2026-02"},
        format="json",
    )


def test_a_run_requested_while_the_broker_is_down_starts_when_it_is_back(
    celery_worker, broker_url, api, cast
):
    plan = scenario(small_system("QKK"), draws=50)
    client = api(cast.lead_x)
    broker_url(unreachable_broker())

    response = post_run(client, plan)

    assert response.status_code == 503, response.content
    (error,) = response.json()["errors"]
    assert error["message"].startswith(
        "The projection service is unavailable: the run is saved and will start when it is back."
    )
    run = ProjectionRun.objects.get()
    assert f"run {run.pk}" in error["message"]
    assert (run.status, run.error, run.attempts) == ("queued", NOT_SENT, 0)
    # Still down: the periodic upkeep tries again, fails quietly and keeps it for later.
    assert resend_saved_runs() == 0
    body = client.get(f"/api/v1/runs/{run.pk}/").json()
    assert (body["status"], body["error"]) == ("queued", NOT_SENT)

    broker_url(TEST_BROKER)
    assert resend_saved_runs() == 1

    run = wait_for(run.pk, {"succeeded", "failed"})
    assert run.status == "succeeded", run.error + celery_worker.log()[-2000:]
    assert (run.error, run.attempts) == ("", 1)
    assert ProjectionRun.objects.count() == 1
    # Sent once: the failed tries left nothing behind in the broker.
    assert len(re.findall(r"run_projection\[[0-9a-f-]+\] received", celery_worker.log())) == 1


def test_the_next_run_requested_sends_those_saved_while_the_broker_was_down(
    celery_worker, broker_url, api, cast
):
    system = small_system("QKK")
    client = api(cast.lead_x)
    broker_url(unreachable_broker())
    first = post_run(client, scenario(system, draws=50, name="First"))
    assert first.status_code == 503

    broker_url(TEST_BROKER)
    second = post_run(client, scenario(system, draws=60, name="Second"))

    assert second.status_code == 202, second.content
    runs = [wait_for(run.pk, {"succeeded", "failed"}) for run in ProjectionRun.objects.all()]
    assert [(r.status, r.error) for r in runs] == [("succeeded", ""), ("succeeded", "")]


def test_health_reports_the_broker_and_the_worker(celery_worker, client):
    body = client.get("/healthz").json()

    assert body["status"] == "ok"
    assert body["broker"]["ok"] is True and body["broker"]["configured"] is True
    assert body["workers"]["count"] == 1
