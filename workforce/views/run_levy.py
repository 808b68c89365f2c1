"""A system run's apprenticeship levy: each levy-paying employer's levy and funds against its
apprenticeship starts, and what it could transfer to partners. Glue: the system and run in
scope, the selector, the page or its CSV."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from core.api.csv_export import csv_response
from workforce.models import ProjectionRun
from workforce.selectors.levy import CSV_FIELDS, levy_for, levy_rows
from workforce.selectors.runs import run_for

from .dashboards import system_of


@login_required
def run_levy(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    ics = system_of(request.user, code)
    run = run_for(request.user, pk)
    if run is None or run.ics_id != ics.pk or run.status != ProjectionRun.Status.SUCCEEDED:
        raise Http404("No such projection run.")
    answer = levy_for(run)
    if request.GET.get("format") == "csv" and answer["costed"]:
        return csv_response(f"run-{run.pk}-levy.csv", CSV_FIELDS, levy_rows(answer))
    return render(
        request, "workforce/dashboards/levy.html", {"ics": ics, "run": run, "levy": answer}
    )
