"""Charts of one projection run: supply against demand and targets, the gap, the probability."""

from __future__ import annotations

from collections.abc import Sequence

from core.calendar import year_label
from core.names import display_name
from workforce.selectors.dashboards import GroupYear, OrganisationValue

from .base import (
    BLUE,
    FTE_AXIS,
    GREEN,
    GREY,
    NO_TARGETS,
    ORANGE,
    PROBABILITY,
    RAG_COLOURS,
    RAG_WORDS,
    RED,
    YEAR_AXIS,
    Chart,
    band,
    bars_height,
    columns,
    figure,
    fte,
    grid,
    heatmap_layout,
    layout,
    line,
    percent,
    targets,
    trace,
)


def supply_demand_chart(series: Sequence[GroupYear], group: str, place: str) -> Chart:
    """Supply and demand (median, and the P10-P90 band) and the plan targets, year by year."""
    title = f"{group}, {place}: projected staff against demand and plan targets"
    cols = columns(
        YEAR_AXIS,
        ("Supply, low (P10)", "fte"),
        ("Supply, median", "fte"),
        ("Supply, high (P90)", "fte"),
        ("Demand, low (P10)", "fte"),
        ("Demand, median", "fte"),
        ("Demand, high (P90)", "fte"),
        ("Plan target", "fte"),
        (PROBABILITY, "percent"),
    )
    rows = [
        (
            year_label(r.year),
            *(fte(v) for v in (r.supply.p10, r.supply.p50, r.supply.p90)),
            *(fte(v) for v in (r.demand.p10, r.demand.p50, r.demand.p90)),
            fte(r.target_fte),
            percent(r.probability),
        )
        for r in series
    ]
    if not rows:
        return Chart("supply-demand", title, None, cols, rows)
    x = [row[0] for row in rows]
    traces = [
        *band(x, [r[4] for r in rows], [r[6] for r in rows], "Demand, P10 to P90", ORANGE),
        line(x, [r[5] for r in rows], "Demand (median)", ORANGE, "dash"),
        *band(x, [r[1] for r in rows], [r[3] for r in rows], "Supply, P10 to P90", BLUE),
        line(x, [r[2] for r in rows], "Supply (median)", BLUE),
    ]
    points = {row[0]: row[7] for row in rows if row[7] is not None}
    if points:
        traces.append(targets(points))
    note = "Lines: median. Shaded: 8 in 10 outcomes fall inside (P10 to P90). Diamonds: targets."
    shape = layout(title, YEAR_AXIS, FTE_AXIS, note, hovermode="x unified")
    return Chart("supply-demand", title, figure(traces, shape), cols, rows)


def gap_by_group_chart(in_year: Sequence[GroupYear], names: dict[str, str], year: int) -> Chart:
    """The shortfall (demand - supply) of each staff group in the target year, largest first."""
    title = f"Shortfall by staff group in {year_label(year)} (demand minus supply)"
    cols = columns(
        "Staff group",
        ("Demand, median", "fte"),
        ("Supply, median", "fte"),
        ("Shortfall, low (P10)", "fte"),
        ("Shortfall, median", "fte"),
        ("Shortfall, high (P90)", "fte"),
    )
    rows = [
        (
            names.get(r.staff_group, r.staff_group),
            fte(r.demand.p50),
            fte(r.supply.p50),
            fte(r.gap.p10),
            fte(r.gap.p50),
            fte(r.gap.p90),
        )
        for r in sorted(in_year, key=lambda r: r.gap.p50, reverse=True)
    ]
    if not rows:
        return Chart("gap-by-group", title, None, cols, rows)
    bar = trace(
        "bar",
        y=[r[0] for r in rows],
        x=[r[4] for r in rows],
        orientation="h",
        marker={"color": [RED if r[4] > 0 else GREEN for r in rows]},
        error_x={
            "type": "data",
            "symmetric": False,
            "array": [r[5] - r[4] for r in rows],
            "arrayminus": [r[4] - r[3] for r in rows],
            "color": GREY,
        },
        hovertemplate="%{y}: %{x:,.0f} FTE<extra></extra>",
    )
    shape = layout(
        title,
        "Shortfall (full-time equivalent)",
        "Staff group",
        "Median; the lines show P10 to P90. Below zero: more staff than demand.",
        yaxis={"autorange": "reversed"},
        showlegend=False,
        height=bars_height(len(rows)),
    )
    return Chart("gap-by-group", title, figure([bar], shape), cols, rows)


def probability_chart(in_year: Sequence[GroupYear], names: dict[str, str], year: int) -> Chart:
    """The probability of meeting each plan target of the year, as a RAG status."""
    title = f"Probability of meeting each plan target in {year_label(year)}"
    met = [r for r in in_year if r.target_fte is not None and r.probability is not None]
    cols = columns(
        "Staff group",
        ("Plan target", "fte"),
        ("Supply, median", "fte"),
        (PROBABILITY, "percent"),
        ("Status", "status"),
    )
    rows = [
        (
            names.get(r.staff_group, r.staff_group),
            fte(r.target_fte),
            fte(r.supply.p50),
            percent(r.probability),
            RAG_WORDS[r.rag],
        )
        for r in met
    ]
    if not rows:
        return Chart("probability", title, None, cols, rows, NO_TARGETS)
    bar = trace(
        "bar",
        y=[r[0] for r in rows],
        x=[r[3] for r in rows],
        orientation="h",
        marker={"color": [RAG_COLOURS[r.rag] for r in met]},
        text=[f"{r[3]:.0f}% {r[4].lower()}" for r in rows],
        textposition="outside",
        cliponaxis=False,
        hovertemplate="%{y}: %{x:.0f}%<extra></extra>",
    )
    thresholds = [
        {
            "type": "line",
            "x0": x,
            "x1": x,
            "y0": 0,
            "y1": 1,
            "yref": "paper",
            "line": {"color": GREY, "dash": "dot", "width": 1},
        }
        for x in (50, 80)
    ]
    shape = layout(
        title,
        PROBABILITY,
        "Staff group",
        "Red: under 50%. Amber: 50% to 79%. Green: 80% or more.",
        xaxis={"range": [0, 125], "tickvals": [0, 20, 40, 50, 60, 80, 100]},
        yaxis={"autorange": "reversed"},
        shapes=thresholds,
        showlegend=False,
        height=bars_height(len(rows)),
    )
    return Chart("probability", title, figure([bar], shape), cols, rows)


def gap_heatmap_chart(
    cells: Sequence[OrganisationValue], names: dict[str, str], year: int
) -> Chart:
    """Each organisation's median shortfall by staff group in the target year."""
    title = f"Projected shortfall by organisation and staff group in {year_label(year)}"
    cols = columns(
        "Organisation",
        "Code",
        "Staff group",
        ("Demand, median", "fte"),
        ("Shortfall, median", "fte"),
        ("Shortfall as a share of demand (%)", "percent"),
    )
    rows = [
        (
            display_name(c.organisation_name),
            c.organisation_code,
            names.get(c.staff_group, c.staff_group),
            fte(c.base),
            fte(c.value),
            percent(c.value / c.base if c.base else None),
        )
        for c in cells
    ]
    if not rows:
        return Chart("gap-heatmap", title, None, cols, rows)
    y, x, z = grid([(r[0], r[2], r[4]) for r in rows], list(names.values()))
    heatmap = trace(
        "heatmap",
        x=x,
        y=y,
        z=z,
        zmid=0,
        colorscale=[[0, GREEN], [0.5, "#ffffff"], [1, RED]],
        colorbar={"title": {"text": "Shortfall (FTE)"}},
        texttemplate="%{z:,.0f}",
        hovertemplate="%{y}<br>%{x}: %{z:,.0f} FTE short<extra></extra>",
        xgap=2,
        ygap=2,
    )
    note = "Median shortfall, full-time equivalent. Red: too few staff; green: more than demand."
    shape = heatmap_layout(title, "Staff group", "Organisation", len(y), note)
    return Chart("gap-heatmap", title, figure([heatmap], shape), cols, rows)
