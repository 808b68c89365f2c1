"""The engine's P10, P50, P90 are selections: the two neighbouring ranks floor(q(M-1)) and the
next, interpolated as numpy's linear method does. Checked against numpy's percentiles and
against a selection by np.partition at those ranks, on random rows with ties, odd and even
draws and few draws; and the organisation rows ranked are those the results store."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

import numpy as np
import pytest

from workforce.projection import organisation_figures
from workforce.projection.engine import project
from workforce.projection.results import employed_groups
from workforce.projection.systems import QUANTILES, order_statistics, percentiles

from .engine_data import make_inputs
from .test_engine_money import money_for

SMALL = list(range(1, 13))
AROUND_THE_SWITCHES = [99, 100, 255, 256, 257, 258, 511, 512, 513, 998, 1000, 1001, 1002]


def _random_rows(m: int, seed: int, dtype: type[np.floating]) -> np.ndarray:
    """Rows of m draws: spread values, heavy ties, and rows that are all one value."""
    rng = np.random.default_rng(seed)
    spread = rng.lognormal(4.0, 1.0, (5, m))
    ties = rng.integers(-2, 3, (5, m)) * 0.5
    constant = np.full((2, m), rng.normal())
    signed = rng.normal(0.0, 100.0, (4, m))
    return np.concatenate([spread, ties, constant, signed]).reshape(2, 8, m).astype(dtype)


def _by_partition(values: np.ndarray) -> np.ndarray:
    """The neighbouring ranks of each quantile by np.partition, interpolated from the nearer
    end as numpy's linear method does: the selection the engine's percentiles must equal."""
    m = values.shape[-1]
    position = QUANTILES * (m - 1)
    low = np.floor(position).astype(np.intp)
    high = np.minimum(low + 1, m - 1)
    fraction = position - low
    selected = np.partition(values, np.union1d(low, high), axis=-1).astype(np.float64)
    a, b = selected[..., low], selected[..., high]
    return np.where(fraction < 0.5, a + (b - a) * fraction, b - (b - a) * (1 - fraction))


def _numpy(values: np.ndarray) -> np.ndarray:
    wide = values.astype(np.float64)
    return np.moveaxis(np.percentile(wide, [10, 50, 90], axis=-1, method="linear"), 0, -1)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("m", SMALL + AROUND_THE_SWITCHES)
def test_selected_ranks_equal_numpys_percentiles_exactly(m: int, dtype: type) -> None:
    for seed in range(3):
        values = _random_rows(m, 1000 * m + seed, dtype)
        ranked = percentiles(values.copy())
        assert ranked.dtype == np.float64 and ranked.shape == (*values.shape[:-1], 3)
        np.testing.assert_array_equal(ranked, _numpy(values))
        np.testing.assert_array_equal(ranked, _by_partition(values))


@pytest.mark.parametrize("m", [2, 7, 10, 300, 1000, 1001])
def test_the_order_of_the_draws_changes_no_percentile(m: int) -> None:
    values = _random_rows(m, m, np.float32)
    shuffled = np.random.default_rng(1).permuted(values, axis=-1)
    np.testing.assert_array_equal(percentiles(values.copy()), percentiles(shuffled))


def test_ties_at_the_selected_ranks_give_the_tied_value() -> None:
    # 1,000 draws, 150 of them 1.0 then 700 of 2.0 then 150 of 3.0: P10 is 1.0, P50 2.0,
    # P90 3.0 exactly, the ranks falling inside runs of equal values.
    values = np.repeat(np.array([1.0, 2.0, 3.0], np.float32), [150, 700, 150])
    values = np.random.default_rng(5).permutation(values)[None]
    np.testing.assert_array_equal(percentiles(values), [[1.0, 2.0, 3.0]])


def _counting_ranks(monkeypatch) -> list[int]:
    """The number of organisation rows of many draws each year ranks, as the engine runs."""
    ranked_rows: list[int] = []

    def counting(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if values.shape[-1] > 1:
            ranked_rows.append(int(np.prod(values.shape[:-1])))
        return order_statistics(values)

    monkeypatch.setattr(organisation_figures, "order_statistics", counting)
    return ranked_rows


# Leaves 0-3; parents {0, 1} and {2, 3}, then all staff. Organisation 0 has leaves 0 and 1,
# organisation 1 only leaf 3, organisation 2 all four.
ROLLUP = np.vstack([np.eye(4), [[1, 1, 0, 0], [0, 0, 1, 1]], np.ones((1, 4))])
KEYS = [(0, 0, 0), (0, 0, 1), (0, 1, 3), (1, 2, 0), (1, 2, 1), (1, 2, 2), (1, 2, 3)]


def test_organisation_rows_ranked_are_those_the_results_store(monkeypatch) -> None:
    inputs = make_inputs(KEYS, horizon=3, draws=400, rollup=ROLLUP)
    ranked_rows = _counting_ranks(monkeypatch)
    result = project(inputs, workers=1)
    stored = employed_groups(
        inputs.series_organisation, inputs.n_organisations, SimpleNamespace(inputs=inputs)
    )
    for figures in (result.organisation.supply, result.organisation.demand):
        has_figures = (figures != 0).any(axis=(2, 3))
        np.testing.assert_array_equal(has_figures, stored)
    # Each year, the distinct sums: organisation 0 its 2 leaves and their parent (all staff is
    # a copy of it), organisation 1 its leaf (its parent and all staff are copies),
    # organisation 2 its 4 leaves, 2 parents and all staff; supply, demand and gap of each.
    assert ranked_rows == [3 * (3 + 1 + 7)] * inputs.horizon


def test_a_leafs_spend_is_not_ranked_again_but_its_total_and_its_parents_are(monkeypatch):
    inputs = make_inputs(KEYS, horizon=3, draws=400, rollup=ROLLUP)
    inputs = replace(inputs, money=money_for(inputs))
    ranked_rows = _counting_ranks(monkeypatch)
    project(inputs, workers=1)
    # The 11 distinct rows above: supply, demand, gap and total spend of each (4 x 11), and
    # the pay bill, bank and agency spend of the 4 distinct parent rows (3 x 4).
    assert ranked_rows == [4 * 11 + 3 * 4] * inputs.horizon
