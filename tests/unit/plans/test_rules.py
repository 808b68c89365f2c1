from decimal import Decimal

import pytest

from core import calendar
from workforce.plans import rules


@pytest.mark.parametrize(
    "given, year",
    [
        (2028, 2028),
        ("2028", 2028),
        ("2028/29", 2028),
        (" 2028-29 ", 2028),
        ("2028/2029", 2028),
        (2028.0, 2028),
        (Decimal("2030"), 2030),
        ("1999/00", 1999),
    ],
)
def test_a_financial_year_reads_as_the_year_it_starts(given, year):
    assert calendar.parse_year(given) == year


@pytest.mark.parametrize(
    "given, words",
    [
        ("2028/30", "the year starting in 2028 is 2028/29"),
        ("next year", "is not a year: write it as 2028 or 2028/29"),
        (2028.5, "is not a year"),
        (True, "is not a year"),
        ("28/29", "is not a year"),
    ],
)
def test_a_year_that_is_not_one_says_how_to_write_it(given, words):
    with pytest.raises(ValueError, match=words):
        calendar.parse_year(given)


def test_a_year_label_is_as_people_write_it():
    assert calendar.year_label(2028) == "2028/29"
    assert calendar.year_label(2099) == "2099/00"


def test_years_outside_2000_to_2100_are_refused_by_name():
    assert rules.check_year(2000) is None and rules.check_year(2100) is None
    assert rules.check_year(1999) == "year must be a year from 2000 to 2100; 1999 is not."
    assert "intake_change_from" in rules.check_year(2101, "intake_change_from")


def test_the_strategic_commissioning_plan_starts_in_2026_27():
    assert rules.default_plan(2025) == "jfp"
    assert rules.default_plan(2026) == "scp"
    assert rules.check_plan("scp", 2026) is None
    assert rules.check_plan("jfp", 2029) is None
    assert "start in 2026/27" in rules.check_plan("scp", 2025)
    assert '"jfp"' in rules.check_plan("five-year", 2028)


def test_fractions_and_fte_are_checked_with_a_hint():
    assert rules.check_fraction(Decimal("0.08"), "target_vacancy_rate") is None
    message = rules.check_fraction(Decimal("8"), "target_vacancy_rate")
    assert message.startswith("target_vacancy_rate must be a fraction from 0 to 1")
    assert "write 8% as 0.08" in message
    assert rules.check_fte(Decimal("-1"), "target_fte") == "target_fte cannot be negative; -1 is."
    assert rules.check_fte(Decimal(0), "target_fte") is None


def test_assumptions_have_ranges_that_say_what_is_wrong():
    assert rules.check_assumption("leaver_rate_change", Decimal("-0.01")) is None
    assert rules.check_assumption("international_change", Decimal("-0.3")) is None
    assert rules.check_assumption("leaver_rate", Decimal("0.6")) == (
        "leaver_rate must be from 0 to 0.5 (0% to 50%); 0.6 is not."
    )
    assert "from -1 to 2 (-100% to +200%)" in rules.check_assumption("intake_change", Decimal("-2"))
    assert rules.check_assumption("intake_change_from", 1990).startswith("intake_change_from")


def test_draws_and_horizon_have_limits():
    assert rules.check_scenario_count("draws", 1) is None
    assert rules.check_scenario_count("draws", 10_000) is None
    assert rules.check_scenario_count("draws", 10_001) == (
        "draws must be a whole number from 1 to 10,000; 10,001 is not."
    )
    assert "from 1 to 20" in rules.check_scenario_count("horizon", 0)


@pytest.mark.parametrize("text", ["abc", "", "NaN", "Infinity", None, True])
def test_to_decimal_refuses_what_is_not_a_number(text):
    with pytest.raises(ValueError):
        rules.to_decimal(text)


@pytest.mark.parametrize("value", ["1e29", "1e30", "-1e29", "1E+999999", "9" * 40])
def test_rounding_a_number_too_large_to_hold_leaves_it_for_the_range_check(value):
    number = Decimal(value)
    assert rules.rounded(number, rules.FTE_PLACES) == number
    assert rules.rounded(number, rules.RATE_PLACES) == number
    assert rules.check_fte(number, "target_fte") is not None
    assert rules.check_fraction(number, "target_leaver_rate") is not None


def test_rounding_within_the_ranges_is_half_up_to_the_places():
    assert rules.rounded(Decimal("9999999999.994"), rules.FTE_PLACES) == Decimal("9999999999.99")
    assert rules.rounded(Decimal("0.0000050"), rules.RATE_PLACES) == Decimal("0.00001")


@pytest.mark.parametrize("value", ["NaN", "sNaN", "Infinity", "-Infinity"])
def test_a_value_that_is_not_finite_is_refused_by_every_check(value):
    number = Decimal(value)
    assert "must be a number" in rules.check_fte(number, "target_fte")
    assert "must be a number" in rules.check_fraction(number, "organisation_share")
    assert "must be a number" in rules.check_assumption("leaver_rate", number)
    assert rules.rounded(number, rules.FTE_PLACES).is_nan() == number.is_nan()


def test_a_huge_number_is_quoted_briefly_in_the_message():
    message = rules.check_fte(Decimal("1E+999999"), "target_fte")
    assert message == "target_fte must be at most 9,999,999,999.99; 1E+999999 is more."
    assert rules.check_fraction(Decimal("1e30"), "organisation_share").endswith("1E+30 is not.")
    assert rules.check_year(10**5000) == "year must be a year from 2000 to 2100; that is not."


def test_a_sum_of_money_is_not_negative_and_fits_the_record():
    assert rules.check_money(Decimal("1250000"), "pay_budget") is None
    assert rules.check_money(Decimal("-1"), "pay_budget") == "pay_budget cannot be negative; -1 is."
    assert "at most £9,999,999,999,999.99" in rules.check_money(Decimal("1e14"), "pay_budget")


def test_a_targets_money_is_kept_to_pence():
    assert rules.clean_target_figure("bank_spend_limit", Decimal("10.005")) == (
        Decimal("10.01"),
        None,
    )
