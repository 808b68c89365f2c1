"""A system's placement capacity by sector, checked against its intakes: `/placement-sectors/`."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound, ValidationError

from core.access import systems_in_scope
from core.api.csv_export import csv_response
from core.api.fields import JSONForErrors
from core.api.lists import FORMAT, requested_format
from core.api.schema import error_responses
from core.models import ICS
from education import selectors
from education.models import Programme
from education.services.rules import FIRST_ACADEMIC_YEAR, LAST_ACADEMIC_YEAR


class PlacementCheckSerializer(serializers.Serializer):
    ics = serializers.CharField()
    programme = serializers.CharField()
    academic_year = serializers.IntegerField()
    sectors = serializers.ListField(
        child=serializers.CharField(),
        source="use.sectors",
        help_text="The placement sectors of this part of the weeks; empty: weeks not split, "
        "every sector's places counting.",
    )
    weeks = serializers.FloatField(source="use.weeks", help_text="A student's weeks a year.")
    students = serializers.FloatField(
        source="use.students", help_text="The intake asked for, or the actual starts."
    )
    demand_weeks = serializers.FloatField(source="use.demand_weeks")
    places = serializers.FloatField(
        source="use.places", allow_null=True, help_text="Null: no places recorded."
    )
    capacity_weeks = serializers.FloatField(source="use.capacity_weeks", allow_null=True)
    binding = serializers.BooleanField(
        source="use.binding", help_text="The tightest part: its places cap the intake."
    )
    short = serializers.BooleanField(source="use.short")


def _academic_year_parameter(text: str | None) -> int | None:
    if text is None:
        return None
    text = text.strip()
    if not (text.isascii() and text.isdigit()) or not (
        FIRST_ACADEMIC_YEAR <= int(text) <= LAST_ACADEMIC_YEAR
    ):
        raise ValidationError(
            {
                "academic_year": f"'{text[:20]}' is not an academic year: give the calendar "
                f"year it starts in ({FIRST_ACADEMIC_YEAR}-{LAST_ACADEMIC_YEAR}, e.g. 2027)."
            }
        )
    return int(text)


CHECK_COLUMNS = [
    "ics",
    "programme",
    "academic_year",
    "sectors",
    "weeks",
    "students",
    "demand_weeks",
    "places",
    "capacity_weeks",
    "binding",
    "short",
]


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "ics", str, description="A system's code; by default every system in scope."
            ),
            OpenApiParameter("programme", str, description="A programme's code."),
            OpenApiParameter("academic_year", int, description="The year it starts: 2027."),
            FORMAT,
        ],
        responses={
            (200, "application/json"): PlacementCheckSerializer(many=True),
            (200, "text/csv"): OpenApiTypes.BINARY,
            **error_responses(400, 404),
        },
        filters=False,
    )
)
class PlacementSectorViewSet(viewsets.GenericViewSet):
    """A system's placement capacity by sector, checked against its intakes: for every
    programme with an intake and places recorded, each part of its placement weeks (a sector,
    sectors that share weeks, or every sector where the weeks are not split) in every academic
    year the three-year plan shows: the weeks the intake needs, the weeks the places give, and
    the part that binds. The same figures as the plan page and the projection's caps."""

    serializer_class = PlacementCheckSerializer
    content_negotiation_class = JSONForErrors
    filter_backends: list = []

    def list(self, request):
        params = request.query_params
        code = (params.get("ics") or "").strip()
        systems = systems_in_scope(request.user)
        if code and not ICS.objects.filter(code__iexact=code).exists():
            raise ValidationError({"ics": f"No system has the code {code[:20]!r}."})
        if code and not systems.filter(code__iexact=code).exists():
            raise NotFound(f"The system {code[:20]} is not in your scope.")
        programme = (params.get("programme") or "").strip() or None
        if programme and not Programme.objects.filter(code__iexact=programme).exists():
            raise ValidationError({"programme": f"No programme has the code {programme[:20]!r}."})
        year = _academic_year_parameter(params.get("academic_year"))
        kind = requested_format(request)
        ics = systems.get(code__iexact=code) if code else None
        checks = selectors.placement_checks_in_scope(
            user=request.user, ics=ics, programme=programme, academic_year=year
        )
        if kind == "csv":
            data = self.get_serializer(checks, many=True).data
            return csv_response(
                f"placement-sectors{f'-{ics.code}' if ics else ''}.csv",
                CHECK_COLUMNS,
                (
                    ["+".join(row["sectors"]) if c == "sectors" else row[c] for c in CHECK_COLUMNS]
                    for row in data
                ),
            )
        page = self.paginate_queryset(checks)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
