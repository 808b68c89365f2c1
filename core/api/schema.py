"""What the OpenAPI schema says about errors: one shape for every error, on every operation.

`AutoSchema` adds to each operation the error responses it can answer that its view did not
declare, by rules that follow from how the API works, so a new endpoint is documented
without anyone remembering:

- 401 everywhere (no session or token, or a wrong password at the token endpoint);
- 429 everywhere (the per-user throttle, and the sign-in lockout);
- 503 everywhere (the database unavailable for a moment: `core.api.errors`);
- 400 where the operation takes a body or query parameters other than the page's (a value
  it cannot read);
- 403 on every write by a signed-in user (outside their scope, not their role, or a session
  write without its CSRF token);
- 404 where the path names an object, or the list has pages (a page past the end).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular import openapi
from drf_spectacular.utils import OpenApiExample, OpenApiResponse
from rest_framework import serializers

WRITES = ("POST", "PUT", "PATCH", "DELETE")
# The path of every object addressed by id (the router's lookup, ics_planner/api.py): digits
# only, no more than the largest bigint has. The schema says "integer" of it.
ID_PATTERN = "[0-9]{1,19}"
ID_SCHEMA = {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}


class ErrorItemSerializer(serializers.Serializer):
    message = serializers.CharField(help_text="What is wrong, and what to do about it.")
    field = serializers.CharField(
        required=False, help_text="The input field, where one is at fault."
    )
    row = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text="The row of an uploaded file, as a spreadsheet numbers it.",
    )
    column = serializers.CharField(
        required=False, allow_null=True, help_text="The column of an uploaded file."
    )


class ErrorResponseSerializer(serializers.Serializer):
    errors = ErrorItemSerializer(many=True)


_DESCRIPTIONS = {
    400: "The request cannot be carried out as asked: every problem is listed.",
    401: "Not signed in: send a session cookie or `Authorization: Token KEY`.",
    403: "Outside your scope: you may read this but not change it, or not do this at all.",
    404: "No such object in your scope (or no such page of the list).",
    409: "Not possible in the object's present state (e.g. a run that has not finished).",
    413: "The body is larger than the planner accepts: send less.",
    429: "Too many requests: wait the seconds in `Retry-After`, then try again.",
    503: "A service this needs was unavailable for a moment: try again (see `Retry-After`).",
}
_EXAMPLES = {
    400: [{"field": "year", "message": "year must be a year from 2000 to 2100; 1999 is not."}],
    401: [{"message": "Authentication credentials were not provided."}],
    403: [{"message": "You may not change the plan targets of NHS Greater Manchester ICB (QOP)."}],
    404: [
        {
            "message": "Nothing at /api/v1/targets/12/ in your scope: check the id or code "
            "(the list at /api/v1/targets/ shows what you can see), or the page number."
        }
    ],
    409: [{"message": "The run is running: it has no results yet."}],
    413: [{"message": "The request is larger than the 6 MB accepted: send less."}],
    429: [{"message": "Request was throttled. Expected available in 60 seconds."}],
    503: [{"message": "The database was unavailable for a moment. Try again in a moment."}],
}


def error_response(code: int) -> OpenApiResponse:
    return OpenApiResponse(
        ErrorResponseSerializer,
        description=_DESCRIPTIONS[code],
        examples=[OpenApiExample(f"{code}", value={"errors": _EXAMPLES[code]})],
    )


def error_responses(*codes: int) -> dict[int, OpenApiResponse]:
    """The error responses of an operation, for `extend_schema(responses=...)`."""
    return {code: error_response(code) for code in codes}


def error_codes(
    method: str, path: str, operation: dict[str, Any], *, signed_in: bool = True
) -> list[int]:
    """The error codes any operation of this method, path and shape can answer.

    `signed_in` is false for an operation that takes no session or token (the token
    endpoint): no scope to be outside of, no CSRF to fail.
    """
    codes = [401, 429, 503]
    queries = [p for p in operation.get("parameters", []) if p.get("in") == "query"]
    if queries or "requestBody" in operation:  # a page size out of range is a 400 too
        codes.append(400)
    if "requestBody" in operation:
        codes.append(413)
    if method in WRITES and signed_in:
        codes.append(403)
    paginated = any(p["name"] in ("page", "cursor") for p in queries)
    if "{" in path or paginated:
        codes.append(404)
    return codes


class AutoSchema(openapi.AutoSchema):
    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        for parameter in operation.get("parameters", []):
            if (
                parameter["in"] == "path"
                and parameter["schema"].get("pattern") == f"^{ID_PATTERN}$"
            ):
                parameter["schema"] = dict(ID_SCHEMA)
        responses = operation["responses"]
        signed_in = bool(self.view.get_authenticators())
        for code in error_codes(self.method, self.path, operation, signed_in=signed_in):
            if str(code) not in responses:
                responses[str(code)] = self._get_response_for_code(error_response(code), str(code))
        operation["responses"] = dict(sorted(responses.items()))
        return operation
