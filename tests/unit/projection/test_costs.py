"""Cost per FTE: the defaults from pay scales, and the measurement over a window of months."""

from __future__ import annotations

import pytest

from workforce.projection.costs import (
    AFC_2025_26,
    CostPerFte,
    default_cost_per_fte,
    measured_cost_per_fte,
    on_costs,
)


def test_on_costs_add_the_pension_contribution_and_ni_above_the_threshold() -> None:
    assert on_costs(30000.0) == pytest.approx(30000 * 1.237 + 0.15 * 25000)
    assert on_costs(4000.0) == pytest.approx(4000 * 1.237)


def test_a_trust_group_default_is_its_band_midpoint_with_on_costs_a_month() -> None:
    midwives = default_cost_per_fte("MID", "nhs_trust")
    entry, top = AFC_2025_26["6"]
    assert midwives.pay == pytest.approx(on_costs((entry + top) / 2) / 12)
    assert midwives.bank == midwives.pay
    assert midwives.agency == pytest.approx((entry + top) / 2 * 1.55 / 12)
    assert midwives.measured == frozenset()


def test_groups_and_kinds_without_published_scales_have_no_default() -> None:
    assert default_cost_per_fte("NUR", "gp_practice") == CostPerFte(None, None, None, frozenset())
    assert default_cost_per_fte("GP", "nhs_trust").pay is None


def test_the_measured_cost_is_total_cost_over_total_fte_of_the_months_giving_it() -> None:
    default = default_cost_per_fte("NUR", "nhs_trust")
    months = [
        (100.0, 400000.0, 5.0, None, 2.0, 14000.0),
        (110.0, 462000.0, 5.0, None, 0.0, None),
        (120.0, None, 4.0, None, 2.0, 10000.0),  # pay not given: left out of pay
    ]

    got = measured_cost_per_fte(months, default)

    assert got.pay == pytest.approx(862000 / 210)
    assert got.agency == pytest.approx(24000 / 4)
    assert got.bank == default.bank  # no month gave it
    assert got.measured == frozenset({"pay", "agency"})


def test_with_no_months_every_figure_is_the_default() -> None:
    default = default_cost_per_fte("DOC", "nhs_trust")

    assert measured_cost_per_fte([], default) == default
