"""The national view: every ICS of a national run on one page, sortable, for every sector
or one planning sector's, with England's workforce by sector. Fifteen queries a page."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import F, Max, OuterRef, QuerySet, Subquery
from django.utils import timezone

from core.access import can_run_projection
from core.calendar import financial_year
from core.models import ICS, OrganisationMembership, User, valid_on_q
from workforce.models import ProjectionResult, ProjectionRun, Scenario, StaffingReturn
from workforce.projection.results import NATIONAL_CODE

from .dashboards import groups_shown
from .dashboards_results import (
    ALL_SECTORS,
    GREEN_FROM,
    RESULT_VALUES,
    GroupYear,
    StaffGroupLabel,
    group_years,
    most_targeted_year,
    staff_group_labels,
)
from .dashboards_sector_figures import current_figures
from .dashboards_sectors import (
    SectorRow,
    groups_of_sector,
    projected_by_sector,
    reportable_under,
    sector_label,
    sector_rows,
    with_sector_targets,
)

# Sort keys of the national table: query parameter -> what a row is sorted by.
SORTS = ("system", "region", "target", "supply", "demand", "gap", "gap_share", "probability",
         "spend", "temporary_spend")  # fmt: skip
DEFAULT_SORT = "probability"  # the systems least likely to meet their target first


@dataclass(frozen=True)
class NationalRow:
    ics_code: str
    ics_name: str
    region: str
    result: GroupYear

    @property
    def gap_share(self) -> float | None:
        """The P50 gap as a share of P50 demand: comparable between systems of any size."""
        demand = self.result.demand.p50
        return self.result.gap.p50 / demand if demand else None

    def sort_value(self, key: str) -> object:
        money = self.result.money
        return {
            "system": self.ics_name,
            "region": self.region,
            "target": self.result.target_fte,
            "supply": self.result.supply.p50,
            "demand": self.result.demand.p50,
            "gap": self.result.gap.p50,
            "gap_share": self.gap_share,
            "probability": self.result.probability,
            "spend": None if money is None else money.total.p50,
            "temporary_spend": None if money is None else money.temporary,
        }[key]


@dataclass
class NationalOverview:
    scenarios: list[Scenario]  # national scenarios, each with `latest_run_id`
    scenario: Scenario | None
    run: ProjectionRun | None
    staff_groups: list[StaffGroupLabel]
    staff_group: str
    years: list[int]
    year: int | None
    rows: list[NationalRow]  # the chosen staff group's, sorted
    cells: list[NationalRow]  # every system x staff group in the year, by system code
    sort: str
    descending: bool
    can_run: bool
    in_progress: ProjectionRun | None  # a national run of the scenario not finished yet
    baseline_period: datetime.date | None  # what a new run starts from: the latest returns
    names: dict[str, str] = field(default_factory=dict)
    sector: str = ALL_SECTORS  # the planning sector shown; "" for every sector
    sectors: list[SectorRow] = field(default_factory=list)  # England by sector

    @property
    def sector_name(self) -> str:
        return sector_label(self.sector)


def national_scenarios() -> QuerySet[Scenario]:
    """National scenarios not archived, each with its latest succeeded national run
    (`latest_run_id`)."""
    latest = ProjectionRun.objects.filter(
        scenario=OuterRef("pk"), ics__isnull=True, status=ProjectionRun.Status.SUCCEEDED
    ).order_by("-created_at", "-id")
    return (
        Scenario.objects.active()
        .filter(ics__isnull=True)
        .annotate(latest_run_id=Subquery(latest.values("pk")[:1]))
        .order_by("name")
    )


def sort_rows(rows: list[NationalRow], key: str, descending: bool) -> list[NationalRow]:
    """Sorted by `key`; rows with no value for it always last."""
    present = [r for r in rows if r.sort_value(key) is not None]
    missing = [r for r in rows if r.sort_value(key) is None]
    present.sort(key=lambda r: (r.sort_value(key), r.ics_name), reverse=descending)
    return present + sorted(missing, key=lambda r: r.ics_name)


def _year_shown(results: QuerySet, years: list[int], asked: int | None) -> int | None:
    """The year asked for if the run has it; else the year in which most of the systems'
    staff groups with a plan target have one, nearest five years on (every sector's: so that
    choosing a sector keeps it); else five years on."""
    if asked in years:
        return asked
    targeted = results.filter(sector=ALL_SECTORS, target_fte__isnull=False).values_list(
        "entity_code", "staff_group_id", "year"
    )
    chosen = most_targeted_year(
        ((f"{entity}/{group}", year) for entity, group, year in targeted.distinct()), years
    )
    return chosen or (years[min(5, len(years) - 1)] if years else None)


def _systems_in_year(
    run: ProjectionRun, year: int, sector: str, group_sector: dict[str, str]
) -> tuple[list[str], list[GroupYear], list[GroupYear]]:
    """Every system's results in the year: the entity codes and results shown (a sector's own
    rows, with the targets of the staff groups it alone employs), and every sector's results,
    which alone carry targets. One query."""
    rows = list(
        ProjectionResult.objects.filter(
            run_id=run.result_source_id,
            level=ProjectionResult.Level.ICS,
            year=year,
            sector__in={ALL_SECTORS, sector},
        )
        .values("entity_code", "sector", *RESULT_VALUES, code=F("staff_group__code"))
        .order_by("entity_code", "staff_group__sort_order")
    )
    whole = [r for r in rows if r["sector"] == ALL_SECTORS]
    shown = [r for r in rows if r["sector"] == sector]
    results = group_years(shown)
    whole_results = group_years(whole)
    if sector:
        by_system: dict[str, list[GroupYear]] = {}
        for row, result in zip(whole, whole_results, strict=True):
            by_system.setdefault(row["entity_code"], []).append(result)
        results = [
            with_sector_targets([r], by_system.get(row["entity_code"], []), sector, group_sector)[0]
            for row, r in zip(shown, results, strict=True)
        ]
    return [r["entity_code"] for r in shown], results, whole_results


def _england_by_sector(
    *,
    user: User,
    run: ProjectionRun | None,
    labels: list[StaffGroupLabel],
    staff_group: str,
    year: int | None,
    whole: list[GroupYear],
) -> list[SectorRow]:
    """England's figures of now by sector (every member of a system today), the national
    run's sector rows, and how many systems are likely to meet their target."""
    on = timezone.localdate()
    members = OrganisationMembership.objects.filter(valid_on_q(on)).values("organisation_id")
    figures = current_figures(
        user=user, organisations=members, staff_groups=reportable_under(labels, staff_group)
    )
    projected: dict[str, GroupYear] = {}
    if run is not None and year is not None:
        projected = projected_by_sector(
            run.result_source_id,
            level=ProjectionResult.Level.NATIONAL,
            entity_code=NATIONAL_CODE,
            staff_group=staff_group,
            year=year,
        )
    targets = [r for r in whole if r.staff_group == staff_group and r.target_fte is not None]
    likely = sum(1 for r in targets if (r.probability or 0) >= GREEN_FROM)
    group_sector = next((g.sector for g in labels if g.code == staff_group), "all")
    return sector_rows(
        figures=figures,
        projected=projected,
        group_sector=group_sector,
        systems=(len(targets), likely),
    )


def national_overview(
    *,
    user: User,
    scenario_id: int | None = None,
    staff_group: str | None = None,
    year: int | None = None,
    sort: str | None = None,
    descending: bool = False,
    sector: str = ALL_SECTORS,
) -> NationalOverview:
    """For a national user (the view checks): the latest national run of a national scenario
    (the one asked for, else the newest run of any), every ICS's figures in the target year,
    for every sector or one planning sector's (`sector_choice` has checked it)."""
    scenarios = list(national_scenarios())
    with_runs = [s for s in scenarios if s.latest_run_id]
    scenario = next((s for s in scenarios if s.pk == scenario_id), None)
    run = None
    ids = [s.latest_run_id for s in ([scenario] if scenario else with_runs) if s.latest_run_id]
    if ids:
        run = ProjectionRun.objects.filter(pk__in=ids).order_by("-created_at", "-id").first()
    if scenario is None:
        scenario = next((s for s in scenarios if run and s.pk == run.scenario_id), None) or (
            scenarios[0] if scenarios else None
        )
    labels = staff_group_labels()
    years: list[int] = []
    chosen = None
    matrix: list[GroupYear] = []
    whole: list[GroupYear] = []
    entities: list[str] = []
    if run is not None:
        first = financial_year(run.baseline_period)
        years = list(range(first, first + (run.horizon or 0) + 1))
        results = ProjectionResult.objects.filter(
            run_id=run.result_source_id, level=ProjectionResult.Level.ICS
        )
        chosen = _year_shown(results, years, year)
        entities, matrix, whole = _systems_in_year(
            run, chosen, sector, {g.code: g.sector for g in labels}
        )
    systems = {
        code: (name, region)
        for code, name, region in ICS.objects.filter(code__in=set(entities)).values_list(
            "code", "name", "region__name"
        )
    }
    groups, staff_group = groups_shown(groups_of_sector(labels, sector), matrix, staff_group)
    cells = [
        NationalRow(code, *systems.get(code, (code, "")), result)
        for code, result in zip(entities, matrix, strict=True)
    ]
    table = [c for c in cells if c.result.staff_group == staff_group]
    sort = sort if sort in SORTS else DEFAULT_SORT
    running = (ProjectionRun.Status.QUEUED, ProjectionRun.Status.RUNNING)
    in_progress = (
        ProjectionRun.objects.filter(scenario=scenario, ics__isnull=True, status__in=running)
        .order_by("-created_at", "-id")
        .first()
        if scenario
        else None
    )
    latest = StaffingReturn.objects.current().aggregate(latest=Max("period"))["latest"]
    return NationalOverview(
        scenarios=scenarios,
        scenario=scenario,
        run=run,
        staff_groups=groups,
        staff_group=staff_group,
        years=years,
        year=chosen,
        rows=sort_rows(table, sort, descending),
        cells=cells,
        sort=sort,
        descending=descending,
        can_run=can_run_projection(user, None),
        in_progress=in_progress,
        baseline_period=latest,
        names={g.code: g.name for g in labels},
        sector=sector,
        sectors=_england_by_sector(
            user=user, run=run, labels=labels, staff_group=staff_group, year=chosen, whole=whole
        ),
    )
