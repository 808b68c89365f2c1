"""How each demo trust's staff groups move month by month: the rules the demo's published
figures and staffing returns share, so that FTE in post, joiners and leavers agree.

- Trend: a group's growth a year from September 2022 to September 2025 is computed from the
  shipped national NHS Workforce Statistics series (TREND_FROM, TREND_TO); each trust grows
  at that rate plus a stable offset of its own per group, drawn evenly within
  +/- TRUST_SPREAD / 2 (illustrative).
- Stall: from October 2025 to February 2026 (the last national month) each trust grows at the
  national rate of the group over that period, computed the same way, plus the same offset.
- After February 2026 (months with no published figures) each trust is taken to carry on at
  its trend rate: an illustrative assumption, not a forecast.
- Newly qualified intake: nurses and midwives gain INTAKE of FTE over September and October
  (two thirds in September) and give it back evenly over the other ten months, so any twelve
  months in a row sum to the trend (illustrative shape).

All of it is illustrative: the national rates are real, the trusts' offsets and the seasonal
shape are the demo's.
"""

from __future__ import annotations

import datetime
import math
from functools import cache

from core.calendar import month_add
from core.national_series import read_national_series

from .common import LATEST_PUBLISHED_MONTH, unit

TREND_FROM = datetime.date(2022, 9, 1)
TREND_TO = datetime.date(2025, 9, 1)
STALL_TO = LATEST_PUBLISHED_MONTH
TRUST_SPREAD = 0.03  # trusts' growth a year lies within +/- 1.5 points of the national
INTAKE = {"NUR": 0.009, "MID": 0.009}  # share of FTE joining newly qualified, Sep-Oct
INTAKE_MONTHS = {9: 2 / 3, 10: 1 / 3}


def months_between(start: datetime.date, end: datetime.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month


def national_growth(
    series: dict[tuple[str, datetime.date], float],
    codes: set[str] | None,
    start: datetime.date,
    end: datetime.date,
) -> float:
    """Growth a year of the national FTE of `codes` (None: every group) from start to end."""

    def total(month: datetime.date) -> float:
        return sum(
            v for (c, m), v in series.items() if m == month and (codes is None or c in codes)
        )

    return (total(end) / total(start)) ** (12 / months_between(start, end)) - 1


@cache
def national_rates() -> dict[str, tuple[float, float]]:
    """Staff group code -> (trend, stall) growth a year, from the shipped national series."""
    fte = read_national_series()["fte"]
    codes = {code for code, _ in fte}
    return {
        code: (
            national_growth(fte, {code}, TREND_FROM, TREND_TO),
            national_growth(fte, {code}, TREND_TO, STALL_TO),
        )
        for code in codes
    }


def trust_offset(trust: str, group: str) -> float:
    return TRUST_SPREAD * (unit("growth", trust, group) - 0.5)


def _step(trust: str, group: str, month: datetime.date) -> float:
    """The log change of FTE from the month before `month` to `month`."""
    trend, stall = national_rates().get(group, (0.0, 0.0))
    rate = (stall if TREND_TO < month <= STALL_TO else trend) + trust_offset(trust, group)
    step = math.log1p(rate) / 12
    intake = INTAKE.get(group)
    if intake:
        step += intake * INTAKE_MONTHS.get(month.month, -1 / 10)
    return step


PATH_FROM = datetime.date(2023, 1, 1)
PATH_TO = datetime.date(2027, 12, 1)


@cache
def _path(trust: str, group: str) -> dict[datetime.date, float]:
    """Log FTE relative to the latest published month, for every month PATH_FROM-PATH_TO."""
    path = {LATEST_PUBLISHED_MONTH: 0.0}
    month = LATEST_PUBLISHED_MONTH
    while month > PATH_FROM:
        path[month_add(month, -1)] = path[month] - _step(trust, group, month)
        month = month_add(month, -1)
    month = LATEST_PUBLISHED_MONTH
    while month < PATH_TO:
        following = month_add(month, 1)
        path[following] = path[month] + _step(trust, group, following)
        month = following
    return path


def fte_factor(trust: str, group: str, month: datetime.date) -> float:
    """FTE in `month` as a multiple of the trust's FTE in the latest published month."""
    return math.exp(_path(trust, group)[month])
