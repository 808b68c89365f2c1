"""Every chart of the dashboards, built on the server as a Plotly figure, with its data.

One package, split by what the charts show (projections, returns, comparison, national) to
keep each file readable. Each builder takes the shapes of `workforce.selectors.dashboards*`
and returns a `Chart`: the figure as plain JSON for plotly.js (static/js/charts.js draws
it), a title and axis labels a board member reads without help, and the table of the figures
it draws, for people who cannot see the chart and for the CSV and Excel downloads.
"""

from __future__ import annotations

from core.names import short_system
from workforce.selectors.dashboards import TOTAL, SystemDashboard
from workforce.selectors.dashboards_compare import Comparison
from workforce.selectors.dashboards_national import NationalOverview

from .base import RAG_WORDS, Chart, Column
from .comparison import compare_gap_chart, compare_probability_chart, compare_supply_chart
from .national import NATIONAL_COLUMNS, national_gap_chart, national_probability_chart, national_row
from .projection import (
    gap_by_group_chart,
    gap_heatmap_chart,
    probability_chart,
    supply_demand_chart,
)
from .returns import (
    trend_bank_agency_chart,
    trend_rates_chart,
    trend_staff_chart,
    vacancy_heatmap_chart,
)
from .sectors import for_sector, sector_chart

__all__ = [
    "NATIONAL_COLUMNS",
    "RAG_WORDS",
    "Chart",
    "Column",
    "comparison_charts",
    "national_charts",
    "national_row",
    "system_charts",
]


def system_charts(d: SystemDashboard) -> dict[str, Chart]:
    """The system dashboard's charts by key, in the order the page shows them; each titled
    with the sector when the page shows one sector."""
    charts = []
    if d.run is not None and d.year is not None:
        group = d.names.get(d.staff_group, d.staff_group)
        in_year = d.in_year(d.year)
        leaves = [r for r in in_year if r.staff_group in d.reportable]
        charts += [
            supply_demand_chart(d.series(d.staff_group), group, short_system(d.ics.name)),
            probability_chart(
                [r for r in in_year if r.staff_group in d.reportable or r.staff_group == TOTAL],
                d.names,
                d.year,
            ),
            gap_by_group_chart(leaves, d.names, d.year),
            gap_heatmap_chart(
                [c for c in d.organisation_gaps if c.staff_group in d.reportable], d.names, d.year
            ),
        ]
    charts += [
        vacancy_heatmap_chart(d.vacancies, d.names),
        trend_staff_chart(d.trend),
        trend_bank_agency_chart(d.trend),
        trend_rates_chart(d.trend),
    ]
    if d.sector:
        charts = [for_sector(c, d.sector_name) for c in charts]
    group = d.names.get(d.staff_group, d.staff_group)
    charts.append(sector_chart(d.sectors, group, d.year if d.run else None, national=False))
    return {c.key: c for c in charts}


def comparison_charts(c: Comparison) -> dict[str, Chart]:
    group = c.names.get(c.staff_group, c.staff_group)
    charts = [
        compare_supply_chart(c.compared, c.staff_group, group),
        compare_gap_chart(c.compared, c.staff_group, group),
    ]
    if c.year is not None:
        charts.append(compare_probability_chart(c.compared, c.names, c.year))
    return {chart.key: chart for chart in charts}


def national_charts(n: NationalOverview) -> dict[str, Chart]:
    """The national view's charts by key; the sector table's also with no run."""
    group = n.names.get(n.staff_group, n.staff_group)
    charts = []
    if n.year is not None:
        charts = [
            national_gap_chart(n.rows, group, n.year),
            national_probability_chart(n.cells, n.names, n.year),
        ]
    if n.sector:
        charts = [for_sector(c, n.sector_name) for c in charts]
    charts.append(sector_chart(n.sectors, group, n.year, national=True))
    return {chart.key: chart for chart in charts}
