"""The levy rules, with figures worked by hand (no database)."""

from __future__ import annotations

import pytest

from workforce.plans.levy import (
    LEVY_THRESHOLD,
    ON_COST_RATIO,
    Start,
    levy,
    levy_base,
    levy_years,
    price_of,
    rules_for_year,
    starts_cost,
    top_up_share,
)


def pay_bill_for(gross: float) -> float:
    """The projected pay bill (with on-costs) whose gross pay is `gross`."""
    return gross * ON_COST_RATIO


def test_the_levy_is_half_a_percent_less_the_allowance():
    assert levy(10_000_000) == pytest.approx(35_000)
    assert levy(3_000_000) == 0
    assert levy(2_000_000) == 0
    assert LEVY_THRESHOLD == 3_000_000


def test_the_levy_base_takes_the_on_costs_out_at_a_nurse_s_pay():
    # Band 5 entry 31,049 and band 6 top 46,580: 38,814.50; with 23.7% pension and 15% NI
    # above 5,000: 53,085.71; the ratio 1.36768.
    assert round(ON_COST_RATIO, 5) == 1.36768
    assert levy_base(1_367_680) == pytest.approx(1_000_000, rel=1e-5)


def test_the_august_2026_rules_take_over_from_2026_27():
    assert rules_for_year(2025).top_up == 0.10
    assert rules_for_year(2025).expiry_months == 24
    assert rules_for_year(2026).expiry_months == 12
    assert rules_for_year(2026).government_share_funds_spent == 0.75
    assert rules_for_year(2026).transfer_share == rules_for_year(2025).transfer_share == 0.5
    # The top-up is paid for April to July 2026 only.
    assert top_up_share(2025) == pytest.approx(0.10)
    assert top_up_share(2026) == pytest.approx(0.10 * 4 / 12)
    assert top_up_share(2027) == 0


def test_a_start_costs_its_band_maximum_spread_over_its_years():
    cost = starts_cost([Start(2026, 3, 26_000, 4), Start(2027, 2, 15_000, 2)])
    assert cost == pytest.approx({2026: 19_500, 2027: 34_500, 2028: 34_500, 2029: 19_500})


def test_standards_are_priced_by_programme_or_name_and_others_have_no_price():
    assert price_of("NUR-RNDA", "anything")[1].band_maximum == 26_000
    assert price_of(None, " Nursing associate (NMC 2018) ")[0] == "NUR-NA-APP"
    assert price_of("MED-DDA", "Doctor degree apprenticeship") is None
    assert price_of(None, "Business administrator (level 3)") is None


def test_funds_are_spent_oldest_first_expire_and_leave_what_could_be_transferred():
    gross = 10_000_000  # levy 35,000 a year
    bills = {year: pay_bill_for(gross) for year in (2025, 2026, 2027)}
    first, second, third = levy_years(bills, {2025: 10_000, 2026: 50_000, 2027: 100_000})

    # 2025/26: 35,000 + 10% = 38,500; 10,000 spent; 28,500 left, half the funds transferable.
    assert first.levy == pytest.approx(35_000)
    assert first.funds == pytest.approx(38_500)
    assert first.paid_from_funds == pytest.approx(10_000)
    assert first.unspent == pytest.approx(28_500)
    assert first.transfer_limit == pytest.approx(19_250)
    assert first.could_transfer == pytest.approx(19_250)
    assert first.expired == 0

    # 2026/27: top-up for four months, 1,166.67; the 50,000 takes 2025's 28,500 first, then
    # 21,500 of its own 36,166.67; the 14,666.67 left expires (12 months) with the year.
    assert second.top_up == pytest.approx(35_000 * 0.1 * 4 / 12)
    assert second.paid_from_funds == pytest.approx(50_000)
    assert second.beyond_funds == 0
    assert second.expired == pytest.approx(36_166.67 - 21_500, abs=0.01)
    assert second.unspent == 0
    assert second.could_transfer == 0

    # 2027/28: 35,000 of 100,000 from funds; government pays 75% of the other 65,000.
    assert third.funds == pytest.approx(35_000)
    assert third.beyond_funds == pytest.approx(65_000)
    assert third.employer_co_investment == pytest.approx(16_250)


def test_an_employer_below_the_threshold_co_invests_five_percent():
    (year,) = levy_years({2027: pay_bill_for(2_000_000)}, {2027: 10_000})
    assert year.levy == 0
    assert year.funds == 0
    assert year.employer_co_investment == pytest.approx(500)
    assert year.could_transfer == 0
