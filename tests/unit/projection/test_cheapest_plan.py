"""The cheapest plan: the linear programme on systems small enough to check by hand, and the
plan checked against the engine by re-simulating the same draws."""

from __future__ import annotations

import math

import numpy as np
import pytest

from workforce.projection import lever_costs
from workforce.projection.cheapest_plan import PlaceCohort, UnitCosts, cheapest_plan
from workforce.projection.what_it_takes import (
    extra_international_needed,
    extra_joiners_needed,
    leaver_rate_reduction_needed,
)

from .test_what_it_takes import NURSES, YEAR, supply_at, system

RECRUITS_ONLY = UnitCosts(training_place=None, international_recruit=10_000.0, retention_point=None)


def test_with_one_draw_recruits_alone_are_the_joiners_answer_and_cost_what_they_say():
    inputs = system(supply_at(system(1.0)) + 150.0)
    answer = cheapest_plan(inputs, 0, NURSES, YEAR, 0.8, costs=RECRUITS_ONLY)
    joiners = extra_joiners_needed(inputs, 0, NURSES, YEAR, 0.8)
    assert answer.plan is not None
    assert answer.plan.international_a_year == pytest.approx(joiners, rel=1e-6)
    assert answer.plan.cost == pytest.approx(joiners * 10_000.0 * YEAR, rel=1e-6)
    assert answer.probability_achieved == 1.0
    assert answer.levers == (lever_costs.INTERNATIONAL_RECRUITS,)
    assert lever_costs.EXTRA_JOINERS in answer.not_costed
    by_year = answer.cost_by_year(RECRUITS_ONLY, (), 2025, YEAR)
    recruits = by_year[lever_costs.INTERNATIONAL_RECRUITS]
    assert sorted(recruits.by_year) == list(range(2026, 2026 + YEAR))
    assert recruits.total == pytest.approx(answer.plan.cost)


def test_recruits_alone_meet_the_drawn_target_as_the_what_it_takes_answer_does():
    median = supply_at(system(1.0, draws=400, spread=2.0))
    inputs = system(median + 60.0, draws=400, spread=2.0)
    answer = cheapest_plan(inputs, 0, NURSES, YEAR, 0.8, costs=RECRUITS_ONLY)
    alone = extra_international_needed(inputs, 0, NURSES, YEAR, 0.8)
    assert answer.plan is not None and alone is not None
    assert answer.probability_achieved >= 0.8
    # The quantile interpolates between draws; the programme takes the draw it must meet.
    assert answer.plan.international_a_year == pytest.approx(alone, rel=0.02)


def test_the_leaver_rate_plan_is_checked_by_re_simulation_and_meets_the_probability():
    median = supply_at(system(1.0, draws=300, spread=2.0))
    inputs = system(median + 25.0, draws=300, spread=2.0)
    costs = UnitCosts(training_place=None, international_recruit=None, retention_point=100.0)
    answer = cheapest_plan(inputs, 0, NURSES, YEAR, 0.8, costs=costs)
    bisected = leaver_rate_reduction_needed(inputs, 0, NURSES, YEAR, 0.8)
    assert answer.plan is not None and bisected is not None
    assert answer.probability_achieved >= 0.8
    # The tangent errs on the safe side; the correction trims the cut to the least needed.
    assert answer.corrected
    assert answer.plan.leaver_points == pytest.approx(bisected * 100, abs=0.002)
    assert answer.plan.cost == pytest.approx(
        answer.plan.leaver_points * 100.0 * answer.fte_in_post * YEAR
    )


def test_cheap_places_are_taken_up_to_their_headroom_and_recruits_make_up_the_rest():
    inputs = system(supply_at(system(1.0)) + 150.0)
    per_place = np.zeros_like(inputs.newly_qualified)
    nurses = np.flatnonzero((inputs.series_ics == 0) & (inputs.series_group == 0))
    per_place[nurses, 3] = 0.8 * inputs.supply0[nurses] / inputs.supply0[nurses].sum()
    cohort = PlaceCohort("T-NUR", 2026, 3, per_place, headroom=10.0)
    costs = UnitCosts(training_place=1_000.0, international_recruit=50_000.0, retention_point=None)
    answer = cheapest_plan(inputs, 0, NURSES, YEAR, 0.8, costs=costs, cohorts=[cohort])
    assert answer.plan is not None
    assert answer.plan.places == (10.0,)
    assert answer.plan.international_a_year > 0
    assert answer.probability_achieved == 1.0
    places = answer.cost_by_year(costs, [cohort], 2025, YEAR)[lever_costs.TRAINING_PLACES]
    assert places.by_year == {2026: 10_000.0, 2027: 10_000.0, 2028: 10_000.0}


def test_a_course_that_ends_after_the_target_year_buys_nothing():
    inputs = system(supply_at(system(1.0)) + 150.0)
    late = np.zeros_like(inputs.newly_qualified)
    late[:, YEAR + 1] = 1.0
    cohort = PlaceCohort("T-NUR", 2031, 3, late, headroom=math.inf)
    costs = UnitCosts(training_place=1.0, international_recruit=50_000.0, retention_point=None)
    answer = cheapest_plan(inputs, 0, NURSES, YEAR, 0.8, costs=costs, cohorts=[cohort])
    assert answer.plan is not None and answer.plan.places == (0.0,)


def test_places_alone_within_too_little_headroom_are_not_reachable():
    inputs = system(supply_at(system(1.0)) + 150.0)
    per_place = np.zeros_like(inputs.newly_qualified)
    per_place[0, 2] = 1.0
    cohort = PlaceCohort("T-NUR", 2026, 1, per_place, headroom=5.0)
    costs = UnitCosts(training_place=1_000.0, international_recruit=None, retention_point=None)
    answer = cheapest_plan(inputs, 0, NURSES, YEAR, 0.8, costs=costs, cohorts=[cohort])
    assert answer.plan is None and answer.probability_achieved is None


def test_no_lever_with_a_cost_is_refused():
    inputs = system(supply_at(system(1.0)) + 150.0)
    with pytest.raises(ValueError, match="no lever has a cost"):
        cheapest_plan(inputs, 0, NURSES, YEAR, 0.8, costs=UnitCosts(None, None, None))


def test_a_target_already_met_costs_nothing():
    inputs = system(supply_at(system(1.0)) - 10.0)
    answer = cheapest_plan(inputs, 0, NURSES, YEAR, 0.9, costs=RECRUITS_ONLY)
    assert answer.plan is not None and answer.plan.cost == 0.0


def test_lever_costs_say_what_is_not_set():
    cost = lever_costs.training_places_cost({2026: 5.0}, 3, None, 2030)
    assert cost.total is None and "training_place_cost" in cost.not_set
    assert lever_costs.retention_cost(1.5, 20.0, 1000.0, 2026, 2027).by_year == {
        2026: 30_000.0,
        2027: 30_000.0,
    }
    # A course running past the target year is costed to the target year only.
    assert lever_costs.training_places_cost({2029: 5.0}, 3, 100.0, 2030).total == 1_000.0
