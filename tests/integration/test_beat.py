"""A real `celery -A ics_planner beat` sends the upkeep of runs to a real worker: the run a
dead worker left running is failed, the run saved while the broker was down is carried out,
and nobody had to read either."""

from __future__ import annotations

import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from workforce.models import ProjectionRun
from workforce.services.runs import NOT_SENT, STALE_AFTER

from ..workforce.projection_data import BASELINE, scenario, small_system
from .conftest import ROOT, TEST_BROKER, database_url
from .test_projection_worker import wait_for

pytestmark = pytest.mark.integration


class Beat:
    """A `celery -A ics_planner beat` process sending the upkeep every second, not minute."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with (self.directory / "beat.log").open("ab") as output:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "ics_planner",
                    "beat",
                    "--loglevel=info",
                    f"--schedule={self.directory / 'celerybeat-schedule'}",
                ],
                cwd=ROOT,
                env=dict(
                    os.environ,
                    DATABASE_URL=database_url(),
                    CELERY_BROKER_URL=TEST_BROKER,
                    RUN_UPKEEP_SECONDS="1",
                ),
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def log(self) -> str:
        path = self.directory / "beat.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


@pytest.fixture
def celery_beat(celery_worker, tmp_path):
    beat = Beat(tmp_path)
    yield beat
    beat.stop()


def test_beat_fails_dead_runs_and_sends_saved_ones_with_no_one_reading_them(
    celery_worker, celery_beat, cast
):
    system = small_system("QKK")
    silent = datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT) + STALE_AFTER * 2
    dead = ProjectionRun.objects.create(
        scenario=scenario(system, draws=50),
        ics=system,
        baseline_period=BASELINE,
        status="running",
        heartbeat_at=timezone.now() - silent,
        attempts=1,
    )
    unsent = ProjectionRun.objects.create(
        scenario=scenario(system, draws=60, name="Saved"),
        ics=system,
        baseline_period=BASELINE,
        error=NOT_SENT,
    )
    time.sleep(3)  # no beat yet: nothing happens to them
    assert set(ProjectionRun.objects.values_list("status", flat=True)) == {"running", "queued"}

    celery_beat.start()
    failed = wait_for(dead.pk, {"failed", "succeeded"}, seconds=60)
    done = wait_for(unsent.pk, {"failed", "succeeded"}, seconds=120)

    assert (failed.status, failed.attempts) == ("failed", 1)
    assert "Start the run again" in failed.error
    assert (done.status, done.error) == ("succeeded", ""), done.error + celery_worker.log()[-2000:]
    for name in ("reap_stuck_runs", "resend_saved_runs"):
        assert f"Sending due task {name} (workforce.tasks.{name})" in celery_beat.log()
