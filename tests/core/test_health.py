"""/healthz: the database, the broker and the workers, with no sign-in and no secrets."""

from __future__ import annotations

import pytest
from django.db import OperationalError

from ics_planner.celery import app
from tests.conftest import require
from tests.integration.conftest import TEST_BROKER, redis_reachable
from tests.integration.test_faults_broker import unreachable_broker

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker():
    """Point the app at a broker URL for one test, with tasks sent rather than run in process."""
    saved = (app.conf.task_always_eager, app.conf.broker_url)

    def use(url: str) -> None:
        app.conf.task_always_eager = False
        app.conf.broker_url = url
        app._pool = None
        app.amqp._producer_pool = None

    yield use
    app.conf.task_always_eager, app.conf.broker_url = saved
    app._pool = None
    app.amqp._producer_pool = None


def test_it_reports_the_database_and_tasks_in_process_without_sign_in(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["broker"] == {
        "ok": True,
        "configured": False,
        "detail": "No broker: tasks run in the web process.",
    }
    assert body["workers"]["in_process"] is True


def test_it_answers_503_when_the_database_does_not_answer(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection to server at 10.1.2.3 failed: password=hunter2")

    monkeypatch.setattr("django.db.backends.utils.CursorWrapper.execute", refuse)

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["database"] == {
        "ok": False,
        "engine": body["database"]["engine"],
        "detail": "The database does not answer.",
    }
    assert "10.1.2.3" not in response.content.decode()
    assert "hunter2" not in response.content.decode()


def test_it_answers_503_when_the_configured_broker_is_unreachable(client, broker, settings):
    broker(unreachable_broker().replace("redis://", "redis://:broker-password@"))

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["database"]["ok"] is True
    assert body["broker"] == {
        "ok": False,
        "configured": True,
        "detail": "The broker does not answer.",
    }
    assert body["workers"]["count"] is None
    text = response.content.decode()
    assert "broker-password" not in text and "127.0.0.1" not in text
    assert settings.SECRET_KEY not in text


def test_it_accepts_only_reads(client):
    assert client.post("/healthz").status_code == 405
    assert client.head("/healthz").status_code == 200


@pytest.mark.integration
def test_with_a_reachable_broker_and_no_worker_it_is_healthy_and_says_so(client, broker):
    # A Redis database of its own, where no test ever starts a worker.
    url = TEST_BROKER.rsplit("/", 1)[0] + "/13"
    require(redis_reachable(url), f"needs Redis at {url}")
    broker(url)

    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["broker"]["ok"] is True and body["broker"]["configured"] is True
    # No worker listens on that database: projections would wait.
    assert body["workers"]["count"] == 0
    assert "wait in the queue" in body["workers"]["detail"]


def test_the_compose_web_server_is_checked_through_healthz():
    import yaml

    from tests.integration.conftest import ROOT

    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    check = " ".join(compose["services"]["web"]["healthcheck"]["test"])
    assert "http://127.0.0.1:8000/healthz" in check
