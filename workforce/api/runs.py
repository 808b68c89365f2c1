"""Projection runs: start one (202, the work happens on a worker), follow it, read results."""

from __future__ import annotations

from django.http import HttpResponse
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from core.access import in_scope
from core.api.csv_export import csv_response
from core.api.fields import JSONForErrors, MonthField, parse_month, system_given
from core.api.filters import StrictBooleanFilter
from core.api.pagination import FigureCursorPagination
from core.api.schema import error_responses
from core.errors import ApplicationError
from core.kinds import PLANNING_SECTOR_CODES
from workforce.boardpack.content import FORMATS as BOARD_PACK_FORMATS
from workforce.boardpack.content import board_pack_for, board_pack_ready
from workforce.boardpack.documents import board_pack_document
from workforce.models import ProjectionResult, ProjectionRun, Scenario
from workforce.projection.completeness import summary as completeness_summary
from workforce.selectors.cheapest_plan import cheapest_plan_for
from workforce.selectors.levy import CSV_FIELDS as LEVY_FIELDS
from workforce.selectors.levy import levy_for, levy_rows
from workforce.selectors.runs import PRICES as PRICE_BASES
from workforce.selectors.runs import price_divisors, run_for, run_results, runs_visible_to
from workforce.selectors.spend_asks import spend_asks_for
from workforce.selectors.what_it_takes import question_for, what_it_takes_for
from workforce.services.runs import projection_run_start

from .run_figures import PRICES, RESULT_FIELDS, ResultSerializer, csv_at_prices, spend_asks_data
from .run_params import QUESTION_PARAMETERS, question_params, year_param


class RunInputSerializer(serializers.Serializer):
    scenario = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, help_text="The scenario's id."
    )
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
    ics = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    baseline_period = MonthField()
    requested_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    reused_results_of = serializers.PrimaryKeyRelatedField(
        source="results_from", read_only=True, allow_null=True
    )

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


class RunDetailSerializer(RunSerializer):
    """A run with what it was built on, organisation by organisation."""

    completeness = serializers.SerializerMethodField()

    class Meta(RunSerializer.Meta):
        fields = [*RunSerializer.Meta.fields, "completeness", "prices"]

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_completeness(self, run: ProjectionRun) -> dict:
        """`baseline_month`, `counts` (organisations, baseline_month_returns, carried_forward,
        published, no_figures, under_review_left_out), `carried_forward_from` (month: count),
        `summary` (the line the run's page shows) and `organisations`, one entry each: its
        `source` (return, published, none), `month`, `months_carried_forward` and the returns
        `under_review` left out. Empty until the run has read its inputs."""
        built_on = run.completeness or {}
        if not built_on:
            return {}
        return {**built_on, "summary": completeness_summary(built_on)}


LEVEL = OpenApiParameter("level", str, enum=[c.value for c in ProjectionResult.Level])
FORMAT = OpenApiParameter("format", str, enum=["json", "csv"], description="json (default) or csv.")
SECTOR = OpenApiParameter(
    "sector",
    str,
    enum=list(PLANNING_SECTOR_CODES),
    description="A planning sector: organisations of that sector, and each system's and the "
    "nation's figures for it alone. Leave out for every organisation and the all-sector figures "
    "of systems and the nation (sector empty), which alone carry targets and probabilities.",
)


class RunFilter(filters.FilterSet):
    ics = filters.CharFilter(field_name="ics__code", lookup_expr="iexact", help_text="ICS code.")
    national = StrictBooleanFilter(
        field_name="ics", lookup_expr="isnull", help_text="true: national runs only."
    )
    scenario = filters.NumberFilter(
        field_name="scenario_id", min_value=1, max_value=2**63 - 1, help_text="The scenario's id."
    )
    status = filters.ChoiceFilter(choices=ProjectionRun.Status.choices)

    class Meta:
        model = ProjectionRun
        fields = ["ics", "national", "scenario", "status"]


@extend_schema_view(
    list=extend_schema(summary="Projection runs of your systems, newest first."),
    retrieve=extend_schema(summary="A run's status, progress, error, timings and input hash."),
)
class RunViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = RunSerializer
    filterset_class = RunFilter
    content_negotiation_class = JSONForErrors  # ?format=csv is read by the results view

    def get_queryset(self):
        return runs_visible_to(self.request.user)

    def get_serializer_class(self):
        return RunDetailSerializer if self.action == "retrieve" else RunSerializer

    def get_object(self) -> ProjectionRun:
        try:
            run = run_for(self.request.user, int(self.kwargs["pk"]))
        except ValueError:
            run = None
        if run is None:
            raise NotFound("No such projection run.")
        return run

    @extend_schema(
        summary="Start a run: 202 at once, the work happens on a worker; follow GET /runs/{id}/.",
        request=RunInputSerializer,
        responses={202: RunSerializer, **error_responses(400, 403, 404, 503)},
    )
    def create(self, request):
        given = RunInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        scenario = (
            in_scope(Scenario.objects.all(), request.user, ics="ics", include_national=True)
            .filter(pk=data["scenario"])
            .first()
        )
        if scenario is None:
            raise NotFound(f"No scenario {data['scenario']} in your scope: see /api/v1/scenarios/.")
        ics = system_given(data.get("ics"))
        run = projection_run_start(
            user=request.user,
            scenario=scenario,
            ics=ics,
            baseline_period=parse_month("baseline_period", data["baseline_period"]),
        )
        return Response(RunSerializer(run).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="The run's percentiles and probabilities, as JSON pages or one CSV.",
        description="Rows in the run's order: organisations, then systems, then the nation; "
        "within each, sectors, staff groups and years. JSON pages follow a `cursor` (`next`).",
        parameters=[
            LEVEL,
            SECTOR,
            FORMAT,
            PRICES,
            OpenApiParameter("staff_group", str, description="Staff group code, e.g. NUR."),
            OpenApiParameter("entity", str, description="Organisation or ICS code."),
            OpenApiParameter("year", str, description="Financial year: 2028 or 2028/29."),
            OpenApiParameter("cursor", str, description="From the previous page's `next`."),
            OpenApiParameter("page_size", int, description="Rows a page (up to 5,000)."),
        ],
        responses={
            (200, "application/json"): ResultSerializer(many=True),
            (200, "text/csv"): OpenApiTypes.BINARY,
            **error_responses(400, 404, 409),
        },
        filters=False,
    )
    @action(
        detail=True, methods=["get"], filterset_class=None, pagination_class=FigureCursorPagination
    )
    def results(self, request, pk=None):
        run = self.get_object()
        if run.status != ProjectionRun.Status.SUCCEEDED:
            raise ApplicationError(
                f"Run {run.pk} is {run.status}: it has no results yet. Follow "
                f"/api/v1/runs/{run.pk}/ until its status is succeeded.",
                status_code=status.HTTP_409_CONFLICT,
            )
        params = request.query_params
        level = params.get("level")
        if level and level not in ProjectionResult.Level.values:
            raise ValidationError({"level": "Use organisation, ics or national."})
        sector = params.get("sector")
        if sector is not None and sector not in PLANNING_SECTOR_CODES:
            raise ValidationError(
                {"sector": f"Use one of {', '.join(PLANNING_SECTOR_CODES)}, or leave it out."}
            )
        kind = params.get("format", "json").lower()
        if kind not in ("json", "csv"):
            raise ValidationError({"format": "Choose json or csv."})
        prices = params.get("prices", "nominal").lower()
        if prices not in PRICE_BASES:
            raise ValidationError({"prices": "Choose nominal or baseline."})
        divisors = price_divisors(run, prices)
        results = run_results(
            run,
            level=level,
            sector=sector,
            staff_group=params.get("staff_group"),
            entity=params.get("entity"),
            year=year_param(params.get("year")),
        ).order_by("id")
        if kind == "csv":
            rows = results.values_list(
                *[f if f != "staff_group" else "staff_group__code" for f in RESULT_FIELDS]
            )
            rows = rows.iterator()
            if divisors:
                rows = csv_at_prices(rows, divisors)
            return csv_response(f"run-{run.pk}-results.csv", RESULT_FIELDS, rows)
        page = self.paginate_queryset(results)
        shown = ResultSerializer(page, many=True, context={"divisors": divisors})
        return self.get_paginated_response(shown.data)

    @extend_schema(
        parameters=QUESTION_PARAMETERS,
        responses={200: OpenApiTypes.OBJECT, **error_responses(400, 404, 409)},
        filters=False,
    )
    @action(detail=True, methods=["get"], url_path="what-it-takes", filterset_class=None)
    def what_it_takes(self, request, pk=None):
        run = self.get_object()
        return Response(what_it_takes_for(run=run, **question_params(request.query_params)))

    @extend_schema(
        summary="The least-cost mix of levers that meets a target with a probability.",
        description="International recruits, a lower leaver rate and training places within "
        "capacity, each costed from the scenario's money assumptions, solved over the run's "
        "draws and checked by re-simulating them (docs/model.md, 'The cheapest plan').",
        parameters=QUESTION_PARAMETERS,
        responses={200: OpenApiTypes.OBJECT, **error_responses(400, 404, 409)},
        filters=False,
    )
    @action(detail=True, methods=["get"], url_path="cheapest-plan", filterset_class=None)
    def cheapest_plan(self, request, pk=None):
        run = self.get_object()
        return Response(
            cheapest_plan_for(question_for(run=run, **question_params(request.query_params)))
        )

    @extend_schema(
        summary="Projected bank and agency spend by year against the national asks and the "
        "plan's limits.",
        description="For the run's system (a national run: the nation, or `ics`) and one "
        "staff group (default ALL), each year after the baseline: spend P10, P50 and P90 "
        "(GBP, nominal), the national asks' limit from the baseline year's spend and where it "
        "falls among the percentiles, and the plan target's limit with the share of draws "
        "within it. A run without costs answers `has_costs: false` and a message, no zeros.",
        parameters=[
            OpenApiParameter("ics", str, description="For a national run: a system's code."),
            OpenApiParameter("staff_group", str, description="Staff group code; default ALL."),
        ],
        responses={200: OpenApiTypes.OBJECT, **error_responses(400, 404, 409)},
        filters=False,
    )
    @action(detail=True, methods=["get"], url_path="spend-asks", filterset_class=None)
    def spend_asks(self, request, pk=None):
        run = self.get_object()
        params = request.query_params
        asked = spend_asks_for(
            run=run, ics_code=params.get("ics"), staff_group=params.get("staff_group")
        )
        return Response(spend_asks_data(asked))

    @extend_schema(
        summary="The board pack of a system's run: PDF or PowerPoint, for one group and year.",
        description="The dashboard's headline figures, each chart as an image with its key "
        "figures, a narrative from the numbers, the scenario's assumptions in words, the data "
        "date and what the run was built on. The file name carries the system, scenario, "
        "staff group and year.",
        parameters=[
            OpenApiParameter("format", str, enum=list(BOARD_PACK_FORMATS), required=True),
            OpenApiParameter("staff_group", str, description="Staff group code; default ALL."),
            OpenApiParameter("year", str, description="Target year: 2028 or 2028/29."),
        ],
        responses={
            **{(200, kind): OpenApiTypes.BINARY for kind in BOARD_PACK_FORMATS.values()},
            **error_responses(400, 404, 409),
        },
        filters=False,
    )
    @action(detail=True, methods=["get"], url_path="board-pack", filterset_class=None)
    def board_pack(self, request, pk=None):
        run = self.get_object()
        board_pack_ready(run)
        params = request.query_params
        kind = params.get("format", "").lower()
        if kind not in BOARD_PACK_FORMATS:
            raise ValidationError({"format": "Choose pdf or pptx."})
        pack = board_pack_for(
            user=request.user,
            run=run,
            staff_group=(params.get("staff_group") or "").upper() or None,
            year=year_param(params.get("year")),
        )
        document = board_pack_document(pack, kind)
        response = HttpResponse(document.content, content_type=document.content_type)
        response["Content-Disposition"] = f'attachment; filename="{document.file_name}"'
        return response

    @extend_schema(
        summary="A system run's apprenticeship levy: employers' levy and funds against the "
        "cost of their starts, what they leave unspent and could transfer to partners.",
        description="From each organisation's projected P50 pay bill of all staff (on-costs "
        "taken out), the rules as they stand with their sources (docs/model.md, "
        "'Apprenticeship levy'). A run with no pay bill answers `costed: false` and a "
        "`message`; its CSV is a 409.",
        parameters=[FORMAT],
        responses={
            (200, "application/json"): OpenApiTypes.OBJECT,
            (200, "text/csv"): OpenApiTypes.BINARY,
            **error_responses(400, 404, 409),
        },
        filters=False,
    )
    @action(detail=True, methods=["get"], filterset_class=None)
    def levy(self, request, pk=None):
        run = self.get_object()
        if run.status != ProjectionRun.Status.SUCCEEDED:
            raise ApplicationError(
                f"Run {run.pk} is {run.status}: it has no pay bill yet.", status_code=409
            )
        if run.ics_id is None:
            raise ValidationError(
                {"run": "The levy is shown for one system's run, not a national one."}
            )
        kind = request.query_params.get("format", "json").lower()
        if kind not in ("json", "csv"):
            raise ValidationError({"format": "Choose json or csv."})
        answer = levy_for(run)
        if kind == "json":
            return Response(answer)
        if not answer["costed"]:
            raise ApplicationError(answer["message"], status_code=status.HTTP_409_CONFLICT)
        return csv_response(f"run-{run.pk}-levy.csv", LEVY_FIELDS, levy_rows(answer))
