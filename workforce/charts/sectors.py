"""The workforce by planning sector: the shortfall of each sector in the target year, and the
table of its figures now and projected, which is also its download."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from core.calendar import year_label
from workforce.selectors.dashboards_results import rag
from workforce.selectors.dashboards_sectors import SectorRow

from .base import (
    BLUE,
    GREY,
    PROBABILITY,
    RAG_WORDS,
    Chart,
    bars_height,
    columns,
    figure,
    fte,
    layout,
    percent,
    trace,
)

NO_FIGURES = "No figures yet"
NOT_EMPLOYED = "Not a staff group of this sector"
NOT_PROJECTED = "Not in this projection"
FIGURES_COLUMNS = (
    "Sector",
    ("Organisations with figures", "count"),
    ("FTE in post", "fte"),
    ("Vacancies where known (FTE)", "fte"),
    ("Vacancy rate where known (%)", "percent"),
    ("Organisations whose vacancies are unknown", "count"),
    ("Shortfall, low (P10)", "fte"),
    ("Shortfall, median", "fte"),
    ("Shortfall, high (P90)", "fte"),
)
SYSTEM_COLUMNS = columns(
    *FIGURES_COLUMNS,
    ("Plan target", "fte"),
    (PROBABILITY, "percent"),
    ("Status", "status"),
    "Note",
)
NATIONAL_COLUMNS = columns(
    *FIGURES_COLUMNS,
    ("Systems with a plan target", "count"),
    ("Systems 80% or more likely to meet it", "count"),
    "Note",
)


def row_note(row: SectorRow) -> str:
    """What a line's figures do not say by themselves."""
    if not row.employs:
        return NOT_EMPLOYED
    if row.no_figures:
        return NO_FIGURES
    notes = [row.target_note] if row.target_note else []
    if row.figures.published:
        sources = "; ".join(row.figures.sources)
        n = row.figures.published
        notes.append(f"Published figures ({sources}) for {n} organisation{'s' if n > 1 else ''}")
    if row.figures.illustrative:
        notes.append(illustrative_note(row.figures.illustrative))
    return ". ".join(notes)


def illustrative_note(count: int) -> str:
    return (
        f"The figures of {count} organisation{'s' if count > 1 else ''} are illustrative, "
        "made for the demo by a stated rule, not published or reported"
    )


def _row(row: SectorRow, national: bool) -> tuple:
    f, gap = row.figures, row.gap
    counted = bool(f.organisations)
    figures = (
        row.label,
        f.organisations,
        fte(f.fte) if counted else None,
        fte(f.vacancies_fte) if f.vacancies_known else None,
        percent(f.vacancy_rate),
        f.vacancies_unknown if counted else None,
        *((fte(gap.p10), fte(gap.p50), fte(gap.p90)) if gap else (None, None, None)),
    )
    if national:
        return (*figures, row.systems_with_target, row.systems_likely, row_note(row))
    status = RAG_WORDS[rag(row.probability)] if row.probability is not None else None
    return (*figures, fte(row.target_fte), percent(row.probability), status, row_note(row))


def sector_chart(rows: Sequence[SectorRow], group: str, year: int | None, national: bool) -> Chart:
    """Each sector's median shortfall in the target year with its P10 to P90 range, and the
    table of every sector's figures (every sector together last)."""
    when = f" in {year_label(year)}" if year is not None else ""
    title = f"{group}: the workforce by sector{when}"
    table = [_row(r, national) for r in rows]
    cols = NATIONAL_COLUMNS if national else SYSTEM_COLUMNS
    drawn = [r for r in rows if r.sector and r.employs and r.gap is not None]
    if not drawn:
        return Chart("sectors", title, None, cols, table, empty="No projection by sector yet.")
    bar = trace(
        "bar",
        y=[r.label for r in drawn],
        x=[fte(r.gap.p50) for r in drawn],
        orientation="h",
        marker={"color": BLUE},
        error_x={
            "type": "data",
            "symmetric": False,
            "array": [fte(r.gap.p90 - r.gap.p50) for r in drawn],
            "arrayminus": [fte(r.gap.p50 - r.gap.p10) for r in drawn],
            "color": GREY,
        },
        hovertemplate="%{y}: %{x:,.0f} FTE<extra></extra>",
    )
    shape = layout(
        title,
        "Shortfall (full-time equivalent)",
        "Sector",
        "Median shortfall (demand minus supply); the lines show P10 to P90.",
        yaxis={"autorange": "reversed"},
        showlegend=False,
        height=bars_height(len(drawn)),
    )
    return Chart("sectors", title, figure([bar], shape), cols, table)


def for_sector(chart: Chart, sector: str) -> Chart:
    """A chart of one sector's figures, titled so (on the page, in the download and in an
    exported image)."""
    title = f"{chart.title} ({sector})"
    drawn = chart.figure
    if drawn is not None:
        heading = {**drawn["layout"]["title"], "text": title}
        drawn = {**drawn, "layout": {**drawn["layout"], "title": heading}}
    return replace(chart, title=title, figure=drawn)
