"""Read paths for plan targets and scenarios, shared by the pages and the API."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet

from core.access import in_scope, systems_in_scope
from core.models import ICS, StaffGroup, User
from workforce.models import (
    SCENARIO_ASSUMPTION_FIELDS,
    DemandStepChange,
    PayAward,
    PlanTarget,
    ProjectionRun,
    Scenario,
    ScenarioAssumption,
)
from workforce.plans import rules
from workforce.plans.assumptions import GroupAssumptions, effective_assumptions
from workforce.plans.wording import Statement, scenario_in_words


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
            "pay_budget": target.pay_budget,
            "bank_spend_limit": target.bank_spend_limit,
            "agency_spend_limit": target.agency_spend_limit,
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


def pay_award_rows(scenario: Scenario | None = None) -> QuerySet[PayAward]:
    """Pay awards by year, in each year the award for every staff group first, then the
    groups in taxonomy order."""
    awards = PayAward.objects.select_related("staff_group").order_by(
        "year", F("staff_group__sort_order").asc(nulls_first=True)
    )
    return awards if scenario is None else awards.filter(scenario=scenario)


def with_has_runs(scenarios: QuerySet[Scenario]) -> QuerySet[Scenario]:
    """Each scenario with `has_runs`: whether any projection run, of any status, is of it
    (a scenario is changed only until then)."""
    return scenarios.annotate(
        has_runs=Exists(ProjectionRun.objects.filter(scenario=OuterRef("pk")))
    )


def scenario_has_runs(scenario: Scenario) -> bool:
    return ProjectionRun.objects.filter(scenario=scenario).exists()


def scenarios_with_rows(*, user: User) -> QuerySet[Scenario]:
    """`scenarios_visible`, each with `has_runs` and its assumption rows, step changes and
    pay awards fetched."""
    return with_has_runs(scenarios_visible(user=user)).prefetch_related(
        Prefetch("assumptions", assumption_rows()),
        Prefetch(
            "step_changes",
            DemandStepChange.objects.select_related("staff_group").order_by(
                "year", "staff_group__sort_order", "id"
            ),
        ),
        Prefetch("pay_awards", pay_award_rows()),
    )


def scenarios_for_list(*, user: User, archived: bool = False) -> QuerySet[Scenario]:
    """National scenarios first, then each system's, by name; with `archived`, only the
    archived ones (else only those that are not), each with its assumption rows fetched."""
    scenarios = scenarios_visible(user=user)
    scenarios = scenarios.filter(archived_at__isnull=False) if archived else scenarios.active()
    return scenarios.prefetch_related(Prefetch("assumptions", assumption_rows())).order_by(
        F("ics__name").asc(nulls_first=True), "name"
    )


def archived_scenario_count(*, user: User) -> int:
    return scenarios_visible(user=user).filter(archived_at__isnull=False).count()


def central_scenario(ics: ICS | None) -> Scenario | None:
    """The scenario a system's pages open on: the one its ICB lead designated central, else
    the national central scenario (which every user who reads a system may read), else None.
    With `ics` None, the national central scenario. For a system already known to be in
    the user's scope; never an archived scenario (the database holds that too)."""
    scope = Q(ics__isnull=True) if ics is None else Q(ics=ics) | Q(ics__isnull=True)
    # One query: the system's own first (nulls last), then the national one.
    return (
        Scenario.objects.filter(scope, central=True, archived_at__isnull=True)
        .select_related("ics")
        .order_by(F("ics").asc(nulls_last=True))
        .first()
    )


def projected_staff_groups() -> list[StaffGroup]:
    """The staff groups a projection has results for, in taxonomy order: the reportable
    groups (its series) and every group they roll up into (ALL, PQC, ...). A grade below a
    reportable group (DOC-CON, Consultant) is never projected, so no target is set for it."""
    groups = list(StaffGroup.objects.order_by("sort_order"))
    by_id = {g.pk: g for g in groups}
    projected: set[int] = set()
    for group in groups:
        if not group.reportable:
            continue
        node: StaffGroup | None = group
        while node is not None and node.pk not in projected:
            projected.add(node.pk)
            node = by_id.get(node.parent_id) if node.parent_id else None
    return [g for g in groups if g.pk in projected]


def not_projected_staff_groups() -> dict[str, str]:
    """The codes of the staff groups the model does not project, each with the message
    that refuses a target for it (`rules.not_projected`), naming the nearest projected
    group above it."""
    groups = {g.pk: g for g in StaffGroup.objects.all()}
    projected = {g.pk for g in projected_staff_groups()}
    messages = {}
    for group in groups.values():
        if group.pk in projected:
            continue
        parent = groups.get(group.parent_id) if group.parent_id else None
        while parent is not None and parent.pk not in projected:
            parent = groups.get(parent.parent_id) if parent.parent_id else None
        nearest = f"{parent.name} ({parent.code})" if parent else None
        messages[group.code] = rules.not_projected(f"{group.name} ({group.code})", nearest)
    return messages


def _plain(name: str, value: object) -> float | int | None:
    if value is None:
        return None
    return int(value) if name == "intake_change_from" else float(value)


def scenario_rows(scenario: Scenario) -> dict[str | None, dict[str, float | int | None]]:
    """The scenario's assumption rows, keyed by staff group code (None: every group)."""
    return {
        (row.staff_group.code if row.staff_group_id else None): {
            name: _plain(name, getattr(row, name)) for name in SCENARIO_ASSUMPTION_FIELDS
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


def scenario_statements(*, scenario: Scenario) -> list[Statement]:
    """What the scenario changes, in words (`workforce.plans.wording`), against the national
    defaults, for the reportable staff groups."""
    return statements_by_scenario([_with_rows(scenario)])[scenario.pk]


def statements_by_scenario(scenarios: Iterable[Scenario]) -> dict[int, list[Statement]]:
    """`scenario_statements` of each scenario, by id, for scenarios whose assumption rows are
    fetched (`scenarios_for_list`): one query, for the staff groups."""
    groups = [
        (g.code, g.name) for g in StaffGroup.objects.filter(reportable=True).order_by("sort_order")
    ]
    return {s.pk: scenario_in_words(groups, scenario_rows(s)) for s in scenarios}


def _with_rows(scenario: Scenario) -> Scenario:
    cache = getattr(scenario, "_prefetched_objects_cache", {})
    if "assumptions" in cache:
        return scenario
    return Scenario.objects.prefetch_related(Prefetch("assumptions", assumption_rows())).get(
        pk=scenario.pk
    )
