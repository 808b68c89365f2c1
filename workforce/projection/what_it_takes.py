"""What it takes to meet a plan target (docs/design.md section 3): pure numpy, no Django.

Each answer is for one ICS, one output staff group k (its leaves summed), one target year T and
a probability q, and uses the same draws as `engine.project` with the same seed:

- extra joiners a year, from year 1, shared among the series by baseline FTE (closed form);
- extra international recruits a year, likewise, drawn as the run's international recruitment is;
- the leaver-rate reduction, in rate points (0.01 = one point), for every series (bisection);
- extra training places a year, through the newly qualified they add (bisection).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np

from .arrays import EngineInputs, SampledAssumptions, validate_inputs
from .draws import sample_assumptions, simulate, standard_factors

# Beyond a million places a year no intake answer is credible: report it as out of reach.
MAX_PLACES = float(2**20)


def extra_joiners_needed(
    inputs: EngineInputs, ics: int, group_k: int, year: int, probability: float
) -> float:
    """Extra joiners FTE a year, from year 1, that meet the target at `year` with `probability`.

    Supply is linear in constant extra joiners x: in draw d the system's supply at T is
    S_T,d + x * A_T,d, with A_T,d = sum_i w_i * sum_{j<T} (1 - l_i,d)^j and w_i series i's share
    of the baseline FTE. Draw d meets the target once x >= (target - S_T,d) / A_T,d; the answer
    is the q-quantile of that over the draws (numpy's linear method), or 0 if already met."""
    series, target = _question(inputs, ics, group_k, year, probability)
    sampled = sample_assumptions(inputs, series, _factors(inputs, series))
    supply = _system_supply(inputs, series, sampled, year)
    baseline = np.asarray(inputs.supply0, np.float64)[series]
    # With no baseline FTE at all there is nothing to share by: share equally.
    total = baseline.sum()
    weights = baseline / total if total > 0 else np.full(len(series), 1 / len(series))
    keep = 1 - sampled.leaver_rate
    reach = np.zeros_like(keep)  # what one joiner a year from year 1 leaves at year T
    still_here = np.ones_like(keep)
    for _ in range(year):
        reach += still_here
        still_here *= keep
    needed = np.maximum(0.0, (target - supply) / (weights @ reach))
    return float(np.quantile(needed, probability))


def extra_international_needed(
    inputs: EngineInputs, ics: int, group_k: int, year: int, probability: float
) -> float | None:
    """Extra international recruits a year, from year 1, shared by baseline FTE, that meet the
    target with `probability`. Unlike extra joiners they are drawn as the run's international
    recruitment is (its spread scales them in each draw), so their effect in draw d is found by
    simulating one recruit a year more; supply is linear in them, so the answer is the
    q-quantile of (target - S_T,d) / that effect, or 0 if already met; None if no number
    does (the draws' recruitment falls to nothing)."""
    series, target = _question(inputs, ics, group_k, year, probability)
    factors = _factors(inputs, series)
    supply = _system_supply(inputs, series, sample_assumptions(inputs, series, factors), year)
    baseline = np.asarray(inputs.supply0, np.float64)[series]
    total = baseline.sum()
    weights = baseline / total if total > 0 else np.full(len(series), 1 / len(series))
    recruits = np.array(inputs.international, np.float64)
    recruits[series] += weights
    more = replace(inputs, international=recruits)
    effect = _system_supply(more, series, sample_assumptions(more, series, factors), year) - supply
    with np.errstate(divide="ignore", invalid="ignore"):
        needed = np.where(supply >= target, 0.0, (target - supply) / effect)
    # A draw whose drawn recruitment falls to nothing cannot be met by recruits at all.
    answer = float(np.quantile(np.where(np.isfinite(needed), needed, np.inf), probability))
    return answer if np.isfinite(answer) else None


def leaver_rate_reduction_needed(
    inputs: EngineInputs,
    ics: int,
    group_k: int,
    year: int,
    probability: float,
    tol: float = 1e-6,
) -> float | None:
    """The cut in the leaver rate of every series of the ICS in group k (each rate stops at
    zero), as a fraction (0.012 = 1.2 points), that meets the target with `probability`;
    None when even a zero leaver rate does not."""
    series, target = _question(inputs, ics, group_k, year, probability)
    factors = _factors(inputs, series)
    rates = np.asarray(inputs.leaver_rate, np.float64)

    def evaluate(cut: float) -> float:
        lowered = rates.copy()
        lowered[series] = np.maximum(rates[series] - cut, 0.0)
        changed = replace(inputs, leaver_rate=lowered)
        return probability_of_meeting(changed, series, year, target, factors)

    # Past the highest rate every series is at zero already: nothing more to gain.
    return bisect_lever(evaluate, 0.0, float(rates[series].max()), tol, probability)


def extra_intake_needed(
    inputs: EngineInputs,
    ics: int,
    group_k: int,
    year: int,
    probability: float,
    newly_qualified_per_place: np.ndarray,
    rtol: float = 1e-6,
) -> float | None:
    """Extra training places a year that meet the target with `probability`; None when no
    number up to MAX_PLACES does (for instance when no course can finish by `year`).

    `newly_qualified_per_place` (n, H+1) is what one extra place a year adds to each series'
    newly qualified FTE in each year (the caller derives it from the pipeline: course length,
    attrition, FTE worked, the first year education can still change, the shares)."""
    series, target = _question(inputs, ics, group_k, year, probability)
    per_place = np.asarray(newly_qualified_per_place, np.float64)
    if per_place.shape != np.shape(inputs.newly_qualified):
        raise ValueError(
            f"newly_qualified_per_place must have shape {np.shape(inputs.newly_qualified)}, "
            f"got {per_place.shape}"
        )
    factors = _factors(inputs, series)
    base = np.asarray(inputs.newly_qualified, np.float64)

    def evaluate(places: float) -> float:
        newly_qualified = base.copy()
        newly_qualified[series] += places * per_place[series]
        changed = replace(inputs, newly_qualified=newly_qualified)
        return probability_of_meeting(changed, series, year, target, factors)

    if evaluate(0.0) >= probability:
        return 0.0
    if not per_place[series, 1 : year + 1].any():
        return None
    # Double until the target is met, then bisect within the last doubling.
    high = 1.0
    while evaluate(high) < probability:
        if high >= MAX_PLACES:
            return None
        high *= 2
    return bisect_lever(evaluate, high / 2 if high > 1 else 0.0, high, rtol * high, probability)


def bisect_lever(
    evaluate: Callable[[float], float],
    lo: float,
    hi: float,
    tol: float,
    probability: float,
    max_iterations: int = 200,
) -> float | None:
    """The smallest x in [lo, hi], to within tol, with evaluate(x) >= probability, for an
    `evaluate` that does not decrease in x. Returns lo if it already reaches the probability,
    None if hi does not; otherwise an x that does (the upper end of the last bracket)."""
    if tol <= 0 or hi < lo:
        raise ValueError("bisect_lever needs tol > 0 and lo <= hi")
    if evaluate(lo) >= probability:
        return lo
    if evaluate(hi) < probability:
        return None
    for _ in range(max_iterations):
        if hi - lo <= tol:
            break
        middle = (lo + hi) / 2
        if evaluate(middle) >= probability:
            hi = middle
        else:
            lo = middle
    return hi


def probability_of_meeting(
    inputs: EngineInputs,
    series: np.ndarray,
    year: int,
    target: float,
    factors: np.ndarray | None,
) -> float:
    """The share of draws in which the series' summed supply at `year` reaches `target`."""
    sampled = sample_assumptions(inputs, series, factors)
    return float(np.mean(_system_supply(inputs, series, sampled, year) >= target))


def _question(
    inputs: EngineInputs, ics: int, group_k: int, year: int, probability: float
) -> tuple[np.ndarray, float]:
    """Check the question; return the series it is about and the target."""
    validate_inputs(inputs)
    rollup = np.asarray(inputs.group_rollup)
    if not 0 <= ics < inputs.n_ics:
        raise ValueError(f"ics must be from 0 to {inputs.n_ics - 1}, got {ics}")
    if not 0 <= group_k < len(rollup):
        raise ValueError(f"group_k must be from 0 to {len(rollup) - 1}, got {group_k}")
    if not 1 <= year <= inputs.horizon:
        raise ValueError(f"year must be from 1 to the horizon ({inputs.horizon}), got {year}")
    if not 0 <= probability <= 1:
        raise ValueError(f"probability must be from 0 to 1, got {probability}")
    target = float(np.asarray(inputs.targets)[ics, group_k, year])
    if np.isnan(target):
        raise ValueError("there is no target for that ICS, staff group and year")
    groups = np.asarray(inputs.series_group, np.intp)
    in_group = rollup[group_k, groups] == 1
    series = np.flatnonzero((np.asarray(inputs.series_ics) == ics) & in_group)
    if len(series) == 0:
        raise ValueError("the ICS has no staff in that staff group")
    return series, target


def _factors(inputs: EngineInputs, series: np.ndarray) -> np.ndarray | None:
    # Drawn once per question, so that every bisection step sees the very same draws.
    return standard_factors(inputs, series) if inputs.draws > 1 else None


def _system_supply(
    inputs: EngineInputs, series: np.ndarray, sampled: SampledAssumptions, year: int
) -> np.ndarray:
    """The series' supply at `year` summed per draw: (M,)."""
    for t, supply, _ in simulate(inputs, series, sampled):
        if t == year:
            return supply.sum(axis=0)
    raise ValueError(f"year {year} is beyond the horizon")
