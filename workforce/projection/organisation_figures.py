"""One year's percentiles of a chunk's organisations, for every row the results store. Pure
numpy, no Django.

Each row is ranked once, and only the rows that need it: a row that is a copy of another of
the same organisation takes that row's figures, and a leaf's pay bill, bank and agency spend,
being nondecreasing functions of its supply and its gap (`spend.spend_of`), are that spend of
its supply's and its gap's order statistics rather than ranked again. Parent groups add leaves
of different costs, so their spend is ranked; so is every row's total, which depends on both.
"""

from __future__ import annotations

import numpy as np

from .arrays import AGENCY, BANK, GAP, PAY, SUPPLY
from .spend import Rates, spend_of
from .systems import interpolate, order_statistics


def year_figures(
    rows: np.ndarray,
    kind: type[np.floating],
    computed: np.ndarray,
    copies: list[tuple[int, int, np.ndarray]],
    leaf_rates: Rates | None,
) -> np.ndarray:
    """(quantity, G+P, o, 3) P10, P50, P90 of a year's (quantity, G+P, o, M) per-draw figures
    of G leaf and P parent rows, ranked as `kind`; reorders `rows` in place. `computed` and
    `copies` are `rollups.distinct_rows`'; `leaf_rates`, each (G, o, 1), are the rates of the
    one series of each (leaf, organisation), or None to rank every quantity of every row."""
    quantities, m = rows.shape[0], rows.shape[-1]
    todo = np.broadcast_to(computed, (quantities, *computed.shape))
    if leaf_rates is not None:
        n_groups = leaf_rates.pay.shape[0]
        todo = todo.copy()
        todo[[PAY, BANK, AGENCY], :n_groups] = False
    if todo.all():
        low, high = order_statistics(rows.astype(kind, copy=False))
    else:  # the other rows are zero, or found below
        low, high = np.zeros((2, *todo.shape, 3))
        low[todo], high[todo] = order_statistics(rows[todo].astype(kind, copy=False))
    if leaf_rates is not None:
        for stats in (low, high):
            leaves = stats[:, :n_groups]
            leaves[PAY], leaves[BANK], leaves[AGENCY] = spend_of(
                leaf_rates, leaves[SUPPLY], leaves[GAP]
            )
    block = interpolate(low, high, m)
    for target, source, organisation in copies:
        # + 0.0: a sum that starts from zero is never -0.0, so neither is its copy.
        block[:, target, organisation] = block[:, source, organisation] + 0.0
    return block
