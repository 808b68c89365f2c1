"""The upkeep of runs without Celery beat: a timer in the web server's process.

With no broker (the embedded mode) tasks run in process and there is no beat to send the
upkeep tasks, so each web server process runs them itself every RUN_UPKEEP_SECONDS on a
daemon thread. The WSGI and ASGI modules start it: only web servers import them, so tests,
migrations and other management commands never start it. Two processes doing it at once is
harmless: each task takes its rows with conditional UPDATEs.
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import connections

from workforce.tasks import UPKEEP

logger = logging.getLogger(__name__)
THREAD_NAME = "run-upkeep"

_lock = threading.Lock()
_stop = threading.Event()
_thread: threading.Thread | None = None


def upkeep_once() -> None:
    """Each upkeep task once, here; one failing does not keep the others from running."""
    for task in UPKEEP:
        try:
            task()
        except Exception:  # the timer must keep going: the next tick tries again
            logger.exception("run upkeep: %s failed", task.name)


def _every(period: float) -> None:
    while not _stop.wait(period):
        upkeep_once()
        # The timer thread's own connections (they are per thread): none is held between
        # ticks. Closed here, not in upkeep_once, which may run inside a caller's transaction.
        connections.close_all()


def upkeep_timer_start(*, period: float | None = None) -> threading.Thread | None:
    """Start the timer once in this process, in the embedded mode only (else beat does it).

    Returns the timer's thread, or None where a broker is configured.
    """
    global _thread
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        return None
    with _lock:
        if _thread is None or not _thread.is_alive():
            _stop.clear()
            _thread = threading.Thread(
                target=_every,
                args=(settings.RUN_UPKEEP_SECONDS if period is None else period,),
                name=THREAD_NAME,
                daemon=True,
            )
            _thread.start()
        return _thread


def upkeep_timer_stop() -> None:
    """Stop the timer (a test's, or before a process exits) and wait for its tick to end."""
    global _thread
    with _lock:
        thread, _thread = _thread, None
    _stop.set()
    if thread is not None:
        thread.join(timeout=30)
