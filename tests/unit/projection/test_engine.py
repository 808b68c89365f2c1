"""The projection engine against the plain-Python reference, and its uncertainty."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workforce.projection.engine import (
    EngineInputs,
    Spreads,
    project,
    sample_assumptions,
)

from .engine_data import LEVELS, QUANTITIES, assert_identical, make_inputs, reference_per_draw
from .reference import project_reference


@st.composite
def small_systems(draw: st.DrawFn) -> EngineInputs:
    """A few ICSs, organisations and groups, with any mix of series (repeats included)."""
    n_ics = draw(st.integers(1, 3))
    n_groups = draw(st.integers(1, 4))
    n_organisations = draw(st.integers(1, 5))
    ics_of = draw(
        st.lists(st.integers(0, n_ics - 1), min_size=n_organisations, max_size=n_organisations)
    )
    pairs = draw(
        st.lists(
            st.tuples(st.integers(0, n_organisations - 1), st.integers(0, n_groups - 1)),
            max_size=12,
        )
    )
    horizon = draw(st.integers(1, 20))
    n = len(pairs)

    def figures(low: float, high: float, columns: int = 0) -> np.ndarray:
        size = n * columns if columns else n
        numbers = st.floats(low, high, allow_nan=False, allow_infinity=False)
        drawn = np.array(draw(st.lists(numbers, min_size=size, max_size=size)), float)
        return drawn.reshape(n, columns) if columns else drawn

    parents = draw(
        st.lists(st.lists(st.integers(0, 1), min_size=n_groups, max_size=n_groups), max_size=3)
    )
    rollup = np.vstack(
        [np.eye(n_groups), *(np.array([p]) for p in parents), np.ones((1, n_groups))]
    )
    targets = np.array(
        draw(
            st.lists(
                st.one_of(st.just(np.nan), st.floats(0, 3000)),
                min_size=n_ics * len(rollup) * (horizon + 1),
                max_size=n_ics * len(rollup) * (horizon + 1),
            )
        )
    ).reshape(n_ics, len(rollup), horizon + 1)
    return make_inputs(
        [(ics_of[o], o, g) for o, g in pairs],
        horizon=horizon,
        rollup=rollup,
        targets=targets,
        n_ics=n_ics,
        n_groups=n_groups,
        n_organisations=n_organisations,
        supply0=figures(0, 1000),
        demand0=figures(0, 1000),
        leaver_rate=figures(0, 0.5),
        recruitment=figures(0, 100),
        international=figures(0, 50),
        return_to_practice=figures(0, 10),
        demand_growth=figures(-0.05, 0.1),
        productivity=figures(-0.02, 0.05),
        step_changes=figures(-20, 20, horizon + 1),
        newly_qualified=figures(0, 50, horizon + 1),
        attrition=figures(0, 0.5),
        retention=figures(0, 1),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_systems())
def test_one_draw_is_exactly_the_equations_at_every_level(inputs: EngineInputs) -> None:
    result = project(inputs)
    reference = project_reference(inputs)
    for level in LEVELS:
        for quantity in QUANTITIES:
            engine = getattr(getattr(result, level), quantity)
            expected = np.array(getattr(getattr(reference, level), quantity))
            assert engine.shape == (*expected.shape, 3)
            # A gap can cancel to near zero: judge its error against the figures' size.
            scale = 1e-9 * (1 + np.abs(expected).max(initial=0))
            for p in range(3):  # with one draw, P10 = P50 = P90 = the value
                np.testing.assert_allclose(engine[..., p], expected, rtol=1e-9, atol=scale)
    expected = np.array(reference.meets_target)
    supply = np.array(reference.ics.supply)
    clear = np.abs(supply - np.nan_to_num(np.asarray(inputs.targets))) > 1e-6 * (1 + supply)
    np.testing.assert_array_equal(np.isnan(result.probability_meets_target), np.isnan(expected))
    decided = clear & ~np.isnan(expected)
    np.testing.assert_array_equal(result.probability_meets_target[decided], expected[decided])


def spread_system(
    draws: int = 400, seed: int = 3, organisation_share: float = 0.3, **options: object
) -> EngineInputs:
    """Two ICSs, five organisations, two groups and a parent."""
    keys = [(0, 0, 0), (0, 0, 1), (0, 1, 0), (0, 2, 1), (1, 3, 0), (1, 3, 1), (1, 4, 0)]
    rollup = np.array([[1, 0], [0, 1], [1, 1]], float)
    return make_inputs(
        keys,
        horizon=8,
        draws=draws,
        seed=seed,
        rollup=rollup,
        organisation_share=organisation_share,
        **options,
    )


@pytest.mark.parametrize("organisation_share", [0.0, 0.3])
def test_the_same_seed_gives_the_same_numbers_and_another_seed_others(
    organisation_share: float,
) -> None:
    inputs = spread_system(organisation_share=organisation_share)
    assert_identical(project(inputs), project(inputs))
    other = project(replace(inputs, seed=4))
    assert not np.array_equal(other.ics.supply, project(inputs).ics.supply)


def test_chunking_and_threads_never_change_the_numbers() -> None:
    # Enough organisations in one ICS, of odd sizes, for the order of addition to show.
    keys = [(o // 9, o, g) for o in range(12) for g in range(2)]
    sizes = np.linspace(3.1, 917.3, len(keys)) ** 1.3
    inputs = make_inputs(
        keys, horizon=6, draws=300, organisation_share=0.4, supply0=sizes, demand0=sizes * 1.1
    )
    whole = project(inputs, workers=1)
    for chunk_series in (1, 3, 5, 8):
        for workers in (1, 3):
            assert_identical(whole, project(inputs, chunk_series=chunk_series, workers=workers))


def test_p50_converges_to_the_deterministic_projection_as_draws_grow() -> None:
    deterministic = project(spread_system(draws=1))

    def error(draws: int) -> float:
        result = project(replace(spread_system(draws=draws), spreads=_scaled(0.3)))
        gaps = [
            np.abs(getattr(result.ics, q)[..., 1] - getattr(deterministic.ics, q)[..., 1]).max()
            for q in ("supply", "demand")
        ]
        return max(gaps) / deterministic.ics.supply.max()

    few, many = error(50), error(4000)
    assert many < few
    assert many < 2e-3


def _scaled(factor: float) -> Spreads:
    spreads = spread_system().spreads
    return Spreads(
        *(
            getattr(spreads, name) * factor
            for name in (
                "leaver_rate",
                "demand_growth",
                "productivity",
                "attrition",
                "international",
            )
        ),
        organisation_share=spreads.organisation_share,
    )


def test_ics_percentiles_come_from_sums_per_draw_not_sums_of_percentiles() -> None:
    keys = [(0, 0, 0), (0, 1, 0), (0, 2, 0)]
    inputs = make_inputs(
        keys,
        horizon=4,
        draws=300,
        seed=9,
        organisation_share=0.6,
        spread=2.0,
        supply0=[100.0, 300.0, 50.0],
    )
    result = project(inputs)
    supply, demand = reference_per_draw(inputs)  # (series, M) at the last year, computed directly
    for level, quantity, direct in [
        (result.organisation.supply[:, 0, -1], "supply", supply),
        (result.organisation.gap[:, 0, -1], "gap", demand - supply),
        (result.ics.supply[0, 0, -1], "supply", supply.sum(axis=0)),
        (result.ics.demand[0, 0, -1], "demand", demand.sum(axis=0)),
        (result.ics.gap[0, 0, -1], "gap", (demand - supply).sum(axis=0)),
    ]:
        expected = np.percentile(direct, [10, 50, 90], axis=-1).T
        np.testing.assert_allclose(level, expected, rtol=1e-5, atol=1e-3, err_msg=quantity)
    sum_of_p90s = result.organisation.supply[:, 0, -1, 2].sum()
    assert sum_of_p90s - result.ics.supply[0, 0, -1, 2] > 0.005 * sum_of_p90s


def _relative_band(level_supply: np.ndarray) -> float:
    p10, p50, p90 = level_supply[0, 0, -1]
    return (p90 - p10) / p50


def test_shared_shocks_keep_a_system_band_as_wide_as_one_organisation() -> None:
    keys = [(0, o, 0) for o in range(40)]
    shared = project(make_inputs(keys, horizon=10, draws=1000, seed=5))
    organisation = _relative_band(shared.organisation.supply)
    assert organisation > 0.05
    assert _relative_band(shared.ics.supply) == pytest.approx(organisation, rel=1e-3)
    assert _relative_band(shared.national.supply) == pytest.approx(organisation, rel=1e-3)
    # With every shock the organisation's own, the sums' band would shrink: the test can tell.
    own = project(make_inputs(keys, horizon=10, draws=1000, seed=5, organisation_share=1.0))
    assert _relative_band(own.ics.supply) < 0.5 * _relative_band(own.organisation.supply)


def test_probability_is_certain_either_side_of_a_deterministic_projection() -> None:
    keys = [(0, 0, 0), (0, 1, 0)]
    supply = project(make_inputs(keys)).ics.supply[0, 0, :, 1]
    targets = np.full((1, 2, 6), np.nan)
    targets[0, 0, 5] = supply[5] - 1
    targets[0, 0, 3] = supply[3] + 1
    result = project(make_inputs(keys, targets=targets))
    assert result.probability_meets_target[0, 0, 5] == 1.0
    assert result.probability_meets_target[0, 0, 3] == 0.0
    assert np.isnan(result.probability_meets_target[0, 1]).all()


def test_probability_is_about_a_half_for_a_target_at_the_median() -> None:
    keys = [(0, o, 0) for o in range(5)]
    median = project(make_inputs(keys, draws=2001, horizon=6)).ics.supply[0, 0, 6, 1]
    targets = np.full((1, 2, 7), np.nan)
    targets[0, 0, 6] = median
    result = project(make_inputs(keys, draws=2001, horizon=6, targets=targets))
    assert result.probability_meets_target[0, 0, 6] == pytest.approx(0.5, abs=0.01)


def test_one_draw_gives_equal_percentiles_and_progress_reaches_100() -> None:
    seen: list[int] = []
    result = project(spread_system(draws=1), seen.append, chunk_series=2)
    supply = result.organisation.supply
    np.testing.assert_array_equal(supply[..., 0], supply[..., 2])
    assert seen[0] == 0
    assert seen[-1] == 100
    assert seen == sorted(seen)
    assert len(seen) > 3


def test_draws_spread_around_the_assumptions_within_their_bounds() -> None:
    inputs = spread_system(draws=2000, leaver_rate=0.005)
    sampled = sample_assumptions(inputs, np.arange(7))
    assert sampled.leaver_rate.min() == 0.0  # clipped, never negative
    assert sampled.international.min() >= 0.0
    assert sampled.demand_growth.std() == pytest.approx(0.005, rel=0.1)


def test_wild_draws_never_make_demand_or_supply_negative() -> None:
    result = project(spread_system(draws=500, spread=200.0))
    assert result.organisation.demand.min() >= 0
    assert result.organisation.supply.min() >= 0
    assert result.organisation.demand[..., 2].max() > 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"horizon": 0}, "horizon must be whole years from 1 to 20"),
        ({"horizon": 21}, "horizon must be whole years from 1 to 20"),
        ({"supply0": np.ones(3)}, r"supply0 must have shape \(7,\)"),
        ({"step_changes": np.zeros((7, 3))}, r"step_changes must have shape \(7, 9\)"),
        ({"newly_qualified": np.zeros(7)}, "newly_qualified must have shape"),
        ({"group_rollup": np.ones((2, 3))}, r"group_rollup must have shape \(K, n_groups=2\)"),
        ({"targets": np.zeros((2, 3, 8))}, r"targets must have shape \(2, 3, 9\)"),
        ({"leaver_rate": np.full(7, 1.5)}, "leaver_rate must be a fraction from 0 to 1"),
        ({"series_ics": np.array([0, 1, 0, 0, 1, 1, 1])}, "one ICS"),
        ({"draws": 0}, "draws must be at least 1"),
        ({"series_group": np.full(7, 2)}, "series_group must hold whole numbers from 0 to 1"),
    ],
)
def test_bad_inputs_are_refused_with_a_clear_message(change: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        project(replace(spread_system(), **change))


def test_spreads_of_the_wrong_shape_are_refused() -> None:
    inputs = spread_system()
    spreads = replace(inputs.spreads, attrition=np.zeros(3))
    with pytest.raises(ValueError, match=r"spreads.attrition must be \(2,\) values"):
        project(replace(inputs, spreads=spreads))
