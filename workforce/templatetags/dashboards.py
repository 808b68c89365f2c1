"""Filters of the dashboard pages: chart table cells, names as people write them, RAG tags."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django import template

from workforce.charts import Column
from workforce.charts.base import display_name, short_system
from workforce.selectors.dashboards import rag

register = template.Library()

NOTHING = "\u2013"  # an en dash, where a table has no figure
RAG_TAGS = {"red": "nhsuk-tag--red", "amber": "nhsuk-tag--yellow", "green": "nhsuk-tag--green"}

register.filter("display_name", display_name)
register.filter("short_system", short_system)


def _shown(value: object, kind: str) -> str:
    if value is None or value == "":
        return NOTHING
    if kind == "fte":
        return f"{value:,.0f}"
    if kind == "percent":
        return f"{value:.1f}%" if value < 10 else f"{value:.0f}%"
    if kind == "count":
        return f"{value:,}"
    if kind == "month" and isinstance(value, datetime.date):
        return value.strftime("%b %Y")
    return str(value)


@register.filter
def cells(row: Sequence[object], columns: Sequence[Column]) -> list[dict]:
    """A chart table's row as the page shows it: text, whether it is a number, its status."""
    shown = []
    for value, column in zip(row, columns, strict=True):
        numeric = column.kind in ("fte", "percent", "count")
        status = str(value).lower() if column.kind == "status" else None
        shown.append(
            {"text": _shown(value, column.kind), "numeric": numeric, "tag": RAG_TAGS.get(status)}
        )
    return shown


@register.filter
def rag_tag(probability: float | None) -> str:
    """The NHS tag class of a probability's RAG status."""
    return RAG_TAGS.get(rag(probability), "nhsuk-tag--grey")


@register.filter
def rag_word(probability: float | None) -> str:
    return {"red": "Red", "amber": "Amber", "green": "Green"}.get(rag(probability), "No target")


@register.filter
def as_percent(fraction: float | None) -> str:
    return NOTHING if fraction is None else f"{fraction * 100:.0f}%"


@register.filter
def get_item(mapping: dict, key: object) -> object:
    """mapping[key] in a template, or None."""
    return mapping.get(key) if mapping else None
