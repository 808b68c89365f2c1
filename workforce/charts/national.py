"""Charts of the national view: every system, for one staff group or all of them."""

from __future__ import annotations

from collections.abc import Sequence

from core.calendar import year_label
from core.names import short_system
from workforce.selectors.dashboards_national import NationalRow

from .base import (
    GREEN,
    NO_TARGETS,
    PROBABILITY,
    RAG_COLOURS,
    RAG_WORDS,
    RED,
    WARM_YELLOW,
    Chart,
    bars_height,
    columns,
    figure,
    fte,
    grid,
    heatmap_layout,
    layout,
    percent,
    trace,
)

# The most telling first: a table wider than the screen scrolls to the rest.
NATIONAL_COLUMNS = columns(
    "System",
    "Code",
    "Region",
    ("Status", "status"),
    (PROBABILITY, "percent", "Probability"),
    ("Shortfall as a share of demand (%)", "percent", "Shortfall (% of demand)"),
    ("Shortfall, median", "fte", "Shortfall (FTE)"),
    ("Plan target", "fte", "Target (FTE)"),
    ("Supply, median", "fte", "Supply (FTE)"),
    ("Demand, median", "fte", "Demand (FTE)"),
    ("Total spend on the workforce, median (GBP)", "gbp", "Spend"),
    ("Bank and agency spend, median (GBP)", "gbp", "Bank and agency"),
)


def national_row(row: NationalRow) -> tuple:
    """One system's line of the national table, as NATIONAL_COLUMNS."""
    r = row.result
    return (
        short_system(row.ics_name),
        row.ics_code,
        row.region,
        RAG_WORDS[r.rag],
        percent(r.probability),
        percent(row.gap_share),
        fte(r.gap.p50),
        fte(r.target_fte),
        fte(r.supply.p50),
        fte(r.demand.p50),
        None if r.money is None else round(r.money.total.p50),
        None if r.money is None else round(r.money.temporary),
    )


def national_gap_chart(rows: Sequence[NationalRow], group: str, year: int) -> Chart:
    """Each system's median shortfall as a share of its demand, largest first, coloured by
    the status of its target."""
    title = f"{group}: shortfall as a share of demand by system in {year_label(year)}"
    ordered = sorted((r for r in rows if r.gap_share is not None), key=lambda r: -r.gap_share)
    table = [national_row(r) for r in ordered]
    if not table:
        return Chart("national-gap", title, None, NATIONAL_COLUMNS, table)
    bar = trace(
        "bar",
        y=[r[0] for r in table],
        x=[r[5] for r in table],
        orientation="h",
        marker={"color": [RAG_COLOURS[r.result.rag] for r in ordered]},
        customdata=[[r[6]] for r in table],
        hovertemplate="%{y}: %{x:.1f}% of demand (%{customdata[0]:,.0f} FTE)<extra></extra>",
    )
    shape = layout(
        title,
        "Shortfall (% of demand)",
        "System",
        "Median shortfall over median demand. Colour: the status of the plan target.",
        yaxis={"autorange": "reversed"},
        showlegend=False,
        height=bars_height(len(table), each=24),
    )
    return Chart("national-gap", title, figure([bar], shape), NATIONAL_COLUMNS, table)


# Three flat bands, so that each cell reads as its RAG status.
RAG_SCALE = [
    [0, RED],
    [0.4999, RED],
    [0.5, WARM_YELLOW],
    [0.7999, WARM_YELLOW],
    [0.8, GREEN],
    [1, GREEN],
]


def national_probability_chart(
    cells: Sequence[NationalRow], names: dict[str, str], year: int
) -> Chart:
    """The probability of meeting every system's target of every staff group in the year."""
    title = f"Probability of meeting each plan target in {year_label(year)}, by system"
    met = sorted((c for c in cells if c.result.probability is not None), key=lambda c: c.ics_name)
    cols = columns(
        "System",
        "Code",
        "Staff group",
        ("Plan target", "fte"),
        (PROBABILITY, "percent"),
        ("Status", "status"),
    )
    rows = [
        (
            short_system(c.ics_name),
            c.ics_code,
            names.get(c.result.staff_group, c.result.staff_group),
            fte(c.result.target_fte),
            percent(c.result.probability),
            RAG_WORDS[c.result.rag],
        )
        for c in met
    ]
    if not rows:
        return Chart("national-probability", title, None, cols, rows, NO_TARGETS)
    y, x, z = grid([(r[0], r[2], r[4]) for r in rows], list(names.values()))
    heatmap = trace(
        "heatmap",
        x=x,
        y=y,
        z=z,
        zmin=0,
        zmax=100,
        colorscale=RAG_SCALE,
        texttemplate="%{z:.0f}",
        colorbar={"title": {"text": "Probability (%)"}, "tickvals": [0, 50, 80, 100]},
        hovertemplate="%{y}<br>%{x}: %{z:.0f}%<extra></extra>",
        xgap=2,
        ygap=2,
    )
    note = "Red: under 50%. Amber: 50% to 79%. Green: 80% or more."
    shape = heatmap_layout(title, "Staff group", "System", len(y), note)
    return Chart("national-probability", title, figure([heatmap], shape), cols, rows)
