"""A year's organisation percentiles: a leaf's spend taken from the order statistics of its
supply and gap is, to the bit, the spend ranked draw by draw."""

from __future__ import annotations

import numpy as np
import pytest

from workforce.projection.arrays import AGENCY, BANK, DEMAND, GAP, PAY, SUPPLY, TOTAL
from workforce.projection.organisation_figures import year_figures
from workforce.projection.rollups import distinct_rows
from workforce.projection.spend import Rates, spend_of

# Leaves 0-2 and one parent of all three; organisation 0 has every leaf, organisation 1 leaf 2
# only (its parent is a copy of that leaf), organisation 2 leaves 0 and 1.
FILLED = np.array([[1, 0, 1], [1, 0, 1], [1, 1, 0]], bool)
PARENTS = [np.array([0, 1, 2])]


def _year(m: int, seed: int) -> tuple[np.ndarray, Rates]:
    """(7, 4, 3, m) per-draw figures built as the engine builds them, and the leaves' rates."""
    rng = np.random.default_rng(seed)
    shape = (3, 3, 1)
    leaf_rates = Rates(
        rng.uniform(30_000, 90_000, shape) * FILLED[..., None],
        rng.uniform(0.0, 1.0, shape),
        rng.uniform(20_000, 60_000, shape),
        rng.uniform(40_000, 150_000, shape),
    )
    rows = np.zeros((7, 4, 3, m))
    supply = rng.lognormal(4.0, 0.5, (3, 3, m)) * FILLED[..., None]
    demand = supply * rng.uniform(0.9, 1.2, (3, 3, m))
    rows[SUPPLY, :3], rows[DEMAND, :3] = supply, demand
    rows[PAY, :3], rows[BANK, :3], rows[AGENCY, :3] = spend_of(leaf_rates, supply, demand - supply)
    rows[:, 3] = rows[:, 0] + rows[:, 1] + rows[:, 2]
    rows[GAP] = rows[DEMAND] - rows[SUPPLY]
    rows[TOTAL] = rows[PAY] + rows[BANK] + rows[AGENCY]
    return rows, leaf_rates


@pytest.mark.parametrize("m", [1, 7, 200, 1000])
def test_a_leafs_spend_from_its_supply_and_gap_order_statistics_is_its_ranked_spend(m: int):
    rows, leaf_rates = _year(m, seed=m)
    present = np.vstack([FILLED, FILLED.any(axis=0)])
    computed, copies = distinct_rows(PARENTS, FILLED, present)
    ranked = year_figures(rows.copy(), np.float64, computed, copies, None)
    derived = year_figures(rows.copy(), np.float64, computed, copies, leaf_rates)
    np.testing.assert_array_equal(derived, ranked)
    expected = np.percentile(rows, [10, 50, 90], axis=-1).transpose(1, 2, 3, 0)
    np.testing.assert_allclose(derived, expected, rtol=1e-12, atol=1e-9)
    if m > 1:
        assert (derived[BANK, :3] > 0).any() and (derived[BANK, :3] == 0).any()
