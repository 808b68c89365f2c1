"""Backtests: start one, carry it out on a worker, and set a scenario's spreads from it."""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.utils import timezone

from core.access import can_run_projection, is_visible
from core.background import task_send
from core.errors import ApplicationError, OutOfScope
from core.models import ICS, AuditEntry, User
from core.services.audit import audit_record
from workforce.backtest import (
    BacktestError,
    History,
    backtest_run,
    band_rows,
    calibrate,
    check_history,
    national_history,
    yearly_baselines,
)
from workforce.backtest.history import LOOKBACK_YEARS, history_summary, span_in_years
from workforce.models import Backtest, Scenario
from workforce.projection.arrays import MAX_HORIZON
from workforce.selectors.backtests import backtest_spec, system_history

from .scenarios import refuse_unless_planner, scenario_update

logger = logging.getLogger(__name__)
MIN_SYSTEM_YEARS = 3


def backtest_history(ics: ICS | None) -> History:
    """What a backtest of `ics` (None: England) is tested against; 400 for a system with
    less than three years of figures, saying what it has."""
    if ics is None:
        return national_history()
    history = system_history(ics, on=timezone.localdate())
    if span_in_years(history) < MIN_SYSTEM_YEARS:
        raise ApplicationError(
            f"{ics.code} has {history_summary(history)} for every organisation in it: a "
            f"backtest of a system needs at least {MIN_SYSTEM_YEARS} years of returns or "
            "published figures."
        )
    return history


def backtest_start(
    *,
    user: User,
    scenario: Scenario,
    ics: ICS | None,
    first_baseline: datetime.date,
    last_baseline: datetime.date,
    horizon: int,
) -> Backtest:
    """Check the backtest can run on the figures there are, and queue it."""
    if not is_visible(user, scenario, ics="ics", include_national=True):
        raise ApplicationError("No such scenario.", status_code=404)
    if not can_run_projection(user, ics):
        scope = ics.code if ics else "England (a national backtest)"
        raise OutOfScope(f"You may not run backtests for {scope}.")
    if scenario.ics_id is not None and (ics is None or scenario.ics_id != ics.pk):
        raise ApplicationError(
            f"Scenario '{scenario.name}' belongs to {scenario.ics.code}: backtest it for "
            "that system."
        )
    if not 1 <= horizon <= MAX_HORIZON:
        raise ApplicationError(f"The horizon must be whole years from 1 to {MAX_HORIZON}.")
    history = backtest_history(ics)
    try:
        baselines = yearly_baselines(first_baseline, last_baseline)
        check_history(history, baselines, horizon, LOOKBACK_YEARS)
    except BacktestError as error:
        raise ApplicationError(str(error)) from None
    with transaction.atomic():
        backtest = Backtest.objects.create(
            scenario=scenario,
            ics=ics,
            first_baseline=baselines[0],
            last_baseline=baselines[-1],
            horizon=horizon,
            draws=scenario.draws,
            seed=scenario.seed,
            created_by=user,
        )
        audit_record(
            user=user,
            action=AuditEntry.Action.CREATE,
            instance=backtest,
            ics=ics,
            after={
                "scenario": scenario.name,
                "first_baseline": str(backtest.first_baseline),
                "last_baseline": str(backtest.last_baseline),
                "horizon": horizon,
            },
        )
        transaction.on_commit(lambda: _send(backtest.pk))
    return backtest


def _send(backtest_id: int) -> None:
    from workforce.tasks import run_backtest

    task_send(run_backtest, (backtest_id,))


def backtest_execute(*, backtest_id: int) -> bool:
    """Carry out a queued backtest; False when it was not queued (a second delivery)."""
    claimed = Backtest.objects.filter(pk=backtest_id, status=Backtest.Status.QUEUED).update(
        status=Backtest.Status.RUNNING
    )
    if not claimed:
        return False
    backtest = Backtest.objects.select_related("scenario", "ics").get(pk=backtest_id)
    finished = Backtest.objects.filter(pk=backtest_id, status=Backtest.Status.RUNNING)
    try:
        history = backtest_history(backtest.ics)
        outcome = backtest_run(history, _spec(backtest, history))
        finished.update(
            status=Backtest.Status.SUCCEEDED,
            results=[_rounded(s.as_row()) for s in outcome.scores],
            bands=band_rows(outcome.bands),
            finished_at=timezone.now(),
        )
    except (ApplicationError, BacktestError) as error:
        finished.update(status=Backtest.Status.FAILED, error=str(error), finished_at=timezone.now())
    except Exception as error:  # a backtest must end failed with a reason, never stay running
        logger.exception("backtest %s failed", backtest_id)
        finished.update(
            status=Backtest.Status.FAILED,
            error=f"The backtest failed unexpectedly ({type(error).__name__}: {error}).",
            finished_at=timezone.now(),
        )
    return True


def _spec(backtest: Backtest, history: History):
    return backtest_spec(
        backtest.scenario,
        history,
        first_baseline=backtest.first_baseline,
        last_baseline=backtest.last_baseline,
        horizon=backtest.horizon,
    )


def _rounded(row: dict) -> dict:
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in row.items()}


def backtest_calibration(backtest: Backtest) -> list[dict]:
    """Per staff group, the spreads that would have given 80% coverage over the backtest's
    baselines, beside the scenario's: a read, nothing is written."""
    if backtest.status != Backtest.Status.SUCCEEDED:
        raise ApplicationError(
            f"Backtest {backtest.pk} is {backtest.status}: calibrate it once it has succeeded.",
            status_code=409,
        )
    history = backtest_history(backtest.ics)
    return [p.as_row() for p in calibrate(history, _spec(backtest, history))]


def backtest_spreads_apply(*, user: User, backtest: Backtest, scenario: Scenario) -> Scenario:
    """Write the backtest's proposed spreads into `scenario`'s per-group assumptions, through
    the scenario service (so refused, 409, when the scenario has runs)."""
    refuse_unless_planner(user, scenario.ics)
    changes = [
        {"staff_group": row["staff_group"], **row["proposed"]}
        for row in backtest_calibration(backtest)
    ]
    return scenario_update(user=user, scenario=scenario, assumption_changes=changes)
