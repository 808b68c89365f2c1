"""The user's own API tokens: create (shown once), list and revoke, in the browser."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import ApplicationError
from core.services.tokens import api_token_create, api_token_revoke, api_tokens_of


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    """GET lists the tokens; POST creates one and shows it on this answer only."""
    new_token, status = None, 200
    if request.method == "POST":
        try:
            _, new_token = api_token_create(user=request.user)
            status = 201
        except ApplicationError as error:
            messages.error(request, str(error))
            status = error.status_code
    return render(
        request,
        "core/account/tokens.html",
        {"tokens": api_tokens_of(user=request.user), "new_token": new_token},
        status=status,
    )


@login_required
@require_POST
def api_token_revoke_page(request: HttpRequest, token_id: str) -> HttpResponse:
    try:
        api_token_revoke(user=request.user, token_id=token_id)
    except ApplicationError as error:
        raise Http404(str(error)) from error
    messages.success(request, f"API token {token_id}… revoked: it no longer works.")
    return redirect("api-tokens")
