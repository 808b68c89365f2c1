"""Filters of the staffing return pages: a figure not given, a rate as a percentage."""

from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()

NOT_GIVEN = "\u2013"  # an en dash, as the dashboards' tables show no figure


@register.filter
def given(value: object) -> object:
    """The figure, or a dash where the return left it blank (None: not given)."""
    return NOT_GIVEN if value is None else value


@register.filter
def rate_percent(fraction: Decimal | float | None) -> str:
    """A rate stored as a fraction (0.04512), shown as a percentage (4.51%)."""
    if fraction is None:
        return NOT_GIVEN
    return f"{Decimal(str(fraction)) * 100:.2f}%"
