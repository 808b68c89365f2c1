"""The planning calendar: months, financial years and how people write them. Pure: no Django.

A month is the date of its first day. A financial year runs from April to March and is held as
the year it starts (2028 for 2028/29); an academic year likewise (September to August). Every
part of the planner parses and labels these here, so a month or a year reads the same
everywhere and is refused with the same words.
"""

from __future__ import annotations

import datetime
import math
import re
from decimal import Decimal

# The years a month or a plan year may name: anything outside is a typing mistake, not a plan.
FIRST_YEAR, LAST_YEAR = 2000, 2100

_MONTH = re.compile(r"(\d{4})-(\d{2})", re.ASCII)
_YEAR = re.compile(r"(\d{4})(?:\s*[/-]\s*(\d{2}|\d{4}))?", re.ASCII)


def parse_month(text: str) -> datetime.date:
    """The first day of a month written YYYY-MM (ASCII digits, years FIRST_YEAR to LAST_YEAR).

    Raises ValueError with a message for the user.
    """
    stripped = (text or "").strip()
    match = _MONTH.fullmatch(stripped)
    if match is None or not 1 <= int(match[2]) <= 12:
        raise ValueError(f"'{stripped[:20]}' is not a month: use YYYY-MM.")
    year = int(match[1])
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(
            f"'{stripped}' is not a month the planner holds: use a year from {FIRST_YEAR} "
            f"to {LAST_YEAR}."
        )
    return datetime.date(year, int(match[2]), 1)


def month_label(month: datetime.date) -> str:
    """A month as the API writes it: 2026-01."""
    return f"{month.year:04d}-{month.month:02d}"


def month_add(month: datetime.date, months: int) -> datetime.date:
    """The first day of the month `months` after (or before, when negative) `month`'s."""
    index = month.year * 12 + month.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def financial_year(day: datetime.date) -> int:
    """The financial year holding a day, by the year it starts (March 2027 is in 2026/27)."""
    return day.year if day.month >= 4 else day.year - 1


def year_label(year: int) -> str:
    """A financial (or academic) year as people write it: 2028 -> "2028/29"."""
    return f"{year}/{(year + 1) % 100:02d}"


def parse_year(value: object) -> int:
    """A financial year given as 2028, "2028" or "2028/29" (also "2028-29", "2028/2029").

    Raises ValueError with a message for the user. The range is checked by the caller, whose
    bounds depend on what the year is for.
    """
    if isinstance(value, bool):
        raise ValueError(f"{value} is not a year: write it as 2028 or 2028/29.")
    if isinstance(value, int):
        return value
    if isinstance(value, float | Decimal):
        if math.isfinite(value) and value == int(value):
            return int(value)
        raise ValueError(f"{value} is not a year: write it as 2028 or 2028/29.")
    text = str(value).strip()
    match = _YEAR.fullmatch(text)
    if not match:
        raise ValueError(f'"{text[:20]}" is not a year: write it as 2028 or 2028/29.')
    year = int(match.group(1))
    end = match.group(2)
    if end is not None and int(end) not in ((year + 1) % 100, year + 1):
        raise ValueError(
            f'"{text}" is not a financial year: one runs from April to March, '
            f"so the year starting in {year} is {year_label(year)}."
        )
    return year
