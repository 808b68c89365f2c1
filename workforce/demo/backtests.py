"""The demo's national backtest: the national central scenario projected from every
September from 2012 to 2020 and scored five years on, so that each dashboard can say how often
its band held. Run here, synchronously, through the service a worker calls.

Depends on the planning step (the national central scenario).
"""

from __future__ import annotations

import datetime

from core.models import User
from workforce.models import Backtest, Scenario
from workforce.services.backtests import backtest_execute

FIRST, LAST, HORIZON = datetime.date(2012, 9, 1), datetime.date(2020, 9, 1), 5


def seed(stdout) -> None:
    scenario = Scenario.objects.filter(ics__isnull=True, central=True).first()
    if scenario is None or Backtest.objects.filter(scenario=scenario, ics__isnull=True).exists():
        return
    backtest = Backtest.objects.create(
        scenario=scenario,
        ics=None,
        first_baseline=FIRST,
        last_baseline=LAST,
        horizon=HORIZON,
        draws=scenario.draws,
        seed=scenario.seed,
        created_by=User.objects.filter(username="national").first(),
    )
    backtest_execute(backtest_id=backtest.pk)
    backtest.refresh_from_db()
    stdout.write(f"National backtest of {scenario.name}, 2012-2020: {backtest.status}.")
