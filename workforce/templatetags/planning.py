"""Small filters for the target and scenario pages."""

from __future__ import annotations

from django import template

from core.calendar import year_label

register = template.Library()


@register.filter
def financial_year(year: int) -> str:
    """2028 -> "2028/29"."""
    return year_label(int(year))
