"""What a backtest is tested against: a staff group's FTE month by month, and its checks.

Pure, no Django. A history maps each leaf staff group's code to its FTE by month (the first
of the month). A baseline is tested where the history has the baseline month, the same month
in each of the `lookback` years before it (the supply flows are read from them) and in each
of the `horizon` years after it (the outcomes).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence

from core.national_series import read_national_series

History = Mapping[str, Mapping[datetime.date, float]]
# Years of figures before a baseline that its supply flows are read from.
LOOKBACK_YEARS = 3


def month_label(month: datetime.date) -> str:
    """A month in words: September 2012."""
    return f"{month:%B %Y}"


class BacktestError(ValueError):
    """The backtest cannot be run on this history, for the reason given."""


def add_years(month: datetime.date, years: int) -> datetime.date:
    return month.replace(year=month.year + years)


def yearly_baselines(first: datetime.date, last: datetime.date) -> tuple[datetime.date, ...]:
    """The first baseline and each anniversary of it up to `last`."""
    first, last = first.replace(day=1), last.replace(day=1)
    if last < first:
        raise BacktestError(
            f"The last baseline ({month_label(last)}) is before the first ({month_label(first)})."
        )
    baselines, month = [], first
    while month <= last:
        baselines.append(month)
        month = add_years(month, 1)
    return tuple(baselines)


def national_history() -> dict[str, dict[datetime.date, float]]:
    """England's FTE by leaf staff group and month, from the shipped national series."""
    history: dict[str, dict[datetime.date, float]] = {}
    for (code, month), fte in read_national_series()["fte"].items():
        history.setdefault(code, {})[month] = fte
    return history


def months_held(history: History) -> list[datetime.date]:
    """Every month with a figure for some group, in order."""
    return sorted({m for by_month in history.values() for m in by_month})


def history_summary(history: History) -> str:
    """What the history holds, in words: "figures for 14 months, from March 2025 to April 2026"."""
    months = months_held(history)
    if not months:
        return "no figures"
    return (
        f"figures for {len(months)} month{'s' if len(months) != 1 else ''}, "
        f"from {month_label(months[0])} to {month_label(months[-1])}"
    )


def span_in_years(history: History) -> float:
    months = months_held(history)
    if not months:
        return 0.0
    first, last = months[0], months[-1]
    return ((last.year - first.year) * 12 + last.month - first.month) / 12


def points(
    history: History, code: str, baseline: datetime.date, horizon: int, lookback: int
) -> list[float] | None:
    """The group's FTE from `lookback` years before the baseline to `horizon` years after it,
    a year apart; None when any of them is missing."""
    by_month = history.get(code, {})
    values = [by_month.get(add_years(baseline, t)) for t in range(-lookback, horizon + 1)]
    return None if any(v is None for v in values) else [float(v) for v in values]


def check_history(
    history: History,
    baselines: Sequence[datetime.date],
    horizon: int,
    lookback: int = LOOKBACK_YEARS,
) -> None:
    """Raise BacktestError, saying what the history holds, when a baseline cannot be tested:
    no figures in its month, too few years before it, or a horizon beyond the figures."""
    if not baselines:
        raise BacktestError("A backtest needs at least one baseline.")
    held = months_held(history)
    if not held:
        raise BacktestError("There are no figures to test against.")
    where = f"the figures run from {month_label(held[0])} to {month_label(held[-1])}"
    codes = list(history)
    for baseline in baselines:
        if not any(baseline in history[c] for c in codes):
            raise BacktestError(f"There are no figures for {month_label(baseline)}: {where}.")
        start = add_years(baseline, -lookback)
        if not any(points(history, c, baseline, 0, lookback) for c in codes):
            raise BacktestError(
                f"A baseline needs figures for the {lookback} years before it: "
                f"{month_label(baseline)} would need {month_label(start)} on, and {where}."
            )
        end = add_years(baseline, horizon)
        if not any(points(history, c, baseline, horizon, lookback) for c in codes):
            raise BacktestError(
                f"A {horizon}-year horizon from {month_label(baseline)} needs figures for "
                f"{month_label(end)}: {where}."
            )
