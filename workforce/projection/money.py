"""A run's money inputs from what it read: the rules of docs/model.md, "Money". Pure, no Django.

- Cost per FTE of each series: measured over the returns' window, else the published default
  of its staff group and organisation kind (`costs`); a series with neither has no cost and
  adds nothing to the pounds (the run's notes name its groups).
- Agency cost per FTE: the scenario's premium over the substantive cost where it sets one, else
  measured, else the default (the agency price cap), else the substantive cost.
- Temporary staffing: the scenario's share of the gap, else the baseline month's bank and
  agency FTE over its vacancies (at most all of them), else FALLBACK_TEMPORARY_SHARE; bank's
  share likewise, else FALLBACK_BANK_SHARE.
- Prices: each year's pay award (the scenario's award by year for the group, its nearest
  ancestor, or all staff; else its rows' pay_award), compounded from the baseline year; pay and
  bank also move by the on-cost change from the first projected year.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .arrays import LIMIT_NAMES, LIMITED, MoneyInputs
from .costs import (
    FALLBACK_BANK_SHARE,
    FALLBACK_TEMPORARY_SHARE,
    MoneyAssumptions,
    default_cost_per_fte,
    measured_cost_per_fte,
    money_assumptions,
)
from .run_data import BaselineSeries, Labels, RunData

MONTHS = 12
DEFAULT_KIND = "nhs_trust"  # an organisation whose kind is not known (run_data)


@dataclass(frozen=True)
class RunMoney:
    """What the engine takes (None: no series has a cost), the index that turns each year's
    prices into the baseline year's (all staff), and the leaf groups with no cost."""

    inputs: MoneyInputs | None
    prices: Mapping[str, float]  # financial year (as stored, "2026") -> index
    uncosted_groups: tuple[str, ...]


class _Awards:
    """The pay award of a staff group in a financial year."""

    def __init__(self, data: RunData, assumptions: Mapping[str | None, MoneyAssumptions]):
        self.by_year = {(a.staff_group_code, a.year): a.rate for a in data.pay_awards}
        self.assumptions = assumptions
        self.parent = {g.code: g.parent for g in data.staff_groups}

    def __call__(self, group: str | None, year: int) -> float:
        chain: list[str | None] = []
        code = group
        while code is not None and code not in chain:
            chain.append(code)
            code = self.parent.get(code)
        for code in (*chain, None):
            if (code, year) in self.by_year:
                return self.by_year[code, year]
        return self.assumptions[group].pay_award

    def index(self, group: str | None, baseline_year: int, horizon: int) -> np.ndarray:
        rates = [self(group, baseline_year + t) for t in range(1, horizon + 1)]
        return np.cumprod([1.0, *(1 + r for r in rates)])


def _temporary_shares(series: BaselineSeries, assumed: MoneyAssumptions) -> tuple[float, float]:
    bank, agency = series.bank_fte, series.agency_fte
    temporary = None if bank is None or agency is None else bank + agency
    vacancies = series.vacancies_fte
    share = assumed.temporary_share
    if share is None:
        share = (
            min(1.0, temporary / vacancies)
            if temporary is not None and vacancies
            else FALLBACK_TEMPORARY_SHARE
        )
    bank_share = assumed.bank_share
    if bank_share is None:
        bank_share = bank / temporary if temporary else FALLBACK_BANK_SHARE
    return share, bank_share


def run_money(
    data: RunData,
    series: Sequence[BaselineSeries],
    leaves: Labels,
    outputs: Labels,
    ics: Labels,
) -> RunMoney:
    """The money inputs of a run's series (in `series` order)."""
    horizon, baseline_year = data.horizon, data.baseline_year
    general = dict(data.assumption_rows.get(None, {}))
    assumptions: dict[str | None, MoneyAssumptions] = {None: money_assumptions(general, {})}
    for code in leaves:
        assumptions[code] = money_assumptions(general, dict(data.assumption_rows.get(code, {})))
    awards = _Awards(data, assumptions)
    agency_index = {g: awards.index(g, baseline_year, horizon) for g in leaves}
    n = len(series)
    figures = {name: np.zeros(n) for name in ("pay", "bank", "agency", "temporary", "bank_share")}
    costed = np.zeros(n, bool)
    pay_index, by_agency = np.ones((n, horizon + 1)), np.ones((n, horizon + 1))
    for i, s in enumerate(series):
        group, assumed = s.staff_group_code, assumptions[s.staff_group_code]
        kind = data.organisation_kinds.get(s.organisation_code, DEFAULT_KIND)
        cost = measured_cost_per_fte(s.cost_months, default_cost_per_fte(group, kind))
        by_agency[i] = agency_index[group]
        pay_index[i] = agency_index[group]
        pay_index[i, 1:] *= 1 + assumed.on_cost_change
        if cost.pay is None:
            continue
        costed[i] = True
        pay = cost.pay * MONTHS
        if assumed.agency_premium is not None:
            agency = pay * (1 + assumed.agency_premium)
        else:
            agency = cost.agency * MONTHS if cost.agency is not None else pay
        figures["pay"][i], figures["agency"][i] = pay, agency
        figures["bank"][i] = cost.bank * MONTHS if cost.bank is not None else pay
        figures["temporary"][i], figures["bank_share"][i] = _temporary_shares(s, assumed)
    missing = {
        s.staff_group_code for has_cost, s in zip(costed, series, strict=True) if not has_cost
    }
    uncosted = tuple(g for g in leaves if g in missing)
    years = range(baseline_year, baseline_year + horizon + 1)
    index = awards.index(None, baseline_year, horizon).tolist()
    prices = {str(year): value for year, value in zip(years, index, strict=True)}
    if not costed.any():
        return RunMoney(None, prices, uncosted)
    inputs = MoneyInputs(
        pay_cost=figures["pay"],
        bank_cost=figures["bank"],
        agency_cost=figures["agency"],
        temporary_share=figures["temporary"],
        bank_share=figures["bank_share"],
        pay_index=pay_index,
        agency_index=by_agency,
        costed=costed,
        limits=limit_array(data, ics, outputs),
    )
    return RunMoney(inputs, prices, uncosted)


def limit_array(data: RunData, ics: Labels, outputs: Labels) -> np.ndarray:
    """(ICS, pay budget / bank / agency limit, output group, H+1), NaN where none is set."""
    out = np.full((len(ics), len(LIMITED), len(outputs), data.horizon + 1), np.nan)
    for target in data.targets:
        t = target.year - data.baseline_year
        if target.ics_code not in ics or target.staff_group_code not in outputs:
            continue
        if not 0 <= t <= data.horizon:
            continue
        for i, name in enumerate(LIMIT_NAMES):
            value = getattr(target, name)
            if value is not None:
                k = outputs.position(target.staff_group_code)
                out[ics.position(target.ics_code), i, k, t] = value
    return out
