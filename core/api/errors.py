"""One error shape for the whole API: `{"errors": [{"row"?, "column"?, "field"?, "message"}]}`."""

from __future__ import annotations

import logging
import re
from typing import Any

from django.db import DataError, InterfaceError, OperationalError
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
