"""The audit trail page: who changed what and when, for ICB leads and national admins."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode

from core.access import systems_in_scope
from core.errors import OutOfScope
from core.models import AuditEntry
from core.selectors.audit import AuditFilter, audit_entries_for, audited_models, parse_since

PAGE_SIZE = 50
FILTERS = ("ics", "model", "user", "action", "since")


@login_required
def audit_trail(request: HttpRequest) -> HttpResponse:
    given = {name: request.GET.get(name, "").strip() for name in FILTERS}
    problem = ""
    try:
        since = parse_since(given["since"])
    except ValueError as error:
        since, problem = None, str(error)
    action = given["action"] if given["action"] in AuditEntry.Action.values else ""
    keep = AuditFilter(
        ics=given["ics"], model=given["model"], user=given["user"], action=action, since=since
    )
    try:
        entries = audit_entries_for(user=request.user, keep=keep)
    except OutOfScope as refused:
        raise PermissionDenied(str(refused)) from refused
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "core/audit/trail.html",
        {
            "page": page,
            "given": given,
            "problem": problem,
            "query": urlencode({k: v for k, v in given.items() if v}),
            "systems": systems_in_scope(request.user).order_by("name")
            if request.user.is_national
            else None,
            "models": audited_models(user=request.user),
            "actions": AuditEntry.Action.choices,
        },
        status=400 if problem else 200,
    )
