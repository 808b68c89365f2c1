"""How a workforce lead types a scenario's numbers, and how they are stored: pure, no Django.

A scenario stores fractions (0.094 is a rate of 9.4% a year; -0.01 is one point lower), as
the engine and the API take them. The pages take what a lead types: rates, shares and
relative changes in percent ("9.4" for 9.4%, "-30" for 30% fewer) and changes to a rate in
percentage points ("-1" for one point lower); costs in pounds ("£27,150", "27150" or
"£2.5m"), stored in pounds. This module converts between the two and says a range in the typed
units, so that "-1" in a points box is one point, never -100.
"""

from __future__ import annotations

import re
from decimal import Context, Decimal, InvalidOperation

POINTS = "points"  # percentage points added to a rate: typed -1 is stored -0.01
PERCENT = "percent"  # a rate, a share or a relative change: typed 9.4 is stored 0.094
POUNDS = "pounds"  # a cost in GBP: typed 27,150 is stored 27150

# Every decimal assumption of a scenario and the unit a lead types it in.
TYPED_UNITS: dict[str, str] = {
    "leaver_rate": PERCENT,
    "leaver_rate_change": POINTS,
    "recruitment_rate": PERCENT,
    "international_rate": PERCENT,
    "international_change": PERCENT,
    "return_to_practice_rate": PERCENT,
    "demand_growth": PERCENT,
    "productivity": PERCENT,
    "retention_share": PERCENT,
    "intake_change": PERCENT,
    "vacancy_rate": PERCENT,
    "fallback_leaver_rate": PERCENT,
    "leaver_rate_sd": POINTS,
    "demand_growth_sd": POINTS,
    "productivity_sd": POINTS,
    "attrition_sd": POINTS,
    "international_sd": PERCENT,
    "pay_award": PERCENT,
    "on_cost_change": PERCENT,
    "temporary_share": PERCENT,
    "bank_share": PERCENT,
    "agency_premium": PERCENT,
    "training_place_cost": POUNDS,
    "international_recruit_cost": POUNDS,
    "retention_point_cost": POUNDS,
}

# 1,480 or 12,345.5 or -1,000: commas between groups of three digits, before any point.
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")
# Dashes a word processor or a spreadsheet puts for a minus sign.
_MINUS_SIGNS = str.maketrans({"\u2212": "-", "\u2013": "-", "\u2012": "-"})


def parse_typed_number(text: str) -> Decimal:
    """A number as a person types it: "1,480", "-1", "+2.5", "\u22121" (a typographic minus).

    Commas are taken as thousands separators only where they separate groups of three
    digits ("1,480"); "1,5" is refused, since it could mean 1.5 or 15. ValueError with a
    message when the text is not such a number.
    """
    cleaned = str(text).strip().translate(_MINUS_SIGNS).replace(" ", "")
    if "," in cleaned:
        if not _GROUPED.match(cleaned):
            raise ValueError(
                f"{str(text)[:20]!r} is not a number: write it as 1480, 1,480 or 1480.5."
            )
        cleaned = cleaned.replace(",", "")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"{str(text)[:20]!r} is not a number.") from None
    if not number.is_finite():
        raise ValueError(f"{str(text)[:20]!r} is not a number.")
    return number


def without_pound_sign(text: str) -> str:
    """A sum of money as typed, without its pound sign or "GBP": "£1,250,000" is
    "1,250,000", and "-£5" is "-5" (for the range check to refuse)."""
    cleaned = str(text).strip()
    sign = cleaned[:1] if cleaned[:1] in "+-\u2212\u2013\u2012" and cleaned else ""
    rest = cleaned[len(sign) :].strip()
    return sign + rest.removeprefix("£").removeprefix("GBP").strip()


def stored_from_typed(name: str, typed: Decimal) -> Decimal:
    """The fraction stored for what a lead typed: 9.4 (percent) is 0.094, -1 (points) -0.01."""
    return typed.scaleb(-2) if _unit(name) in (POINTS, PERCENT) else typed


def typed_from_stored(name: str, stored: Decimal) -> Decimal:
    """What a lead reads back in a box for a stored fraction: 0.094 is 9.4, -0.01 is -1."""
    return stored.scaleb(2) if _unit(name) in (POINTS, PERCENT) else stored


def _unit(name: str) -> str:
    """The unit of an assumption; a KeyError for one this table has not been told of."""
    return TYPED_UNITS[name]


def plain(value: Decimal) -> str:
    """A decimal as a person writes it: 10, 9.4, -0.5, never 1E+1 or 9.40000; a huge one
    briefly (1E+30), so that a message never quotes a number of a thousand digits."""
    if value.is_finite() and value and value.adjusted() >= 15:
        return str(value.normalize(Context(prec=6)))
    text = f"{value.normalize():f}"
    return "0" if text in ("-0", "0") else text


# Thousands, millions and billions as the planner's own figures show them (£750k, £2.5m,
# £1.2bn), and in words.
_MULTIPLES = {"k": 3, "thousand": 3, "m": 6, "million": 6, "bn": 9, "billion": 9}
_MULTIPLE = re.compile(r"^(?P<number>.*\d)\s*(?P<word>k|thousand|m|million|bn|billion)$", re.I)


def parse_pounds(text: str) -> Decimal:
    """A sum as a person types it: "£27,150", "27150", "GBP 27,150.50", "-£5", "£2.5m",
    "£1.2bn", "£750k"; ValueError quoting what was typed otherwise."""
    cleaned = without_pound_sign(text)
    match = _MULTIPLE.match(cleaned)
    number, shift = (match["number"], _MULTIPLES[match["word"].lower()]) if match else (cleaned, 0)
    try:
        value = parse_typed_number(number).scaleb(shift)
    except ValueError:
        raise ValueError(
            f"{str(text).strip()[:20]!r} is not a sum of pounds: write it as 1250000, "
            "£1,250,000 or £1.25m."
        ) from None
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def pounds(value: Decimal | int | float) -> str:
    """A cost as a lead reads it: £27,150, or £27,150.50 where it has pence."""
    number = Decimal(str(value))
    if number.is_finite() and number.adjusted() >= 15:
        return f"£{plain(number)}"
    whole = number == number.to_integral_value()
    return f"£{number:,.0f}" if whole else f"£{number:,.2f}"


def typed_text(name: str, typed: Decimal | int | float, *, signed: bool = False) -> str:
    """A typed value with its unit: "9.4%", "-1 point", "+20 points", "£27,150"."""
    number = Decimal(str(typed))
    if _unit(name) == POUNDS:
        return pounds(number)
    text = plain(number)
    if signed and number > 0:
        text = f"+{text}"
    if _unit(name) == PERCENT:
        return f"{text}%"
    return f"{text} point" if abs(number) == 1 else f"{text} points"


def range_in_words(name: str, low: Decimal, high: Decimal) -> str:
    """A stored range in the units a lead types: "-20 to +20 points", "0% to 50%"."""
    signed = low < 0
    first = typed_text(name, typed_from_stored(name, low), signed=signed)
    last = typed_text(name, typed_from_stored(name, high), signed=signed)
    if _unit(name) == POINTS:
        first = first.removesuffix(" points").removesuffix(" point")
    return f"{first} to {last}"
