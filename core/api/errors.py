"""One error shape for the whole API: `{"errors": [{"row"?, "column"?, "field"?, "message"}]}`.

`exception_handler` shapes what DRF's views raise; the `handler*` views (ics_planner/urls.py)
shape what Django answers before or after a view runs (no such address, a body over the
limit, a crash), so that nothing under /api/ answers HTML. Pages keep their HTML.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import DataError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import ApplicationError

logger = logging.getLogger(__name__)
# The database went away mid-request (a restart, a dropped connection). Writes are atomic, so
# nothing half-done is kept, and repeating the request is safe: an upload stored just before
# the drop comes back as a duplicate.
DATABASE_UNAVAILABLE = (
    "The database was unavailable for a moment and your request could not be completed. "
    "Try again in a moment."
)


def _flatten(detail: Any, field: str | None = None) -> list[dict[str, Any]]:
    if isinstance(detail, dict):
        errors = []
        for key, value in detail.items():
            name = None if key in ("non_field_errors", "detail") else key
            errors += _flatten(value, f"{field}.{name}" if field and name else (name or field))
        return errors
    if isinstance(detail, list):
        errors = []
        for item in detail:
            errors += _flatten(item, field)
        return errors
    error: dict[str, Any] = {"message": str(detail)}
    if field:
        error["field"] = field
    return [error]


# The database refused a value as sent: a NUL character in text, a number out of range.
# Nothing was stored (the write's transaction is rolled back) and the sender can fix it.
VALUE_REFUSED = (
    "A value you sent cannot be stored: text with a NUL character, or a number out of "
    "range. Check the values and send them again."
)


_BARE_NOT_FOUND = re.compile(r"Not found\.|No \w+ matches the given query\.")


def exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, RequestDataTooBig):
        # Raised while DRF reads the body; answered here too so that it is JSON under DEBUG.
        return Response({"errors": [{"message": too_big_message()}]}, status=413)
    if isinstance(exc, ApplicationError):
        return Response({"errors": exc.errors}, status=exc.status_code)
    if isinstance(exc, DataError):
        logger.info("value refused by the database: %s", exc)
        return Response({"errors": [{"message": VALUE_REFUSED}]}, status=400)
    if isinstance(exc, OperationalError | InterfaceError):
        logger.error("database unavailable: %s", exc, exc_info=exc)
        return Response(
            {"errors": [{"message": DATABASE_UNAVAILABLE}]},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": "5"},
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    errors = _flatten(response.data)
    if response.status_code == 404 and all(_BARE_NOT_FOUND.fullmatch(e["message"]) for e in errors):
        # DRF's "Not found." (or Django's "No PlanTarget matches the given query.") says
        # nothing a person can act on.
        errors = [{"message": _not_found(context)}]
    response.data = {"errors": errors}
    return response


def _not_found(context: dict) -> str:
    request = context.get("request")
    path = request.path if request is not None else "this address"
    listed = path.rstrip("/").rsplit("/", 1)[0] + "/"
    return (
        f"Nothing at {path} in your scope: check the id or code (the list at {listed} "
        "shows what you can see), or the page number."
    )


# Answers of Django's own error views (ics_planner/urls.py): JSON in the one shape under
# /api/, Django's pages (templates/404.html, 403.html, 500.html) everywhere else.

SERVER_ERROR = (
    "Something went wrong on our side and your request was not completed; the error has "
    "been logged. Try again; if it happens again, tell your administrator what you sent."
)
BAD_REQUEST = "The request cannot be read: check its address, headers and body."
FORBIDDEN = "You may not do this."


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def errors_json(message: str, status_code: int) -> JsonResponse:
    return JsonResponse({"errors": [{"message": message}]}, status=status_code)


def _size(size: int) -> str:
    # As the returns' own messages put sizes (workforce.returns.parsing.size_in_words).
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} bytes"


def too_big_message() -> str:
    return (
        f"The request is larger than the {_size(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)} accepted "
        f"(a return's file may be up to {_size(settings.RETURN_MAX_BYTES)}): send less."
    )


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler400: a body over DATA_UPLOAD_MAX_MEMORY_SIZE is 413 on the API, else 400."""
    if not is_api(request):
        return defaults.bad_request(request, exception)
    if isinstance(exception, RequestDataTooBig):
        return errors_json(too_big_message(), 413)
    return errors_json(BAD_REQUEST, 400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if not is_api(request):
        return defaults.permission_denied(request, exception)
    return errors_json(str(exception) or FORBIDDEN, 403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler404: an address no route matches (`/api/v1/returns/0.5/`) is 404 in the one
    shape, with the same words as an id that matches no object."""
    if not is_api(request):
        return defaults.page_not_found(request, exception)
    return errors_json(_not_found({"request": request}), 404)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500 (DEBUG off): the crash is logged by Django; the answer says nothing of it."""
    if not is_api(request):
        return defaults.server_error(request)
    return errors_json(SERVER_ERROR, 500)
