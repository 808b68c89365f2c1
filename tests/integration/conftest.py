"""A real Celery worker on Redis, against the test database (PostgreSQL)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from tests.conftest import require

ROOT = Path(__file__).resolve().parents[2]
TEST_BROKER = os.environ.get("TEST_CELERY_BROKER_URL", "redis://127.0.0.1:6379/15")


def redis_reachable(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


def database_url() -> str:
    db = connection.settings_dict
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


class Worker:
    """A `celery -A ics_planner worker` process and what it printed."""

    def __init__(self, log_path: Path):
        self.log_path = log_path
        self.process: subprocess.Popen | None = None
        self.output = None

    def start(self) -> None:
        env = dict(os.environ, DATABASE_URL=database_url(), CELERY_BROKER_URL=TEST_BROKER)
        self.output = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "ics_planner",
                "worker",
                "--loglevel=info",
                "--concurrency=1",
                "--pool=prefork",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if "ready." in self.log():
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        raise RuntimeError(f"the Celery worker did not start:\n{self.log()[-3000:]}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def children(self) -> list[int]:
        out = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True)
        return [int(pid) for pid in out.stdout.split()]

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if self.output is not None:
            self.output.close()


@pytest.fixture
def celery_worker(reference_data, tmp_path):
    """A real worker; the test's process sends tasks to it through Redis."""
    require(connection.vendor == "postgresql", "needs PostgreSQL: set DATABASE_URL")
    require(redis_reachable(TEST_BROKER), f"needs Redis at {TEST_BROKER}")
    import redis

    from ics_planner.celery import app

    redis.Redis.from_url(TEST_BROKER).flushdb()
    saved = (app.conf.task_always_eager, app.conf.broker_url)
    app.conf.task_always_eager = False
    app.conf.broker_url = TEST_BROKER
    _reset_connections(app)
    worker = Worker(tmp_path / "worker.log")
    worker.start()
    yield worker
    worker.stop()
    app.conf.task_always_eager, app.conf.broker_url = saved
    _reset_connections(app)


def _reset_connections(app) -> None:
    # Connections and producers are pooled per broker URL: drop them when the URL changes.
    app._pool = None
    app.amqp._producer_pool = None
