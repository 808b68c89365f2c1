"""A system among its peers: `GET /api/v1/systems/{code}/peers/`. A system's users read
their own system's; national users any; another system's code is a 404."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from core import calendar
from core.api.schema import error_responses
from workforce.selectors.dashboards_scenarios import system_for
from workforce.selectors.peers import system_peers

PARAMETERS = {"year"}


class StandingSerializer(serializers.Serializer):
    rank = serializers.IntegerField(help_text="1 is the lowest value; ties share a rank.")
    of = serializers.IntegerField(help_text="How many systems have a value.")
    percentile = serializers.FloatField(
        allow_null=True,
        help_text="The share (0-1) of the other systems with a lower value; null alone.",
    )
    lowest = serializers.FloatField()
    median = serializers.FloatField()
    highest = serializers.FloatField()


class MeasureSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    value = serializers.FloatField(allow_null=True, help_text="A fraction 0-1.")
    england = StandingSerializer(allow_null=True)
    region = StandingSerializer(allow_null=True)
    source = serializers.CharField()


class PeersSerializer(serializers.Serializer):
    ics = serializers.CharField(source="ics.code")
    region = serializers.CharField(source="ics.region.code")
    on = serializers.DateField(help_text="The day whose systems and members are compared.")
    returns_from = serializers.DateField(allow_null=True)
    returns_to = serializers.DateField(allow_null=True)
    run = serializers.IntegerField(source="run.pk", allow_null=True, default=None)
    year = serializers.IntegerField(allow_null=True, help_text="The shortfall's year.")
    measures = MeasureSerializer(many=True)


class SystemPeersView(APIView):
    @extend_schema(
        summary="A system's rates and projected shortfall against every system and its region's.",
        parameters=[
            OpenApiParameter(
                "year",
                str,
                description="The shortfall's financial year (2030 or 2030/31); default five "
                "years on from the national run's baseline.",
            )
        ],
        responses={200: PeersSerializer, **error_responses(400, 404)},
    )
    def get(self, request, code: str):
        unknown = sorted(set(request.query_params) - PARAMETERS)
        if unknown:
            raise ValidationError({unknown[0]: "Not a parameter of this endpoint: use year."})
        ics = system_for(user=request.user, code=code)
        if ics is None:
            raise NotFound(f"No system {code} in your scope.")
        year = None
        if request.query_params.get("year"):
            try:
                year = calendar.parse_year(request.query_params["year"])
            except ValueError as error:
                raise ValidationError({"year": str(error)}) from None
        peers = system_peers(ics=ics, today=timezone.localdate(), year=year)
        return Response(PeersSerializer(peers).data)
