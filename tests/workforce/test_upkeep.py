"""The upkeep of runs: on Celery beat with a broker, on a timer in the web process without."""

import datetime
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.utils import timezone

from workforce import upkeep
from workforce.models import ProjectionRun
from workforce.services.runs import NOT_SENT, STALE_AFTER
from workforce.tasks import UPKEEP

from .projection_data import BASELINE, scenario, small_system

ROOT = Path(__file__).resolve().parents[2]


def test_the_beat_schedule_sends_every_upkeep_task_and_only_real_tasks_every_minute(settings):
    from ics_planner.celery import app

    app.loader.import_default_modules()  # what the worker and beat do: find every task
    schedule = settings.CELERY_BEAT_SCHEDULE
    names = [entry["task"] for entry in schedule.values()]

    assert all(name in app.tasks for name in names), names
    assert sorted(names) == sorted(task.name for task in UPKEEP)
    assert {entry["schedule"] for entry in schedule.values()} == {60.0}


@pytest.mark.django_db
def test_one_upkeep_tick_fails_dead_runs_and_sends_saved_ones(cast, settings):
    system = small_system("QKK")
    silent = datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT) + STALE_AFTER * 2
    dead = ProjectionRun.objects.create(
        scenario=scenario(system),
        ics=system,
        baseline_period=BASELINE,
        status="running",
        heartbeat_at=timezone.now() - silent,
        attempts=1,
    )
    unsent = ProjectionRun.objects.create(
        scenario=scenario(system, name="B"),
        ics=system,
        baseline_period=BASELINE,
        error=NOT_SENT,
    )

    upkeep.upkeep_once()

    dead.refresh_from_db()
    unsent.refresh_from_db()
    assert (dead.status, unsent.status) == ("failed", "succeeded")


def test_an_upkeep_task_that_fails_does_not_keep_the_others_from_running(monkeypatch, caplog):
    ran = []

    class Task:
        def __init__(self, name, fails):
            self.name, self.fails = name, fails

        def __call__(self):
            ran.append(self.name)
            if self.fails:
                raise RuntimeError("the database is away")

    monkeypatch.setattr(upkeep, "UPKEEP", (Task("first", True), Task("second", False)))

    upkeep.upkeep_once()

    assert ran == ["first", "second"]
    assert "run upkeep: first failed" in caplog.text


def test_the_timer_ticks_on_one_thread_per_process_until_stopped(monkeypatch, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    ticks = []
    ticked = threading.Event()

    def tick():
        ticks.append(threading.current_thread().name)
        ticked.set()

    monkeypatch.setattr(upkeep, "upkeep_once", tick)
    try:
        thread = upkeep.upkeep_timer_start(period=0.01)
        assert upkeep.upkeep_timer_start(period=0.01) is thread
        assert ticked.wait(timeout=10)
        assert thread.daemon and set(ticks) == {upkeep.THREAD_NAME}
    finally:
        upkeep.upkeep_timer_stop()
    assert not thread.is_alive()


def test_the_timer_is_left_to_beat_where_there_is_a_broker(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False

    assert upkeep.upkeep_timer_start(period=0.01) is None


def threads_after(code: str, **env: str) -> list[str]:
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "CELERY_BROKER_URL") and not k.startswith("DJANGO_")
    }
    environment.update(env, DJANGO_SETTINGS_MODULE="ics_planner.settings")
    script = f"{code}\nimport threading; print(*[t.name for t in threading.enumerate()])"
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_a_web_server_without_a_broker_starts_the_timer_and_nothing_else_does():
    assert upkeep.THREAD_NAME in threads_after("import ics_planner.wsgi")
    assert upkeep.THREAD_NAME in threads_after("import ics_planner.asgi")
    # Management commands (migrate, seed_demo...) and tests set Django up without the server.
    command = "import django; django.setup(); from django.core.management import call_command"
    assert upkeep.THREAD_NAME not in threads_after(f"{command}; call_command('check')")
    broker = {"CELERY_BROKER_URL": "redis://127.0.0.1:1/0"}
    assert upkeep.THREAD_NAME not in threads_after("import ics_planner.wsgi", **broker)
