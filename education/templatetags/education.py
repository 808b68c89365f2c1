"""Small filters for the education pages."""

from __future__ import annotations

from django import template

from core.calendar import year_label

register = template.Library()


@register.filter
def academic_year(year: int) -> str:
    """2027 -> '2027/28' (financial years are written the same way)."""
    return year_label(int(year))


@register.filter
def percent(fraction: float | None) -> str:
    return "" if fraction is None else f"{fraction * 100:.1f}%"
