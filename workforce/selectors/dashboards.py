"""The system dashboard's read path: one ICS, one scenario, one run, in a fixed number of
queries.

`system_dashboard` returns exactly what `workforce.charts` draws: the run's ICS-level results
for every staff group and year, its organisation-level gap in the target year, each member's
vacancy rate from its latest return, the monthly totals of the submitted returns, and the
workforce by planning sector. Given a sector, every one of them is that sector's alone. The
shapes (`Band`, `GroupYear`, ...) live in `dashboards_results`, shared with the comparison
and the national view; which scenario and run it shows, in `dashboards_scenarios`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone

from core.access import can_run_projection, in_scope
from core.calendar import month_add
from core.models import ICS, Organisation, PublishedFigure, User
from workforce.models import ProjectionResult, ProjectionRun, Scenario, StaffingReturn

from .dashboards_results import (
    ALL_SECTORS,
    TOTAL,
    GroupYear,
    StaffGroupLabel,
    group_years,
    ics_results,
    ics_targets,
    most_targeted_year,
    staff_group_labels,
)
from .dashboards_results import Band as Band
from .dashboards_results import rag as rag
from .dashboards_returns import (
    TREND_MONTHS,
    OrganisationValue,
    TrendMonth,
    members_now,
    returns_trend,
    vacancies_now,
)
from .dashboards_scenarios import shown_run
from .dashboards_sector_figures import current_figures
from .dashboards_sectors import (
    KINDS_OF_SECTOR,
    SectorRow,
    groups_of_sector,
    projected_by_sector,
    reportable_under,
    sector_label,
    sector_rows,
    with_sector_targets,
)
from .months import latest_closed, system_months, with_partial_months


@dataclass
class SystemDashboard:
    ics: ICS
    scenarios: list[Scenario]  # each with `latest_run_id`: its latest succeeded run here
    scenario: Scenario | None
    run: ProjectionRun | None  # the run whose results are shown
    latest_run: ProjectionRun | None  # the scenario's newest run for the system, any status
    staff_groups: list[StaffGroupLabel]  # those with results, in the taxonomy's order
    staff_group: str
    years: list[int]
    year: int | None  # the target year
    results: list[GroupYear]
    organisation_gaps: list[OrganisationValue]  # P50 gap in the target year
    vacancies: list[OrganisationValue]  # vacancy rate of each member's latest return
    trend: list[TrendMonth]
    can_run: bool
    baseline_period: datetime.date  # what a new run starts from
    names: dict[str, str] = field(default_factory=dict)  # staff group code -> name
    sector: str = ALL_SECTORS  # the planning sector shown; "" for every sector
    sectors: list[SectorRow] = field(default_factory=list)  # the "by sector" table

    @property
    def sector_name(self) -> str:
        return sector_label(self.sector)

    @property
    def in_progress(self) -> ProjectionRun | None:
        running = (ProjectionRun.Status.QUEUED, ProjectionRun.Status.RUNNING)
        return self.latest_run if self.latest_run and self.latest_run.status in running else None

    @property
    def failed(self) -> ProjectionRun | None:
        """The newest run, when it failed after the run shown (or with none shown)."""
        latest = self.latest_run
        if latest is None or latest.status != ProjectionRun.Status.FAILED:
            return None
        return latest if self.run is None or latest.created_at >= self.run.created_at else None

    def series(self, staff_group: str) -> list[GroupYear]:
        return [r for r in self.results if r.staff_group == staff_group]

    def in_year(self, year: int | None) -> list[GroupYear]:
        return [r for r in self.results if r.year == year]

    @property
    def money_series(self) -> list[GroupYear]:
        """The chosen staff group's years that carry money, in year order."""
        return [r for r in self.series(self.staff_group) if r.money is not None]

    @property
    def reportable(self) -> set[str]:
        return {g.code for g in self.staff_groups if g.reportable}

    @property
    def headline(self) -> GroupYear | None:
        """The chosen staff group in the target year."""
        found = [r for r in self.in_year(self.year) if r.staff_group == self.staff_group]
        return found[0] if found else None

    @property
    def rag_counts(self) -> dict[str, int]:
        """How many staff groups' targets of the target year are red, amber and green."""
        counts = {"red": 0, "amber": 0, "green": 0}
        for r in self.in_year(self.year):
            if r.staff_group in self.reportable and r.rag:
                counts[r.rag] += 1
        return counts


def groups_shown(
    labels: Sequence[StaffGroupLabel], results: Iterable[GroupYear], asked: str | None
) -> tuple[list[StaffGroupLabel], str]:
    """The staff groups that have results, in the taxonomy's order, and the one to show: the
    one asked for if it has results, else the total, else the first."""
    present = {r.staff_group for r in results}
    groups = [g for g in labels if g.code in present]
    if asked in present:
        return groups, asked
    return groups, TOTAL if TOTAL in present or not groups else groups[0].code


def target_year(
    results: Sequence[GroupYear], years: Sequence[int], asked: int | None
) -> int | None:
    """The year asked for if the run has it; else the year in which most staff groups with a
    plan target have one, nearest five years on; else five years on from the baseline (or the
    run's last year)."""
    if asked in years:
        return asked
    targeted = [(r.staff_group, r.year) for r in results if r.target_fte is not None]
    chosen = most_targeted_year(targeted, years)
    if chosen is not None:
        return chosen
    return years[min(5, len(years) - 1)] if years else None


def organisation_gaps(
    run: ProjectionRun, year: int | None, sector: str = ALL_SECTORS
) -> list[OrganisationValue]:
    """The run's organisation-level P50 gap of every staff group in `year`, of one planning
    sector's organisations when given (an organisation's rows carry its sector). One query."""
    if year is None:
        return []
    name = Organisation.objects.filter(code=OuterRef("entity_code")).values("name")[:1]
    rows = ProjectionResult.objects.filter(
        run_id=run.result_source_id, level=ProjectionResult.Level.ORGANISATION, year=year
    )
    if sector:
        rows = rows.filter(sector=sector)
    rows = (
        rows.annotate(organisation_name=Subquery(name))
        .values_list(
            "entity_code", "organisation_name", "staff_group__code", "gap_p50", "demand_p50"
        )
        .order_by("organisation_name", "entity_code", "staff_group__sort_order")
    )
    # An organisation with none of a staff group has nothing to show for it.
    return [
        OrganisationValue(code, name or code, group, gap, demand)
        for code, name, group, gap, demand in rows
        if demand or gap
    ]


def _baseline_period(
    trend: Sequence[TrendMonth], ics: ICS, today: datetime.date, user: User
) -> datetime.date:
    """A new run starts from the latest month of returns, else of published figures, else
    last month. `trend` is every sector's, or None when the page shows one sector: a run
    always covers them all."""
    if trend is None:
        members = members_now(ics, today)
        trend_latest = in_scope(
            StaffingReturn.objects.current().filter(organisation__in=members),
            user,
            organisation="organisation",
        ).aggregate(latest=Max("period"))["latest"]
        if trend_latest:
            return trend_latest
    elif trend:
        return trend[-1].period
    latest = PublishedFigure.objects.filter(organisation__in=members_now(ics, today)).aggregate(
        latest=Max("month")
    )["latest"]
    return latest or month_add(today.replace(day=1), -1)


def _projection(
    run: ProjectionRun | None,
    ics: ICS,
    labels: Sequence[StaffGroupLabel],
    staff_group: str | None,
    year: int | None,
    sector: str,
) -> tuple[list[GroupYear], list[StaffGroupLabel], str, list[int], int | None]:
    """The run's ICS-level results (a sector's own rows, with the targets of the groups it
    alone employs), the staff groups and the one shown, the years and the target year. The
    target year is that of every sector's targets, so that choosing a sector keeps it."""
    if run is None:
        groups, chosen = groups_shown(groups_of_sector(labels, sector), [], staff_group)
        return [], groups, chosen, [], None
    results = group_years(ics_results([run.result_source_id], ics.code, sector))
    targets = results
    if sector:
        targets = ics_targets(run.result_source_id, ics.code)
        results = with_sector_targets(results, targets, sector, {g.code: g.sector for g in labels})
    groups, chosen = groups_shown(groups_of_sector(labels, sector), results, staff_group)
    years = sorted({r.year for r in results})
    return results, groups, chosen, years, target_year(targets, years, year)


def _sector_table(
    *,
    user: User,
    ics: ICS,
    run: ProjectionRun | None,
    labels: Sequence[StaffGroupLabel],
    staff_group: str,
    year: int | None,
    today: datetime.date,
) -> list[SectorRow]:
    """Every sector's figures of now and projection, for the staff group and year shown."""
    group_sector = next((g.sector for g in labels if g.code == staff_group), "all")
    figures = current_figures(
        user=user,
        organisations=members_now(ics, today),
        staff_groups=reportable_under(labels, staff_group),
    )
    projected = {}
    if run is not None and year is not None:
        projected = projected_by_sector(
            run.result_source_id,
            level=ProjectionResult.Level.ICS,
            entity_code=ics.code,
            staff_group=staff_group,
            year=year,
        )
    return sector_rows(figures=figures, projected=projected, group_sector=group_sector)


def system_dashboard(
    *,
    user: User,
    ics: ICS,
    scenario_id: int | None = None,
    run_id: int | None = None,
    staff_group: str | None = None,
    year: int | None = None,
    sector: str = ALL_SECTORS,
    today: datetime.date | None = None,
) -> SystemDashboard:
    """Everything the system dashboard shows, for a system already known to be in scope,
    for every sector or for one planning sector's (`sector_choice` has checked it), showing
    the run `shown_run` chooses.
    """
    today = today or timezone.localdate()
    shown = shown_run(user=user, ics=ics, scenario_id=scenario_id, run_id=run_id)
    run = shown.run
    labels = staff_group_labels()
    results, groups, staff_group, years, chosen_year = _projection(
        run, ics, labels, staff_group, year, sector
    )
    kinds = KINDS_OF_SECTOR[sector] if sector else None
    months = system_months(ics=ics, today=today, count=TREND_MONTHS)
    trend = with_partial_months(returns_trend(user=user, ics=ics, today=today, kinds=kinds), months)
    return SystemDashboard(
        ics=ics,
        scenarios=shown.scenarios,
        scenario=shown.scenario,
        run=run,
        latest_run=shown.latest_run,
        staff_groups=groups,
        staff_group=staff_group,
        years=years,
        year=chosen_year,
        results=results,
        organisation_gaps=organisation_gaps(run, chosen_year, sector) if run else [],
        vacancies=vacancies_now(user=user, ics=ics, today=today, kinds=kinds),
        trend=trend,
        can_run=can_run_projection(user, ics),
        baseline_period=latest_closed(months)
        or _baseline_period(None if sector else trend, ics, today, user),
        names={g.code: g.name for g in labels},
        sector=sector,
        sectors=_sector_table(
            user=user,
            ics=ics,
            run=run,
            labels=labels,
            staff_group=staff_group,
            year=chosen_year,
            today=today,
        ),
    )
