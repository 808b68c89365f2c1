"""The least-cost levers that meet a target in enough of a run's draws: a chance-constrained
linear programme (docs/model.md, "The cheapest plan"). Pure numpy and scipy, no Django.

Draw d is met when effects[d] . x >= shortfall[d]; at least `needed` draws must be. Two ways:
- exact: one binary z_d per draw still short, effects[d] . x >= shortfall[d] z_d (the bound is
  the shortfall itself, the tightest big-M), sum z >= needed: scipy's `milp` (HiGHS) within a
  time limit, tried when few draws are short; its plan is taken only when proved optimal, so
  the answer does not depend on the machine's speed;
- sampling and discarding: a linear programme over a set of kept draws, the kept draws then
  replaced by those the plan meets with most to spare, until the cost stops falling; started
  from the draws cheapest to meet with each lever alone, so that it never costs more than the
  cheapest lever alone, and from each draw's own cheapest lever. Every plan meets its kept
  draws, so at least `needed`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

# A draw counts as met by the linear model only with this much FTE to spare, so that float
# noise in re-simulation does not turn a met draw into a miss.
SPARE_FTE = 1e-6
# Up to this many short draws the exact mixed-integer programme is tried.
EXACT_DRAWS = 250
MAX_DISCARD_ROUNDS = 12
# A linear programme of a few levers over a thousand draws takes milliseconds: this limit is a
# guard, reached only when something is wrong, and then the question is refused, not answered.
LP_TIME_LIMIT = 10.0


class SolverStopped(RuntimeError):
    """A linear programme stopped before it had an answer (its time limit, or numerics)."""


@dataclass(frozen=True)
class LinearAnswer:
    x: np.ndarray
    cost: float
    method: str


def least_cost(
    effects: np.ndarray,
    shortfall: np.ndarray,
    costs: np.ndarray,
    upper: np.ndarray,
    needed: int,
    *,
    time_limit: float = 1.0,
    exact_draws: int = EXACT_DRAWS,
) -> LinearAnswer | None:
    """The least c.x with 0 <= x <= upper such that effects[d].x >= shortfall[d] in at least
    `needed` draws d; None when no x does. effects (M, J) >= 0, costs (J,) > 0, upper may be
    inf. `time_limit` bounds the mixed-integer programme (stopped by it, the plan of sampling
    and discarding stands); each linear programme has LP_TIME_LIMIT, and at most (J + 1) x
    MAX_DISCARD_ROUNDS of them are solved. Raises SolverStopped if one stops short."""
    effects = np.asarray(effects, np.float64)
    shortfall = np.asarray(shortfall, np.float64) + SPARE_FTE
    costs, upper = np.asarray(costs, np.float64), np.asarray(upper, np.float64)
    draws, levers = effects.shape
    needed = int(min(max(needed, 0), draws))
    zero = np.zeros(levers)
    met = shortfall <= SPARE_FTE  # already met with no lever
    if met.sum() >= needed:
        return LinearAnswer(zero, 0.0, "exact")
    # Effects are >= 0, so every lever at its limit meets every draw any plan can meet.
    unbounded = np.isinf(upper) & (effects > 0)
    most = np.where(unbounded, np.inf, effects * np.where(np.isinf(upper), 0.0, upper))
    reachable = met | (most.sum(axis=1) >= shortfall)
    if reachable.sum() < needed:
        return None
    found = _discarding(effects, shortfall, costs, upper, needed, reachable)
    short = np.flatnonzero(reachable & ~met)
    if found is not None and 0 < len(short) <= exact_draws:
        exact = _exact(effects, shortfall, costs, upper, needed - int(met.sum()), short, time_limit)
        if exact is not None and exact.cost <= found.cost * (1 + 1e-9):
            return exact
    return found


def _cheapest_for(
    effects: np.ndarray,
    shortfall: np.ndarray,
    costs: np.ndarray,
    upper: np.ndarray,
    kept: np.ndarray,
) -> LinearAnswer | None:
    """The cheapest plan meeting every kept draw; None when none does. SolverStopped when the
    solver stops short of an answer (its time limit, numerical trouble)."""
    rows = kept & (shortfall > 0)
    result = linprog(
        costs,
        A_ub=-effects[rows] if rows.any() else None,
        b_ub=-shortfall[rows] if rows.any() else None,
        bounds=list(zip(np.zeros(len(costs)), np.where(np.isinf(upper), None, upper), strict=True)),
        method="highs",
        options={"time_limit": LP_TIME_LIMIT},
    )
    if result.status == 2:  # infeasible
        return None
    if result.status != 0:
        raise SolverStopped(result.message)
    x = np.maximum(result.x, 0.0)
    return LinearAnswer(x, float(costs @ x), "discarding")


def _discarding(
    effects: np.ndarray,
    shortfall: np.ndarray,
    costs: np.ndarray,
    upper: np.ndarray,
    needed: int,
    reachable: np.ndarray,
) -> LinearAnswer | None:
    """Sampling and discarding, from several starts: the `needed` draws cheapest to meet with
    each lever alone (so the answer never costs more than the cheapest lever alone), and with
    each draw's own cheapest lever. From each, solve, then keep the `needed` draws the plan
    meets with most to spare, until the cost stops falling. The cheapest answer wins."""
    with np.errstate(divide="ignore", invalid="ignore"):
        per_unit = np.where(effects > 0, costs / effects, np.inf)  # (M, J) cost an FTE
    orders = [*per_unit.T, per_unit.min(axis=1)]
    solved: dict[bytes, LinearAnswer | None] = {}  # kept draws -> answer, shared by the starts
    best = None
    for per_draw in orders:
        usable = reachable & np.isfinite(per_draw)
        alone = np.full(len(shortfall), np.inf)
        alone[usable] = np.maximum(shortfall[usable], 0.0) * per_draw[usable]
        alone[shortfall <= SPARE_FTE] = -np.inf
        if not np.isfinite(np.sort(alone)[needed - 1]):
            continue  # this lever alone cannot meet enough draws to start from
        kept = np.zeros(len(shortfall), bool)
        kept[np.argsort(alone, kind="stable")[:needed]] = True
        found = _improved(effects, shortfall, costs, upper, needed, kept, solved)
        if found is not None and (best is None or found.cost < best.cost):
            best = found
    return best


def _improved(
    effects: np.ndarray,
    shortfall: np.ndarray,
    costs: np.ndarray,
    upper: np.ndarray,
    needed: int,
    kept: np.ndarray,
    solved: dict[bytes, LinearAnswer | None],
) -> LinearAnswer | None:
    best = None
    for _ in range(MAX_DISCARD_ROUNDS):
        key = np.packbits(kept).tobytes()
        if key in solved:  # another start has been here: it goes on from here the same way
            break
        answer = solved[key] = _cheapest_for(effects, shortfall, costs, upper, kept)
        if answer is None or (best is not None and answer.cost >= best.cost * (1 - 1e-9)):
            break
        best = answer
        margin = effects @ answer.x - shortfall
        following = np.zeros_like(kept)
        following[np.argsort(-margin, kind="stable")[:needed]] = True
        if (following == kept).all():
            break
        kept = following
    return best


def _exact(
    effects: np.ndarray,
    shortfall: np.ndarray,
    costs: np.ndarray,
    upper: np.ndarray,
    needed: int,
    short: np.ndarray,
    time_limit: float,
) -> LinearAnswer | None:
    """One binary z_d per short draw: effects[d].x >= shortfall[d] z_d, sum z >= needed. The
    bound is the shortfall itself, so the relaxation is as tight as a big-M allows."""
    levers, n = effects.shape[1], len(short)
    c = np.concatenate([costs, np.zeros(n)])
    rows = np.hstack([effects[short], -np.diag(shortfall[short])])
    count = np.concatenate([np.zeros(levers), np.ones(n)])
    constraints = [
        LinearConstraint(rows, 0.0, np.inf),
        LinearConstraint(count[None, :], needed, np.inf),
    ]
    bounds = Bounds(np.zeros(levers + n), np.concatenate([upper, np.ones(n)]))
    integrality = np.concatenate([np.zeros(levers), np.ones(n)])
    result = milp(
        c,
        constraints=constraints,
        bounds=bounds,
        integrality=integrality,
        options={"time_limit": time_limit, "presolve": True},
    )
    if result.status != 0 or result.x is None:  # 1: the time limit came first
        return None
    x = np.maximum(result.x[:levers], 0.0)
    # Check the plan on the draws themselves, not within the solver's tolerances.
    if int((effects[short] @ x >= shortfall[short] - SPARE_FTE).sum()) < needed:
        return None
    return LinearAnswer(x, float(costs @ x), "exact")
