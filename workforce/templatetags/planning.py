"""Small filters for the target and scenario pages."""

from __future__ import annotations

from django import template

from core.calendar import year_label

register = template.Library()
NOTHING = "\u2013"  # an en dash, where a table has no figure


@register.filter
def financial_year(year: int) -> str:
    """2028 -> "2028/29"."""
    return year_label(int(year))


@register.filter
def pounds(value: float | None) -> str:
    """A sum as a table shows it: £1.62m from a million, £850k from a thousand, else £640."""
    if value is None:
        return NOTHING
    if abs(value) >= 1_000_000:
        return f"£{value / 1_000_000:,.2f}m"
    if abs(value) >= 1_000:
        return f"£{value / 1_000:,.0f}k"
    return f"£{value:,.0f}"
