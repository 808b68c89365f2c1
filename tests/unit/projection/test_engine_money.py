"""The engine's money: the pay bill, bank and agency spend of each series, summed per draw."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from workforce.projection.arrays import MoneyInputs
from workforce.projection.engine import project, project_with_sums
from workforce.projection.national_split import national_figures, system_inputs, system_sums

from .engine_data import assert_identical, make_inputs, reference_per_draw
from .reference import project_series, series_from_inputs


def money_for(inputs, *, pay=50_000.0, bank=45_000.0, agency=90_000.0, temporary=0.8,
              bank_share=0.75, award=0.03, limits=None, costed=None) -> MoneyInputs:  # fmt: skip
    n, horizon = len(inputs.supply0), inputs.horizon
    index = (1 + award) ** np.arange(horizon + 1)
    k = len(inputs.group_rollup)
    return MoneyInputs(
        pay_cost=np.broadcast_to(np.asarray(pay, float), (n,)).copy(),
        bank_cost=np.full(n, bank),
        agency_cost=np.full(n, agency),
        temporary_share=np.full(n, temporary),
        bank_share=np.full(n, bank_share),
        pay_index=np.tile(index, (n, 1)),
        agency_index=np.tile(index, (n, 1)),
        costed=np.ones(n, bool) if costed is None else costed,
        limits=np.full((inputs.n_ics, 3, k, horizon + 1), np.nan) if limits is None else limits,
    )


def test_one_draw_spend_is_the_equations_for_each_series_and_their_sums() -> None:
    keys = [(0, 0, 0), (0, 1, 0), (0, 1, 1)]
    inputs = make_inputs(keys, horizon=4, supply0=[100.0, 80.0, 40.0], demand0=[130, 70, 60])
    inputs = replace(inputs, money=money_for(inputs, pay=[50_000, 60_000, 40_000]))
    result = project(inputs)
    pays = [50_000, 60_000, 40_000]
    expected = np.zeros((3, 3, 5))  # series, (pay, bank, agency), year
    for i in range(3):
        supply, demand = project_series(series_from_inputs(inputs, i), 4)
        for t in range(5):
            price = 1.03**t
            short = max(demand[t] - supply[t], 0) * 0.8
            expected[i, :, t] = (supply[t] * pays[i] * price, short * 0.75 * 45_000 * price,
                                 short * 0.25 * 90_000 * price)  # fmt: skip
    organisation = result.organisation
    # Organisation 1 has two groups: output row 2 is all groups.
    np.testing.assert_allclose(organisation.pay_bill[0, 0, :, 1], expected[0, 0], rtol=1e-12)
    np.testing.assert_allclose(
        organisation.pay_bill[1, 2, :, 1], expected[1, 0] + expected[2, 0], rtol=1e-12
    )
    np.testing.assert_allclose(
        result.ics.agency_spend[0, 2, :, 1], expected[:, 2].sum(axis=0), rtol=1e-12
    )
    np.testing.assert_allclose(
        result.ics.total_spend[0, 2, :, 1], expected.sum(axis=(0, 1)), rtol=1e-12
    )
    # A surplus in one series fills none of another's gap: series 1 starts over establishment.
    assert expected[1, 1, 0] == 0 and expected[0, 1, 0] > 0
    np.testing.assert_array_equal(result.national.bank_spend, result.ics.bank_spend)


def test_spend_percentiles_come_from_sums_per_draw() -> None:
    keys = [(0, 0, 0), (0, 1, 0), (0, 2, 0)]
    inputs = make_inputs(keys, horizon=4, draws=300, seed=9, organisation_share=0.6, spread=2.0,
                         supply0=[100.0, 300.0, 50.0])  # fmt: skip
    inputs = replace(inputs, money=money_for(inputs, award=0.0))
    result = project(inputs)
    supply, demand = reference_per_draw(inputs)
    pay = supply * 50_000
    temporary = np.maximum(demand - supply, 0) * 0.8
    agency = temporary * 0.25 * 90_000
    for level, direct in [
        (result.organisation.pay_bill[:, 0, -1], pay),
        (result.ics.pay_bill[0, 0, -1], pay.sum(axis=0)),
        (result.ics.agency_spend[0, 0, -1], agency.sum(axis=0)),
        (result.ics.total_spend[0, 0, -1], (pay + temporary * 0.75 * 45_000 + agency).sum(0)),
    ]:
        expected = np.percentile(direct, [10, 50, 90], axis=-1).T
        np.testing.assert_allclose(level, expected, rtol=1e-5)


def test_money_changes_no_fte_figure() -> None:
    keys = [(0, 0, 0), (0, 1, 1), (1, 2, 0)]
    inputs = make_inputs(keys, horizon=3, draws=50, seed=3)
    plain = project(inputs)
    costed = project(replace(inputs, money=money_for(inputs)))
    assert_identical(plain, costed)
    assert plain.organisation.pay_bill is None and plain.probability_within_limits is None


def test_probability_within_each_limit_counts_the_draws_at_or_below_it() -> None:
    inputs = make_inputs([(0, 0, 0), (0, 1, 0)], horizon=3, draws=400, seed=5, spread=3.0)
    k = len(inputs.group_rollup)
    limits = np.full((1, 3, k, 4), np.nan)
    first = project(replace(inputs, money=money_for(inputs)))
    median_agency = first.ics.agency_spend[0, 0, 3, 1]
    limits[0, 0, 0, 3] = 1.0  # a pay budget no draw keeps to
    limits[0, 1, 0, 3] = 1e12  # a bank limit every draw keeps to
    limits[0, 2, 0, 3] = median_agency
    result = project(replace(inputs, money=money_for(inputs, limits=limits)))
    within = result.probability_within_limits
    assert within[0, 0, 0, 3] == 0.0 and within[0, 1, 0, 3] == 1.0
    assert within[0, 2, 0, 3] == pytest.approx(0.5, abs=0.01)
    assert np.isnan(within[0, :, 0, :3]).all() and np.isnan(within[0, :, 1]).all()


def test_a_national_run_split_by_system_gives_the_same_spend() -> None:
    keys = [(0, 0, 0), (0, 1, 1), (1, 2, 0), (1, 3, 1), (2, 4, 0)]
    inputs = make_inputs(keys, horizon=3, draws=40, seed=11, supply0=[90, 40, 120, 30, 10.0])
    inputs = replace(inputs, money=money_for(inputs, pay=[40e3, 52e3, 61e3, 38e3, 70e3]))
    whole = project(inputs)
    parts = []
    for ics in range(inputs.n_ics):
        own = system_inputs(inputs, ics)
        result, national, sectors = project_with_sums(own)
        np.testing.assert_array_equal(result.ics.pay_bill[ics], whole.ics.pay_bill[ics])
        parts.append(system_sums(own, result, national, sectors, ics))
    national, _sectors = national_figures(inputs, parts)
    np.testing.assert_array_equal(national.agency_spend, whole.national.agency_spend)
    np.testing.assert_array_equal(national.total_spend, whole.national.total_spend)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"pay_cost": np.array([-1.0, 2.0])}, "money.pay_cost must be finite and zero or more"),
        ({"bank_share": np.array([0.5, 1.5])}, "money.bank_share must be a fraction"),
        ({"pay_index": np.ones((2, 2))}, "money.pay_index must have shape"),
    ],
)
def test_bad_money_is_refused_with_a_clear_message(change: dict, message: str) -> None:
    inputs = make_inputs([(0, 0, 0), (0, 1, 0)], horizon=3)
    money = replace(money_for(inputs), **change)
    with pytest.raises(ValueError, match=message):
        project(replace(inputs, money=money))
