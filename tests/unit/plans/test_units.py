"""Numbers as a lead types them (percent, points, thousands separators) and as stored."""

from decimal import Decimal

import pytest

from workforce.plans import rules, units


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("1,480", "1480"),
        ("12,345.5", "12345.5"),
        (" -1 ", "-1"),
        ("+2.5", "2.5"),
        ("\u22121", "-1"),  # a typographic minus, as a word processor writes it
        ("1 480", "1480"),
        ("-1,000", "-1000"),
    ],
)
def test_a_typed_number_may_have_thousands_separators_and_signs(text, number):
    assert units.parse_typed_number(text) == Decimal(number)


@pytest.mark.parametrize("text", ["1,5", "1,4800", "abc", "NaN", "Infinity", ""])
def test_a_typed_number_that_could_mean_two_things_or_none_is_refused(text):
    with pytest.raises(ValueError, match="is not a number"):
        units.parse_typed_number(text)


def test_points_and_percent_are_stored_as_fractions_and_read_back():
    assert units.stored_from_typed("leaver_rate_change", Decimal("-1")) == Decimal("-0.01")
    assert units.stored_from_typed("international_change", Decimal("-30")) == Decimal("-0.30")
    assert units.stored_from_typed("demand_growth", Decimal("2.5")) == Decimal("0.025")
    assert units.plain(units.typed_from_stored("leaver_rate", Decimal("0.09400"))) == "9.4"
    assert units.plain(units.typed_from_stored("intake_change", Decimal("0.1"))) == "10"


def test_every_decimal_assumption_has_a_unit_and_a_range():
    assert set(units.TYPED_UNITS) == set(rules.ASSUMPTION_LIMITS)


def test_ranges_read_in_the_typed_units():
    assert (
        units.range_in_words("leaver_rate_change", *rules.ASSUMPTION_LIMITS["leaver_rate_change"])
        == "-20 to +20 points"
    )
    assert units.range_in_words("leaver_rate", Decimal(0), Decimal("0.5")) == "0% to 50%"
    assert units.range_in_words("intake_change", Decimal(-1), Decimal(2)) == "-100% to +200%"


def test_the_issue_ranges_refuse_the_implausible():
    # A leaver-rate change beyond 20 points, a growth rate beyond 20% a year.
    assert rules.check_assumption("leaver_rate_change", Decimal("-0.2")) is None
    assert rules.check_assumption("leaver_rate_change", Decimal("-0.21")) is not None
    assert rules.check_assumption("demand_growth", Decimal("0.2")) is None
    assert rules.check_assumption("demand_growth", Decimal("0.25")) == (
        "demand_growth must be from -0.2 to 0.2 (-20% to +20%); 0.25 is not."
    )


def test_a_value_that_looks_typed_in_points_is_refused_with_a_hint():
    assert rules.check_assumption("leaver_rate_change", Decimal("-1")) == (
        "leaver_rate_change must be from -0.2 to 0.2 (-20 to +20 points); -1 is not: "
        "fractions are asked for, and -1 point is -0.01."
    )


def test_a_typed_value_out_of_range_is_refused_in_its_own_units():
    assert rules.check_typed_assumption("leaver_rate_change", Decimal("-1")) is None
    assert rules.check_typed_assumption("leaver_rate_change", Decimal("-25")) == (
        "Give a number from -20 to +20 points; -25 points is not."
    )
    assert rules.check_typed_assumption("intake_change", Decimal("250")) == (
        "Give a number from -100% to +200%; 250% is not."
    )
    huge = rules.check_typed_assumption("demand_growth", Decimal("1e40"))
    assert huge is not None and len(huge) < 80


@pytest.mark.parametrize("text", ["£27,150", "27150", " £ 27,150.00 ", "GBP 27150"])
def test_a_cost_is_typed_in_pounds_with_or_without_the_sign_and_separators(text):
    assert units.parse_pounds(text) == Decimal("27150")


def test_costs_read_in_pounds_and_money_rates_in_percent():
    assert units.pounds(Decimal("27150")) == "£27,150"
    assert units.pounds(Decimal("9500.5")) == "£9,500.50"
    low, high = rules.ASSUMPTION_LIMITS["training_place_cost"]
    assert units.range_in_words("training_place_cost", low, high) == "£0 to £10,000,000"
    assert units.range_in_words("pay_award", *rules.ASSUMPTION_LIMITS["pay_award"]) == (
        "-5% to +20%"
    )
    assert units.stored_from_typed("pay_award", Decimal("3.6")) == Decimal("0.036")
    assert units.stored_from_typed("training_place_cost", Decimal("27150")) == Decimal("27150")


def test_a_cost_out_of_range_is_said_in_pounds_with_no_hint_about_fractions():
    assert rules.check_assumption("retention_point_cost", Decimal("10000000")) is None
    assert rules.check_assumption("retention_point_cost", Decimal("-5")) == (
        "retention_point_cost must be from £0 to £10,000,000, in pounds; -5 is not."
    )
    assert rules.stored_places("training_place_cost") == Decimal("0.01")
    assert rules.stored_places("pay_award") == rules.RATE_PLACES


@pytest.mark.parametrize(
    ("text", "pounds"),
    [("£1,250,000", "1250000"), ("1250000", "1250000"), ("£ 1,250.50", "1250.50"), ("-£5", "-5")],
)
def test_a_typed_sum_of_money_may_have_a_pound_sign(text, pounds):
    assert units.parse_pounds(text) == Decimal(pounds)


@pytest.mark.parametrize(
    ("text", "pounds"),
    [("£2.5m", "2500000"), ("£1.2bn", "1200000000"), ("750k", "750000"), ("£3.53 bn", "3530000000"),
     ("2.5 million", "2500000"), ("-£5m", "-5000000"), ("£1,250.5k", "1250500"),
     ("£1.2345678m", "1234567.8")],
)  # fmt: skip
def test_a_sum_may_be_typed_in_thousands_millions_or_billions_as_the_planner_shows_them(
    text, pounds
):
    assert units.parse_pounds(text) == Decimal(pounds)
    assert str(units.parse_pounds(text)) == pounds  # whole pounds without an exponent


@pytest.mark.parametrize("text", ["£lots", "£1,2", "m", "£2.5mm", "5 pounds", "£1.2b"])
def test_a_typed_sum_of_money_that_is_not_a_number_is_refused_quoting_what_was_typed(text):
    with pytest.raises(ValueError) as refused:
        units.parse_pounds(text)
    assert str(refused.value) == (
        f"{text!r} is not a sum of pounds: write it as 1250000, £1,250,000 or £1.25m."
    )
