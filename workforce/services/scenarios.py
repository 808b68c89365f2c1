"""Scenarios: create one, change it, copy it and change a few numbers.

A scenario's assumptions are rows: one for every staff group (no staff group) and one per
staff group that overrides it; what no row sets is the national default. Its pay awards by
year (for every group, or one) win over the rows' `pay_award` in their year. Its ICB lead (or a
national administrator) writes a system's scenarios, and only national administrators write
national ones, which everyone who reads a system may read and copy. Scenarios are never
deleted: runs keep pointing at the scenario they projected, so a scenario is changed only
until it has runs; after that it is copied to change it (and may be archived,
`workforce.services.scenario_status`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction

from core.access import can_plan_for
from core.errors import ApplicationError, OutOfScope
from core.models import ICS, User
from core.services.writes import Problems, store_audited
from workforce.models import (
    SCENARIO_ASSUMPTION_FIELDS,
    DemandStepChange,
    PayAward,
    ProjectionRun,
    Scenario,
    ScenarioAssumption,
)
from workforce.selectors.planning import assumption_rows, pay_award_rows, scenarios_visible

from .scenario_input import (
    PAY_AWARD_KEYS,
    SETTINGS,
    STEP_CHANGE_KEYS,
    clean_assumptions,
    clean_pay_awards,
    clean_settings,
    clean_step_changes,
    reportable_groups,
)

COPY_CHANGES = (*SETTINGS[1:], "assumptions", "step_changes", "pay_awards")
HAS_RUNS = (
    "This scenario has projection runs, which must keep showing what they projected: "
    "copy it to change it."
)


def refuse_if_it_has_runs(scenario: Scenario) -> None:
    """A scenario with runs is never changed (409): its runs were projected from it."""
    if ProjectionRun.objects.filter(scenario=scenario).exists():
        raise ApplicationError(HAS_RUNS, status_code=409)


def refuse_unless_planner(user: User, ics: ICS | None) -> None:
    if can_plan_for(user, ics):
        return
    if ics is None:
        raise OutOfScope(
            "Only national administrators may write national scenarios; copy one to your "
            "system to change it."
        )
    raise OutOfScope(f"You may not write the scenarios of {ics.name} ({ics.code}).")


def _name_taken(ics: ICS | None, name: str) -> ApplicationError:
    where = f"{ics.code}" if ics else "the national scenarios"
    return ApplicationError(
        [
            {
                "field": "name",
                "message": f"{where} already has a scenario named {name!r}: choose another name.",
            }
        ]
    )


def _check_unique(ics: ICS | None, name: str, problems: Problems, *, not_pk: int | None) -> None:
    """A scenario's name is its identity within its system (or among the national ones)."""
    if problems.about(["name"]):
        return
    if Scenario.objects.filter(ics=ics, name__iexact=name).exclude(pk=not_pk).exists():
        problems.extend(_name_taken(ics, name).errors)


def scenario_snapshot(scenario: Scenario) -> dict[str, Any]:
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
        "archived": scenario.archived_at is not None,
        "central": scenario.central,
        "assumptions": [
            {"staff_group": row.staff_group.code if row.staff_group_id else None}
            | {
                n: text(getattr(row, n))
                for n in SCENARIO_ASSUMPTION_FIELDS
                if getattr(row, n) is not None
            }
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
        "pay_awards": [
            {
                "staff_group": award.staff_group.code if award.staff_group_id else None,
                "year": award.year,
                "rate": text(award.rate),
            }
            for award in pay_award_rows(scenario)
        ],
    }


def _replace_rows(
    scenario: Scenario,
    assumptions: list[dict[str, Any]] | None,
    step_changes: list[dict[str, Any]] | None,
    pay_awards: list[dict[str, Any]] | None = None,
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
    if pay_awards is not None:
        scenario.pay_awards.all().delete()
        PayAward.objects.bulk_create(PayAward(scenario=scenario, **row) for row in pay_awards)


def _store_new(
    *,
    user: User,
    ics: ICS | None,
    settings: dict[str, Any],
    assumptions: list[dict[str, Any]],
    step_changes: list[dict[str, Any]],
    pay_awards: list[dict[str, Any]],
    based_on: Scenario | None = None,
) -> Scenario:
    scenario = Scenario(ics=ics, based_on=based_on, created_by=user, **settings)

    def save() -> None:
        scenario.save()
        _replace_rows(scenario, assumptions, step_changes, pay_awards)

    return store_audited(
        user=user,
        instance=scenario,
        ics=ics,
        before=None,
        after=scenario_snapshot,
        save=save,
        duplicate=lambda: _name_taken(ics, scenario.name),
    )


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
    pay_awards: Iterable[Mapping[str, Any]] = (),
) -> Scenario:
    """A new scenario for a system (or national, with ics None).

    `assumptions` are rows: {"staff_group": a code, or None for every group, and any of the
    assumptions of ScenarioAssumption}; `step_changes` are {"staff_group", "year", "fte",
    "description"}; `pay_awards` are {"staff_group" (None: every group), "year", "rate"}.
    Every problem is raised at once, each naming its field.
    """
    refuse_unless_planner(user, ics)
    problems = Problems()
    settings = clean_settings(
        {
            "name": name,
            "description": description,
            "draws": draws,
            "horizon": horizon,
            "seed": seed,
            "organisation_share": organisation_share,
        },
        problems,
    )
    groups = reportable_groups()
    rows = clean_assumptions(assumptions, "assumptions", groups, problems)
    changes = clean_step_changes(step_changes, "step_changes", groups, problems)
    awards = clean_pay_awards(pay_awards, "pay_awards", groups, problems)
    _check_unique(ics, settings["name"], problems, not_pk=None)
    problems.raise_any()
    return _store_new(
        user=user,
        ics=ics,
        settings=settings,
        assumptions=rows,
        step_changes=changes,
        pay_awards=awards,
    )


def scenario_update(
    *,
    user: User,
    scenario: Scenario,
    assumptions: Iterable[Mapping[str, Any]] | None = None,
    step_changes: Iterable[Mapping[str, Any]] | None = None,
    pay_awards: Iterable[Mapping[str, Any]] | None = None,
    assumption_changes: Iterable[Mapping[str, Any]] | None = None,
    **settings: Any,
) -> Scenario:
    """Change the fields given in `settings` (name, description, draws, horizon, seed,
    organisation_share); `assumptions`, `step_changes` and `pay_awards`, when given, replace
    all the scenario's rows of that kind, in one transaction with the rest.
    `assumption_changes` instead merges rows into the scenario's by staff group, as a copy's
    changes do (a value given replaces the stored one, None clears it). A scenario's system
    never changes: copy it to another system instead. A scenario with runs is not changed
    at all (409): copy it to change it.
    """
    unknown = set(settings) - set(SETTINGS)
    if unknown:
        raise TypeError(f"scenario_update() got unexpected fields {sorted(unknown)}")
    if assumptions is not None and assumption_changes is not None:
        raise TypeError("scenario_update() takes assumptions or assumption_changes, not both")
    refuse_unless_planner(user, scenario.ics)
    refuse_if_it_has_runs(scenario)
    problems = Problems()
    cleaned = clean_settings(settings, problems)
    groups = reportable_groups()
    rows = (
        None
        if assumptions is None
        else clean_assumptions(assumptions, "assumptions", groups, problems)
    )
    merging = (
        None
        if assumption_changes is None
        else clean_assumptions(assumption_changes, "assumption_changes", groups, problems)
    )
    changes = (
        None
        if step_changes is None
        else clean_step_changes(step_changes, "step_changes", groups, problems)
    )
    awards = (
        None if pay_awards is None else clean_pay_awards(pay_awards, "pay_awards", groups, problems)
    )
    if "name" in cleaned:
        _check_unique(scenario.ics, cleaned["name"], problems, not_pk=scenario.pk)
    problems.raise_any()
    with transaction.atomic():
        scenario = (
            Scenario.objects.select_for_update(of=("self",))
            .select_related("ics")
            .get(pk=scenario.pk)
        )
        # Again under the lock: a run requested meanwhile (it locks the scenario too) wins.
        refuse_if_it_has_runs(scenario)
        before = scenario_snapshot(scenario)
        if merging is not None:
            rows = _merged_rows(scenario, merging)
        for field, value in cleaned.items():
            setattr(scenario, field, value)

        def save() -> None:
            scenario.save()
            _replace_rows(scenario, rows, changes, awards)

        return store_audited(
            user=user,
            instance=scenario,
            ics=scenario.ics,
            before=before,
            after=scenario_snapshot,
            save=save,
            duplicate=lambda: _name_taken(scenario.ics, scenario.name),
        )


def _merged_rows(source: Scenario, changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The source's assumption rows with `changes` merged in by staff group: each value
    given replaces the source's, None clears it (the value then falls back)."""
    merged: dict[str | None, dict[str, Any]] = {
        (row.staff_group.code if row.staff_group_id else None): {
            "staff_group": row.staff_group,
            **{n: getattr(row, n) for n in SCENARIO_ASSUMPTION_FIELDS},
        }
        for row in assumption_rows(source)
    }
    for row in changes:
        key = row["staff_group"].code if row["staff_group"] else None
        merged.setdefault(key, {"staff_group": row["staff_group"]}).update(row)
    return list(merged.values())


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
    one (None clears it, so the value falls back); and "step_changes" and "pay_awards",
    each replacing them all.
    """
    if not scenarios_visible(user=user).filter(pk=source.pk).exists():
        raise ApplicationError("No such scenario.", status_code=404)
    refuse_unless_planner(user, ics)
    changes = dict(changes or {})
    problems = Problems()
    for key in sorted(set(changes) - set(COPY_CHANGES)):
        problems.add(f"changes.{key}", f"{key} cannot be changed on a copy.")
    settings = {
        "description": source.description,
        "draws": source.draws,
        "horizon": source.horizon,
        "seed": source.seed,
        "organisation_share": source.organisation_share,
    } | {k: v for k, v in changes.items() if k in SETTINGS}
    cleaned = clean_settings(settings | {"name": name}, problems)
    groups = reportable_groups()
    merged = _merged_rows(
        source,
        clean_assumptions(changes.get("assumptions", ()), "changes.assumptions", groups, problems),
    )
    if "step_changes" in changes:
        steps = clean_step_changes(
            changes["step_changes"], "changes.step_changes", groups, problems
        )
    else:
        steps = [
            {n: getattr(c, n) for n in STEP_CHANGE_KEYS}
            for c in source.step_changes.select_related("staff_group").order_by("year", "id")
        ]
    if "pay_awards" in changes:
        awards = clean_pay_awards(changes["pay_awards"], "changes.pay_awards", groups, problems)
    else:
        awards = [{n: getattr(a, n) for n in PAY_AWARD_KEYS} for a in pay_award_rows(source)]
    _check_unique(ics, cleaned["name"], problems, not_pk=None)
    problems.raise_any()
    return _store_new(
        user=user,
        ics=ics,
        settings=cleaned,
        assumptions=merged,
        step_changes=steps,
        pay_awards=awards,
        based_on=source,
    )
