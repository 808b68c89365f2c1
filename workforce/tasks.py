"""Celery tasks: thin, take ids, call one service."""

from celery import shared_task

from workforce.services.backtests import backtest_execute
from workforce.services.runs import (
    STALE_AFTER,
    Outcome,
    projection_run_execute,
    projection_runs_reap,
    projection_runs_resend,
)


@shared_task(
    bind=True, acks_late=True, reject_on_worker_lost=True, ignore_result=True, max_retries=20
)
def run_projection(self, run_id: int) -> None:
    if projection_run_execute(run_id=run_id) is Outcome.BUSY:
        # Look again once a dead worker's heartbeat has gone stale.
        raise self.retry(countdown=STALE_AFTER.total_seconds() + 1)


@shared_task(ignore_result=True)
def reap_stuck_runs() -> int:
    return projection_runs_reap()


@shared_task(ignore_result=True)
def resend_saved_runs() -> int:
    return projection_runs_resend()


# The periodic upkeep of runs: Celery beat sends these (CELERY_BEAT_SCHEDULE) where there is
# a broker; without one, the web process runs them itself on a timer (workforce.upkeep).
UPKEEP = (reap_stuck_runs, resend_saved_runs)


@shared_task(ignore_result=True)
def run_backtest(backtest_id: int) -> None:
    backtest_execute(backtest_id=backtest_id)
