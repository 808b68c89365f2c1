"""The state of what the planner depends on, for container health checks and operators.

The database and, when one is configured, the broker must answer for the planner to be
healthy. Workers are reported but do not decide it: with none, uploads and pages still work
and projections wait in the queue. Nothing here names a host, a URL or a version.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from celery import Celery
from django.db import Error as DatabaseError
from django.db import connection
from django.utils import timezone

logger = logging.getLogger(__name__)

BROKER_CONNECT_SECONDS = 2.0
# How long to collect the workers' answers to a ping: the report waits this long.
WORKER_PING_SECONDS = 1.0


def _elapsed_ms(started: float) -> float:
    return round((time.monotonic() - started) * 1000, 1)


def database_check() -> dict[str, Any]:
    started = time.monotonic()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        # The error text can name the server; it goes to the log, not into the report.
        logger.warning("health: the database does not answer: %s", error)
        return {"ok": False, "engine": connection.vendor, "detail": "The database does not answer."}
    return {"ok": True, "engine": connection.vendor, "ms": _elapsed_ms(started)}


def broker_check(app: Celery) -> dict[str, Any]:
    if app.conf.task_always_eager:
        return {
            "ok": True,
            "configured": False,
            "detail": "No broker: tasks run in the web process.",
        }
    started = time.monotonic()
    try:
        with app.connection_for_write() as broker:
            broker.ensure_connection(
                max_retries=1, interval_start=0, timeout=BROKER_CONNECT_SECONDS
            )
    except Exception as error:  # kombu and the transports raise many kinds; all mean "down"
        logger.warning("health: the broker does not answer: %s", error)
        return {"ok": False, "configured": True, "detail": "The broker does not answer."}
    return {"ok": True, "configured": True, "ms": _elapsed_ms(started)}


def workers_check(app: Celery, *, broker_ok: bool) -> dict[str, Any]:
    if app.conf.task_always_eager:
        return {"in_process": True, "detail": "Tasks run in the web process."}
    if not broker_ok:
        return {"in_process": False, "count": None, "detail": "Unknown: the broker is down."}
    try:
        replies = app.control.ping(timeout=WORKER_PING_SECONDS)
    except Exception as error:
        logger.warning("health: the workers could not be pinged: %s", error)
        return {"in_process": False, "count": None, "detail": "The workers could not be asked."}
    count = len(replies or [])
    detail = f"{count} answered." if count else "None answered: projections wait in the queue."
    return {"in_process": False, "count": count, "detail": detail}


def health_report(app: Celery) -> dict[str, Any]:
    """`status` is "ok" when the database answers, and the broker when there is one."""
    database = database_check()
    broker = broker_check(app)
    workers = workers_check(app, broker_ok=broker["ok"])
    return {
        "status": "ok" if database["ok"] and broker["ok"] else "unavailable",
        "checked_at": timezone.now().isoformat(timespec="seconds"),
        "database": database,
        "broker": broker,
        "workers": workers,
    }
