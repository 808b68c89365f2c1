"""Scenarios: create one, change it, copy it and change a few numbers.

A scenario's assumptions are rows: one for every staff group (no staff group) and one per
staff group that overrides it; what no row sets is the national default. Its ICB lead (or a
national administrator) writes a system's scenarios, and only national administrators write
national ones, which everyone who reads a system may read and copy. Scenarios are never
deleted: runs keep pointing at the scenario they projected.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction

from workforce.access import can_plan_for
from workforce.errors import ApplicationError, OutOfScope
from workforce.models import (
    ASSUMPTION_FIELDS,
    ICS,
    DemandStepChange,
    Scenario,
    ScenarioAssumption,
    StaffGroup,
    User,
)
from workforce.plans import rules
from workforce.selectors.planning import assumption_rows, scenarios_visible

from .audit import audit_record

SETTINGS = ("name", "description", "draws", "horizon", "seed", "organisation_share")
COPY_CHANGES = (*SETTINGS[1:], "assumptions", "step_changes")
STEP_CHANGE_KEYS = ("staff_group", "year", "fte", "description")


class _Errors(list):
    def add(self, field: str, message: str) -> None:
        self.append({"field": field, "message": message})

    def raise_any(self) -> None:
        if self:
            raise ApplicationError(list(self))


def _refuse_unless_planner(user: User, ics: ICS | None) -> None:
    if can_plan_for(user, ics):
        return
    if ics is None:
        raise OutOfScope(
            "Only national administrators may write national scenarios; copy one to your "
            "system to change it."
        )
    raise OutOfScope(f"You may not write the scenarios of {ics.name} ({ics.code}).")


def _clean_settings(values: Mapping[str, Any], errors: _Errors) -> dict[str, Any]:
    """Check the scenario's own fields among `values` (those absent are left out)."""
    cleaned: dict[str, Any] = {}
    if "name" in values:
        name = " ".join(str(values["name"] or "").split())
        if not name:
            errors.add("name", "name is required: say what the scenario assumes.")
        elif len(name) > rules.SCENARIO_NAME_LONGEST:
            errors.add("name", f"name must be at most {rules.SCENARIO_NAME_LONGEST} characters.")
        cleaned["name"] = name
    if "description" in values:
        cleaned["description"] = str(values["description"] or "").strip()
    for field in rules.SCENARIO_LIMITS:
        if field not in values:
            continue
        value = values[field]
        if isinstance(value, bool) or not isinstance(value, int):
            errors.add(field, f"{field} must be a whole number.")
            continue
        message = rules.check_scenario_count(field, value)
        if message:
            errors.add(field, message)
        cleaned[field] = value
    if "organisation_share" in values:
        share = _decimal(values["organisation_share"], "organisation_share", errors)
        if share is not None:
            message = rules.check_fraction(share, "organisation_share")
            if message:
                errors.add("organisation_share", message)
            cleaned["organisation_share"] = rules.rounded(share, rules.SHARE_PLACES)
    return cleaned


def _decimal(value: Any, field: str, errors: _Errors) -> Decimal | None:
    try:
        return rules.to_decimal(value)
    except ValueError:
        name = field.rsplit(".", 1)[-1]
        errors.add(field, f"{name} must be a number; {str(value)[:20]!r} is not.")
        return None


def _reportable_groups() -> dict[str, StaffGroup]:
    return {g.code: g for g in StaffGroup.objects.filter(reportable=True)}


def _group(code: Any, field: str, groups: Mapping[str, StaffGroup], errors: _Errors) -> Any:
    """The staff group of a code, or None after adding an error."""
    group = groups.get(str(code).strip().upper()) if code not in (None, "") else None
    if group is None:
        errors.add(
            field,
            f"{field}: {code!r} is not the code of a staff group that is projected "
            "(a reportable group such as NUR; /api/v1/staff-groups/ lists them).",
        )
    return group


def _clean_assumptions(
    rows: Iterable[Any], prefix: str, groups: Mapping[str, StaffGroup], errors: _Errors
) -> list[dict[str, Any]]:
    """Each row as {"staff_group": StaffGroup or None, <the assumptions it gives>}.

    A value given as None is kept as None: on a copy it clears what the source had.
    """
    cleaned, seen = [], set()
    for index, row in enumerate(rows):
        at = f"{prefix}[{index}]"
        if not isinstance(row, Mapping):
            errors.add(at, f"{at} must be an object of assumptions.")
            continue
        unknown = sorted(set(row) - {"staff_group", *ASSUMPTION_FIELDS})
        for key in unknown:
            errors.add(f"{at}.{key}", f"{key} is not an assumption of a scenario.")
        code = row.get("staff_group")
        group = None if code in (None, "") else _group(code, f"{at}.staff_group", groups, errors)
        # A row whose code is wrong has its error already; it duplicates no other row.
        key = group.code if group else (None if code in (None, "") else f"row {index}")
        if key in seen:
            whose = f"staff group {key}" if key else "every staff group (no staff group)"
            errors.add(f"{at}.staff_group", f"There is already a row for {whose}.")
        seen.add(key)
        values: dict[str, Any] = {"staff_group": group}
        for name in ASSUMPTION_FIELDS:
            if name not in row:
                continue
            value = row[name]
            if value is None or value == "":
                values[name] = None
                continue
            if name in rules.YEAR_ASSUMPTIONS:
                try:
                    number: Any = rules.parse_year(value)
                except ValueError as error:
                    errors.add(f"{at}.{name}", f"{name}: {error}")
                    continue
            else:
                number = _decimal(value, f"{at}.{name}", errors)
                if number is None:
                    continue
            message = rules.check_assumption(name, number)
            if message:
                errors.add(f"{at}.{name}", message)
            values[name] = (
                number if isinstance(number, int) else rules.rounded(number, rules.RATE_PLACES)
            )
        cleaned.append(values)
    return cleaned


def _clean_step_changes(
    rows: Iterable[Any], prefix: str, groups: Mapping[str, StaffGroup], errors: _Errors
) -> list[dict[str, Any]]:
    cleaned = []
    for index, row in enumerate(rows):
        at = f"{prefix}[{index}]"
        if not isinstance(row, Mapping):
            errors.add(at, f"{at} must be an object with staff_group, year and fte.")
            continue
        for key in sorted(set(row) - set(STEP_CHANGE_KEYS)):
            errors.add(f"{at}.{key}", f"{key} is not a field of a step change.")
        values: dict[str, Any] = {
            "staff_group": _group(row.get("staff_group"), f"{at}.staff_group", groups, errors)
        }
        try:
            values["year"] = rules.parse_year(row.get("year"))
            message = rules.check_year(values["year"])
            if message:
                errors.add(f"{at}.year", message)
        except ValueError as error:
            errors.add(f"{at}.year", f"year: {error}")
        fte = _decimal(row.get("fte"), f"{at}.fte", errors)
        if fte is not None:
            if abs(fte) > rules.MAX_STEP_CHANGE_FTE:
                errors.add(f"{at}.fte", f"fte must be within ±{rules.MAX_STEP_CHANGE_FTE:,}.")
            values["fte"] = rules.rounded(fte, rules.FTE_PLACES)
        description = str(row.get("description") or "").strip()
        if len(description) > rules.STEP_CHANGE_DESCRIPTION_LONGEST:
            errors.add(
                f"{at}.description",
                f"description must be at most {rules.STEP_CHANGE_DESCRIPTION_LONGEST} characters.",
            )
        values["description"] = description
        cleaned.append(values)
    return cleaned


def _refuse_taken_name(ics: ICS | None, name: str, not_pk: int | None, errors: _Errors) -> None:
    taken = Scenario.objects.filter(ics=ics, name__iexact=name).exclude(pk=not_pk)
    if name and taken.exists():
        where = f"{ics.code}" if ics else "the national scenarios"
        errors.add("name", f"{where} already has a scenario named {name!r}: choose another name.")


def _snapshot(scenario: Scenario) -> dict[str, Any]:
    """The scenario with its rows, as the audit trail keeps them (figures as exact text)."""

    def text(value: Any) -> Any:
        return str(value) if isinstance(value, Decimal) else value

    return {
        "name": scenario.name,
        "description": scenario.description,
        "ics": scenario.ics.code if scenario.ics_id else None,
        "based_on": scenario.based_on_id,
        "draws": scenario.draws,
        "horizon": scenario.horizon,
        "seed": scenario.seed,
        "organisation_share": text(scenario.organisation_share),
        "assumptions": [
            {"staff_group": row.staff_group.code if row.staff_group_id else None}
            | {n: text(getattr(row, n)) for n in ASSUMPTION_FIELDS if getattr(row, n) is not None}
            for row in assumption_rows(scenario)
        ],
        "step_changes": [
            {
                "staff_group": c.staff_group.code,
                "year": c.year,
                "fte": text(c.fte),
                "description": c.description,
            }
            for c in scenario.step_changes.select_related("staff_group").order_by("year", "id")
        ],
    }


def _replace_rows(
    scenario: Scenario,
    assumptions: list[dict[str, Any]] | None,
    step_changes: list[dict[str, Any]] | None,
) -> None:
    if assumptions is not None:
        scenario.assumptions.all().delete()
        ScenarioAssumption.objects.bulk_create(
            ScenarioAssumption(scenario=scenario, **row) for row in assumptions
        )
    if step_changes is not None:
        scenario.step_changes.all().delete()
        DemandStepChange.objects.bulk_create(
            DemandStepChange(scenario=scenario, **row) for row in step_changes
        )


def _store_new(
    *,
    user: User,
    ics: ICS | None,
    settings: dict[str, Any],
    assumptions: list[dict[str, Any]],
    step_changes: list[dict[str, Any]],
    based_on: Scenario | None = None,
) -> Scenario:
    with transaction.atomic():
        scenario = Scenario.objects.create(ics=ics, based_on=based_on, created_by=user, **settings)
        _replace_rows(scenario, assumptions, step_changes)
        audit_record(
            user=user, action="create", instance=scenario, ics=ics, after=_snapshot(scenario)
        )
    return scenario


def scenario_create(
    *,
    user: User,
    ics: ICS | None,
    name: str,
    description: str = "",
    draws: int = 1000,
    horizon: int = 10,
    seed: int = 20260401,
    organisation_share: Decimal | float | str = 0,
    assumptions: Iterable[Mapping[str, Any]] = (),
    step_changes: Iterable[Mapping[str, Any]] = (),
) -> Scenario:
    """A new scenario for a system (or national, with ics None).

    `assumptions` are rows: {"staff_group": a code, or None for every group, and any of the
    assumptions of ScenarioAssumption}; `step_changes` are {"staff_group", "year", "fte",
    "description"}. Every problem is raised at once, each naming its field.
    """
    _refuse_unless_planner(user, ics)
    errors = _Errors()
    settings = _clean_settings(
        {
            "name": name,
            "description": description,
            "draws": draws,
            "horizon": horizon,
            "seed": seed,
            "organisation_share": organisation_share,
        },
        errors,
    )
    groups = _reportable_groups()
    rows = _clean_assumptions(assumptions, "assumptions", groups, errors)
    changes = _clean_step_changes(step_changes, "step_changes", groups, errors)
    _refuse_taken_name(ics, settings["name"], None, errors)
    errors.raise_any()
    return _store_new(user=user, ics=ics, settings=settings, assumptions=rows, step_changes=changes)


def scenario_update(
    *,
    user: User,
    scenario: Scenario,
    assumptions: Iterable[Mapping[str, Any]] | None = None,
    step_changes: Iterable[Mapping[str, Any]] | None = None,
    **settings: Any,
) -> Scenario:
    """Change the fields given in `settings` (name, description, draws, horizon, seed,
    organisation_share); `assumptions` and `step_changes`, when given, replace all the
    scenario's rows, in one transaction with the rest. A scenario's system never changes:
    copy it to another system instead."""
    unknown = set(settings) - set(SETTINGS)
    if unknown:
        raise TypeError(f"scenario_update() got unexpected fields {sorted(unknown)}")
    _refuse_unless_planner(user, scenario.ics)
    errors = _Errors()
    cleaned = _clean_settings(settings, errors)
    groups = _reportable_groups()
    rows = (
        None
        if assumptions is None
        else _clean_assumptions(assumptions, "assumptions", groups, errors)
    )
    changes = (
        None
        if step_changes is None
        else _clean_step_changes(step_changes, "step_changes", groups, errors)
    )
    if "name" in cleaned:
        _refuse_taken_name(scenario.ics, cleaned["name"], scenario.pk, errors)
    errors.raise_any()
    with transaction.atomic():
        scenario = (
            Scenario.objects.select_for_update(of=("self",))
            .select_related("ics")
            .get(pk=scenario.pk)
        )
        before = _snapshot(scenario)
        for field, value in cleaned.items():
            setattr(scenario, field, value)
        scenario.save()
        _replace_rows(scenario, rows, changes)
        audit_record(
            user=user,
            action="update",
            instance=scenario,
            ics=scenario.ics,
            before=before,
            after=_snapshot(scenario),
        )
    return scenario


def scenario_copy(
    *,
    user: User,
    source: Scenario,
    ics: ICS | None,
    name: str,
    changes: Mapping[str, Any] | None = None,
) -> Scenario:
    """A copy of `source` for `ics` (None: national), based on it, with a few changes.

    The copy keeps every assumption row and step change of the source. `changes` may hold
    description, draws, horizon, seed and organisation_share (replaced); "assumptions",
    rows merged into the copied ones by staff group, each value given replacing the copied
    one (None clears it, so the value falls back); and "step_changes", replacing them all.
    """
    if not scenarios_visible(user=user).filter(pk=source.pk).exists():
        raise ApplicationError("No such scenario.", status_code=404)
    _refuse_unless_planner(user, ics)
    changes = dict(changes or {})
    errors = _Errors()
    for key in sorted(set(changes) - set(COPY_CHANGES)):
        errors.add(f"changes.{key}", f"{key} cannot be changed on a copy.")
    settings = {
        "description": source.description,
        "draws": source.draws,
        "horizon": source.horizon,
        "seed": source.seed,
        "organisation_share": source.organisation_share,
    } | {k: v for k, v in changes.items() if k in SETTINGS}
    cleaned = _clean_settings(settings | {"name": name}, errors)
    groups = _reportable_groups()
    merged: dict[str | None, dict[str, Any]] = {
        (row.staff_group.code if row.staff_group_id else None): {
            "staff_group": row.staff_group,
            **{n: getattr(row, n) for n in ASSUMPTION_FIELDS},
        }
        for row in assumption_rows(source)
    }
    for row in _clean_assumptions(
        changes.get("assumptions", ()), "changes.assumptions", groups, errors
    ):
        key = row["staff_group"].code if row["staff_group"] else None
        merged.setdefault(key, {"staff_group": row["staff_group"]}).update(row)
    if "step_changes" in changes:
        steps = _clean_step_changes(changes["step_changes"], "changes.step_changes", groups, errors)
    else:
        steps = [
            {n: getattr(c, n) for n in STEP_CHANGE_KEYS}
            for c in source.step_changes.select_related("staff_group").order_by("year", "id")
        ]
    _refuse_taken_name(ics, cleaned["name"], None, errors)
    errors.raise_any()
    return _store_new(
        user=user,
        ics=ics,
        settings=cleaned,
        assumptions=list(merged.values()),
        step_changes=steps,
        based_on=source,
    )
