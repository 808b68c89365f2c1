"""Staffing returns: upload, list, read, the original file and the template; the flat figures.

`?format=csv` (and `xlsx` for the template) is read by these views themselves, not by
content negotiation, so that an error is always answered in JSON.
"""

from __future__ import annotations

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from core.api.csv_export import csv_streamed
from core.api.fields import CSV, XLSX, JSONForErrors, MonthField, parse_month
from core.api.pagination import FigureCursorPagination
from core.api.schema import ErrorResponseSerializer as ErrorsSerializer
from core.api.schema import error_responses
from core.models import ICS, Organisation, OrganisationMembership
from workforce.models import StaffingReturn
from workforce.returns import template_csv, template_xlsx
from workforce.selectors import returns as selectors
from workforce.selectors.returns import FIGURE_COLUMNS
from workforce.services.returns import staffing_return_submit, upload_read


def file_response(content: bytes, filename: str) -> HttpResponse:
    content_type = XLSX if content.startswith(b"PK\x03\x04") else f"{CSV}; charset=utf-8"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


class ReturnWarningSerializer(serializers.Serializer):
    rule = serializers.CharField()
    staff_group = serializers.CharField()
    message = serializers.CharField()


class ReturnSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.code")
    organisation_name = serializers.CharField(source="organisation.name")
    period = MonthField()
    submitted_by = serializers.CharField(
        source="submitted_by.username", default=None, allow_null=True
    )
    warnings = ReturnWarningSerializer(many=True)
    for_review = serializers.BooleanField(
        read_only=True,
        help_text="It has warnings not yet confirmed or accepted: runs use the version before.",
    )
    reviewed_by = serializers.CharField(
        source="reviewed_by.username", default=None, allow_null=True
    )

    class Meta:
        model = StaffingReturn
        fields = [
            "id",
            "organisation",
            "organisation_name",
            "period",
            "version",
            "status",
            "submitted_by",
            "submitted_at",
            "original_filename",
            "size",
            "sha256",
            "warnings",
            "for_review",
            "review",
            "reviewed_by",
            "reviewed_at",
        ]


class FiguresSerializer(serializers.Serializer):
    """One staff group's figures, as a return's rows and the flat export show them."""

    fte = serializers.DecimalField(max_digits=10, decimal_places=2)
    headcount = serializers.IntegerField()
    vacancies_fte = serializers.DecimalField(
        max_digits=10, decimal_places=2, allow_null=True, help_text="null: not given."
    )
    bank_fte = serializers.DecimalField(max_digits=10, decimal_places=2)
    agency_fte = serializers.DecimalField(max_digits=10, decimal_places=2)
    joiners_fte = serializers.DecimalField(
        max_digits=10, decimal_places=2, allow_null=True, help_text="null: not given."
    )
    leavers_fte = serializers.DecimalField(
        max_digits=10, decimal_places=2, allow_null=True, help_text="null: not given."
    )
    sickness_absence_rate = serializers.DecimalField(max_digits=6, decimal_places=5)


def _cost(what: str) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=12, decimal_places=2, allow_null=True, help_text=f"{what}; null: not given."
    )


class ReturnRowSerializer(FiguresSerializer):
    staff_group = serializers.CharField(source="staff_group.code")
    staff_group_name = serializers.CharField(source="staff_group.name")
    pay_cost = _cost("GBP in the month: substantive pay bill, employer on-costs included")
    bank_cost = _cost("GBP in the month: bank staff")
    agency_cost = _cost("GBP in the month: agency staff")


class VersionSerializer(serializers.ModelSerializer):
    submitted_by = serializers.CharField(
        source="submitted_by.username", default=None, allow_null=True
    )

    class Meta:
        model = StaffingReturn
        fields = ["id", "version", "status", "submitted_by", "submitted_at", "original_filename"]


class ReturnDetailSerializer(ReturnSerializer):
    """A return with its rows and every version of its organisation and month (context)."""

    rows = ReturnRowSerializer(many=True)
    versions = serializers.SerializerMethodField()

    class Meta(ReturnSerializer.Meta):
        fields = [*ReturnSerializer.Meta.fields, "rows", "versions"]

    @extend_schema_field(VersionSerializer(many=True))
    def get_versions(self, staffing_return: StaffingReturn) -> list[dict]:
        versions = self.context.get("versions")
        if versions is None:
            versions = selectors.return_versions(staffing_return=staffing_return)
        return VersionSerializer(versions, many=True).data


class SubmittedSerializer(ReturnDetailSerializer):
    duplicate = serializers.SerializerMethodField()

    class Meta(ReturnDetailSerializer.Meta):
        fields = [*ReturnDetailSerializer.Meta.fields, "duplicate"]

    def get_duplicate(self, staffing_return: StaffingReturn) -> bool:
        """True when the file was the current version's already: nothing was stored."""
        return bool(self.context.get("duplicate"))


class SubmitSerializer(serializers.Serializer):
    organisation = serializers.CharField(help_text="The organisation's ODS code, e.g. RJ1.")
    period = serializers.CharField(help_text="The month the return describes: YYYY-MM.")
    file = serializers.FileField(
        allow_empty_file=True, help_text="The return: CSV (UTF-8) or XLSX, as the template."
    )


class ReturnFilter(filters.FilterSet):
    organisation = filters.CharFilter(
        field_name="organisation__code", lookup_expr="iexact", help_text="ODS code."
    )
    ics = filters.CharFilter(
        method="filter_ics", help_text="ICS code: its organisations, now or in the past."
    )
    period = filters.CharFilter(method="filter_period", help_text="YYYY-MM.")
    status = filters.ChoiceFilter(choices=StaffingReturn.Status.choices)

    class Meta:
        model = StaffingReturn
        fields = ["ics", "organisation", "period", "status"]

    def filter_ics(self, queryset, name, value):
        members = OrganisationMembership.objects.filter(ics__code__iexact=value)
        return queryset.filter(organisation_id__in=members.values("organisation_id"))

    def filter_period(self, queryset, name, value):
        return queryset.filter(period=parse_month("period", value))


ERRORS = OpenApiResponse(ErrorsSerializer, description="Every problem; nothing was stored.")
FORMAT = OpenApiParameter("format", str, enum=["json", "csv"], description="json (default) or csv.")


@extend_schema_view(
    list=extend_schema(summary="Returns in your scope, newest month first."),
    retrieve=extend_schema(
        summary="One return with its rows, warnings and every version of its month.",
        responses={200: ReturnDetailSerializer, 404: ErrorsSerializer},
    ),
)
class ReturnViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ReturnSerializer
    filterset_class = ReturnFilter
    content_negotiation_class = JSONForErrors
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        return selectors.returns_for(user=self.request.user)

    def retrieve(self, request, pk: str):
        staffing_return = selectors.return_get(user=request.user, pk=int(pk))
        if staffing_return is None:
            raise NotFound("No such return in your scope.")
        return Response(ReturnDetailSerializer(staffing_return).data)

    @extend_schema(
        summary="Upload a month's return (multipart): stored as the next version, or refused.",
        request={"multipart/form-data": SubmitSerializer},
        responses={
            201: OpenApiResponse(SubmittedSerializer, description="Stored as a new version."),
            200: OpenApiResponse(
                SubmittedSerializer,
                description="The same file as the current version: nothing stored, "
                "that version returned with duplicate true.",
            ),
            400: ERRORS,
            403: OpenApiResponse(ErrorsSerializer, description="Outside your scope."),
        },
    )
    def create(self, request):
        given = SubmitSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        code = given.validated_data["organisation"].strip()
        organisation = Organisation.objects.filter(code__iexact=code).first()
        if organisation is None:
            raise ValidationError({"organisation": f"No organisation has the code '{code}'."})
        upload = given.validated_data["file"]
        result = staffing_return_submit(
            user=request.user,
            organisation=organisation,
            period=given.validated_data["period"],
            content=upload_read(upload),
            filename=upload.name,
        )
        stored = selectors.return_get(user=request.user, pk=result.staffing_return.pk)
        data = SubmittedSerializer(stored, context={"duplicate": result.duplicate}).data
        return Response(data, status=status.HTTP_200_OK if result.duplicate else 201)

    @extend_schema(
        summary="The original file of a return, byte for byte as uploaded.",
        responses={
            (200, CSV): OpenApiTypes.BINARY,
            (200, XLSX): OpenApiTypes.BINARY,
            404: ErrorsSerializer,
        },
    )
    @action(detail=True, url_path="file")
    def file(self, request, pk: str):
        found = selectors.return_file(user=request.user, pk=int(pk))
        if found is None:
            raise NotFound("No such return in your scope.")
        filename, content = found
        return file_response(content, filename)

    @extend_schema(
        summary="The empty template of an organisation's return, as CSV or XLSX: the staff "
        "groups of its kind, those it reports first.",
        parameters=[
            OpenApiParameter("format", str, enum=["csv", "xlsx"]),
            OpenApiParameter(
                "organisation",
                str,
                description="ODS code of an organisation in your scope (default: yours, for "
                "an uploader); without one, every staff group a return may hold.",
            ),
        ],
        responses={
            (200, CSV): OpenApiTypes.BINARY,
            (200, XLSX): OpenApiTypes.BINARY,
            **error_responses(400, 404),
        },
        filters=False,
    )
    @action(detail=False, url_path="template", pagination_class=None, filterset_class=None)
    def template(self, request):
        kind = request.query_params.get("format", "csv").lower()
        if kind not in ("csv", "xlsx"):
            raise ValidationError({"format": "Choose csv or xlsx."})
        try:
            organisation = selectors.template_organisation(
                user=request.user, code=request.query_params.get("organisation")
            )
        except LookupError:
            raise NotFound("No such organisation in your scope.") from None
        rows, accepted = selectors.template_staff_groups(organisation=organisation)
        content = template_csv(rows) if kind == "csv" else template_xlsx(rows, accepted)
        name = "staffing-return-template" + (f"-{organisation.code}" if organisation else "")
        return file_response(content, f"{name}.{kind}")


class FigureSerializer(FiguresSerializer):
    id = serializers.IntegerField()
    period = MonthField()
    ics = serializers.CharField(allow_null=True)
    organisation = serializers.CharField()
    organisation_name = serializers.CharField()
    staff_group = serializers.CharField(source="staff_group_code")
    version = serializers.IntegerField()
    return_id = serializers.IntegerField()


CSV_COLUMNS = ("period", "ics", "organisation", "organisation_name", "staff_group_code",
               *FIGURE_COLUMNS, "version", "return_id")  # fmt: skip


def figures_csv(figures) -> StreamingHttpResponse:
    """Stream the rows as CSV: the export of a whole country is too long to hold at once."""

    def rows():
        for figure in figures.iterator(chunk_size=2000):
            figure["period"] = f"{figure['period']:%Y-%m}"
            yield [figure[c] for c in CSV_COLUMNS]

    header = [("staff_group" if c == "staff_group_code" else c) for c in CSV_COLUMNS]
    return csv_streamed("workforce.csv", header, rows())


@extend_schema_view(
    list=extend_schema(
        summary="The current figures of every return in your scope, one row per staff group.",
        parameters=[
            OpenApiParameter("ics", str, description="ICS code: its members in each month."),
            OpenApiParameter("organisation", str, description="ODS code."),
            OpenApiParameter("staff_group", str, description="Staff group code."),
            OpenApiParameter("period_from", str, description="YYYY-MM, inclusive."),
            OpenApiParameter("period_to", str, description="YYYY-MM, inclusive."),
            FORMAT,
        ],
        responses={
            (200, "application/json"): FigureSerializer(many=True),
            (200, CSV): OpenApiTypes.BINARY,
            400: OpenApiResponse(ErrorsSerializer, description="A filter that cannot be read."),
        },
    )
)
class WorkforceFigureViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = FigureSerializer
    pagination_class = FigureCursorPagination
    content_negotiation_class = JSONForErrors
    filter_backends: list = []

    def list(self, request):
        params = request.query_params
        ics = None
        if params.get("ics"):
            ics = ICS.objects.filter(code__iexact=params["ics"].strip()).first()
            if ics is None:
                raise ValidationError({"ics": f"No ICS has the code '{params['ics']}'."})
        figures = selectors.workforce_figures(
            user=request.user,
            ics=ics,
            organisation=params.get("organisation"),
            staff_group=params.get("staff_group"),
            period_from=parse_month("period_from", params.get("period_from")),
            period_to=parse_month("period_to", params.get("period_to")),
        )
        kind = params.get("format", "json").lower()
        if kind == "csv":
            return figures_csv(figures)
        if kind != "json":
            raise ValidationError({"format": "Choose json or csv."})
        page = self.paginate_queryset(figures)
        return self.get_paginated_response(FigureSerializer(page, many=True).data)
