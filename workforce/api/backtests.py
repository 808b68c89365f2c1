"""Backtests: start one (202, the work happens on a worker), read how the bands held, and
propose (and, separately, apply) the spreads that would have held four futures in five."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from core.access import in_scope
from core.api.csv_export import csv_response
from core.api.fields import JSONForErrors, MonthField, parse_month, system_given
from core.api.schema import error_responses
from core.errors import ApplicationError
from workforce.models import Backtest, Scenario
from workforce.selectors.backtests import backtest_for, backtests_visible_to
from workforce.services.backtests import (
    backtest_calibration,
    backtest_spreads_apply,
    backtest_start,
)

RESULT_FIELDS = ("staff_group", "horizon", "coverage", "mape", "bias", "baselines")
MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"


class BacktestInputSerializer(serializers.Serializer):
    scenario = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, help_text="The scenario's id."
    )
    ics = serializers.CharField(
        required=False,
        allow_null=True,
        allow_blank=True,
        help_text="ICS code; leave out (or null) for a national backtest.",
    )
    first_baseline = serializers.RegexField(MONTH, help_text="YYYY-MM")
    last_baseline = serializers.RegexField(MONTH, help_text="YYYY-MM")
    horizon = serializers.IntegerField(min_value=1, max_value=20, help_text="Years.")


class ApplyInputSerializer(serializers.Serializer):
    scenario = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        help_text="The scenario to write the spreads into; default the backtest's own.",
    )


class BacktestSerializer(serializers.ModelSerializer):
    scenario = serializers.PrimaryKeyRelatedField(read_only=True)
    scenario_name = serializers.CharField(source="scenario.name", read_only=True)
    ics = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    first_baseline = MonthField()
    last_baseline = MonthField()
    created_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    results = serializers.SerializerMethodField()

    class Meta:
        model = Backtest
        fields = [
            "id",
            "scenario",
            "scenario_name",
            "ics",
            "first_baseline",
            "last_baseline",
            "horizon",
            "draws",
            "seed",
            "status",
            "error",
            "created_by",
            "created_at",
            "finished_at",
            "results",
        ]

    def get_results(self, backtest: Backtest) -> list[dict] | None:
        """One row per staff group and horizon once succeeded; null before."""
        if backtest.status != Backtest.Status.SUCCEEDED:
            return None
        return [{k: row[k] for k in RESULT_FIELDS} for row in backtest.results]


FORMAT = OpenApiParameter("format", str, enum=["json", "csv"], description="json (default) or csv.")


def _scenario_in_scope(request, scenario_id: int) -> Scenario:
    scenario = (
        in_scope(Scenario.objects.all(), request.user, ics="ics", include_national=True)
        .filter(pk=scenario_id)
        .first()
    )
    if scenario is None:
        raise NotFound(f"No scenario {scenario_id} in your scope: see /api/v1/scenarios/.")
    return scenario


@extend_schema_view(list=extend_schema(summary="Backtests of your systems, newest first."))
class BacktestViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = BacktestSerializer
    content_negotiation_class = JSONForErrors  # ?format=csv is read by retrieve

    def get_queryset(self):
        return backtests_visible_to(self.request.user)

    def get_object(self) -> Backtest:
        backtest = backtest_for(self.request.user, int(self.kwargs["pk"]))
        if backtest is None:
            raise NotFound("No such backtest.")
        return backtest

    @extend_schema(
        summary="Start a backtest: 202 at once, the work happens on a worker.",
        request=BacktestInputSerializer,
        responses={202: BacktestSerializer, **error_responses(400, 403, 404)},
    )
    def create(self, request):
        given = BacktestInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        scenario = _scenario_in_scope(request, data["scenario"])
        ics = system_given(data.get("ics"))
        backtest = backtest_start(
            user=request.user,
            scenario=scenario,
            ics=ics,
            first_baseline=parse_month("first_baseline", data["first_baseline"]),
            last_baseline=parse_month("last_baseline", data["last_baseline"]),
            horizon=data["horizon"],
        )
        backtest.refresh_from_db()
        return Response(BacktestSerializer(backtest).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="A backtest's status and, once succeeded, its results (also as CSV).",
        parameters=[FORMAT],
        responses={
            200: BacktestSerializer,
            (200, "text/csv"): OpenApiTypes.BINARY,
            **error_responses(400, 404, 409),
        },
    )
    def retrieve(self, request, pk=None):
        backtest = self.get_object()
        kind = request.query_params.get("format", "json").lower()
        if kind not in ("json", "csv"):
            raise ValidationError({"format": "Choose json or csv."})
        if kind == "json":
            return Response(BacktestSerializer(backtest).data)
        if backtest.status != Backtest.Status.SUCCEEDED:
            raise _not_yet(backtest)
        rows = ([row[k] for k in RESULT_FIELDS] for row in backtest.results)
        return csv_response(f"backtest-{backtest.pk}-results.csv", RESULT_FIELDS, rows)

    @extend_schema(
        summary="The spreads per staff group that would have given 80% coverage, beside the "
        "scenario's: a read, nothing is written.",
        request=None,
        responses={200: OpenApiTypes.OBJECT, **error_responses(404, 409)},
    )
    @action(detail=True, methods=["post"])
    def calibrate(self, request, pk=None):
        backtest = self.get_object()
        return Response({"backtest": backtest.pk, "spreads": backtest_calibration(backtest)})

    @extend_schema(
        summary="Write the proposed spreads into a scenario's per-group assumptions.",
        description="Refused (409) when the scenario has runs, as every change to it is.",
        request=ApplyInputSerializer,
        responses={200: OpenApiTypes.OBJECT, **error_responses(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"], url_path="apply-spreads")
    def apply_spreads(self, request, pk=None):
        backtest = self.get_object()
        given = ApplyInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        scenario_id = given.validated_data.get("scenario", backtest.scenario_id)
        scenario = _scenario_in_scope(request, scenario_id)
        backtest_spreads_apply(user=request.user, backtest=backtest, scenario=scenario)
        return Response({"backtest": backtest.pk, "scenario": scenario.pk, "applied": True})


def _not_yet(backtest: Backtest) -> ApplicationError:
    return ApplicationError(
        f"Backtest {backtest.pk} is {backtest.status}: it has no results yet. Follow "
        f"/api/v1/backtests/{backtest.pk}/ until its status is succeeded.",
        status_code=status.HTTP_409_CONFLICT,
    )
