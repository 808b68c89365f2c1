"""Plan targets: write one, import a system's targets from a file, export them as CSV.

Only the system's ICB lead (or a national administrator) writes its targets; every write
is recorded in the audit trail with the fields before and after. One target is written the
way `core.services.writes` describes: scope, values, uniqueness, then the save and its entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction

from core import calendar
from core.access import can_plan_for, can_read_ics
from core.errors import ApplicationError, OutOfScope
from core.models import ICS, AuditEntry, StaffGroup, User
from core.services.audit import audit_record
from core.services.writes import Problems, delete_audited, store_audited
from workforce.models import PlanTarget
from workforce.plans import rules
from workforce.plans.target_files import read_targets, targets_csv
from workforce.returns.parsing import FileProblem
from workforce.selectors.planning import not_projected_staff_groups, plan_targets_for_export

TARGET_FIELDS = ("staff_group", "year", "plan", "target_fte", *rules.TARGET_OPTIONAL_FIELDS)


def _snapshot(target: PlanTarget) -> dict[str, Any]:
    """The target's fields as the audit trail keeps them (figures as exact text)."""
    values: dict[str, Any] = {
        "ics": target.ics.code,
        "staff_group": target.staff_group.code,
        "year": target.year,
        "plan": target.plan,
    }
    for name in ("target_fte", *rules.TARGET_OPTIONAL_FIELDS):
        value = getattr(target, name)
        places = PlanTarget._meta.get_field(name).decimal_places
        values[name] = None if value is None else f"{Decimal(value):.{places}f}"
    return values


def _refuse_unless_planner(user: User, ics: ICS) -> None:
    if not can_plan_for(user, ics):
        raise OutOfScope(f"You may not change the plan targets of {ics.name} ({ics.code}).")


def _clean_target(values: dict[str, Any], problems: Problems) -> dict[str, Any]:
    """Check a target's fields, adding every problem to `problems`, each naming its field."""
    cleaned = dict(values)
    year = None
    if values.get("year") in (None, ""):
        problems.add("year", "year is required: the financial year, as 2028 or 2028/29.")
    else:
        try:
            year = calendar.parse_year(values["year"])
        except ValueError as error:
            problems.add("year", str(error))
        else:
            message = rules.check_year(year)
            if message:
                problems.add("year", message)
            cleaned["year"] = year
    group = values.get("staff_group")
    if not isinstance(group, StaffGroup):
        problems.add("staff_group", "staff_group is required: a staff group code such as NUR.")
    else:
        refused = not_projected_staff_groups().get(group.code)
        if refused:
            problems.add("staff_group", refused)
    plan = values.get("plan") or (rules.default_plan(year) if year is not None else "jfp")
    message = rules.check_plan(str(plan), year)
    if message:
        problems.add("plan", message)
    cleaned["plan"] = plan
    for name in ("target_fte", *rules.TARGET_OPTIONAL_FIELDS):
        value = values.get(name)
        if value is None:
            if name == "target_fte":
                problems.add(name, "target_fte is required: the target FTE.")
            continue
        try:
            number = rules.to_decimal(value)
        except ValueError:
            problems.add(name, f"{name} must be a number; {str(value)[:20]!r} is not.")
            continue
        cleaned[name], message = rules.clean_target_figure(name, number)
        if message:
            problems.add(name, message)
    return cleaned


IDENTITY = ("staff_group", "year")  # with the system, what identifies one target


def _duplicate_error(ics: ICS, cleaned: dict[str, Any]) -> ApplicationError:
    problems = Problems()
    problems.add(
        "year",
        f"{ics.code} already has a target for {cleaned['staff_group'].name} in "
        f"{calendar.year_label(cleaned['year'])}: change that one instead.",
    )
    return ApplicationError(problems)


def _check_unique(
    ics: ICS, cleaned: dict[str, Any], problems: Problems, *, not_pk: int | None
) -> None:
    if problems.about(IDENTITY):
        return
    taken = PlanTarget.objects.filter(
        ics=ics, staff_group=cleaned["staff_group"], year=cleaned["year"]
    )
    if taken.exclude(pk=not_pk).exists():
        problems.extend(_duplicate_error(ics, cleaned).errors)


def plan_target_create(
    *,
    user: User,
    ics: ICS,
    staff_group: StaffGroup,
    year: int | str,
    target_fte: Decimal | float | str,
    plan: str | None = None,
    **optional: Decimal | float | str | None,
) -> PlanTarget:
    """Add a target; `optional` holds target_vacancy_rate, target_leaver_rate,
    target_sickness_absence_rate, target_bank_fte, target_agency_fte and the financial
    plan's pay_budget, bank_spend_limit and agency_spend_limit (GBP in the year)."""
    unknown = set(optional) - set(rules.TARGET_OPTIONAL_FIELDS)
    if unknown:
        raise TypeError(f"plan_target_create() got unexpected fields {sorted(unknown)}")
    _refuse_unless_planner(user, ics)
    problems = Problems()
    cleaned = _clean_target(
        {"staff_group": staff_group, "year": year, "plan": plan, "target_fte": target_fte}
        | optional,
        problems,
    )
    _check_unique(ics, cleaned, problems, not_pk=None)
    problems.raise_any()
    return store_audited(
        user=user,
        instance=PlanTarget(ics=ics, updated_by=user, **cleaned),
        ics=ics,
        before=None,
        after=_snapshot,
        duplicate=lambda: _duplicate_error(ics, cleaned),
    )


def plan_target_update(*, user: User, target: PlanTarget, **changes: Any) -> PlanTarget:
    """Change some of a target's fields (not its system); the rest stay as they are."""
    unknown = set(changes) - set(TARGET_FIELDS)
    if unknown:
        raise TypeError(f"plan_target_update() got unexpected fields {sorted(unknown)}")
    _refuse_unless_planner(user, target.ics)
    with transaction.atomic():
        # The stored row, locked: the audit's "before" is what was stored, not what a
        # caller's copy says.
        target = (
            PlanTarget.objects.select_for_update(of=("self",))
            .select_related("ics", "staff_group")
            .get(pk=target.pk)
        )
        current = {name: getattr(target, name) for name in TARGET_FIELDS}
        if "plan" not in changes and rules.check_plan(
            target.plan, _year_or_none(changes.get("year", target.year))
        ):
            # Moved to a year its plan does not cover: the plan that covers that year.
            current["plan"] = None
        problems = Problems()
        cleaned = _clean_target(current | changes, problems)
        _check_unique(target.ics, cleaned, problems, not_pk=target.pk)
        problems.raise_any()
        before = _snapshot(target)
        for name, value in cleaned.items():
            setattr(target, name, value)
        target.updated_by = user
        return store_audited(
            user=user,
            instance=target,
            ics=target.ics,
            before=before,
            after=_snapshot,
            duplicate=lambda: _duplicate_error(target.ics, cleaned),
        )


def _year_or_none(value: Any) -> int | None:
    try:
        return calendar.parse_year(value)
    except ValueError:
        return None


def plan_target_delete(*, user: User, target: PlanTarget) -> None:
    _refuse_unless_planner(user, target.ics)
    delete_audited(user=user, instance=target, ics=target.ics, before=_snapshot(target))


@dataclass(frozen=True)
class TargetImport:
    """What an import did: the years the file covered, and the targets of those years."""

    years: list[int]
    created: int
    updated: int
    removed: int

    @property
    def years_label(self) -> str:
        labels = [calendar.year_label(y) for y in self.years]
        return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} and {labels[-1]}"


def _problem(problem: FileProblem) -> dict[str, Any]:
    error: dict[str, Any] = {"message": problem.message}
    if problem.row is not None:
        error["row"] = problem.row
    if problem.column is not None:
        error["column"] = problem.column
    return error


def plan_targets_import(*, user: User, ics: ICS, content: bytes, filename: str) -> TargetImport:
    """Replace the system's targets for every year the file names with the file's targets.

    A target of one of those years that the file does not list is removed; other years are
    left alone. When anything in the file is wrong, every problem is raised (by row and
    column) and nothing is stored.
    """
    _refuse_unless_planner(user, ics)
    groups = {g.code: g for g in StaffGroup.objects.all()}
    parsed = read_targets(
        content, filename, staff_group_codes=groups, not_projected=not_projected_staff_groups()
    )
    if not parsed.ok:
        raise ApplicationError([_problem(p) for p in parsed.problems])
    created, updated = [], []
    with transaction.atomic():
        existing = {
            (t.staff_group.code, t.year): t
            for t in PlanTarget.objects.select_for_update(of=("self",))
            .select_related("ics", "staff_group")
            .filter(ics=ics, year__in=parsed.years)
        }
        befores: dict[int, dict[str, Any]] = {}
        for row in parsed.rows:
            values = row.values()
            code = values.pop("staff_group_code")
            target = existing.pop((code, row.year), None)
            if target is None:
                created.append(
                    PlanTarget(ics=ics, staff_group=groups[code], updated_by=user, **values)
                )
                continue
            before = _snapshot(target)
            for name, value in values.items():
                setattr(target, name, value)
            if _snapshot(target) != before:
                target.updated_by = user
                befores[target.pk] = before
                updated.append(target)
        removed = list(existing.values())
        for target in removed:
            audit_record(
                user=user,
                action=AuditEntry.Action.DELETE,
                instance=target,
                ics=ics,
                before=_snapshot(target),
            )
        PlanTarget.objects.filter(pk__in=[t.pk for t in removed]).delete()
        PlanTarget.objects.bulk_update(
            updated, ["plan", "target_fte", *rules.TARGET_OPTIONAL_FIELDS, "updated_by"]
        )
        PlanTarget.objects.bulk_create(created)
        for target in updated:
            audit_record(
                user=user,
                action=AuditEntry.Action.UPDATE,
                instance=target,
                ics=ics,
                before=befores[target.pk],
                after=_snapshot(target),
            )
        for target in created:
            audit_record(
                user=user,
                action=AuditEntry.Action.CREATE,
                instance=target,
                ics=ics,
                after=_snapshot(target),
            )
    return TargetImport(
        years=parsed.years, created=len(created), updated=len(updated), removed=len(removed)
    )


def plan_targets_export(*, user: User, ics: ICS) -> bytes:
    """The system's targets as a CSV file that `plan_targets_import` reads back."""
    if not can_read_ics(user, ics):
        raise ApplicationError("No such system.", status_code=404)
    return targets_csv(plan_targets_for_export(ics=ics))
