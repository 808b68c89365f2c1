"""The audit trail: GET /api/v1/audit/?ics=&model=&user=&action=&object_id=&since=

ICB leads read their system's entries, national administrators every entry; trust uploaders
and analysts are refused (403). Newest first, in cursor pages (the trail only grows).
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, pagination, serializers, viewsets
from rest_framework.exceptions import ValidationError

from core.models import AuditEntry
from core.selectors.audit import AuditFilter, audit_entries_for, parse_since

from .pagination import StrictPageSize
from .schema import error_responses


class AuditEntrySerializer(serializers.ModelSerializer):
    user = serializers.CharField(source="user.username", default=None, allow_null=True)
    ics = serializers.CharField(source="ics.code", default=None, allow_null=True)
    changes = serializers.JSONField(help_text="field -> [before, after]")

    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "at",
            "user",
            "action",
            "model",
            "object_id",
            "object_repr",
            "ics",
            "changes",
        ]


class AuditPagination(StrictPageSize, pagination.CursorPagination):
    ordering = "-id"
    page_size = 100
    max_page_size = 1000


@extend_schema_view(
    list=extend_schema(
        summary="Who changed what and when, with the values before and after.",
        parameters=[
            OpenApiParameter("ics", str, description="ICS code."),
            OpenApiParameter(
                "model", str, description="What was changed, e.g. PlanTarget or workforce.Scenario."
            ),
            OpenApiParameter("user", str, description="The username of who changed it."),
            OpenApiParameter("action", str, enum=AuditEntry.Action.values),
            OpenApiParameter("object_id", str, description="The changed object's id."),
            OpenApiParameter(
                "since", str, description="From this day (YYYY-MM-DD) or moment (ISO 8601)."
            ),
        ],
        responses={200: AuditEntrySerializer(many=True), **error_responses(400, 403)},
    )
)
class AuditEntryViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = AuditEntrySerializer
    pagination_class = AuditPagination
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema's generation
            return AuditEntry.objects.none()
        params = self.request.query_params
        action = params.get("action", "")
        if action and action not in AuditEntry.Action.values:
            raise ValidationError(
                {"action": f"Choose one of {', '.join(AuditEntry.Action.values)}."}
            )
        try:
            since = parse_since(params.get("since", ""))
        except ValueError as error:
            raise ValidationError({"since": str(error)}) from None
        keep = AuditFilter(
            ics=params.get("ics", "").strip(),
            model=params.get("model", "").strip(),
            user=params.get("user", "").strip(),
            action=action,
            object_id=params.get("object_id", "").strip(),
            since=since,
        )
        return audit_entries_for(user=self.request.user, keep=keep)
