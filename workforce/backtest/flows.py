"""The supply flows of a backtest's baseline, from what the history shows before it.

Pure, no Django. Over the `lookback` years before the baseline, the joiners a year are the
net growth plus the leavers, at the scenario's leaver rate of the FTE at the start of each
year:

    joiners = (S[b] - S[b-k] + l * (S[b-k] + ... + S[b-1])) / k

A series that followed the model's supply equation with constant flows gives back exactly its
flows. The joiners are then split as a run splits a return's: international recruits I and
returners B at the scenario's rates of the baseline FTE, and the rest other recruitment R,
never below zero (`workforce.projection.assembly`). The history says nothing about training,
so the newly qualified are within R and N is zero.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from workforce.projection import assembly
from workforce.projection.defaults import Assumptions
from workforce.projection.run_data import BaselineSeries


@dataclass(frozen=True)
class SupplyFlows:
    """One baseline's supply of one staff group: FTE, and flows a year."""

    supply0: float
    leaver_rate: float
    joiners: float
    recruitment: float  # R
    international: float  # I
    return_to_practice: float  # B


def joiners_a_year(years: Sequence[float], leaver_rate: float) -> float:
    """The joiners a year that, with leavers at `leaver_rate`, took the FTE from years[0] to
    years[-1], a year apart."""
    if len(years) < 2:
        raise ValueError("joiners need the FTE of at least two years")
    k = len(years) - 1
    return (years[-1] - years[0] + leaver_rate * float(np.sum(years[:-1]))) / k


def supply_flows(
    years: Sequence[float],
    assumptions: Assumptions,
    *,
    staff_group: str = "",
    baseline: datetime.date = datetime.date(2000, 1, 1),
) -> SupplyFlows:
    """The flows of the baseline at years[-1], from the FTE of the years before it."""
    if any(not np.isfinite(v) or v < 0 for v in years):
        raise ValueError(f"FTE must be finite and zero or more, got {list(years)}")
    # The history sets the joiners: a recruitment rate of the scenario does not replace them.
    a = replace(assumptions, recruitment_rate=None)
    series = [
        BaselineSeries(
            organisation_code="",
            ics_code="",
            staff_group_code=staff_group,
            source="history",
            period=baseline,
            fte=float(years[-1]),
            vacancies_fte=None,
            leaver_rate=None,
            joiners_a_year=None,
            months_of_returns=0,
        )
    ]
    leaver = assembly.leaver_rates(series, [a])
    joiners = joiners_a_year(years, float(leaver[0]))
    series = [replace(series[0], joiners_a_year=joiners)]
    supply0 = np.array([float(years[-1])])
    international = assembly.international_recruits([a], supply0)
    returning = assembly.returners([a], supply0)
    recruitment = assembly.other_recruitment(
        series, [a], leaver, international, returning, np.zeros(1)
    )
    return SupplyFlows(
        supply0=float(years[-1]),
        leaver_rate=float(leaver[0]),
        joiners=joiners,
        recruitment=float(recruitment[0]),
        international=float(international[0]),
        return_to_practice=float(returning[0]),
    )
