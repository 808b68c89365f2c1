"""The cheapest mix of levers that meets a plan target with a probability q. Pure, no Django.

For one ICS, output staff group k and target year T (docs/model.md, "The cheapest plan"):

- levers: international recruits a year from year 1 (shared by baseline FTE, drawn like the
  run's own international recruitment), a cut of every series' leaver rate in points, and
  extra training places per starting academic year (within the placement and educator
  headroom the pipeline leaves). Only levers with a cost take part; extra joiners have none.
- each lever's effect on the system's supply at T is found per draw by simulating the same
  draws with one unit of it: exact for recruits and places (supply is linear in them), the
  derivative at no change for the leaver rate (supply is convex in the cut, so the tangent
  errs on the safe side until a rate reaches zero).
- the chance constraint (at least ceil(q M) of the M draws meet the target) is solved by
  `chance_lp.least_cost`: exactly (one binary a short draw) when few draws are short and the
  solver proves it within its time limit, else by sampling and discarding.
- the plan found is checked by re-simulating the draws with the levers applied. When it cuts
  the leaver rate, the cut's effect is corrected once to the secant from no cut to the cut
  found and solved again, the cheaper plan that reaches q kept; then the cut, the other
  levers as found, is trimmed by bisection on the engine to the least that reaches q.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from . import lever_costs
from .chance_lp import least_cost
from .engine import EngineInputs, sample_assumptions
from .what_it_takes import _factors, _question, _system_supply, bisect_lever

# The leaver-rate derivative: the cut of this many points, by forward difference.
DERIVATIVE_POINTS = 0.01
# The leaver-rate cut is trimmed by bisection on the engine to within this many points.
TRIM_POINTS = 0.001


@dataclass(frozen=True)
class PlaceCohort:
    """Extra places on one programme starting in one academic year."""

    programme: str
    academic_year: int
    course_years: int
    newly_qualified: np.ndarray  # (n, H+1) what one extra place adds to each series, uncapped
    headroom: float  # places the placement and educator capacity leave; math.inf: no cap


@dataclass(frozen=True)
class UnitCosts:
    """GBP; None: not set, so the lever takes no part."""

    training_place: float | None  # a place a year
    international_recruit: float | None  # a recruit, once
    retention_point: float | None  # a year per FTE in post per point of leaver rate


@dataclass(frozen=True)
class Plan:
    international_a_year: float
    leaver_points: float
    places: tuple[float, ...]  # per cohort, in the order given
    cost: float  # GBP to the target year


@dataclass(frozen=True)
class CheapestPlan:
    levers: tuple[str, ...]  # the costed levers that took part
    not_costed: tuple[str, ...]
    plan: Plan | None  # None: not reachable with these levers
    probability_achieved: float | None  # by re-simulation with the plan applied
    method: str  # "exact" (mixed-integer, proved cheapest) or "discarding"
    corrected: bool  # the leaver-rate effect was corrected once and that plan kept
    fte_in_post: float  # the system's baseline FTE in the group, that retention is costed on

    def cost_by_year(
        self, costs: UnitCosts, cohorts: Sequence[PlaceCohort], baseline_year: int, year: int
    ) -> dict[str, lever_costs.LeverCost]:
        """Each costed lever's cost by financial year to the target year (year = T)."""
        if self.plan is None:
            return {}
        last = baseline_year + year
        out: dict[str, lever_costs.LeverCost] = {}
        if lever_costs.INTERNATIONAL_RECRUITS in self.levers:
            out[lever_costs.INTERNATIONAL_RECRUITS] = lever_costs.international_recruits_cost(
                self.plan.international_a_year, costs.international_recruit, baseline_year + 1, last
            )
        if lever_costs.RETENTION in self.levers:
            out[lever_costs.RETENTION] = lever_costs.retention_cost(
                self.plan.leaver_points,
                costs.retention_point,
                self.fte_in_post,
                baseline_year + 1,
                last,
            )
        if lever_costs.TRAINING_PLACES in self.levers:
            by_year: dict[int, float] = {}
            for cohort, places in zip(cohorts, self.plan.places, strict=True):
                one = lever_costs.training_places_cost(
                    {cohort.academic_year: places},
                    cohort.course_years,
                    costs.training_place,
                    last,
                )
                for y, gbp in one.by_year.items():
                    by_year[y] = by_year.get(y, 0.0) + gbp
            out[lever_costs.TRAINING_PLACES] = lever_costs.LeverCost(
                by_year, float(sum(by_year.values()))
            )
        return out


@dataclass(frozen=True)
class _System:
    """One question's fixed parts: its series, target, draws and the supply with no lever."""

    inputs: EngineInputs
    series: np.ndarray
    year: int
    target: float
    factors: np.ndarray | None
    weights: np.ndarray  # each series' share of the baseline FTE
    cohorts: tuple[PlaceCohort, ...]

    def supply(self, changed: EngineInputs) -> np.ndarray:
        sampled = sample_assumptions(changed, self.series, self.factors)
        return _system_supply(changed, self.series, sampled, self.year)

    def applied(self, international: float, points: float, places: Sequence[float]) -> EngineInputs:
        inputs, series = self.inputs, self.series
        recruits = np.array(inputs.international, np.float64)
        recruits[series] += international * self.weights
        rates = np.array(inputs.leaver_rate, np.float64)
        rates[series] = np.maximum(rates[series] - points / 100, 0.0)
        newly_qualified = np.array(inputs.newly_qualified, np.float64)
        for cohort, extra in zip(self.cohorts, places, strict=True):
            newly_qualified[series] += extra * cohort.newly_qualified[series]
        return replace(
            inputs, international=recruits, leaver_rate=rates, newly_qualified=newly_qualified
        )

    def probability(self, plan: Plan) -> float:
        changed = self.applied(plan.international_a_year, plan.leaver_points, plan.places)
        return float(np.mean(self.supply(changed) >= self.target))


def cheapest_plan(
    inputs: EngineInputs,
    ics: int,
    group_k: int,
    year: int,
    probability: float,
    *,
    costs: UnitCosts,
    cohorts: Sequence[PlaceCohort] = (),
    time_limit: float = 1.0,
) -> CheapestPlan:
    """The least-cost plan to the target year that meets the target with `probability`.

    Raises ValueError for a bad question (as `what_it_takes` does) and when no lever has a
    cost; a plan of None means the costed levers cannot reach the target, however far."""
    series, target = _question(inputs, ics, group_k, year, probability)
    cohorts = tuple(cohorts)
    levers = []
    if costs.international_recruit is not None:
        levers.append(lever_costs.INTERNATIONAL_RECRUITS)
    if costs.retention_point is not None:
        levers.append(lever_costs.RETENTION)
    if costs.training_place is not None and cohorts:
        levers.append(lever_costs.TRAINING_PLACES)
    unset = [
        lever
        for lever in (
            lever_costs.TRAINING_PLACES,
            lever_costs.INTERNATIONAL_RECRUITS,
            lever_costs.RETENTION,
        )
        if lever not in levers
    ]
    not_costed = (*unset, lever_costs.EXTRA_JOINERS)
    if not levers:
        raise ValueError("no lever has a cost")
    baseline = np.asarray(inputs.supply0, np.float64)[series]
    total = float(baseline.sum())
    weights = baseline / total if total > 0 else np.full(len(series), 1 / len(series))
    system = _System(inputs, series, year, target, _factors(inputs, series), weights, cohorts)
    base = system.supply(inputs)
    draws = len(base)
    needed = math.ceil(probability * draws - 1e-9)

    columns: list[tuple[np.ndarray, float, float]] = []  # effect (M,), cost to T, upper bound
    if lever_costs.INTERNATIONAL_RECRUITS in levers:
        effect = system.supply(system.applied(1.0, 0.0, [0.0] * len(cohorts))) - base
        columns.append((effect, costs.international_recruit * year, math.inf))
    highest_points = float(np.asarray(inputs.leaver_rate)[series].max()) * 100
    retention_column = None
    if lever_costs.RETENTION in levers:
        retention_column = len(columns)
        lowered = system.supply(system.applied(0.0, DERIVATIVE_POINTS, [0.0] * len(cohorts)))
        unit = costs.retention_point * total * year
        columns.append(((lowered - base) / DERIVATIVE_POINTS, unit, highest_points))
    if lever_costs.TRAINING_PLACES in levers:
        for j, cohort in enumerate(cohorts):
            one = [0.0] * len(cohorts)
            one[j] = 1.0
            effect = system.supply(system.applied(0.0, 0.0, one)) - base
            # A cohort that qualifies by the target year is paid for every year of its course.
            unit = costs.training_place * cohort.course_years
            columns.append((effect, unit, cohort.headroom))

    def solve(effects: list[np.ndarray]) -> tuple[Plan, str] | None:
        matrix = np.maximum(np.column_stack(effects), 0.0)
        unit_costs = np.array([c for _, c, _ in columns])
        upper = np.array([u for _, _, u in columns])
        # A lever that does nothing by the target year (a course that ends too late) or
        # costs nothing is left out: the first could only add cost, the second is a choice
        # the solver cannot make (any amount is as cheap).
        useful = (matrix.max(axis=0) > 0) & (unit_costs > 0) & (upper > 0)
        answer = least_cost(
            matrix[:, useful],
            target - base,
            unit_costs[useful],
            upper[useful],
            needed,
            time_limit=time_limit,
        )
        if answer is None:
            return None
        x = np.zeros(len(columns))
        x[useful] = answer.x
        return _plan(x, columns, levers, cohorts), answer.method

    effects = [c[0] for c in columns]
    solved = solve(effects)
    if solved is None:
        return CheapestPlan(tuple(levers), not_costed, None, None, "discarding", False, total)
    first, method = solved
    achieved = system.probability(first)
    chosen, chosen_p, corrected = first, achieved, False
    if retention_column is not None and first.leaver_points > 0:
        # The secant from no cut to the cut found: the cut's own effect, once.
        cut = system.supply(system.applied(0.0, first.leaver_points, [0.0] * len(cohorts)))
        secant = list(effects)
        secant[retention_column] = (cut - base) / first.leaver_points
        resolved = solve(secant)
        if resolved is not None:
            second, second_method = resolved
            second_p = system.probability(second)
            if second_p >= probability and (achieved < probability or second.cost < first.cost):
                chosen, chosen_p, corrected, method = second, second_p, True, second_method
        # The tangent overshoots (supply is convex in the cut) and a rate stopped at zero can
        # fall short: the cut, the other levers as found, is set to the least that reaches q.
        unit = costs.retention_point * total * year

        def with_points(points: float) -> Plan:
            saved = (chosen.leaver_points - points) * unit
            return replace(chosen, leaver_points=points, cost=chosen.cost - saved)

        least = bisect_lever(
            lambda points: system.probability(with_points(points)),
            0.0,
            highest_points,
            TRIM_POINTS,
            probability,
        )
        if least is not None and (chosen_p < probability or least < chosen.leaver_points):
            chosen, corrected = with_points(least), True
            chosen_p = system.probability(chosen)
    return CheapestPlan(tuple(levers), not_costed, chosen, chosen_p, method, corrected, total)


def _plan(
    x: np.ndarray,
    columns: list[tuple[np.ndarray, float, float]],
    levers: list[str],
    cohorts: tuple[PlaceCohort, ...],
) -> Plan:
    """The solution as a plan; places rounded up to whole places, within their headroom."""
    values = list(x)
    international = values.pop(0) if lever_costs.INTERNATIONAL_RECRUITS in levers else 0.0
    points = values.pop(0) if lever_costs.RETENTION in levers else 0.0
    places = [0.0] * len(cohorts)
    if lever_costs.TRAINING_PLACES in levers:
        places = [
            min(float(math.ceil(v - 1e-9)), c.headroom) if v > 0 else 0.0
            for v, c in zip(values, cohorts, strict=True)
        ]
    amounts = [
        *([international] if lever_costs.INTERNATIONAL_RECRUITS in levers else []),
        *([points] if lever_costs.RETENTION in levers else []),
        *(places if lever_costs.TRAINING_PLACES in levers else []),
    ]
    cost = float(sum(a * c for a, (_, c, _) in zip(amounts, columns, strict=True)))
    return Plan(float(international), float(points), tuple(places), cost)
