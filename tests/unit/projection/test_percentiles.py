"""The engine's percentiles: numpy's linear method to the last bit, by whichever way the ranks
are found; float32 ranking that changes no stored figure; roll-ups taken once per organisation."""

from __future__ import annotations

import numpy as np
import pytest

from workforce.projection.engine import project
from workforce.projection.systems import percentiles

from .engine_data import make_inputs

# results.FTE_PLACES: figures are stored to 0.01 FTE, so two runs agree to the stored precision
# when no figure differs by half of that.
HALF_A_STORED_FTE = 0.005
# Draws in each of the three ways: sorted whole, two sorted halves, one partition (float64).
LENGTHS = [2, 3, 10, 255, 256, 257, 300, 999, 1000, 1001, 2500, 2501, 4000]


def _rows(kind: str, m: int, rng: np.random.Generator) -> np.ndarray:
    if kind == "ties":
        return rng.integers(0, 4, (3, 4, m)).astype(float)
    if kind == "sorted":
        return np.sort(rng.normal(size=(3, 4, m)))
    if kind == "reversed":
        return -np.sort(rng.lognormal(size=(3, 4, m)))
    return rng.lognormal(4.0, 1.0, (3, 4, m))


def _numpy(values: np.ndarray) -> np.ndarray:
    return np.moveaxis(np.percentile(values, [10, 50, 90], axis=-1, method="linear"), 0, -1)


@pytest.mark.parametrize("m", LENGTHS)
@pytest.mark.parametrize("kind", ["spread", "ties", "sorted", "reversed"])
def test_percentiles_are_numpys_linear_method_to_the_last_bit(m: int, kind: str) -> None:
    values = _rows(kind, m, np.random.default_rng(m))
    np.testing.assert_array_equal(percentiles(values.copy()), _numpy(values))


@pytest.mark.parametrize("m", LENGTHS)
def test_float32_percentiles_are_those_of_the_same_values_in_float64(m: int) -> None:
    values = _rows("spread", m, np.random.default_rng(m)).astype(np.float32)
    ranked = percentiles(values.copy())
    np.testing.assert_array_equal(ranked, _numpy(values.astype(np.float64)))
    np.testing.assert_allclose(ranked, _numpy(values), rtol=2 * np.finfo(np.float32).eps)


def test_one_draw_is_its_own_percentiles() -> None:
    values = np.array([[3.25], [-1.5]])
    np.testing.assert_array_equal(percentiles(values), [[3.25] * 3, [-1.5] * 3])


def _system(horizon: int = 10, draws: int = 1000):
    """Three ICSs of 40 organisations with 20 staff groups each, in four parents and all
    staff: organisations of a few hundred to some 9,000 FTE, ICSs of about 100,000."""
    rng = np.random.default_rng(17)
    keys = [(o // 40, o, g) for o in range(120) for g in range(20)]
    n = len(keys)
    supply0 = rng.lognormal(4.0, 1.2, n)
    rollup = np.vstack([np.eye(20), np.kron(np.eye(4), np.ones((1, 5))), np.ones((1, 20))])
    targets = np.full((3, len(rollup), horizon + 1), np.nan)
    targets[:, -1, horizon] = 1.0e5
    return make_inputs(
        keys,
        horizon=horizon,
        draws=draws,
        rollup=rollup,
        targets=targets,
        organisation_share=0.25,
        supply0=supply0,
        demand0=supply0 * rng.uniform(1.0, 1.15, n),
        leaver_rate=rng.uniform(0.06, 0.14, n),
        recruitment=supply0 * rng.uniform(0.04, 0.1, n),
        international=supply0 * rng.uniform(0.0, 0.03, n),
        newly_qualified=supply0[:, None] * rng.uniform(0.0, 0.03, (n, horizon + 1)),
    )


def test_float32_ranking_and_a_float64_run_agree_to_the_stored_precision() -> None:
    inputs = _system()
    narrow, wide = project(inputs), project(inputs, ranked=np.float64)
    assert wide.organisation.supply.max() > 5000 and wide.ics.supply.max() > 90_000
    for quantity in ("supply", "demand", "gap"):
        a, b = getattr(narrow.organisation, quantity), getattr(wide.organisation, quantity)
        assert np.abs(a - b).max() < HALF_A_STORED_FTE
        for level in ("ics", "national"):
            # Above the organisation every figure is float64 already.
            np.testing.assert_array_equal(
                getattr(getattr(narrow, level), quantity), getattr(getattr(wide, level), quantity)
            )
    np.testing.assert_array_equal(narrow.probability_meets_target, wide.probability_meets_target)


def test_a_parent_with_one_of_an_organisations_leaves_has_exactly_its_figures() -> None:
    # Organisation 0 has only leaf 0; organisation 1 only leaves 2 and 3, both in parent B.
    rollup = np.array(
        [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1], [1, 1, 0, 0], [0, 0, 1, 1]]
    )
    rollup = np.vstack([rollup, np.ones((1, 4))])
    keys = [(0, 0, 0), (0, 1, 2), (0, 1, 3), (0, 2, 0), (0, 2, 1), (0, 2, 3)]
    result = project(make_inputs(keys, horizon=4, draws=300, rollup=rollup)).organisation
    for figures in (result.supply, result.demand, result.gap):
        np.testing.assert_array_equal(figures[0, 4], figures[0, 0])
        np.testing.assert_array_equal(figures[0, 6], figures[0, 0])
        np.testing.assert_array_equal(figures[1, 6], figures[1, 5])
        assert np.all(figures[0, 5] == 0) and np.all(figures[1, 4] == 0)
        assert not np.array_equal(figures[2, 6], figures[2, 4])
