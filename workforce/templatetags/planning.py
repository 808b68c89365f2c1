"""Small filters for the target and scenario pages."""

from __future__ import annotations

from decimal import Decimal

from django import template

from core.calendar import year_label
from workforce.plans import units

register = template.Library()
NOTHING = "\u2013"  # an en dash, where a table has no figure


@register.filter
def financial_year(year: int) -> str:
    """2028 -> "2028/29"."""
    return year_label(int(year))


@register.filter
def percent(fraction: Decimal) -> str:
    """A stored fraction in percent, as a lead types it: 0.036 -> "3.6%"."""
    return f"{units.plain(Decimal(fraction).scaleb(2))}%"


@register.filter
def gbp(value: float | None) -> str:
    """Pounds as a board paper writes them, millions and billions to three figures: "£1.24bn",
    "£412m", "£41.2m", "£1.62m", "£950k", "£640"."""
    if value is None:
        return NOTHING
    sign, amount = ("-" if value < 0 else ""), abs(float(value))
    for size, unit in ((1e9, "bn"), (1e6, "m")):
        if amount >= size:
            scaled = amount / size
            places = 2 if scaled < 10 else 1 if scaled < 100 else 0
            return f"{sign}£{scaled:,.{places}f}{unit}"
    if amount >= 1e3:
        return f"{sign}£{amount / 1e3:,.0f}k"
    return f"{sign}£{amount:,.0f}"
