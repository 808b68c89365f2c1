"""Security of the pages: the content security policy, and the answer to a locked-out sign-in.

The policy allows scripts, styles and images from this site only, so a page keeps working
only while it has no inline script, no `on*=` attribute and no inline style. Scripts are
never allowed inline anywhere.

One allowance, found in Chromium (docs/decisions.md): plotly.js adds its chart styles by
creating an empty `<style>` element and filling it through the CSS object model. CSP does
not govern the object model, but it blocks the element itself, so the policy allows the
hash of an empty style: an element with no text, and nothing else. Swagger UI at
/api/v1/docs/ (served from the drf-spectacular-sidecar files) needs nothing more once its
page styles are in a static file (templates/api/swagger_ui.html).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from core.api.errors import too_big_message

EMPTY_STYLE = "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"  # sha256 of ""
POLICY: dict[str, str] = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": f"'self' {EMPTY_STYLE}",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "frame-ancestors": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
}
CONTENT_SECURITY_POLICY = "; ".join(f"{name} {value}" for name, value in POLICY.items())


class ContentSecurityPolicyMiddleware:
    """Send the policy with every response that does not set its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response


class RefuseNulCharacters:
    """A query string with a NUL character is answered 400 before any view reads it:
    PostgreSQL cannot compare text holding one, and no code, name or date has one. (Forms
    refuse NUL in their fields themselves; the API's exception handler covers bodies.)"""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "%00" in request.META.get("QUERY_STRING", ""):
            message = "The address holds a NUL character (%00): remove it and try again."
            if request.path.startswith("/api/"):
                return JsonResponse({"errors": [{"message": message}]}, status=400)
            return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class RefuseOversizedApiBodies:
    """An API request whose body is over DATA_UPLOAD_MAX_MEMORY_SIZE is answered 413 before it
    is read: DRF's JSON parser reads a body whole and never applies Django's limit, and a file
    part would otherwise be spooled to disk before the upload refuses it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
                return JsonResponse({"errors": [{"message": too_big_message()}]}, status=413)
        return self.get_response(request)


class RefuseRepeatedApiParameters:
    """An API query naming a parameter twice (`?page_size=-8&page_size=5`) is a 400: each
    parameter takes one value, and reading only the last would hide the first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            repeated = sorted(k for k, v in request.GET.lists() if len(v) > 1)
            if repeated:
                errors = [
                    {"field": name[:40], "message": "Give this parameter once."}
                    for name in repeated[:20]
                ]
                return JsonResponse({"errors": errors}, status=400)
        return self.get_response(request)


def lockout_message(request: HttpRequest | None = None) -> str:
    """Why sign-in is refused: a username tried too often from one address, or the address
    itself over its limit for all usernames together (core.login_limit)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    if getattr(request, "axes_address_locked", False):
        return (
            f"Too many failed sign-in attempts from your address, for any username: sign-in "
            f"from it is locked for {minutes} minutes. Wait, or ask your administrator."
        )
    return (
        f"Too many failed sign-in attempts for this username from your address: sign-in is "
        f"locked for {minutes} minutes. Wait, or ask your administrator to unlock it."
    )


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict | None = None,
) -> HttpResponse:
    """django-axes' answer to a locked-out sign-in: 429, as JSON on the API, else the page."""
    retry_after = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {"errors": [{"message": lockout_message(request)}]}, status=429
        )
    else:
        response = render(
            request,
            "registration/login.html",
            {
                "form": AuthenticationForm(request),
                "locked_out": lockout_message(request),
                "next": request.POST.get("next", ""),
            },
            status=429,
        )
    response["Retry-After"] = retry_after
    return response
