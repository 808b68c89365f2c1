"""A system's months: `GET /api/v1/systems/{code}/months/` lists each month's status and
counts; `POST /api/v1/systems/{code}/months/{YYYY-MM}/sign-off/` signs one off. A system's
users read their own system's, national users any; another system's code is a 404."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from core import calendar
from core.access import can_read_audit
from core.api.schema import error_responses
from core.models import ICS, User
from workforce.selectors.dashboards_scenarios import system_for
from workforce.selectors.months import SystemMonth, system_month, system_months
from workforce.selectors.tracker import TRACKER_MONTHS
from workforce.services.months import NOTE_LIMIT, month_sign_off

MOST_MONTHS = 60
PARAMETERS = {"months"}


class OrganisationsSerializer(serializers.Serializer):
    expected = serializers.ListField(child=serializers.CharField())
    submitted = serializers.ListField(child=serializers.CharField())
    late = serializers.ListField(
        child=serializers.CharField(), help_text="Not in by the due day: sent later, or not yet."
    )
    flagged = serializers.ListField(
        child=serializers.CharField(), help_text="Their current return carries warnings."
    )
    outstanding = serializers.ListField(
        child=serializers.CharField(), help_text="Expected and not sent yet."
    )


class SystemMonthSerializer(serializers.Serializer):
    ics = serializers.CharField()
    month = serializers.CharField(help_text="YYYY-MM")
    status = serializers.ChoiceField(choices=["open", "complete", "signed_off"])
    due = serializers.DateField(help_text="The last day a return of the month is on time.")
    expected = serializers.IntegerField()
    submitted = serializers.IntegerField()
    late = serializers.IntegerField()
    flagged = serializers.IntegerField()
    organisations = OrganisationsSerializer()
    signed_off_at = serializers.DateTimeField(allow_null=True)
    signed_off_by = serializers.CharField(
        allow_null=True, help_text="Who signed it off: shown to those who read the audit trail."
    )
    note = serializers.CharField(allow_blank=True)


class SystemMonthListSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.CharField(allow_null=True)
    results = SystemMonthSerializer(many=True)


class SignOffSerializer(serializers.Serializer):
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=NOTE_LIMIT, trim_whitespace=True
    )


def month_data(ics: ICS, month: SystemMonth, user: User) -> dict:
    sign_off = month.sign_off
    return {
        "ics": ics.code,
        "month": calendar.month_label(month.period),
        "status": month.status,
        "due": month.due,
        **month.counts,
        "organisations": {
            "expected": list(month.expected),
            "submitted": list(month.submitted),
            "late": list(month.late),
            "flagged": list(month.flagged),
            "outstanding": list(month.outstanding),
        },
        "signed_off_at": sign_off.signed_off_at if sign_off else None,
        "signed_off_by": (
            sign_off.signed_off_by.username if sign_off and can_read_audit(user) else None
        ),
        "note": sign_off.note if sign_off else "",
    }


def _system(request, code: str) -> ICS:
    ics = system_for(user=request.user, code=code)
    if ics is None:
        raise NotFound(f"No system {code} in your scope.")
    return ics


class SystemMonthsView(APIView):
    @extend_schema(
        summary="A system's months, the latest first: status and who has sent, is late or "
        "is flagged.",
        parameters=[
            OpenApiParameter(
                "months",
                int,
                description=f"How many months before the current one (1 to {MOST_MONTHS}); "
                f"default {TRACKER_MONTHS}.",
            )
        ],
        responses={200: SystemMonthListSerializer, **error_responses(400, 404)},
    )
    def get(self, request, code: str):
        unknown = sorted(set(request.query_params) - PARAMETERS)
        if unknown:
            raise ValidationError({unknown[0]: "Not a parameter of this endpoint: use months."})
        ics = _system(request, code)
        count = TRACKER_MONTHS
        if "months" in request.query_params:
            text = request.query_params["months"].strip()
            if not (text.isascii() and text.isdigit() and 1 <= int(text) <= MOST_MONTHS):
                raise ValidationError({"months": f"Give a whole number from 1 to {MOST_MONTHS}."})
            count = int(text)
        months = system_months(ics=ics, today=timezone.localdate(), count=count)
        results = [month_data(ics, m, request.user) for m in reversed(months)]
        return Response({"count": len(results), "next": None, "results": results})


class MonthSignOffView(APIView):
    @extend_schema(
        summary="Sign off a system's month: its returns stand for the system as they are.",
        description="The system's ICB lead or a national administrator. 201 when signed off "
        "now, 200 when it was already.",
        request=SignOffSerializer,
        responses={
            201: SystemMonthSerializer,
            200: SystemMonthSerializer,
            **error_responses(400, 403, 404, 409),
        },
    )
    def post(self, request, code: str, month: str):
        ics = _system(request, code)
        try:
            period = calendar.parse_month(month)
        except ValueError as error:
            raise ValidationError({"month": str(error)}) from None
        body = SignOffSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        today = timezone.localdate()
        _, created = month_sign_off(
            user=request.user,
            ics=ics,
            month=period,
            note=body.validated_data.get("note", ""),
            today=today,
        )
        shown = system_month(ics=ics, period=period, today=today)
        return Response(
            month_data(ics, shown, request.user),
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )
