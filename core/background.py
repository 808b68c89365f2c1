"""Sending a Celery task: to the broker, or in the embedded mode to a thread of this process.

With a broker, a task goes to the workers. Without one (the embedded mode, tasks eager) a
projection or a backtest used to run inside the request that started it, so the page waited
for it and its progress bar never showed. With RUNS_IN_BACKGROUND on (the embedded default)
the task runs instead on a small pool of threads in the web server's process: the request
answers at once and the page follows the progress the task writes. Each job closes its
thread's database connections when it ends.

A job still waiting in the pool when the process stops is lost with it; its run stays queued,
and the run upkeep sends it again once it has waited longer than a job could
(workforce.services.runs.FORGOTTEN_AFTER).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor

from celery import Task
from django.conf import settings
from django.db import connections

logger = logging.getLogger(__name__)
THREAD_PREFIX = "background-task"

_lock = threading.Lock()
_pool: ThreadPoolExecutor | None = None


def in_background(task: Task) -> bool:
    """Whether `task` runs on this process's threads: eager (no broker), the setting on."""
    return bool(task.app.conf.task_always_eager and settings.RUNS_IN_BACKGROUND)


def _pool_get() -> ThreadPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(
                max_workers=settings.BACKGROUND_THREADS, thread_name_prefix=THREAD_PREFIX
            )
        return _pool


def _run(task: Task, args: Sequence) -> None:
    try:
        task.apply(tuple(args))
    except Exception:  # a task records its own failure; this is the last word in the log
        logger.exception("background task %s%s failed", task.name, tuple(args))
    finally:
        connections.close_all()


def task_send(task: Task, args: Sequence, **options) -> Future | None:
    """Send `task` with `args`: to a background thread in the embedded mode (the future is
    returned, for tests and shutdown), else `apply_async` with `options` (None)."""
    if in_background(task):
        return _pool_get().submit(_run, task, args)
    task.apply_async(tuple(args), **options)
    return None


def background_wait() -> None:
    """Wait for the jobs sent so far to end, then start a new pool (tests, shutdown)."""
    global _pool
    with _lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=False)
