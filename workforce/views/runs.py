"""Projection runs started from the dashboards: the "Run a new projection" forms of a
system's dashboard and of the national view, and the progress bar that polls until the
results replace the old ones. Glue: parse, call the service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh, push_url, reswap, retarget

from core.calendar import parse_month
from core.errors import ApplicationError
from core.models import ICS
from workforce.models import ProjectionRun
from workforce.selectors.dashboards_national import national_scenarios
from workforce.selectors.dashboards_scenarios import scenarios_for_system
from workforce.selectors.runs import run_for
from workforce.services.runs import projection_run_start

from .dashboards import bad_query, dashboard_for, number, results_context, system_of


@login_required
@require_POST
def run_start(request: HttpRequest, code: str) -> HttpResponse:
    """Start a run of the chosen scenario for the system; htmx gets the progress bar."""
    ics = system_of(request.user, code)
    scenario = (
        scenarios_for_system(user=request.user, ics=ics)
        .filter(pk=number(request.POST.get("scenario")))
        .first()
    )
    if scenario is None:
        raise Http404("No such scenario.")
    try:
        # As the API reads it: ASCII digits, a year the calendar holds.
        baseline = parse_month(request.POST.get("baseline_period", ""))
    except ValueError:
        return _refused(request, ics, "Give the baseline month as YYYY-MM.")
    try:
        run = projection_run_start(
            user=request.user, scenario=scenario, ics=ics, baseline_period=baseline
        )
    except ApplicationError as error:
        if error.status_code == 403:
            raise PermissionDenied(str(error)) from error
        return _refused(request, ics, str(error))
    kept = _kept_view(request.POST)
    if not request.htmx:
        return redirect(_dashboard_url(ics, run, kept))
    return _progress(request, run, ics, kept)


def _refused(request: HttpRequest, ics: ICS | None, message: str) -> HttpResponse:
    """Why a run could not start: in place of the progress bar, or on the page again."""
    if not request.htmx:
        messages.error(request, message)
        return redirect(reverse("system-dashboard", args=[ics.code]) if ics else "national")
    # 200, not 400: htmx swaps in only a successful answer (its default responseHandling).
    context = {"ics": ics, "message": message}
    return render(request, "workforce/dashboards/_refused.html", context)


# What the dashboard showed when a run was started, kept for its results.
KEPT_VIEW = ("staff_group", "year", "sector")


def _kept_view(params: QueryDict) -> dict[str, str]:
    return {name: params[name] for name in KEPT_VIEW if params.get(name)}


def _dashboard_url(ics: ICS, run: ProjectionRun, kept: dict[str, str] | None = None) -> str:
    query = urlencode({"scenario": run.scenario_id, "run": run.pk} | (kept or {}))
    return f"{reverse('system-dashboard', args=[ics.code])}?{query}"


@login_required
def run_progress(request: HttpRequest, pk: int, code: str | None = None) -> HttpResponse:
    """The run's progress bar; once it has succeeded, its results in place of the old ones
    (a system's dashboard) or the page again (the national view)."""
    ics = system_of(request.user, code) if code else None
    run = run_for(request.user, pk)
    if run is None or run.ics_id != (ics.pk if ics else None):
        raise Http404("No such projection run.")
    return _progress(request, run, ics, _kept_view(request.GET))


def _progress(
    request: HttpRequest, run: ProjectionRun, ics: ICS | None, kept: dict[str, str] | None = None
) -> HttpResponse:
    """The progress bar, carrying the view the run was started from (`kept`); a run that
    finishes within the request that started it (tasks in process) goes straight to its
    results, in that view."""
    if run.status != ProjectionRun.Status.SUCCEEDED or not request.htmx:
        context = {"run": run, "ics": ics, "kept": urlencode(kept or {})}
        return render(request, "workforce/dashboards/_progress.html", context)
    if ics is None:
        return HttpResponseClientRefresh()
    params = QueryDict(mutable=True)
    params.update(kept or {})
    try:
        d = dashboard_for(request, ics, params, run_id=run.pk)
    except ApplicationError as error:
        return bad_query(error)
    context = results_context(d) | {"fresh": True}
    response = render(request, "workforce/dashboards/_results.html", context)
    response = reswap(retarget(response, "#dashboard-results"), "outerHTML")
    return push_url(response, _dashboard_url(ics, run, kept))


@login_required
@require_POST
def national_run_start(request: HttpRequest) -> HttpResponse:
    if not request.user.is_national:
        raise PermissionDenied("The national view is for national users.")
    scenario = national_scenarios().filter(pk=number(request.POST.get("scenario"))).first()
    if scenario is None:
        raise Http404("No such scenario.")
    try:
        run = projection_run_start(
            user=request.user,
            scenario=scenario,
            ics=None,
            baseline_period=parse_month(request.POST.get("baseline_period", "")),
        )
    except ValueError:
        return _refused(request, None, "Give the baseline month as YYYY-MM.")
    except ApplicationError as error:
        return _refused(request, None, str(error))
    if not request.htmx:
        return redirect(f"{reverse('national')}?{urlencode({'scenario': scenario.pk})}")
    return _progress(request, run, None)
