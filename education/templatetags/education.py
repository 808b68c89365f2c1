"""Small filters for the education pages."""

from __future__ import annotations

from django import template

from core.calendar import year_label
from education.placement_sectors import SECTOR_LABELS, part_label

register = template.Library()


@register.filter
def academic_year(year: int) -> str:
    """2027 -> '2027/28' (financial years are written the same way)."""
    return year_label(int(year))


@register.filter
def percent(fraction: float | None) -> str:
    return "" if fraction is None else f"{fraction * 100:.1f}%"


@register.filter
def sector_label(sector: str | None) -> str:
    """'primary_care' -> 'Primary care'; blank or None: places attributed to no sector."""
    return SECTOR_LABELS.get(sector or "", "Not attributed to a sector")


@register.filter
def sectors_label(sectors) -> str:
    """('primary_care', 'social_care') -> 'Primary care or social care'."""
    return part_label(tuple(sectors))
