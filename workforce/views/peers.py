"""The dashboard's card of a system among its peers, loaded after the page (it reads every
system's returns). Glue: the system in scope, the selector, the card."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from core.errors import ApplicationError
from workforce.selectors.dashboards_scenarios import system_for
from workforce.selectors.peers import system_peers


@login_required
def peers_card(request: HttpRequest, code: str) -> HttpResponse:
    """The card for the dashboard's year if the national run projects it, else its own."""
    ics = system_for(user=request.user, code=code)
    if ics is None:
        raise Http404("No such system.")
    year = request.GET.get("year", "")
    today = timezone.localdate()
    try:
        peers = system_peers(ics=ics, today=today, year=int(year) if year.isdigit() else None)
    except ApplicationError:
        peers = system_peers(ics=ics, today=today)
    return render(request, "workforce/dashboards/_peers.html", {"peers": peers})
