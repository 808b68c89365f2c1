"""Lists of figures as JSON pages or, with `?format=csv`, one CSV of every row kept.

The CSV has the JSON's columns, in the same order, and goes through `csv_export` (cells a
spreadsheet would run as a formula are neutralised; numbers stay numbers).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from .csv_export import csv_response
from .fields import CSV, JSONForErrors
from .pagination import PageNumberPagination

FORMAT = OpenApiParameter(
    "format", str, enum=["json", "csv"], description="json (default) or csv: every row, no pages."
)


def requested_format(request: Request) -> str:
    kind = request.query_params.get("format", "json").lower()
    if kind not in ("json", "csv"):
        raise ValidationError({"format": "Choose json or csv."})
    return kind


def csv_list_schema(serializer_class: type, **kwargs: Any):
    """The schema of a list that answers JSON pages or CSV."""
    return extend_schema(
        parameters=[FORMAT],
        responses={
            (200, "application/json"): serializer_class(many=True),
            (200, CSV): OpenApiTypes.BINARY,
        },
        **kwargs,
    )


class CSVListMixin:
    """`?format=csv` on a list view: every row the filters keep, as one CSV file."""

    content_negotiation_class = JSONForErrors
    csv_name: str  # the file's name, without .csv

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if requested_format(request) == "json":
            return super().list(request, *args, **kwargs)
        # A CSV has every row, so paging asked for is not used; but it is refused, as for
        # JSON, when it is not a page size or page number at all.
        paginator = self.paginator
        if paginator is not None:
            paginator.get_page_size(request)
            if isinstance(paginator, PageNumberPagination):
                paginator.page_number_given(request)
        rows = self.filter_queryset(self.get_queryset())
        data = self.get_serializer(rows, many=True).data
        columns = list(self.get_serializer().fields)
        return csv_response(
            f"{self.csv_name}.csv", columns, ([row[c] for c in columns] for row in data)
        )
