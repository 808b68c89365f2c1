"""What a board pack says: one system's run, for one staff group and target year.

The figures and charts are the system dashboard's own (`system_dashboard`, `system_charts`),
read for every sector together; the assumptions are the scenario's in words
(`scenario_statements`); the completeness is the run card's "Built on" lines. Reads only.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from core.calendar import year_label
from core.errors import ApplicationError
from core.models import User
from core.names import short_system
from workforce import charts
from workforce.charts.projection import gap_heatmap_chart
from workforce.charts.returns import vacancy_heatmap_chart
from workforce.models import ProjectionRun
from workforce.selectors.dashboards import OrganisationValue, SystemDashboard, system_dashboard
from workforce.selectors.planning import scenario_statements
from workforce.templatetags.dashboards import cells, completeness_line, coverage_lines

from . import narrative

FORMATS = {
    "pdf": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
KEY_ROWS = 12  # the rows of a chart's table the pack shows beside its image
# A heatmap of every organisation of a large system would be a page tall for each 40 of
# them: the pack draws the organisations with the most to show, and says so.
HEATMAP_ORGANISATIONS = 20
# The dashboard's charts of the run, then of the returns, in the page's order.
CHARTS = (
    "supply-demand",
    "probability",
    "gap-by-group",
    "gap-heatmap",
    "sectors",
    "vacancy-heatmap",
    "trend-staff",
    "trend-bank-agency",
    "trend-rates",
)


@dataclass(frozen=True)
class Headline:
    label: str
    value: str
    note: str = ""


@dataclass(frozen=True)
class PackChart:
    key: str
    title: str
    figure: dict
    headings: list[str]
    rows: list[list[str]]  # the first KEY_ROWS rows of the chart's table, as the page shows them
    more: int  # the rows left out
    note: str = ""  # what the pack leaves out of the dashboard's chart


@dataclass(frozen=True)
class BoardPack:
    system: str  # the short name: "South East London"
    system_code: str
    scenario: str
    staff_group: str  # its name
    year: int
    run_id: int
    finished: datetime.datetime | None
    headlines: list[Headline]
    narrative: list[str]
    charts: list[PackChart]
    assumptions: list[str]
    data_date: str  # "Returns of February 2026"
    completeness: list[str]

    @property
    def title(self) -> str:
        return f"{self.system}: {self.scenario}"

    @property
    def subtitle(self) -> str:
        return f"{self.staff_group}, {year_label(self.year)}"

    def file_name(self, extension: str) -> str:
        return narrative.file_name(
            self.system, self.scenario, self.staff_group, self.year, extension
        )


def board_pack_ready(run: ProjectionRun) -> None:
    """409 for a run that has not succeeded; 400 for a national run (a pack is a system's)."""
    if run.status != ProjectionRun.Status.SUCCEEDED:
        raise ApplicationError(
            f"Run {run.pk} is {run.status}: a board pack needs a run that has succeeded. "
            f"Follow /api/v1/runs/{run.pk}/ until its status is succeeded.",
            status_code=409,
        )
    if run.ics_id is None:
        raise ApplicationError(
            [
                {
                    "field": "run",
                    "message": "A board pack is of one system's run, not a national one.",
                }
            ]
        )


def _checked(d: SystemDashboard, staff_group: str | None, year: int | None) -> None:
    if staff_group is not None and staff_group != d.staff_group:
        codes = ", ".join(g.code for g in d.staff_groups)
        raise ApplicationError(
            [
                {
                    "field": "staff_group",
                    "message": f"Run {d.run.pk} has no {staff_group!r}: use one of {codes}.",
                }
            ]
        )
    if (year is not None and year != d.year) or d.year is None:
        years = ", ".join(year_label(y) for y in d.years)
        raise ApplicationError(
            [
                {
                    "field": "year",
                    "message": f"Run {d.run.pk} projects {years or 'no year'}: choose one of them.",
                }
            ]
        )


def _fte(value: float) -> str:
    """As the dashboard's headline cards show it: 12,873 FTE."""
    return f"{value:,.0f} FTE"


def _likely(band) -> str:
    if f"{band.p10:,.0f}" == f"{band.p90:,.0f}":
        return "One draw: no range"
    return f"Likely {band.p10:,.0f} to {band.p90:,.0f} (P10 to P90)"


def _headlines(d: SystemDashboard) -> list[Headline]:
    h = d.headline
    group, year = d.names.get(d.staff_group, d.staff_group), year_label(d.year)
    found = [
        Headline(f"Supply in {year}, {group}", _fte(h.supply.p50), _likely(h.supply)),
        Headline(f"Demand in {year}", _fte(h.demand.p50), "The funded establishment"),
        Headline("Shortfall against demand", _fte(h.gap.p50), _likely(h.gap)),
    ]
    if h.target_fte is None:
        found.append(Headline("Plan target", "No target", f"None set for {year}"))
    else:
        chance = "" if h.probability is None else f"{h.probability * 100:.0f}%"
        found += [
            Headline("Plan target", _fte(h.target_fte), f"Gap to target {_fte(h.gap_to_target)}"),
            Headline("Probability of meeting the target", chance, charts.RAG_WORDS[h.rag]),
        ]
    counts = d.rag_counts
    found.append(
        Headline(
            f"Staff group targets in {year}",
            f"{counts['red']} red, {counts['amber']} amber, {counts['green']} green",
            "Red under 50%, amber 50% to 79%, green 80% or more likely to be met",
        )
    )
    return found


def _narrative(d: SystemDashboard) -> list[str]:
    h = d.headline
    outlook = narrative.Outlook(
        group=d.names.get(d.staff_group, d.staff_group),
        year=d.year,
        supply=narrative.Range(h.supply.p10, h.supply.p50, h.supply.p90),
        demand=narrative.Range(h.demand.p10, h.demand.p50, h.demand.p90),
        gap=narrative.Range(h.gap.p10, h.gap.p50, h.gap.p90),
        target=h.target_fte,
        probability=h.probability,
    )
    shortfalls = [
        (d.names.get(r.staff_group, r.staff_group), r.gap.p50)
        for r in d.in_year(d.year)
        if r.staff_group in d.reportable
    ]
    return narrative.narrative(outlook, d.rag_counts, shortfalls)


def _largest(cells: list[OrganisationValue], amount) -> tuple[list[OrganisationValue], int]:
    """The cells of the HEATMAP_ORGANISATIONS organisations with the largest total `amount`
    (in the cells' order), and how many organisations there are."""
    totals: dict[str, float] = {}
    for c in cells:
        totals[c.organisation_code] = totals.get(c.organisation_code, 0.0) + amount(c)
    kept = set(sorted(totals, key=lambda code: -totals[code])[:HEATMAP_ORGANISATIONS])
    return [c for c in cells if c.organisation_code in kept], len(totals)


def _heatmaps(d: SystemDashboard) -> dict[str, tuple[charts.Chart, str]]:
    """The dashboard's two organisation heatmaps, of the organisations with most to show
    where a system has more than HEATMAP_ORGANISATIONS, drawn by the dashboard's builders."""
    found = {}
    gaps = [c for c in d.organisation_gaps if c.staff_group in d.reportable]
    kept, count = _largest(gaps, lambda c: c.value or 0.0)
    if count > HEATMAP_ORGANISATIONS and d.year is not None:
        note = f"The {len(set(c.organisation_code for c in kept))} organisations of {count} "
        note += "with the largest shortfall; the dashboard shows every one."
        found["gap-heatmap"] = (gap_heatmap_chart(kept, d.names, d.year), note)
    kept, count = _largest(d.vacancies, lambda c: (c.value or 0.0) * c.base)
    if count > HEATMAP_ORGANISATIONS:
        note = f"The {len(set(c.organisation_code for c in kept))} organisations of {count} "
        note += "with the most vacancies; the dashboard shows every one."
        found["vacancy-heatmap"] = (vacancy_heatmap_chart(kept, d.names), note)
    return found


def _charts(d: SystemDashboard) -> list[PackChart]:
    built = {key: (chart, "") for key, chart in charts.system_charts(d).items()}
    built |= _heatmaps(d)
    shown = []
    for key in CHARTS:
        chart, note = built.get(key, (None, ""))
        if chart is None or chart.figure is None:
            continue
        rows = [[c["text"] for c in cells(row, chart.columns)] for row in chart.rows[:KEY_ROWS]]
        more = max(0, len(chart.rows) - KEY_ROWS)
        shown.append(PackChart(key, chart.title, chart.figure, chart.headings, rows, more, note))
    return shown


def board_pack_for(
    *, user: User, run: ProjectionRun, staff_group: str | None, year: int | None
) -> BoardPack:
    """The pack of a succeeded system run in the user's scope (`board_pack_ready` checked),
    for the staff group and year asked for, else the dashboard's defaults. A staff group or
    year the run does not have is a 400 naming the field."""
    board_pack_ready(run)
    d = system_dashboard(user=user, ics=run.ics, run_id=run.pk, staff_group=staff_group, year=year)
    _checked(d, staff_group, year)
    return BoardPack(
        system=short_system(run.ics.name),
        system_code=run.ics.code,
        scenario=run.scenario.name,
        staff_group=d.names.get(d.staff_group, d.staff_group),
        year=d.year,
        run_id=run.pk,
        finished=run.finished_at,
        headlines=_headlines(d) if d.headline else [],
        narrative=_narrative(d) if d.headline else [],
        charts=_charts(d),
        assumptions=[s.text for s in scenario_statements(scenario=run.scenario)],
        data_date=f"Returns of {run.baseline_period:%B %Y}",
        completeness=[line + "." for line in [completeness_line(run.completeness)] if line]
        + coverage_lines(run.notes),
    )
