"""Read paths for plan targets and scenarios, shared by the pages and the API."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, Prefetch, QuerySet

from core.access import in_scope, systems_in_scope
from core.models import ICS, StaffGroup, User
from workforce.models import (
    ASSUMPTION_FIELDS,
    DemandStepChange,
    PlanTarget,
    Scenario,
    ScenarioAssumption,
)
from workforce.plans.assumptions import GroupAssumptions, effective_assumptions


def plan_targets_in_scope(*, user: User) -> QuerySet[PlanTarget]:
    """The targets the user may read: those of the systems in scope."""
    return in_scope(PlanTarget.objects.all(), user, ics="ics").select_related(
        "ics", "staff_group", "updated_by"
    )


@dataclass(frozen=True)
class TargetTableRow:
    staff_group: StaffGroup
    cells: tuple[PlanTarget | None, ...]  # one per year of the table


@dataclass(frozen=True)
class TargetTable:
    """A system's targets: one row per staff group with a target, one column per year."""

    years: tuple[int, ...]
    rows: tuple[TargetTableRow, ...]


def plan_target_table(*, ics: ICS) -> TargetTable:
    targets = list(
        PlanTarget.objects.filter(ics=ics)
        .select_related("staff_group")
        .order_by("staff_group__sort_order", "year")
    )
    years = tuple(sorted({t.year for t in targets}))
    by_group: dict[int, dict[int, PlanTarget]] = {}
    groups: dict[int, StaffGroup] = {}
    for target in targets:
        groups[target.staff_group_id] = target.staff_group
        by_group.setdefault(target.staff_group_id, {})[target.year] = target
    rows = tuple(
        TargetTableRow(
            staff_group=groups[group_id],
            cells=tuple(by_group[group_id].get(year) for year in years),
        )
        for group_id in by_group
    )
    return TargetTable(years=years, rows=rows)


def plan_targets_for_export(*, ics: ICS) -> list[dict[str, object]]:
    """A system's targets as rows of the target file (`workforce.plans.target_files`)."""
    return [
        {
            "staff_group_code": target.staff_group.code,
            "staff_group_name": target.staff_group.name,
            "year": target.year,
            "plan": target.plan,
            "target_fte": target.target_fte,
            "target_vacancy_rate": target.target_vacancy_rate,
            "target_leaver_rate": target.target_leaver_rate,
            "target_sickness_absence_rate": target.target_sickness_absence_rate,
            "target_bank_fte": target.target_bank_fte,
            "target_agency_fte": target.target_agency_fte,
        }
        for target in PlanTarget.objects.filter(ics=ics)
        .select_related("staff_group")
        .order_by("staff_group__sort_order", "year")
    ]


def scenarios_visible(*, user: User) -> QuerySet[Scenario]:
    """The scenarios the user may read: those of the systems in scope, and the national
    ones, which every user who reads a system may read and copy."""
    reads_a_system = user.is_authenticated and systems_in_scope(user).exists()
    scenarios = in_scope(Scenario.objects.all(), user, ics="ics", include_national=reads_a_system)
    return scenarios.select_related("ics", "based_on", "created_by")


def assumption_rows(scenario: Scenario | None = None) -> QuerySet[ScenarioAssumption]:
    """Assumption rows in a stable order on every database: the row for every staff group
    first, then the groups in taxonomy order."""
    rows = ScenarioAssumption.objects.select_related("staff_group").order_by(
        F("staff_group__sort_order").asc(nulls_first=True)
    )
    return rows if scenario is None else rows.filter(scenario=scenario)


def scenarios_with_rows(*, user: User) -> QuerySet[Scenario]:
    """`scenarios_visible`, each with its assumption rows and step changes fetched."""
    return scenarios_visible(user=user).prefetch_related(
        Prefetch("assumptions", assumption_rows()),
        Prefetch(
            "step_changes",
            DemandStepChange.objects.select_related("staff_group").order_by(
                "year", "staff_group__sort_order", "id"
            ),
        ),
    )


def scenarios_for_list(*, user: User) -> QuerySet[Scenario]:
    """National scenarios first, then each system's, by name."""
    return scenarios_visible(user=user).order_by(F("ics__name").asc(nulls_first=True), "name")


def _plain(name: str, value: object) -> float | int | None:
    if value is None:
        return None
    return int(value) if name == "intake_change_from" else float(value)


def scenario_rows(scenario: Scenario) -> dict[str | None, dict[str, float | int | None]]:
    """The scenario's assumption rows, keyed by staff group code (None: every group)."""
    return {
        (row.staff_group.code if row.staff_group_id else None): {
            name: _plain(name, getattr(row, name)) for name in ASSUMPTION_FIELDS
        }
        for row in scenario.assumptions.all()
    }


def scenario_effective_assumptions(*, scenario: Scenario) -> list[GroupAssumptions]:
    """For each reportable staff group, the resolved assumptions and where each value comes
    from: national default, the scenario (its row for every group) or a group override."""
    groups = StaffGroup.objects.filter(reportable=True).order_by("sort_order")
    return effective_assumptions(
        [(g.code, g.name) for g in groups], scenario_rows(_with_rows(scenario))
    )


def _with_rows(scenario: Scenario) -> Scenario:
    cache = getattr(scenario, "_prefetched_objects_cache", {})
    if "assumptions" in cache:
        return scenario
    return Scenario.objects.prefetch_related(Prefetch("assumptions", assumption_rows())).get(
        pk=scenario.pk
    )
