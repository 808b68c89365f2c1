"""What it takes: the answers, applied to the inputs, meet the target, and no less does."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from workforce.projection.engine import EngineInputs, project
from workforce.projection.what_it_takes import (
    bisect_lever,
    extra_intake_needed,
    extra_joiners_needed,
    leaver_rate_reduction_needed,
    probability_of_meeting,
)

from .engine_data import make_inputs

# ICS 0 has three organisations (nurses, group 0, and midwives, group 1); ICS 1 has one.
KEYS = [(0, 0, 0), (0, 0, 1), (0, 1, 0), (0, 2, 0), (0, 2, 1), (1, 3, 0)]
ROLLUP = np.array([[1, 0], [0, 1], [1, 1]], float)  # nurses, midwives, all staff
NURSES, ALL_STAFF = 0, 2
YEAR = 6


def system(target: float, group_k: int = NURSES, draws: int = 1, **values: object) -> EngineInputs:
    targets = np.full((2, 3, 9), np.nan)
    targets[0, group_k, YEAR] = target
    values.setdefault("supply0", [120.0, 30.0, 200.0, 80.0, 10.0, 150.0])
    values.setdefault("leaver_rate", [0.08, 0.12, 0.1, 0.14, 0.09, 0.1])
    return make_inputs(
        KEYS,
        horizon=8,
        draws=draws,
        seed=11,
        rollup=ROLLUP,
        targets=targets,
        organisation_share=0.2,
        **values,
    )


def supply_at(inputs: EngineInputs, group_k: int = NURSES) -> float:
    """The ICS's deterministic supply (or median) in the target year."""
    return float(project(inputs).ics.supply[0, group_k, YEAR, 1])


def in_question(inputs: EngineInputs, group_k: int) -> np.ndarray:
    return (inputs.series_ics == 0) & (ROLLUP[group_k, inputs.series_group] == 1)


def with_joiners(inputs: EngineInputs, group_k: int, joiners: float) -> EngineInputs:
    """Recruitment plus `joiners` a year, shared by baseline FTE among the series asked about."""
    chosen = in_question(inputs, group_k)
    recruitment = inputs.recruitment.copy()
    shares = inputs.supply0[chosen] / inputs.supply0[chosen].sum()
    recruitment[chosen] += joiners * shares
    return replace(inputs, recruitment=recruitment)


@pytest.mark.parametrize("group_k", [NURSES, ALL_STAFF])
def test_the_extra_joiners_meet_the_target_exactly(group_k: int) -> None:
    unchanged = supply_at(system(1.0, group_k), group_k)
    inputs = system(unchanged + 150.0, group_k)
    joiners = extra_joiners_needed(inputs, 0, group_k, YEAR, 0.5)
    assert joiners > 0
    met = supply_at(with_joiners(inputs, group_k, joiners), group_k)
    assert met == pytest.approx(unchanged + 150.0, rel=1e-9)


def test_no_extra_joiners_are_needed_when_the_target_is_already_met() -> None:
    unchanged = supply_at(system(1.0))
    assert extra_joiners_needed(system(unchanged - 10.0), 0, NURSES, YEAR, 0.9) == 0.0


def test_the_extra_joiners_meet_the_target_with_the_probability_asked() -> None:
    median = supply_at(system(1.0, draws=1000, spread=2.0))
    inputs = system(median + 60.0, draws=1000, spread=2.0)
    joiners = extra_joiners_needed(inputs, 0, NURSES, YEAR, 0.8)
    # The same draws as the engine's: applied, the target is met in about 80% of them.
    result = project(with_joiners(inputs, NURSES, joiners))
    assert result.probability_meets_target[0, NURSES, YEAR] == pytest.approx(0.8, abs=0.01)
    assert joiners > extra_joiners_needed(inputs, 0, NURSES, YEAR, 0.5)


def with_leaver_rate_cut(inputs: EngineInputs, cut: float) -> EngineInputs:
    chosen = in_question(inputs, NURSES)
    rates = inputs.leaver_rate.copy()
    rates[chosen] = np.maximum(rates[chosen] - cut, 0)
    return replace(inputs, leaver_rate=rates)


def test_the_leaver_rate_reduction_meets_the_target_and_less_does_not() -> None:
    target = supply_at(system(1.0)) + 40.0
    inputs = system(target, leaver_rate=[0.12, 0.1, 0.09, 0.15, 0.1, 0.1])
    cut = leaver_rate_reduction_needed(inputs, 0, NURSES, YEAR, 0.5)
    assert cut is not None
    assert 0 < cut < 0.09
    assert supply_at(with_leaver_rate_cut(inputs, cut)) >= target * (1 - 1e-12)
    assert supply_at(with_leaver_rate_cut(inputs, 0.95 * cut)) < target


def test_no_leaver_rate_can_meet_a_target_out_of_reach() -> None:
    inputs = system(supply_at(system(1.0)) * 10)
    assert leaver_rate_reduction_needed(inputs, 0, NURSES, YEAR, 0.5) is None


def test_the_leaver_rate_reduction_holds_with_many_draws() -> None:
    target = supply_at(system(1.0, draws=300)) + 30.0
    inputs = system(target, draws=300)
    cut = leaver_rate_reduction_needed(inputs, 0, NURSES, YEAR, 0.9)
    assert cut is not None
    series = np.flatnonzero(in_question(inputs, NURSES))
    factors = None  # drawn afresh from the seed: the same draws again

    def probability(x: float) -> float:
        return probability_of_meeting(
            with_leaver_rate_cut(inputs, x), series, YEAR, target, factors
        )

    assert probability(cut) >= 0.9
    assert probability(0.95 * cut) < 0.9


def per_place(inputs: EngineInputs, first_year: int = 3) -> np.ndarray:
    """One extra place a year adds 0.85 FTE from `first_year`, shared by baseline FTE."""
    chosen = in_question(inputs, NURSES)
    added = np.zeros_like(inputs.newly_qualified)
    shares = inputs.supply0[chosen] / inputs.supply0[chosen].sum()
    added[np.flatnonzero(chosen), first_year:] = 0.85 * shares[:, None]
    return added


def test_the_extra_intake_meets_the_target_and_less_does_not() -> None:
    target = supply_at(system(1.0)) + 25.0
    inputs = system(target)
    places_added = per_place(inputs)
    places = extra_intake_needed(inputs, 0, NURSES, YEAR, 0.5, places_added)
    assert places is not None
    assert places > 0

    def supply_with(x: float) -> float:
        return supply_at(replace(inputs, newly_qualified=inputs.newly_qualified + x * places_added))

    assert supply_with(places) >= target * (1 - 1e-12)
    assert supply_with(0.95 * places) < target


def test_no_intake_helps_when_no_course_can_finish_in_time() -> None:
    target = supply_at(system(1.0)) + 25.0
    inputs = system(target)
    too_late = per_place(inputs, first_year=YEAR + 1)
    assert extra_intake_needed(inputs, 0, NURSES, YEAR, 0.5, too_late) is None
    assert extra_intake_needed(system(target - 50.0), 0, NURSES, YEAR, 0.5, too_late) == 0.0


def test_bisection_finds_the_smallest_lever_that_reaches_the_probability() -> None:
    def evaluate(x: float) -> float:
        return 1.0 if x >= 0.37 else 0.0

    found = bisect_lever(evaluate, 0.0, 1.0, 1e-6, 0.5)
    assert found is not None
    assert 0.37 <= found <= 0.37 + 1e-6
    assert bisect_lever(evaluate, 0.5, 1.0, 1e-6, 0.5) == 0.5
    assert bisect_lever(evaluate, 0.0, 0.3, 1e-6, 0.5) is None
    with pytest.raises(ValueError, match="tol > 0"):
        bisect_lever(evaluate, 0.0, 1.0, 0.0, 0.5)


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ({"year": 0}, "year must be from 1 to the horizon"),
        ({"year": 7}, "no target for that ICS"),
        ({"ics": 2}, "ics must be from 0 to 1"),
        ({"group_k": 3}, "group_k must be from 0 to 2"),
        ({"probability": 1.5}, "probability must be from 0 to 1"),
    ],
)
def test_questions_that_cannot_be_answered_are_refused(question: dict, message: str) -> None:
    asked = {"ics": 0, "group_k": NURSES, "year": YEAR, "probability": 0.5} | question
    with pytest.raises(ValueError, match=message):
        extra_joiners_needed(system(100.0), **asked)


def test_an_intake_array_of_the_wrong_shape_is_refused() -> None:
    with pytest.raises(ValueError, match="newly_qualified_per_place must have shape"):
        extra_intake_needed(system(100.0), 0, NURSES, YEAR, 0.5, np.zeros((6, 3)))
