"""The national backtest of the national defaults, printed as docs/model.md reports it:

python manage.py backtest_national              # the table of coverage and error
python manage.py backtest_national --calibrate  # and the spreads that would hold 80%
"""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand

from workforce.backtest import backtest_run, calibrate, national_history
from workforce.selectors.backtests import spec_of

FIRST, LAST = datetime.date(2012, 9, 1), datetime.date(2020, 9, 1)
HORIZON = 5
SEED = 20260401


class Command(BaseCommand):
    help = "Backtest the national defaults on the shipped national series (2012-2020)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--draws", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=SEED)
        parser.add_argument("--calibrate", action="store_true")

    def handle(self, *args, draws: int, seed: int, calibrate: bool, **options) -> None:
        history = national_history()
        spec = spec_of(
            {},
            history,
            first_baseline=FIRST,
            last_baseline=LAST,
            horizon=HORIZON,
            draws=draws,
            seed=seed,
        )
        outcome = backtest_run(history, spec)
        by_group: dict[str, dict[int, object]] = {}
        for score in outcome.scores:
            by_group.setdefault(score.staff_group, {})[score.horizon] = score
        self.stdout.write(
            f"{len(spec.baselines)} baselines {FIRST:%Y-%m} to {LAST:%Y-%m}, "
            f"horizons 1 to {HORIZON}, {draws} draws, seed {seed}: outcomes inside P10-P90, "
            "MAPE and bias of P50"
        )
        for group, scores in by_group.items():
            inside = " / ".join(
                str(round(scores[h].coverage * scores[h].baselines)) for h in sorted(scores)
            )
            mape = " / ".join(f"{scores[h].mape:.1%}" for h in (1, 3, 5) if h in scores)
            last = scores[max(scores)]
            self.stdout.write(
                f"| {group} | {inside} (of {last.baselines}) | {mape} | {last.bias:+.1%} |"
            )
        if calibrate:
            self.stdout.write("Spreads that would have held 80% (leaver rate, international):")
            for proposal in _calibrated(history, spec):
                self.stdout.write(proposal)


def _calibrated(history, spec) -> list[str]:
    lines = []
    for p in calibrate(history, spec):
        leaver, international = p.proposed["leaver_rate_sd"], p.proposed["international_sd"]
        lines.append(
            f"| {p.staff_group} | now {p.coverage_now:.0%} | {leaver * 100:.1f} points, "
            f"{international:.0%} -> {p.coverage_proposed:.0%}"
            + ("" if p.reached else " (at the limits)")
            + " |"
        )
    return lines
