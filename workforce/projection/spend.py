"""What a year's workforce costs, per series and draw (docs/model.md, "Money"). Pure numpy.

The substantive pay bill is FTE in post times the cost per FTE; the gap (demand above supply,
per series, so that one staff group's surplus never covers another's shortfall) is filled in
part by bank and agency staff, each at its own cost per FTE. Each cost moves with its year's
price index (pay awards; on-cost changes for pay and bank).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .arrays import MoneyInputs


class Rates(NamedTuple):
    """Year t's GBP per series: per FTE in post, the share of the gap filled by temporary
    staff, and per temporary FTE that bank and that agency staff cost. Each is (n, 1), so it
    broadcasts over the draws, or over order statistics."""

    pay: np.ndarray
    temporary_share: np.ndarray
    bank: np.ndarray
    agency: np.ndarray


def rates(money: MoneyInputs, t: int) -> Rates:
    """Year t's rates of the series `money` is taken for (`MoneyInputs.of`)."""
    prices = np.asarray(money.pay_index)[:, t]
    agency = (1 - money.bank_share) * money.agency_cost * np.asarray(money.agency_index)[:, t]
    return Rates(
        (money.pay_cost * prices)[:, None],
        money.temporary_share[:, None],
        (money.bank_share * money.bank_cost * prices)[:, None],
        agency[:, None],
    )


def spend_of(
    rates: Rates,
    supply: np.ndarray,
    gap: np.ndarray,
    out: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(pay bill, bank spend, agency spend), GBP at the year's prices, of FTE in post `supply`
    and gap `gap` (demand less supply, each shaped like `supply`) at the year's `rates`; into
    `out` where given.

    Each is a nondecreasing function of one of them, supply or gap, made of correctly rounded
    steps: so the spend of a series' k-th smallest supply or gap is its k-th smallest spend,
    to the bit."""
    pay, bank, agency = (None, None, None) if out is None else out
    pay = np.multiply(supply, rates.pay, out=pay)
    temporary = np.maximum(gap, 0.0, out=agency)
    temporary *= rates.temporary_share
    bank = np.multiply(temporary, rates.bank, out=bank)
    temporary *= rates.agency
    return pay, bank, temporary
