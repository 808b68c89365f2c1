"""Projection runs: start one, carry it out on a worker, and never leave one stuck."""

from __future__ import annotations

import datetime
import enum
import logging
import time

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerUnreachable

from core.access import can_run_projection, is_visible
from core.background import in_background, task_send
from core.errors import ApplicationError, OutOfScope
from core.models import ICS, AuditEntry, User
from core.services.audit import audit_record
from workforce.models import ProjectionRun, Scenario
from workforce.projection import engine
from workforce.projection.input_hash import ENGINE_VERSION
from workforce.projection.inputs import prepare_run
from workforce.projection.results import results_store
from workforce.services.run_chunks import chunked, engine_threads, national_run_split

logger = logging.getLogger(__name__)
# A running run whose worker has said nothing for this long is taken as dead. The worker
# speaks at least every HEARTBEAT_EVERY_SECONDS while the engine works.
STALE_AFTER = datetime.timedelta(seconds=30)
MAX_ATTEMPTS = 3
HEARTBEAT_EVERY_SECONDS = 1.0
# Sending a run to the broker: a few quick tries, so that a request never hangs on a broker
# that is down (the connect timeout itself is in CELERY_BROKER_TRANSPORT_OPTIONS).
SEND_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}
# Kept in `error` of a queued run that could not be sent: it marks the runs to send again.
NOT_SENT = (
    "The projection service is unavailable: the run is saved and will start when it is back. "
    "There is no need to start it again."
)
# In the embedded mode a run waits in its process's background pool; one still queued after
# this long was lost with a process that stopped, and the upkeep sends it again.
FORGOTTEN_AFTER = datetime.timedelta(minutes=10)


def projection_run_start(
    *, user: User, scenario: Scenario, ics: ICS | None, baseline_period: datetime.date
) -> ProjectionRun:
    """Queue a run; the work starts on a worker once this transaction commits."""
    if not is_visible(user, scenario, ics="ics", include_national=True):
        raise ApplicationError("No such scenario.", status_code=404)
    if not can_run_projection(user, ics):
        scope = ics.code if ics else "England (a national run)"
        raise OutOfScope(f"You may not run projections for {scope}.")
    if scenario.ics_id is not None and (ics is None or scenario.ics_id != ics.pk):
        raise ApplicationError(
            f"Scenario '{scenario.name}' belongs to {scenario.ics.code}: run it for that system."
        )
    if baseline_period > timezone.localdate():
        raise ApplicationError("The baseline month cannot be in the future.")
    projection_runs_resend()
    with transaction.atomic():
        # The scenario's row, locked: a change to it (workforce.services.scenarios) waits,
        # then sees this run and is refused, so a run projects the scenario as it stands.
        locked = Scenario.objects.select_for_update(of=("self",)).get(pk=scenario.pk)
        if locked.archived_at is not None:
            raise ApplicationError(
                f"Scenario '{scenario.name}' is archived: unarchive it to run it.",
                status_code=409,
            )
        run = ProjectionRun.objects.create(
            scenario=scenario,
            ics=ics,
            baseline_period=baseline_period.replace(day=1),
            requested_by=user,
            seed=scenario.seed,
            draws=scenario.draws,
            horizon=scenario.horizon,
            engine_version=ENGINE_VERSION,
        )
        audit_record(
            user=user,
            action=AuditEntry.Action.CREATE,
            instance=run,
            ics=ics,
            after={"scenario": scenario.name, "baseline_period": str(run.baseline_period)},
        )
        transaction.on_commit(lambda: _send(run.pk))
    run.refresh_from_db()
    if run.status == ProjectionRun.Status.QUEUED and run.error == NOT_SENT:
        raise ApplicationError(f"{NOT_SENT} It is run {run.pk}.", status_code=503)
    return run


def _send(run_id: int, *, retry: bool = True) -> bool:
    """Hand the run to the broker, or mark it to be sent again when the broker is back."""
    from workforce.tasks import run_projection

    try:
        task_send(run_projection, (run_id,), retry=retry, retry_policy=SEND_RETRY_POLICY)
    except (BrokerUnreachable, OSError) as error:
        logger.warning("run %s saved but not sent, the broker is unreachable: %s", run_id, error)
        ProjectionRun.objects.filter(pk=run_id, status=ProjectionRun.Status.QUEUED).update(
            error=NOT_SENT
        )
        return False
    return True


def projection_runs_resend(*, now: datetime.datetime | None = None) -> int:
    """Send the runs saved while the broker was unreachable; stop at the first that fails.
    In the embedded mode, also those still queued after FORGOTTEN_AFTER (their process
    stopped before its background pool reached them).

    Each run is taken with a conditional UPDATE first, so that two processes never both send
    it; a run that fails to send again is marked again. A forgotten run sent twice is carried
    out once: a delivery first claims the run (`_claim`).
    """
    from workforce.tasks import run_projection

    waiting = Q(error=NOT_SENT)
    if in_background(run_projection):
        waiting |= Q(created_at__lt=(now or timezone.now()) - FORGOTTEN_AFTER)
    unsent = ProjectionRun.objects.filter(waiting, status=ProjectionRun.Status.QUEUED)
    sent = 0
    for run_id in unsent.order_by("pk").values_list("pk", flat=True):
        if not unsent.filter(pk=run_id).update(error=""):
            continue
        if not _send(run_id, retry=False):
            break
        sent += 1
    return sent


def _claim(run_id: int) -> bool:
    """Take the run for this delivery: queued, or running with a silent (dead) worker.

    A conditional UPDATE, so that a second delivery of the same message while the first is
    alive does nothing.
    """
    now = timezone.now()
    claimable = Q(status=ProjectionRun.Status.QUEUED) | Q(
        status=ProjectionRun.Status.RUNNING, heartbeat_at__lt=now - STALE_AFTER
    )
    return bool(
        ProjectionRun.objects.filter(claimable, pk=run_id, attempts__lt=MAX_ATTEMPTS).update(
            status=ProjectionRun.Status.RUNNING,
            started_at=now,
            heartbeat_at=now,
            progress=0,
            error="",
            attempts=F("attempts") + 1,
        )
    )


def _finish(run_id: int, **fields) -> None:
    ProjectionRun.objects.filter(pk=run_id).update(finished_at=timezone.now(), **fields)


class Outcome(enum.Enum):
    DONE = "done"  # this delivery carried the run to succeeded or failed
    NOTHING_TO_DO = "nothing to do"  # already finished, or out of attempts
    BUSY = "busy"  # running with a live heartbeat: another delivery is at work, or just died


def projection_run_execute(*, run_id: int, in_chunks: bool = True) -> Outcome:
    """Carry out one run: inputs, reuse or engine, results. Safe to deliver twice.
    `in_chunks=False` keeps a national run in this one call, for a caller that waits for
    it (the demo's seeding), where chunks would go on at the commit.

    BUSY tells the caller to look again once a heartbeat would have gone stale: a worker
    killed mid-run leaves the run running with a recent heartbeat, and its redelivered
    message must take the run over rather than be dropped.
    """
    if not _claim(run_id):
        busy = ProjectionRun.objects.filter(
            pk=run_id, status=ProjectionRun.Status.RUNNING, attempts__lt=MAX_ATTEMPTS
        ).exists()
        return Outcome.BUSY if busy else Outcome.NOTHING_TO_DO
    run = ProjectionRun.objects.select_related("scenario", "ics").get(pk=run_id)
    try:
        prepared = prepare_run(
            scenario=run.scenario, ics=run.ics, baseline_period=run.baseline_period
        )
        earlier = (
            ProjectionRun.objects.filter(
                input_hash=prepared.input_hash,
                status=ProjectionRun.Status.SUCCEEDED,
                results_from__isnull=True,
                # The same inputs in another scope store other levels (a national run has
                # national rows), so only a run of the same scope is reused.
                ics=run.ics,
            )
            .exclude(pk=run.pk)
            .order_by("pk")
            .first()
        )
        if earlier is not None:
            _finish(
                run.pk,
                status=ProjectionRun.Status.SUCCEEDED,
                progress=100,
                input_hash=prepared.input_hash,
                results_from=earlier,
                notes=prepared.notes,
                prices=prepared.prices,
                completeness=prepared.completeness,
            )
            return Outcome.DONE
        if in_chunks and chunked(run):
            # Chunks of systems on the workers, then the nation (workforce.services.run_chunks).
            national_run_split(run=run, prepared=prepared)
            return Outcome.DONE
        last_beat = [time.monotonic()]

        def progress(percent: int) -> None:
            # The engine reports per chunk; the database hears at most once a second.
            if percent < 100 and time.monotonic() - last_beat[0] < HEARTBEAT_EVERY_SECONDS:
                return
            last_beat[0] = time.monotonic()
            ProjectionRun.objects.filter(pk=run.pk, status=ProjectionRun.Status.RUNNING).update(
                progress=min(95, int(percent * 0.95)), heartbeat_at=timezone.now()
            )

        result = engine.project(prepared.inputs, progress, workers=engine_threads())
        with transaction.atomic():
            results_store(run=run, prepared=prepared, result=result)
            _finish(
                run.pk,
                status=ProjectionRun.Status.SUCCEEDED,
                progress=100,
                input_hash=prepared.input_hash,
                notes=prepared.notes,
                prices=prepared.prices,
                completeness=prepared.completeness,
            )
    except ApplicationError as error:
        _finish(run.pk, status=ProjectionRun.Status.FAILED, error=str(error))
    except Exception as error:  # the run must end failed with a reason, never stay running
        logger.exception("run %s failed", run.pk)
        _finish(
            run.pk,
            status=ProjectionRun.Status.FAILED,
            error=f"The projection failed unexpectedly ({type(error).__name__}: {error}). "
            "Try again; if it fails again, tell your administrator.",
        )
    return Outcome.DONE


def projection_runs_reap(*, now: datetime.datetime | None = None) -> int:
    """Mark failed the runs whose worker died and that will not be delivered again.

    A running run silent for longer than the task's time limit, or one whose attempts are
    spent, has no worker left: it is failed with a reason that says to start it again.
    """
    now = now or timezone.now()
    limit = datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT) + STALE_AFTER
    dead = ProjectionRun.objects.filter(status=ProjectionRun.Status.RUNNING).filter(
        Q(heartbeat_at__lt=now - limit)
        | Q(heartbeat_at__lt=now - STALE_AFTER, attempts__gte=MAX_ATTEMPTS)
    )
    return dead.update(
        status=ProjectionRun.Status.FAILED,
        finished_at=now,
        error="The worker running this projection stopped before it finished. Start the run again.",
    )
