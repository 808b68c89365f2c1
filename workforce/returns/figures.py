"""One cell of a staffing return read as a figure, or a message saying what is wrong with it.

Plain decimals, Excel numbers and numbers grouped in thousands are figures; formulas with no
saved value, Excel errors, TRUE/FALSE, dates, NaN, infinity, negative figures and anything
above MAX_FIGURE are not. FTE is rounded half up to 2 places, the sickness rate to 5.
"""

from __future__ import annotations

import datetime
import math
import re
from decimal import ROUND_HALF_UP, Decimal

from .parsing import Cell, ExcelError, cell_text, is_formula, quoted

FTE_PLACES = Decimal("0.01")
RATE_PLACES = Decimal("0.00001")  # the precision the rate is stored to
MAX_FIGURE = Decimal("999999.99")
MAX_COST = Decimal("999999999.99")  # GBP in a month: an organisation's whole pay bill fits
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,3})?", re.ASCII)
_GROUPED_NUMBER = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?", re.ASCII)
# A plain decimal, as almost every cell of a CSV return holds: read by a short path.
_PLAIN_NUMBER = re.compile(r"\d{1,7}(?:\.\d{0,7})?", re.ASCII)
_OWN_RULES = frozenset({"headcount", "sickness_absence_rate"})  # the figures that are not FTE
_LONGEST_NUMBER = 100  # characters; longer text is not a figure anyone typed
_DATES = (datetime.datetime, datetime.date, datetime.time, datetime.timedelta)


def read_figure(name: str, raw: Cell) -> Decimal | int | str:
    """The figure in a cell that is not blank, or a message saying what is wrong with it."""
    if type(raw) is str and _PLAIN_NUMBER.fullmatch(raw):
        # A plain decimal, as almost every cell of a CSV file is: never a formula, text or
        # negative, and an FTE figure within range needs only its rounding.
        value = Decimal(raw)
        if name not in _OWN_RULES and value <= MAX_FIGURE:
            return value.quantize(FTE_PLACES, rounding=ROUND_HALF_UP)
    else:
        value = _number(name, raw)
        if isinstance(value, str):
            return value
    if value.copy_abs() > MAX_FIGURE:
        return f"{name} is too large ({quoted(raw)}); the largest accepted is {MAX_FIGURE:,}."
    if value < 0:
        return f"{name} cannot be negative ({quoted(raw)})."
    if name == "headcount":
        if value != value.to_integral_value():
            return f"headcount must be a whole number of people, not {quoted(raw)}."
        return int(value)
    if name == "sickness_absence_rate":
        if value > 1:
            shown = quoted(raw)
            if value <= 100 and "%" not in shown:
                example = format((value / 100).normalize(), "f")
                return (
                    f"sickness_absence_rate {shown} looks like a percentage; give the rate as "
                    f"a fraction, e.g. {example} for {shown}%."
                )
            return f"sickness_absence_rate must be a fraction from 0 to 1, not {shown}."
        return value.quantize(RATE_PLACES, rounding=ROUND_HALF_UP)
    return value.quantize(FTE_PLACES, rounding=ROUND_HALF_UP)


def _number(name: str, raw: Cell) -> Decimal | str:
    if is_formula(raw):
        return (
            f"{name} is a formula ({quoted(raw)}) with no saved value; type the figure, or "
            "in Excel copy the cells and paste them as values."
        )
    if isinstance(raw, str):  # every cell of a CSV file: straight to its text
        return _text_number(name, raw, raw.strip())
    if isinstance(raw, ExcelError):
        return f"{name} shows the Excel error {raw.code}; correct the formula or type the figure."
    if isinstance(raw, bool):
        return f"{name} must be a number, not TRUE or FALSE."
    if isinstance(raw, _DATES):
        return f"{name} is a date or time, not a number; format the cell as a number."
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        return Decimal(repr(raw)) if math.isfinite(raw) else _not_a_number(name, raw)
    if isinstance(raw, Decimal):
        return raw if raw.is_finite() else _not_a_number(name, raw)
    return _text_number(name, raw, cell_text(raw).strip())


def _text_number(name: str, raw: Cell, text: str) -> Decimal | str:
    percent = name == "sickness_absence_rate" and text.endswith("%")
    if percent:
        text = text[:-1].rstrip()
    if "," in text and _GROUPED_NUMBER.fullmatch(text):
        text = text.replace(",", "")
    if len(text) > _LONGEST_NUMBER or not _NUMBER.fullmatch(text):
        if "," in text and _NUMBER.fullmatch(text.replace(",", ".", 1)):
            return f"{_not_a_number(name, raw)[:-1]}; use a full stop for the decimal point."
        return _not_a_number(name, raw)
    value = Decimal(text)
    return value / 100 if percent else value


def _not_a_number(name: str, raw: Cell) -> str:
    return f'{name} must be a number, not "{quoted(raw)}".'


def read_cost(name: str, raw: Cell) -> Decimal | str:
    """A month's cost in GBP (pay_cost, bank_cost, agency_cost) from a cell that is not
    blank, rounded half up to pence, or a message saying what is wrong with it. A "£" before
    the figure is accepted; costs may exceed MAX_FIGURE, up to MAX_COST."""
    if isinstance(raw, str) and raw.strip().startswith("\u00a3"):
        raw = raw.strip()[1:]
    value = _number(name, raw)
    if isinstance(value, str):
        return value
    shown = quoted(raw)
    if value.copy_abs() > MAX_COST:
        return f"{name} is too large ({shown}); the largest accepted is {MAX_COST:,}."
    if value < 0:
        return f"{name} cannot be negative ({shown}); give the month's cost in pounds."
    return value.quantize(FTE_PLACES, rounding=ROUND_HALF_UP)
