"""The ICB lead's sign-off of a month, from the submission tracker. Glue: the system in
scope, the service, back to the tracker with what happened."""

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
from workforce.selectors.dashboards_scenarios import system_for
from workforce.services.months import month_sign_off


@login_required
@require_POST
def month_sign_off_page(request: HttpRequest, code: str, month: str) -> HttpResponse:
    ics = system_for(user=request.user, code=code)
    if ics is None:
        raise Http404("No such system in your scope.")
    back = f"{reverse('return-tracker')}?{urlencode({'ics': ics.code})}"
    try:
        period = parse_month(month)
        _, created = month_sign_off(
            user=request.user, ics=ics, month=period, note=request.POST.get("note", "")
        )
    except ValueError as error:
        messages.error(request, str(error))
        return redirect(back)
    except ApplicationError as error:
        if error.status_code == 403:
            raise PermissionDenied(str(error)) from error
        messages.error(request, str(error))
        return redirect(back)
    if created:
        messages.success(request, f"{period:%B %Y} is signed off for {ics.code}.")
    else:
        messages.info(request, f"{period:%B %Y} was already signed off.")
    return redirect(back)
