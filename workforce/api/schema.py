"""What the OpenAPI schema says about errors: one shape for every 400, 403 and 404."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, OpenApiResponse
from rest_framework import serializers


class ErrorItemSerializer(serializers.Serializer):
    message = serializers.CharField()
    field = serializers.CharField(
        required=False, help_text="The input field, where one is at fault."
    )
    row = serializers.IntegerField(
        required=False, help_text="The row of an uploaded file, as a spreadsheet numbers it."
    )
    column = serializers.CharField(required=False, help_text="The column of an uploaded file.")


class ErrorResponseSerializer(serializers.Serializer):
    errors = ErrorItemSerializer(many=True)


_DESCRIPTIONS = {
    400: "The request cannot be carried out as asked: every problem is listed.",
    401: "Not signed in: send a session cookie or `Authorization: Token KEY`.",
    403: "Outside your scope: you may read this but not change it, or not do this at all.",
    404: "No such object in your scope.",
}
_EXAMPLES = {
    400: [{"field": "year", "message": "year must be a year from 2000 to 2100; 1999 is not."}],
    401: [{"message": "Authentication credentials were not provided."}],
    403: [{"message": "You may not change the plan targets of NHS Greater Manchester ICB (QOP)."}],
    404: [{"message": "Not found."}],
}


def error_responses(*codes: int) -> dict[int, OpenApiResponse]:
    """The error responses of an operation, for `extend_schema(responses=...)`."""
    return {
        code: OpenApiResponse(
            ErrorResponseSerializer,
            description=_DESCRIPTIONS[code],
            examples=[OpenApiExample(f"{code}", value={"errors": _EXAMPLES[code]})],
        )
        for code in codes
    }
