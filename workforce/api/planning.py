"""Plan targets: /api/v1/targets/ (scenarios are in `scenarios`).

Related objects are given and shown by their codes (`"ics": "QKK"`, `"staff_group": "NUR"`).
Lists hold only the targets of the systems in the user's scope; a target outside it is 404;
a write by anyone but the system's ICB lead (or a national administrator) is 403.
"""

from __future__ import annotations

from typing import Any

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from core import calendar
from core.api.fields import CodeField, StrictSerializer, YearField, number, validated
from core.api.lists import CSVListMixin, csv_list_schema
from core.api.schema import error_responses
from core.errors import ApplicationError
from core.models import ICS, StaffGroup
from workforce.models import PlanTarget
from workforce.plans import rules
from workforce.selectors.planning import plan_targets_in_scope
from workforce.services.planning import (
    plan_target_create,
    plan_target_delete,
    plan_target_update,
)


class PlanTargetSerializer(serializers.ModelSerializer):
    ics = serializers.CharField(source="ics.code")
    staff_group = serializers.CharField(source="staff_group.code")
    staff_group_name = serializers.CharField(source="staff_group.name")
    year_label = serializers.SerializerMethodField()
    updated_by = serializers.CharField(source="updated_by.username", default=None, allow_null=True)

    class Meta:
        model = PlanTarget
        fields = [
            "id",
            "ics",
            "staff_group",
            "staff_group_name",
            "year",
            "year_label",
            "plan",
            "target_fte",
            *rules.TARGET_OPTIONAL_FIELDS,
            "updated_by",
            "updated_at",
        ]
        extra_kwargs = {
            name: {"coerce_to_string": False}
            for name in ("target_fte", *rules.TARGET_OPTIONAL_FIELDS)
        }

    def get_year_label(self, target: PlanTarget) -> str:
        return calendar.year_label(target.year)


class PlanTargetInputSerializer(StrictSerializer):
    ics = CodeField("system", queryset=ICS.objects.all())
    staff_group = CodeField("staff group", queryset=StaffGroup.objects.all())
    year = YearField()
    plan = serializers.ChoiceField(
        choices=PlanTarget.Plan.choices,
        required=False,
        allow_null=True,
        help_text="Empty: the strategic commissioning plan (scp) from 2026/27, the joint "
        "forward plan (jfp) before.",
    )
    target_fte = number()
    target_vacancy_rate = number(required=False, allow_null=True)
    target_leaver_rate = number(required=False, allow_null=True)
    target_sickness_absence_rate = number(required=False, allow_null=True)
    target_bank_fte = number(required=False, allow_null=True)
    target_agency_fte = number(required=False, allow_null=True)
    pay_budget = number(
        required=False,
        allow_null=True,
        minimum=0,
        help_text="The substantive pay bill the financial plan allows, GBP in the year (nominal).",
    )
    bank_spend_limit = number(
        required=False,
        allow_null=True,
        minimum=0,
        help_text="The most the financial plan allows for bank staff, GBP in the year.",
    )
    agency_spend_limit = number(
        required=False,
        allow_null=True,
        minimum=0,
        help_text="The most the financial plan allows for agency staff, GBP in the year.",
    )


class PlanTargetFilter(filters.FilterSet):
    ics = filters.CharFilter(field_name="ics__code", lookup_expr="iexact", help_text="ICS code.")
    staff_group = filters.CharFilter(
        field_name="staff_group__code", lookup_expr="iexact", help_text="Staff group code."
    )
    year = filters.CharFilter(method="filter_year", help_text="Financial year: 2028 or 2028/29.")
    plan = filters.ChoiceFilter(choices=PlanTarget.Plan.choices)

    class Meta:
        model = PlanTarget
        fields = ["ics", "staff_group", "year", "plan"]

    def filter_year(self, queryset, name, value):
        try:
            return queryset.filter(year=calendar.parse_year(value))
        except ValueError as error:
            raise ValidationError({"year": str(error)}) from None


WRITE_ERRORS = error_responses(400, 401, 403, 404)


@extend_schema_view(
    list=csv_list_schema(PlanTargetSerializer),
    retrieve=extend_schema(responses={200: PlanTargetSerializer, **error_responses(401, 404)}),
    create=extend_schema(
        request=PlanTargetInputSerializer,
        responses={201: PlanTargetSerializer, **error_responses(400, 401, 403)},
        description="Add a target. Only the system's ICB lead (or a national administrator).",
    ),
    update=extend_schema(
        request=PlanTargetInputSerializer,
        responses={200: PlanTargetSerializer, **WRITE_ERRORS},
        description="Replace a target: optional figures left out are cleared. `ics`, if "
        "given, must be the target's own system.",
    ),
    partial_update=extend_schema(
        request=PlanTargetInputSerializer(partial=True),
        responses={200: PlanTargetSerializer, **WRITE_ERRORS},
    ),
    destroy=extend_schema(responses={204: None, **error_responses(401, 403, 404)}),
)
class PlanTargetViewSet(CSVListMixin, viewsets.ModelViewSet):
    serializer_class = PlanTargetSerializer
    csv_name = "targets"
    filterset_class = PlanTargetFilter

    def get_queryset(self):
        return plan_targets_in_scope(user=self.request.user)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = validated(PlanTargetInputSerializer(data=request.data))
        target = plan_target_create(user=request.user, **data)
        return Response(PlanTargetSerializer(target).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        partial = kwargs.get("partial", False)
        target = self.get_object()
        serializer = PlanTargetInputSerializer(data=request.data, partial=True)
        data = validated(serializer)
        if not partial:
            missing = [
                {"field": name, "message": "This field is required."}
                for name in ("staff_group", "year", "target_fte")
                if name not in data
            ]
            if missing:
                raise ApplicationError(missing)
            data = {"plan": None, **dict.fromkeys(rules.TARGET_OPTIONAL_FIELDS)} | data
        ics = data.pop("ics", target.ics)
        if ics != target.ics:
            raise ApplicationError(
                [
                    {
                        "field": "ics",
                        "message": "A target's system cannot change; add a target "
                        "to the other system instead.",
                    }
                ]
            )
        target = plan_target_update(user=request.user, target=target, **data)
        return Response(PlanTargetSerializer(target).data)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        plan_target_delete(user=request.user, target=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
