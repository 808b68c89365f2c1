"""Pages of plan targets and scenarios: glue between the forms, the services and templates."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from core.access import can_plan_for, can_run_projection, systems_in_scope
from core.errors import ApplicationError
from core.models import ICS, User
from workforce.models import PlanTarget
from workforce.plans.assumptions import GROUP_OVERRIDE, SCENARIO
from workforce.selectors import planning as selectors
from workforce.services.planning import (
    plan_target_create,
    plan_target_delete,
    plan_target_update,
    plan_targets_export,
    plan_targets_import,
)
from workforce.services.scenario_status import (
    scenario_archive,
    scenario_make_central,
    scenario_unarchive,
)
from workforce.services.scenarios import HAS_RUNS, scenario_copy, scenario_update

from .planning_forms import CopyForm, EditForm, ImportForm, TargetForm
from .typed_fields import apply_errors


def _refuse_without_a_system(user: User) -> None:
    """Targets and scenarios belong to systems: a user who reads none has no such pages."""
    if not systems_in_scope(user).exists():
        raise PermissionDenied("Plan targets and scenarios are for the systems' teams.")


def _system(user: User, code: str) -> ICS:
    # A system outside the scope is 404, for a user who reads none too (docs/design.md section 5).
    ics = systems_in_scope(user).filter(code__iexact=code).first()
    if ics is None:
        raise Http404("No such system.")
    return ics


def _copy_destinations(user: User) -> list[ICS] | None:
    """The systems a user may copy a scenario to: None for a national administrator (any
    system, or national), the lead's own system, or nothing."""
    if can_plan_for(user, None):
        return None
    return [user.ics] if user.ics_id and can_plan_for(user, user.ics) else []


@login_required
def scenario_list(request: HttpRequest) -> HttpResponse:
    _refuse_without_a_system(request.user)
    archived = request.GET.get("archived") == "1"
    scenarios = list(selectors.scenarios_for_list(user=request.user, archived=archived))
    words = selectors.statements_by_scenario(scenarios)
    return render(
        request,
        "workforce/planning/scenario_list.html",
        {
            "rows": [(s, words[s.pk]) for s in scenarios],
            "archived": archived,
            "archived_count": 0
            if archived
            else selectors.archived_scenario_count(user=request.user),
        },
    )


@login_required
def scenario_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scenario = get_object_or_404(selectors.scenarios_visible(user=request.user), pk=pk)
    effective = selectors.scenario_effective_assumptions(scenario=scenario)
    # What differs from the national defaults: the scenario's values for every group once,
    # then each group's overrides.
    for_every_group = {
        value.name: value
        for group in effective
        for value in group.values
        if value.source == SCENARIO
    }
    changed = [("Every staff group", value) for value in for_every_group.values()] + [
        (group.staff_group_name, value)
        for group in effective
        for value in group.values
        if value.source == GROUP_OVERRIDE
    ]
    runs = scenario.runs.count()
    return render(
        request,
        "workforce/planning/scenario_detail.html",
        {
            "scenario": scenario,
            "effective": effective,
            "changed": changed,
            "statements": selectors.scenario_statements(scenario=scenario),
            "step_changes": scenario.step_changes.select_related("staff_group").order_by("year"),
            "pay_awards": selectors.pay_award_rows(scenario),
            "can_copy": _copy_destinations(request.user) != [],
            "can_plan": can_plan_for(request.user, scenario.ics),
            "runs": runs,
            "has_runs_message": HAS_RUNS,
            "can_backtest": can_run_projection(request.user, scenario.ics),
        },
    )


def _planned_scenario(user: User, pk: int):
    """A scenario the user may read (else 404) and write (else 403)."""
    scenario = get_object_or_404(selectors.scenarios_visible(user=user), pk=pk)
    if not can_plan_for(user, scenario.ics):
        raise PermissionDenied("Only the system's ICB lead changes its scenarios.")
    return scenario


@login_required
@require_http_methods(["GET", "POST"])
def scenario_edit_page(request: HttpRequest, pk: int) -> HttpResponse:
    scenario = _planned_scenario(request.user, pk)
    context = {"scenario": scenario, "locked": None, "form": None}
    if selectors.scenario_has_runs(scenario):
        context["locked"] = HAS_RUNS
        return render(request, "workforce/planning/scenario_edit.html", context, status=409)
    form = EditForm(request.POST or None, scenario=scenario)
    if request.method == "POST" and form.is_valid():
        changes, names = form.changes(rows_at="assumption_changes", pay_awards_at="pay_awards")
        if not form.errors:
            try:
                scenario_update(
                    user=request.user,
                    scenario=scenario,
                    name=form.cleaned_data["name"],
                    description=changes["description"],
                    draws=changes["draws"],
                    horizon=changes["horizon"],
                    assumption_changes=changes["assumptions"],
                    pay_awards=changes["pay_awards"],
                )
            except ApplicationError as error:
                if error.status_code == 409:  # a run was started meanwhile
                    context["locked"] = HAS_RUNS
                    return render(
                        request, "workforce/planning/scenario_edit.html", context, status=409
                    )
                form.apply_errors(error, names)
            else:
                messages.success(request, f"Scenario \u201c{scenario.name}\u201d changed.")
                return redirect("scenario-detail", pk=scenario.pk)
    context["form"] = form
    return render(request, "workforce/planning/scenario_edit.html", context)


# The buttons of the scenario page: archive, unarchive, make central.
STANDING_CHANGES = {
    "archive": (scenario_archive, "archived: it no longer appears in lists and choices"),
    "unarchive": (scenario_unarchive, "back in lists and choices"),
    "central": (scenario_make_central, "now the central scenario"),
}


@login_required
@require_POST
def scenario_standing(request: HttpRequest, pk: int, change: str) -> HttpResponse:
    if change not in STANDING_CHANGES:
        raise Http404("No such change.")
    scenario = _planned_scenario(request.user, pk)
    service, done = STANDING_CHANGES[change]
    try:
        scenario = service(user=request.user, scenario=scenario)
    except ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Scenario \u201c{scenario.name}\u201d is {done}.")
    return redirect("scenario-detail", pk=scenario.pk)


@login_required
@require_http_methods(["GET", "POST"])
def scenario_copy_page(request: HttpRequest, pk: int) -> HttpResponse:
    source = get_object_or_404(selectors.scenarios_visible(user=request.user), pk=pk)
    destinations = _copy_destinations(request.user)
    if destinations == []:
        raise PermissionDenied("Only ICB leads and national administrators copy scenarios.")
    systems = None if destinations else ICS.objects.valid_on(timezone.localdate()).order_by("name")
    form = CopyForm(request.POST or None, source=source, systems=systems)
    if request.method == "POST" and form.is_valid():
        changes, names = form.changes()
        if not form.errors:
            if destinations:
                ics = destinations[0]
            else:
                code = form.cleaned_data.get("ics")
                ics = ICS.objects.get(code=code) if code else None
            try:
                copy = scenario_copy(
                    user=request.user,
                    source=source,
                    ics=ics,
                    name=form.cleaned_data["name"],
                    changes=changes,
                )
            except ApplicationError as error:
                form.apply_errors(error, names)
            else:
                messages.success(request, f"Scenario \u201c{copy.name}\u201d created.")
                return redirect("scenario-detail", pk=copy.pk)
    return render(
        request,
        "workforce/planning/scenario_copy.html",
        {"form": form, "source": source, "owner": destinations[0] if destinations else None},
    )


@login_required
def targets_home(request: HttpRequest) -> HttpResponse:
    _refuse_without_a_system(request.user)
    systems = systems_in_scope(request.user).select_related("region").order_by("name")
    if len(systems) == 1:
        return redirect("targets", code=systems[0].code)
    return render(
        request,
        "workforce/planning/targets_choose.html",
        {"systems": systems, "today": timezone.localdate()},
    )


@login_required
def targets_page(request: HttpRequest, code: str) -> HttpResponse:
    ics = _system(request.user, code)
    return render(
        request,
        "workforce/planning/targets.html",
        {
            "ics": ics,
            "table": selectors.plan_target_table(ics=ics),
            "can_plan": can_plan_for(request.user, ics),
        },
    )


def _planner_system(user: User, code: str) -> ICS:
    ics = _system(user, code)
    if not can_plan_for(user, ics):
        raise PermissionDenied("Only the system's ICB lead changes its targets.")
    return ics


@login_required
@require_http_methods(["GET", "POST"])
def target_edit(request: HttpRequest, code: str, pk: int | None = None) -> HttpResponse:
    ics = _planner_system(request.user, code)
    target = get_object_or_404(PlanTarget, pk=pk, ics=ics) if pk else None
    data = request.POST or None
    form = TargetForm.for_target(target, data) if target else TargetForm(data)
    if request.method == "POST" and form.is_valid():
        try:
            if target:
                plan_target_update(user=request.user, target=target, **form.cleaned_data)
            else:
                plan_target_create(user=request.user, ics=ics, **form.cleaned_data)
        except ApplicationError as error:
            apply_errors(form, error, {})
        else:
            messages.success(request, "Target saved.")
            return redirect("targets", code=ics.code)
    return render(
        request,
        "workforce/planning/target_form.html",
        {"ics": ics, "form": form, "target": target},
    )


@login_required
@require_POST
def target_delete(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    ics = _planner_system(request.user, code)
    plan_target_delete(user=request.user, target=get_object_or_404(PlanTarget, pk=pk, ics=ics))
    messages.success(request, "Target deleted.")
    return redirect("targets", code=ics.code)


@login_required
@require_http_methods(["GET", "POST"])
def targets_import_page(request: HttpRequest, code: str) -> HttpResponse:
    ics = _planner_system(request.user, code)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: dict[int | None, list[dict]] = defaultdict(list)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            done = plan_targets_import(
                user=request.user, ics=ics, content=upload.read(), filename=upload.name
            )
        except ApplicationError as error:
            for problem in error.errors:
                problems[problem.get("row")].append(problem)
        else:
            messages.success(
                request,
                f"Targets for {done.years_label} imported: {done.created} added, "
                f"{done.updated} changed, {done.removed} removed.",
            )
            return redirect("targets", code=ics.code)
    count = sum(len(p) for p in problems.values())
    return render(
        request,
        "workforce/planning/targets_import.html",
        {
            "ics": ics,
            "form": form,
            "problem_count": count,
            "file_problems": problems.pop(None, []),
            "row_problems": sorted(problems.items()),
        },
    )


@login_required
def targets_export(request: HttpRequest, code: str) -> HttpResponse:
    ics = _system(request.user, code)
    response = HttpResponse(
        plan_targets_export(user=request.user, ics=ics), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="targets-{ics.code}.csv"'
    return response
