"""The chance-constrained programme on problems small enough to check by hand."""

from __future__ import annotations

import numpy as np
import pytest

from workforce.projection import chance_lp
from workforce.projection.chance_lp import SolverStopped, least_cost


def test_the_cheaper_lever_per_fte_is_used_up_to_its_cap_then_the_next():
    # Lever A adds 1 FTE for 10, lever B 2 FTE for 30 (15 an FTE); A is capped at 5 units.
    answer = least_cost(
        effects=np.array([[1.0, 2.0]]),
        shortfall=np.array([8.0]),
        costs=np.array([10.0, 30.0]),
        upper=np.array([5.0, np.inf]),
        needed=1,
    )
    assert answer is not None
    assert answer.x == pytest.approx([5.0, 1.5], abs=1e-5)
    assert answer.cost == pytest.approx(95.0, abs=1e-4)
    assert answer.method == "exact"


def test_the_chance_constraint_leaves_out_the_draws_it_may_miss():
    # Three draws of four must be met: the one 100 FTE short is given up.
    answer = least_cost(
        effects=np.ones((4, 1)),
        shortfall=np.array([1.0, 3.0, 100.0, 2.0]),
        costs=np.array([1.0]),
        upper=np.array([np.inf]),
        needed=3,
    )
    assert answer is not None
    assert answer.x[0] == pytest.approx(3.0, abs=1e-5)


def test_draws_already_met_count_and_nothing_is_bought_for_them():
    answer = least_cost(
        effects=np.ones((3, 1)),
        shortfall=np.array([-5.0, -1.0, 50.0]),
        costs=np.array([1.0]),
        upper=np.array([np.inf]),
        needed=2,
    )
    assert answer is not None and answer.cost == 0.0 and answer.x[0] == 0.0


def test_a_target_beyond_every_cap_is_not_reachable():
    assert (
        least_cost(
            effects=np.array([[1.0, 0.5]]),
            shortfall=np.array([10.0]),
            costs=np.array([1.0, 1.0]),
            upper=np.array([4.0, 4.0]),
            needed=1,
        )
        is None
    )


def test_sampling_and_discarding_agrees_with_the_exact_programme_and_meets_its_draws():
    rng = np.random.default_rng(7)
    effects = rng.uniform(0.5, 2.0, (80, 3))
    shortfall = rng.normal(40.0, 15.0, 80)
    costs = np.array([3.0, 4.0, 5.0])
    upper = np.array([10.0, np.inf, 20.0])
    exact = least_cost(effects, shortfall, costs, upper, 64, time_limit=120.0)  # not a race
    discarding = least_cost(effects, shortfall, costs, upper, 64, exact_draws=0)
    assert exact is not None and discarding is not None
    assert exact.method == "exact" and discarding.method == "discarding"
    assert exact.cost <= discarding.cost * (1 + 1e-9)
    assert discarding.cost <= exact.cost * 1.05  # near the optimum
    for answer in (exact, discarding):
        assert ((effects @ answer.x) >= shortfall).sum() >= 64
        assert (answer.x <= upper + 1e-9).all()


@pytest.mark.parametrize("exact_draws", [0, 1000])
def test_the_plan_never_costs_more_than_the_cheapest_lever_alone(exact_draws):
    rng = np.random.default_rng(3)
    effects = rng.uniform(0.2, 2.0, (300, 3)) * rng.uniform(0.5, 1.5, (300, 1))
    shortfall = rng.normal(50.0, 20.0, 300)
    costs = np.array([4.0, 5.0, 6.0])
    upper = np.full(3, np.inf)
    answer = least_cost(effects, shortfall, costs, upper, 240, exact_draws=exact_draws)
    # One lever alone: the 240th smallest of shortfall / effect, times its cost.
    alone = [np.sort(np.maximum(shortfall, 0) / effects[:, j])[239] * costs[j] for j in range(3)]
    assert answer is not None
    assert answer.cost <= min(alone) * (1 + 1e-6)


def test_a_solver_stopped_by_its_time_limit_still_gives_a_plan_that_meets_its_draws():
    rng = np.random.default_rng(11)
    effects = rng.uniform(0.2, 2.0, (200, 4))
    shortfall = rng.normal(30.0, 25.0, 200)
    costs = np.array([4.0, 5.0, 6.0, 7.0])
    upper = np.array([5.0, np.inf, 10.0, np.inf])
    # Far too little time for the mixed-integer programme to prove anything.
    answer = least_cost(effects, shortfall, costs, upper, 170, time_limit=1e-4)
    assert answer is not None and answer.method == "discarding"
    assert ((effects @ answer.x) >= shortfall).sum() >= 170


def test_a_linear_programme_stopped_short_is_said_so_not_taken_for_out_of_reach(monkeypatch):
    monkeypatch.setattr(chance_lp, "LP_TIME_LIMIT", 1e-9)
    rng = np.random.default_rng(5)
    effects = rng.uniform(0.2, 2.0, (400, 4))
    with pytest.raises(SolverStopped):
        least_cost(effects, rng.normal(30.0, 25.0, 400), np.ones(4), np.full(4, np.inf), 300)
