"""Read-only reference data: regions, systems (ICSs), organisations and staff groups.

Regions, systems and staff groups are public reference data that every signed-in user reads;
organisations are narrowed to the user's scope, as every list of the API is.
"""

from __future__ import annotations

import datetime

from django.db.models import Prefetch
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError

from core.access import organisations_in_scope
from core.models import ICS, Organisation, OrganisationMembership, Region, StaffGroup


def parse_on(request) -> datetime.date | None:
    text = request.query_params.get("on")
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise ValidationError({"on": f"'{text}' is not a date: use YYYY-MM-DD."}) from None


ON_PARAMETER = OpenApiParameter(
    "on", OpenApiTypes.DATE, description="Keep only those valid on this day (YYYY-MM-DD)."
)


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "ons_code", "name"]


class SystemSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    successors = serializers.SerializerMethodField()
    predecessors = serializers.SerializerMethodField()

    class Meta:
        model = ICS
        fields = [
            "code",
            "name",
            "gss_code",
            "region",
            "valid_from",
            "valid_to",
            "successors",
            "predecessors",
        ]

    def get_successors(self, ics: ICS) -> list[str]:
        return [s.successor.code for s in ics.succeeded_by.all()]

    def get_predecessors(self, ics: ICS) -> list[str]:
        return [s.predecessor.code for s in ics.succeeds.all()]


class StaffGroupSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = StaffGroup
        fields = ["code", "name", "parent", "sector", "sort_order", "reportable"]


class MembershipSerializer(serializers.ModelSerializer):
    ics = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = OrganisationMembership
        fields = ["ics", "valid_from", "valid_to"]


class OrganisationSerializer(serializers.ModelSerializer):
    ics = serializers.SerializerMethodField()
    memberships = MembershipSerializer(many=True, read_only=True)

    class Meta:
        model = Organisation
        fields = ["code", "name", "kind", "active", "opened", "closed", "ics", "memberships"]

    def get_ics(self, organisation: Organisation) -> str | None:
        """The organisation's system on the day asked for (`?on=`), today by default."""
        on = self.context.get("on") or timezone.localdate()
        for membership in organisation.memberships.all():
            if membership.valid_from <= on and (
                membership.valid_to is None or on < membership.valid_to
            ):
                return membership.ics.code
        return None


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Region.objects.all()
    serializer_class = RegionSerializer
    lookup_field = "code"


@extend_schema_view(list=extend_schema(parameters=[ON_PARAMETER]))
class SystemViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = SystemSerializer
    lookup_field = "code"
    lookup_value_regex = "[A-Za-z0-9]+"

    def get_queryset(self):
        systems = ICS.objects.select_related("region").prefetch_related(
            "succeeded_by__successor", "succeeds__predecessor"
        )
        on = parse_on(self.request) if self.action == "list" else None
        return systems.valid_on(on) if on else systems


class StaffGroupViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = StaffGroup.objects.select_related("parent")
    serializer_class = StaffGroupSerializer
    lookup_field = "code"
    lookup_value_regex = "[A-Za-z0-9-]+"


class OrganisationFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=Organisation.Kind.choices)
    ics = filters.CharFilter(method="filter_ics", help_text="ICS code; its members on `on`.")
    on = filters.DateFilter(method="filter_on", help_text="Keep those in an ICS on this day.")
    active = filters.BooleanFilter()

    class Meta:
        model = Organisation
        fields = ["kind", "ics", "on", "active"]

    def filter_ics(self, queryset, name, value):
        on = self.form.cleaned_data.get("on") or timezone.localdate()
        members = (
            OrganisationMembership.objects.filter(ics__code__iexact=value)
            .filter(valid_from__lte=on)
            .exclude(valid_to__lte=on)
        )
        return queryset.filter(pk__in=members.values("organisation_id"))

    def filter_on(self, queryset, name, value):
        members = OrganisationMembership.objects.filter(valid_from__lte=value).exclude(
            valid_to__lte=value
        )
        return queryset.filter(pk__in=members.values("organisation_id"))


class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilter
    lookup_field = "code"
    lookup_value_regex = "[A-Za-z0-9]+"

    def get_queryset(self):
        return organisations_in_scope(self.request.user).prefetch_related(
            Prefetch("memberships", OrganisationMembership.objects.select_related("ics"))
        )

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "on": parse_on(self.request)}
