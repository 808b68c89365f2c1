"""Filters of the dashboard pages: chart table cells, names as people write them, RAG tags."""

from __future__ import annotations

import datetime
import html
from collections.abc import Sequence

from django import template
from django.utils.safestring import SafeString, mark_safe

from core.kinds import PLANNING_SECTOR_LABELS
from workforce.charts import Column
from workforce.projection.completeness import summary
from workforce.selectors.dashboards_results import rag

from .planning import gbp

register = template.Library()

NOTHING = "\u2013"  # an en dash, where a table has no figure
RAG_TAGS = {"red": "nhsuk-tag--red", "amber": "nhsuk-tag--yellow", "green": "nhsuk-tag--green"}
NUMERIC = ("fte", "percent", "count", "gbp")


def _shown(value: object, kind: str) -> str:
    if value is None or value == "":
        return NOTHING
    if kind == "fte":
        return f"{value:,.0f}"
    if kind == "percent":
        return f"{value:.1f}%" if value < 10 else f"{value:.0f}%"
    if kind == "count":
        return f"{value:,}"
    if kind == "gbp":
        return gbp(value)
    if kind == "month" and isinstance(value, datetime.date):
        return value.strftime("%b %Y")
    return str(value)


@register.filter
def cells(row: Sequence[object], columns: Sequence[Column]) -> list[dict]:
    """A table's row as the page shows it: text, whether it is a number, its status."""
    shown = []
    for value, column in zip(row, columns, strict=True):
        numeric = column.kind in NUMERIC
        status = str(value).lower() if column.kind == "status" else None
        shown.append(
            {"text": _shown(value, column.kind), "numeric": numeric, "tag": RAG_TAGS.get(status)}
        )
    return shown


@register.simple_tag
def table_rows(rows: Sequence[Sequence[object]], columns: Sequence[Column]) -> SafeString:
    """A chart table's body rows, as `cells` shows them. Written here rather than as a loop in
    the template: a chart's table may have a thousand cells, and a template loop costs about
    ten times as much for each (docs/decisions.md)."""
    classes = [
        "nhsuk-table__cell app-numeric" if c.kind in NUMERIC else "nhsuk-table__cell"
        for c in columns
    ]
    lines = []
    for row in rows:
        tds = []
        for value, column, css in zip(row, columns, classes, strict=True):
            text = html.escape(_shown(value, column.kind))  # as the template escapes
            tag = RAG_TAGS.get(str(value).lower()) if column.kind == "status" else None
            if tag:
                text = f'<strong class="nhsuk-tag {tag}">{text}</strong>'
            tds.append(f'<td class="{css}">{text}</td>')
        lines.append(f'<tr class="nhsuk-table__row">{"".join(tds)}</tr>')
    return mark_safe("\n".join(lines))


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


AGAINST_ASK = {
    "within": "Within it (even at P90)",
    "likely": "Likely within it (P50)",
    "unlikely": "Unlikely (only P10 within it)",
    "beyond": "Beyond it (even P10)",
}


@register.filter
def against_ask(where: str | None) -> str:
    return AGAINST_ASK.get(where or "", NOTHING)


@register.filter
def percent_one(fraction: float | None) -> str:
    """A signed share to one decimal place of a percent: -0.0123 -> "-1.2%"."""
    return NOTHING if fraction is None else f"{fraction * 100:.1f}%"


@register.filter
def spend_limits(money) -> list[tuple[str, object]]:
    """The bank and agency limits a year's money has, named."""
    pairs = (("Bank", money.bank_limit), ("Agency", money.agency_limit))
    return [(name, limit) for name, limit in pairs if limit is not None]


@register.filter
def published_lines(rows: Sequence) -> list:
    """The sector lines (not the total) that count organisations from published figures."""
    return [row for row in rows if row.sector and row.figures.published]


@register.filter
def get_item(mapping: dict, key: object) -> object:
    """mapping[key] in a template, or None."""
    return mapping.get(key) if mapping else None


def _months(counts: dict[str, int], label) -> str:
    return ", ".join(f"{n:,} of {label(period)}" for period, n in sorted(counts.items()))


def _month_label(period: str) -> str:
    return datetime.date(int(period[:4]), int(period[5:7]), 1).strftime("%B %Y")


@register.filter
def coverage_lines(notes: dict | None) -> list[str]:
    """What a run was built on, one sentence per planning sector, from its notes'
    `coverage_by_sector` (workforce/projection/sectors.py)."""
    lines = []
    for sector, c in (notes or {}).get("coverage_by_sector", {}).items():
        parts = [f"{c['from_returns']:,} from their returns"]
        if c["from_published"]:
            published = _months(c["published_months"], _month_label)
            parts.append(f"{c['from_published']:,} from published figures ({published})")
        if c["from_headcount"]:
            parts.append(
                f"{c['from_headcount']:,} from published headcounts turned into FTE "
                f"({_months(c['headcount_periods'], str)})"
            )
        n = c["organisations"]
        line = f"{PLANNING_SECTOR_LABELS[sector]}: {n:,} organisation{'s' * (n != 1)}, " + (
            "; ".join(parts)
        )
        if c["headcount_only_not_projected"]:
            line += (
                f"; {c['headcount_only_not_projected']:,} with a published headcount only, "
                "not projected"
            )
        if c.get("illustrative"):
            line += f"; the figures of {c['illustrative']:,} are illustrative, not published"
        lines.append(line + ".")
    shared = (notes or {}).get("shared_organisations") or {}
    if shared:
        parts = [
            f"{code} ({', '.join(f'{ics} {share * 100:g}%' for ics, share in systems)})"
            for code, systems in shared.items()
        ]
        lines.append("Counted in each system it serves by its share: " + "; ".join(parts) + ".")
    return lines


@register.filter
def completeness_line(built_on: dict | None) -> str:
    """What a run was built on, in a line with a capital: "Built on 5 of 6 ..."."""
    line = summary(built_on or {})
    return line[:1].upper() + line[1:]
