"""A return's review from its page: confirm, accept with a comment, or comment. Glue: the
return in scope, the service, back to the return's page with what happened."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from core.errors import ApplicationError
from workforce.selectors import returns as selectors
from workforce.services.return_review import (
    of_own_system,
    return_accept,
    return_comment_add,
    return_confirm,
)

DONE = {
    "confirm": "Confirmed: projections use this return from now on.",
    "accept": "Accepted: projections use this return from now on.",
    "comment": "Your comment is kept with the return.",
}


@login_required
@require_POST
def return_review_page(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    staffing_return = selectors.return_get(user=request.user, pk=pk)
    user = request.user
    if staffing_return is None or (step == "accept" and not of_own_system(user, staffing_return)):
        raise Http404("No such return in your scope.")
    text = request.POST.get("comment", "")
    try:
        if step == "confirm":
            return_confirm(user=user, staffing_return=staffing_return, comment=text)
        elif step == "accept":
            return_accept(user=user, staffing_return=staffing_return, comment=text)
        else:
            return_comment_add(user=user, staffing_return=staffing_return, text=text)
    except ApplicationError as error:
        if error.status_code == 403:
            raise PermissionDenied(str(error)) from error
        messages.error(request, str(error))
    else:
        messages.success(request, DONE[step])
    return redirect("return-detail", pk=staffing_return.pk)
