"""Run every compared scenario on one baseline, from the comparison that refused runs of
different baselines. Glue: the system and scenarios in scope, the run service for each, back
to the comparison with what was started."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from core.calendar import parse_month
from core.errors import ApplicationError
from workforce.selectors.dashboards_compare import FEWEST, MOST, parse_scenario_ids
from workforce.selectors.dashboards_scenarios import scenarios_for_system
from workforce.services.runs import projection_run_start

from .dashboards import system_of


@login_required
@require_POST
def compare_on_one_baseline(request: HttpRequest, code: str) -> HttpResponse:
    ics = system_of(request.user, code)
    try:
        ids = parse_scenario_ids(request.POST.get("scenarios"))
    except ApplicationError as error:
        raise Http404(str(error)) from error
    query = urlencode({"scenarios": ",".join(map(str, ids))})
    back = f"{reverse('scenario-compare', args=[ics.code])}?{query}"
    by_id = {s.pk: s for s in scenarios_for_system(user=request.user, ics=ics).filter(pk__in=ids)}
    if len(by_id) != len(ids) or not FEWEST <= len(ids) <= MOST:
        raise Http404("No such scenarios of the system to compare.")
    try:
        baseline = parse_month(request.POST.get("baseline_period", ""))
    except ValueError:
        messages.error(request, "Choose the baseline month to run every scenario on.")
        return redirect(back)
    started, refused = [], []
    for pk in ids:
        try:
            run = projection_run_start(
                user=request.user, scenario=by_id[pk], ics=ics, baseline_period=baseline
            )
        except ApplicationError as error:
            if error.status_code == 403:
                raise PermissionDenied(str(error)) from error
            refused.append(f"{by_id[pk].name}: {error}")
        else:
            started.append(f"{by_id[pk].name} (run {run.pk})")
    if started:
        messages.success(
            request,
            f"Started on {baseline:%B %Y}: {', '.join(started)}. The comparison shows them side "
            "by side once they have finished.",
        )
    for message in refused:
        messages.error(request, message)
    return redirect(back)
