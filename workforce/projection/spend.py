"""What a year's workforce costs, per series and draw (docs/model.md, "Money"). Pure numpy.

The substantive pay bill is FTE in post times the cost per FTE; the gap (demand above supply,
per series, so that one staff group's surplus never covers another's shortfall) is filled in
part by bank and agency staff, each at its own cost per FTE. Each cost moves with its year's
price index (pay awards; on-cost changes for pay and bank).
"""

from __future__ import annotations

import numpy as np

from .arrays import MoneyInputs


def spend(
    money: MoneyInputs, t: int, supply: np.ndarray, demand: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(pay bill, bank spend, agency spend) in year t, GBP at that year's prices, each shaped
    like `supply` (series, M); `money` is already taken for those series (`MoneyInputs.of`)."""
    prices = np.asarray(money.pay_index)[:, t]
    pay = supply * (money.pay_cost * prices)[:, None]
    temporary = np.maximum(demand - supply, 0.0)
    temporary *= money.temporary_share[:, None]
    bank = temporary * (money.bank_share * money.bank_cost * prices)[:, None]
    agency_rate = (1 - money.bank_share) * money.agency_cost * np.asarray(money.agency_index)[:, t]
    temporary *= agency_rate[:, None]
    return pay, bank, temporary
