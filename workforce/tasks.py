"""Celery tasks: thin, take ids, call one service."""

from celery import shared_task

from workforce.services.backtests import backtest_execute
from workforce.services.run_chunks import (
    ChunksPending,
    projection_chunk_execute,
    projection_national_finish,
)
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


# A chunk of a national run, in a chord: its result (None) must be stored for the chord to
# count it, so it does not ignore results. Killed mid-chunk, its message comes back (acks_late,
# reject_on_worker_lost) and the chunk's rows are replaced, never added twice.
@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=False)
def run_projection_chunk(run_id: int, index: int) -> None:
    projection_chunk_execute(run_id=run_id, index=index)


@shared_task(
    bind=True, acks_late=True, reject_on_worker_lost=True, ignore_result=False, max_retries=600
)
def finish_national_run(self, run_id: int) -> None:
    try:
        projection_national_finish(run_id=run_id)
    except ChunksPending as pending:
        # The chord fired before the database shows every chunk done (a chunk delivered twice
        # counts twice in the chord): look again shortly.
        raise self.retry(countdown=2) from pending


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
