"""Projection runs: start one (202, the work happens on a worker), follow it, read results."""

from __future__ import annotations

import datetime

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from workforce.access import in_scope
from workforce.models import ICS, ProjectionResult, ProjectionRun, Scenario
from workforce.selectors.runs import run_for, run_results, runs_visible_to
from workforce.selectors.what_it_takes import what_it_takes_for
from workforce.services.runs import projection_run_start

from .csv_export import csv_response
from .returns import JSONForErrors

ERRORS = OpenApiResponse(description='`{"errors": [{"message": ...}]}`')


class RunInputSerializer(serializers.Serializer):
    scenario = serializers.IntegerField(help_text="The scenario's id.")
    ics = serializers.CharField(
        required=False,
        allow_null=True,
        allow_blank=True,
        help_text="ICS code; leave out for a national run.",
    )
    baseline_period = serializers.RegexField(r"^\d{4}-(0[1-9]|1[0-2])$", help_text="YYYY-MM")


class RunSerializer(serializers.ModelSerializer):
    scenario = serializers.PrimaryKeyRelatedField(read_only=True)
    scenario_name = serializers.CharField(source="scenario.name", read_only=True)
    ics = serializers.SlugRelatedField(slug_field="code", read_only=True)
    baseline_period = serializers.DateField(format="%Y-%m")
    requested_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    reused_results_of = serializers.PrimaryKeyRelatedField(source="results_from", read_only=True)

    class Meta:
        model = ProjectionRun
        fields = [
            "id",
            "scenario",
            "scenario_name",
            "ics",
            "baseline_period",
            "status",
            "progress",
            "error",
            "requested_by",
            "created_at",
            "started_at",
            "finished_at",
            "input_hash",
            "engine_version",
            "seed",
            "draws",
            "horizon",
            "reused_results_of",
            "notes",
        ]


class ResultSerializer(serializers.ModelSerializer):
    staff_group = serializers.CharField(source="staff_group.code")

    class Meta:
        model = ProjectionResult
        fields = [
            "level",
            "entity_code",
            "staff_group",
            "year",
            "supply_p10",
            "supply_p50",
            "supply_p90",
            "demand_p10",
            "demand_p50",
            "demand_p90",
            "gap_p10",
            "gap_p50",
            "gap_p90",
            "target_fte",
            "probability_meets_target",
        ]


RESULT_FIELDS = ResultSerializer.Meta.fields
LEVEL = OpenApiParameter("level", str, enum=[c.value for c in ProjectionResult.Level])
FORMAT = OpenApiParameter("format", str, enum=["json", "csv"])


class RunViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = RunSerializer
    filterset_fields = ["status"]
    content_negotiation_class = JSONForErrors  # ?format=csv is read by the results view

    def get_queryset(self):
        return runs_visible_to(self.request.user)

    def get_object(self) -> ProjectionRun:
        try:
            run = run_for(self.request.user, int(self.kwargs["pk"]))
        except ValueError:
            run = None
        if run is None:
            raise NotFound("No such projection run.")
        return run

    @extend_schema(
        request=RunInputSerializer,
        responses={202: RunSerializer, 400: ERRORS, 403: ERRORS, 404: ERRORS},
    )
    def create(self, request):
        given = RunInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        scenario = get_object_or_404(
            in_scope(Scenario.objects.all(), request.user, ics="ics", include_national=True),
            pk=data["scenario"],
        )
        ics = None
        if data.get("ics"):
            ics = ICS.objects.filter(code__iexact=data["ics"]).first()
            if ics is None:
                raise ValidationError({"ics": f"Unknown ICS code '{data['ics']}'."})
        year, month = map(int, data["baseline_period"].split("-"))
        run = projection_run_start(
            user=request.user,
            scenario=scenario,
            ics=ics,
            baseline_period=datetime.date(year, month, 1),
        )
        return Response(RunSerializer(run).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        parameters=[
            LEVEL,
            FORMAT,
            OpenApiParameter("staff_group", str),
            OpenApiParameter("entity", str, description="Organisation or ICS code."),
            OpenApiParameter("year", int),
        ],
        responses={
            200: ResultSerializer(many=True),
            (200, "text/csv"): OpenApiTypes.STR,
            404: ERRORS,
            409: ERRORS,
        },
    )
    @action(detail=True, methods=["get"])
    def results(self, request, pk=None):
        run = self.get_object()
        if run.status != ProjectionRun.Status.SUCCEEDED:
            return Response(
                {"errors": [{"message": f"The run is {run.status}: it has no results yet."}]},
                status=status.HTTP_409_CONFLICT,
            )
        params = request.query_params
        level = params.get("level")
        if level and level not in ProjectionResult.Level.values:
            raise ValidationError({"level": "Use organisation, ics or national."})
        year = params.get("year")
        if year and not year.isdigit():
            raise ValidationError(
                {"year": "Give the financial year as the year it starts, e.g. 2028."}
            )
        results = run_results(
            run,
            level=level,
            staff_group=params.get("staff_group"),
            entity=params.get("entity"),
            year=int(year) if year else None,
        )
        if params.get("format") == "csv":
            rows = results.values_list(
                *[f if f != "staff_group" else "staff_group__code" for f in RESULT_FIELDS]
            )
            return csv_response(f"run-{run.pk}-results.csv", RESULT_FIELDS, rows.iterator())
        page = self.paginate_queryset(results)
        return self.get_paginated_response(ResultSerializer(page, many=True).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("staff_group", str, required=True),
            OpenApiParameter(
                "year", int, required=True, description="Target financial year, e.g. 2028."
            ),
            OpenApiParameter("probability", float, description="0-1; default 0.8."),
            OpenApiParameter("ics", str, description="For a national run: the system asked about."),
        ],
        responses={200: OpenApiTypes.OBJECT, 400: ERRORS, 404: ERRORS, 409: ERRORS},
    )
    @action(detail=True, methods=["get"], url_path="what-it-takes")
    def what_it_takes(self, request, pk=None):
        run = self.get_object()
        params = request.query_params
        try:
            year = int(params.get("year", ""))
            probability = float(params.get("probability", "0.8"))
        except ValueError:
            raise ValidationError("Give year as e.g. 2028 and probability as e.g. 0.8.") from None
        if not params.get("staff_group"):
            raise ValidationError({"staff_group": "Name a staff group, e.g. NUR."})
        answer = what_it_takes_for(
            run=run,
            staff_group=params["staff_group"],
            year=year,
            probability=probability,
            ics_code=params.get("ics"),
        )
        return Response(answer)
