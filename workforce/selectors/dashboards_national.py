"""The national view: every ICS of a national run on one page, sortable. Eight queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import F, Max, OuterRef, QuerySet, Subquery

from core.access import can_run_projection
from core.calendar import financial_year
from core.models import ICS, User
from workforce.models import ProjectionResult, ProjectionRun, Scenario, StaffingReturn

from .dashboards import (
    RESULT_VALUES,
    GroupYear,
    StaffGroupLabel,
    group_years,
    groups_shown,
    staff_group_labels,
)

# Sort keys of the national table: query parameter -> what a row is sorted by.
SORTS = ("system", "region", "target", "supply", "demand", "gap", "gap_share", "probability")
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
        return {
            "system": self.ics_name,
            "region": self.region,
            "target": self.result.target_fte,
            "supply": self.result.supply.p50,
            "demand": self.result.demand.p50,
            "gap": self.result.gap.p50,
            "gap_share": self.gap_share,
            "probability": self.result.probability,
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


def national_scenarios() -> QuerySet[Scenario]:
    """National scenarios, each with its latest succeeded national run (`latest_run_id`)."""
    latest = ProjectionRun.objects.filter(
        scenario=OuterRef("pk"), ics__isnull=True, status=ProjectionRun.Status.SUCCEEDED
    ).order_by("-created_at", "-id")
    return (
        Scenario.objects.filter(ics__isnull=True)
        .annotate(latest_run_id=Subquery(latest.values("pk")[:1]))
        .order_by("name")
    )


def sort_rows(rows: list[NationalRow], key: str, descending: bool) -> list[NationalRow]:
    """Sorted by `key`; rows with no value for it always last."""
    present = [r for r in rows if r.sort_value(key) is not None]
    missing = [r for r in rows if r.sort_value(key) is None]
    present.sort(key=lambda r: (r.sort_value(key), r.ics_name), reverse=descending)
    return present + sorted(missing, key=lambda r: r.ics_name)


def national_overview(
    *,
    user: User,
    scenario_id: int | None = None,
    staff_group: str | None = None,
    year: int | None = None,
    sort: str | None = None,
    descending: bool = False,
) -> NationalOverview:
    """For a national user (the view checks): the latest national run of a national scenario
    (the one asked for, else the newest run of any), every ICS's figures in the target year."""
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
    entities: list[str] = []
    if run is not None:
        first = financial_year(run.baseline_period)
        years = list(range(first, first + (run.horizon or 0) + 1))
        results = ProjectionResult.objects.filter(
            run_id=run.result_source_id, level=ProjectionResult.Level.ICS
        )
        last_target = results.filter(target_fte__isnull=False).aggregate(last=Max("year"))["last"]
        chosen = year if year in years else last_target or (years[min(5, len(years) - 1)])
        rows = (
            results.filter(year=chosen)
            .values("entity_code", *RESULT_VALUES, code=F("staff_group__code"))
            .order_by("entity_code", "staff_group__sort_order")
        )
        rows = list(rows)
        entities = [r["entity_code"] for r in rows]
        matrix = group_years(rows)
    systems = {
        code: (name, region)
        for code, name, region in ICS.objects.filter(code__in=set(entities)).values_list(
            "code", "name", "region__name"
        )
    }
    groups, staff_group = groups_shown(labels, matrix, staff_group)
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
    )
