"""Published figures: NHS Workforce Statistics for trusts, NHS Digital's General Practice and
PCN workforce series for practices and networks, with their source, in the caller's scope.

`GET /api/v1/published-figures/?organisation=&ics=&kind=&staff_group=&period_from=&period_to=
&format=json|csv`. A parameter that cannot be read is a 400 naming it; `?format=csv` streams
every row the filters keep.
"""

from __future__ import annotations

from typing import Any

from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from core import calendar
from core.access import organisations_in_scope
from core.models import ICS, Organisation, StaffGroup
from core.selectors.published_figures import FigureFilter, published_figures

from .csv_export import csv_streamed
from .fields import CSV, JSONForErrors, MonthField, number, parse_month
from .lists import FORMAT, requested_format
from .pagination import FigureCursorPagination
from .schema import error_responses

COLUMNS = (
    "organisation",
    "organisation_name",
    "kind",
    "ics",
    "staff_group",
    "period",
    "period_kind",
    "fte",
    "headcount",
    "source",
)


class PublishedFigureSerializer(serializers.Serializer):
    organisation = serializers.CharField(source="organisation_code")
    organisation_name = serializers.CharField()
    # The kinds are those of /api/v1/organisations/ (the `kind` parameter lists them).
    kind = serializers.CharField(help_text="The organisation's kind.")
    ics = serializers.CharField(
        allow_null=True,
        help_text="The organisation's system on the first day of the period; null when it was "
        "in none (before ICBs began on 1 July 2022).",
    )
    staff_group = serializers.CharField(source="staff_group_code")
    period = MonthField(
        source="period_start",
        help_text="The first month of the period: the month, or April of a financial year.",
    )
    period_kind = serializers.CharField(
        help_text="month, or financial_year (a mean of the year's months, from April)."
    )
    fte = number(places=2, allow_null=True, help_text="null: not published (headcount only).")
    headcount = serializers.IntegerField(allow_null=True, help_text="null: not published.")
    source = serializers.CharField()


def _code(params: Any, name: str) -> str | None:
    text = params.get(name)
    if text is None:
        return None
    text = text.strip()
    if not text:
        raise ValidationError({name: "Give a code, or leave the parameter out."})
    return text


def figure_filter(request: Request) -> FigureFilter:
    """The filters of the query string, each refused with a 400 naming it when it cannot be
    read. An organisation is looked for among those the user may see, so one outside the
    scope is refused as an unknown one is."""
    params = request.query_params
    errors: dict[str, str] = {}
    ics = organisation = group = None
    if (code := _code(params, "ics")) is not None:
        ics = ICS.objects.filter(code__iexact=code).first()
        if ics is None:
            errors["ics"] = f"No ICS has the code {code[:20]!r}."
    if (code := _code(params, "organisation")) is not None:
        organisation = organisations_in_scope(request.user).filter(code__iexact=code).first()
        if organisation is None:
            errors["organisation"] = f"No organisation you can see has the code {code[:20]!r}."
    if (code := _code(params, "staff_group")) is not None:
        group = StaffGroup.objects.filter(code__iexact=code).first()
        if group is None:
            errors["staff_group"] = f"No staff group has the code {code[:20]!r}."
    kind = params.get("kind")
    if kind is not None and kind not in Organisation.Kind.values:
        errors["kind"] = f"Choose one of {', '.join(Organisation.Kind.values)}."
    months = {}
    for name in ("period_from", "period_to"):
        try:
            months[name] = parse_month(name, params.get(name))
        except ValidationError as error:
            errors.update(error.detail)
    start, end = months.get("period_from"), months.get("period_to")
    if start and end and start > end:
        errors["period_to"] = "period_to is before period_from."
    if errors:
        raise ValidationError(errors)
    return FigureFilter(
        ics=ics,
        organisation_id=organisation.pk if organisation else None,
        kind=kind,
        staff_group_id=group.pk if group else None,
        period_from=months.get("period_from"),
        period_to=months.get("period_to"),
    )


def _csv_row(figure: dict[str, Any]) -> list[object]:
    values = {
        **figure,
        "organisation": figure["organisation_code"],
        "staff_group": figure["staff_group_code"],
        "period": calendar.month_label(figure["period_start"]),
    }
    return [values[column] for column in COLUMNS]


def figures_csv(figures) -> StreamingHttpResponse:
    """Stream the rows as CSV: the figures of the whole country are too many to hold at once."""
    rows = (_csv_row(figure) for figure in figures.iterator(chunk_size=2000))
    return csv_streamed("published-figures.csv", COLUMNS, rows)


@extend_schema_view(
    list=extend_schema(
        summary="Published figures in your scope, with their source.",
        description="NHS Workforce Statistics for trusts; NHS Digital's Primary Care Network "
        "Workforce (per PCN, staff group and month) and General Practice Workforce (per "
        "practice: monthly FTE and headcount, and the financial-year series of fully qualified "
        "GPs' headcount) for general practice.",
        parameters=[
            OpenApiParameter("organisation", str, description="ODS code, in your scope."),
            OpenApiParameter("ics", str, description="ICS code: its members in each period."),
            OpenApiParameter("kind", str, enum=Organisation.Kind.values),
            OpenApiParameter("staff_group", str, description="Staff group code."),
            OpenApiParameter("period_from", str, description="YYYY-MM, inclusive."),
            OpenApiParameter("period_to", str, description="YYYY-MM, inclusive."),
            FORMAT,
        ],
        responses={
            (200, "application/json"): PublishedFigureSerializer(many=True),
            (200, CSV): OpenApiTypes.BINARY,
            **error_responses(400),
        },
    )
)
class PublishedFigureViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = PublishedFigureSerializer
    pagination_class = FigureCursorPagination
    content_negotiation_class = JSONForErrors
    filter_backends: list = []

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        kind = requested_format(request)
        figures = published_figures(user=request.user, keep=figure_filter(request))
        if kind == "csv":
            return figures_csv(figures)
        page = self.paginate_queryset(figures)
        return self.get_paginated_response(PublishedFigureSerializer(page, many=True).data)
