"""Small filters for the target and scenario pages."""

from __future__ import annotations

from decimal import Decimal

from django import template

from core.calendar import year_label
from workforce.plans import units

register = template.Library()


@register.filter
def financial_year(year: int) -> str:
    """2028 -> "2028/29"."""
    return year_label(int(year))


@register.filter
def percent(fraction: Decimal) -> str:
    """A stored fraction in percent, as a lead types it: 0.036 -> "3.6%"."""
    return f"{units.plain(Decimal(fraction).scaleb(2))}%"
