"""What a run was built on, organisation by organisation: the list the dashboard's "Returns
used" line links to. Glue: the system and run in scope, the stored account, the names."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from workforce.selectors.run_built_on import built_on_rows
from workforce.selectors.runs import run_for

from .dashboards import system_of


@login_required
def run_built_on(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    ics = system_of(request.user, code)
    run = run_for(request.user, pk)
    if run is None or run.ics_id != ics.pk:
        raise Http404("No such projection run.")
    return render(
        request,
        "workforce/dashboards/built_on.html",
        {"ics": ics, "run": run, "rows": built_on_rows(run)},
    )
