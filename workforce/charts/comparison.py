"""Charts of the scenario comparison: the same measures, one line (or bar) per scenario."""

from __future__ import annotations

from collections.abc import Sequence

from core.calendar import year_label
from workforce.selectors.dashboards_compare import ScenarioRun

from .base import (
    FTE_AXIS,
    NO_TARGETS,
    PROBABILITY,
    RAG_WORDS,
    SCENARIO_COLOURS,
    YEAR_AXIS,
    Chart,
    bars_height,
    columns,
    figure,
    fte,
    label,
    layout,
    line,
    percent,
    targets,
    trace,
)

NO_RUNS = "None of these scenarios has a projection of this system yet."


def _coloured(compared: Sequence[ScenarioRun]):
    return zip(SCENARIO_COLOURS, compared, strict=False)


def compare_supply_chart(compared: Sequence[ScenarioRun], staff_group: str, group: str) -> Chart:
    title = f"{group}: projected staff and demand by scenario"
    cols = columns(
        "Scenario",
        YEAR_AXIS,
        ("Supply, median", "fte"),
        ("Demand, median", "fte"),
        ("Plan target", "fte"),
    )
    rows, traces, points = [], [], {}
    for colour, item in _coloured(compared):
        series = item.series(staff_group)
        if not series:
            continue
        name, x = item.scenario.name, [year_label(r.year) for r in series]
        shown = label(name)
        supply, demand = [fte(r.supply.p50) for r in series], [fte(r.demand.p50) for r in series]
        rows += [
            (name, year, s, d, fte(r.target_fte))
            for year, s, d, r in zip(x, supply, demand, series, strict=True)
        ]
        points.update({year: fte(r.target_fte) for year, r in zip(x, series, strict=True)})
        traces += [
            line(x, supply, f"{shown}: supply", colour),
            line(x, demand, f"{shown}: demand", colour, "dot"),
        ]
    if not traces:
        return Chart("compare-supply", title, None, cols, rows, NO_RUNS)
    points = {year: value for year, value in points.items() if value is not None}
    if points:
        traces.append(targets(points))
    note = "Medians. Solid: supply; dotted: demand; diamonds: plan targets."
    shape = layout(title, YEAR_AXIS, FTE_AXIS, note, hovermode="x unified")
    return Chart("compare-supply", title, figure(traces, shape), cols, rows)


def compare_gap_chart(compared: Sequence[ScenarioRun], staff_group: str, group: str) -> Chart:
    title = f"{group}: shortfall (demand minus supply) by scenario"
    cols = columns(
        "Scenario",
        YEAR_AXIS,
        ("Shortfall, low (P10)", "fte"),
        ("Shortfall, median", "fte"),
        ("Shortfall, high (P90)", "fte"),
    )
    rows, traces = [], []
    for colour, item in _coloured(compared):
        series = item.series(staff_group)
        if not series:
            continue
        name, x = item.scenario.name, [year_label(r.year) for r in series]
        rows += [
            (name, year, fte(r.gap.p10), fte(r.gap.p50), fte(r.gap.p90))
            for year, r in zip(x, series, strict=True)
        ]
        traces.append(line(x, [fte(r.gap.p50) for r in series], label(name), colour))
    if not traces:
        return Chart("compare-gap", title, None, cols, rows, NO_RUNS)
    note = "Median shortfall: demand minus supply. Below zero: more staff than demand."
    shape = layout(
        title, YEAR_AXIS, "Shortfall (full-time equivalent)", note, hovermode="x unified"
    )
    return Chart("compare-gap", title, figure(traces, shape), cols, rows)


def compare_probability_chart(
    compared: Sequence[ScenarioRun], names: dict[str, str], year: int
) -> Chart:
    title = f"Probability of meeting each plan target in {year_label(year)}, by scenario"
    cols = columns(
        "Staff group",
        "Scenario",
        ("Plan target", "fte"),
        ("Supply, median", "fte"),
        (PROBABILITY, "percent"),
        ("Status", "status"),
    )
    rows, traces = [], []
    for colour, item in _coloured(compared):
        met = [r for r in item.in_year(year) if r.probability is not None]
        if not met:
            continue
        name, groups = item.scenario.name, [names.get(r.staff_group, r.staff_group) for r in met]
        rows += [
            (
                group,
                name,
                fte(r.target_fte),
                fte(r.supply.p50),
                percent(r.probability),
                RAG_WORDS[r.rag],
            )
            for group, r in zip(groups, met, strict=True)
        ]
        bar = trace(
            "bar",
            y=groups,
            x=[percent(r.probability) for r in met],
            orientation="h",
            name=label(name),
            marker={"color": colour},
            hovertemplate="%{y}: %{x:.0f}%<extra>" + label(name) + "</extra>",
        )
        traces.append(bar)
    if not traces:
        return Chart("compare-probability", title, None, cols, rows, NO_TARGETS)
    shape = layout(
        title,
        PROBABILITY,
        "Staff group",
        barmode="group",
        xaxis={"range": [0, 100]},
        yaxis={"autorange": "reversed"},
        height=bars_height(len(rows), each=22),
    )
    return Chart("compare-probability", title, figure(traces, shape), cols, rows)
