"""Read-only reference data: regions, systems (ICSs), organisations and staff groups.

Regions, systems and staff groups are public reference data that every signed-in user reads;
organisations are narrowed to the user's scope, as every list of the API is. National
administrators and a system's ICB lead add social care and independent providers (and a
system's sector organisations) to it: `POST /api/v1/organisations/`.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from core.access import organisations_in_scope
from core.api.fields import CodeField, StrictSerializer, validated
from core.api.filters import FilterSet, StrictBooleanFilter, StrictDateFilter
from core.api.schema import error_responses
from core.models import (
    ICS,
    NetworkMembership,
    Organisation,
    OrganisationMembership,
    OrganisationShare,
    Region,
    StaffGroup,
    valid_on_q,
)
from core.services.organisation_shares import organisation_shares_set
from core.services.organisations import ADDABLE_KINDS, organisation_create

from .organisation_shares import ShareSerializer, SharesInputSerializer


def parse_on(request) -> datetime.date | None:
    text = request.query_params.get("on")
    if text is None:
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


class NetworkMembershipSerializer(serializers.ModelSerializer):
    pcn = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = NetworkMembership
        fields = ["pcn", "valid_from", "valid_to"]


def _holds(membership: Any, on: datetime.date) -> bool:
    return membership.valid_from <= on and (membership.valid_to is None or on < membership.valid_to)


class OrganisationSerializer(serializers.ModelSerializer):
    ics = serializers.SerializerMethodField()
    memberships = MembershipSerializer(many=True, read_only=True)
    shares = ShareSerializer(many=True, read_only=True)
    pcn = serializers.SerializerMethodField()
    pcn_memberships = NetworkMembershipSerializer(
        source="network_memberships", many=True, read_only=True
    )

    class Meta:
        model = Organisation
        fields = [
            "code",
            "name",
            "kind",
            "sector",
            "illustrative",
            "cqc_location_id",
            "active",
            "opened",
            "closed",
            "ics",
            "memberships",
            "shares",
            "pcn",
            "pcn_memberships",
        ]

    def _on(self) -> datetime.date:
        return self.context.get("on") or timezone.localdate()

    def get_ics(self, organisation: Organisation) -> str | None:
        """The organisation's system on the day asked for (`?on=`), today by default."""
        on = self._on()
        for membership in organisation.memberships.all():
            if _holds(membership, on):
                return membership.ics.code
        return None

    def get_pcn(self, organisation: Organisation) -> str | None:
        """A GP practice's primary care network on `on` (today by default); null for others."""
        on = self._on()
        for membership in organisation.network_memberships.all():
            if _holds(membership, on):
                return membership.pcn.code
        return None


class OrganisationInputSerializer(StrictSerializer):
    code = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,  # the service says what a code may be, with every other problem
        help_text="At most 8 letters, digits or hyphens, unique. Leave it out for a sector "
        "organisation: its code is the ICS's and SC or IV (QKK-SC).",
    )
    name = serializers.CharField(max_length=1000)
    kind = serializers.ChoiceField(choices=[(k.value, k.label) for k in ADDABLE_KINDS])
    ics = CodeField("system", queryset=ICS.objects.all())
    sector = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Stands for the system's providers of its kind that send no figures one by one.",
    )


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


class OrganisationFilter(FilterSet):
    kind = filters.ChoiceFilter(choices=Organisation.Kind.choices)
    pcn = filters.CharFilter(
        method="filter_pcn", help_text="PCN code; the GP practices in it on `on` (today)."
    )
    ics = filters.CharFilter(method="filter_ics", help_text="ICS code; its members on `on`.")
    on = StrictDateFilter(method="filter_on", help_text="Keep those in an ICS on this day.")
    active = StrictBooleanFilter()

    class Meta:
        model = Organisation
        fields = ["kind", "ics", "pcn", "on", "active"]

    def filter_ics(self, queryset, name, value):
        on = self.form.cleaned_data.get("on") or timezone.localdate()
        members = (
            OrganisationMembership.objects.filter(ics__code__iexact=value)
            .filter(valid_from__lte=on)
            .exclude(valid_to__lte=on)
        )
        return queryset.filter(pk__in=members.values("organisation_id"))

    def filter_pcn(self, queryset, name, value):
        on = self.form.cleaned_data.get("on") or timezone.localdate()
        links = NetworkMembership.objects.filter(valid_on_q(on), pcn__code__iexact=value)
        return queryset.filter(pk__in=links.values("practice_id"))

    def filter_on(self, queryset, name, value):
        members = OrganisationMembership.objects.filter(valid_from__lte=value).exclude(
            valid_to__lte=value
        )
        return queryset.filter(pk__in=members.values("organisation_id"))


@extend_schema_view(
    create=extend_schema(
        request=OrganisationInputSerializer,
        responses={201: OrganisationSerializer, **error_responses(400, 401, 403)},
        description="Add a social care or independent provider, or a system's sector "
        "organisation of one of those kinds, to a system: a member from today. Only national "
        "administrators and the system's ICB lead; audited.",
    )
)
class OrganisationViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilter
    lookup_field = "code"
    lookup_value_regex = "[A-Za-z0-9-]+"

    def get_queryset(self):
        return organisations_in_scope(self.request.user).prefetch_related(
            Prefetch("memberships", OrganisationMembership.objects.select_related("ics")),
            Prefetch("network_memberships", NetworkMembership.objects.select_related("pcn")),
            Prefetch("shares", OrganisationShare.objects.select_related("ics")),
        )

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "on": parse_on(self.request)}

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = validated(OrganisationInputSerializer(data=request.data))
        organisation = organisation_create(user=request.user, **data)
        return Response(OrganisationSerializer(organisation).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        responses={200: ShareSerializer(many=True), **error_responses(401, 404)},
        description="The organisation's dated shares across the systems it serves; none: it "
        "counts wholly in its host system.",
    )
    @extend_schema(
        methods=["POST"],
        request=SharesInputSerializer,
        responses={200: ShareSerializer(many=True), **error_responses(400, 401, 403, 404)},
        description="Record the shares in force from `valid_from`: the set in force then ends "
        "that day. National administrators and the host system's ICB lead; audited.",
    )
    @action(detail=True, methods=["get", "post"])
    def shares(self, request: Request, code: str | None = None) -> Response:
        organisation = self.get_object()
        if request.method == "POST":
            data = validated(SharesInputSerializer(data=request.data))
            organisation_shares_set(
                user=request.user,
                organisation=organisation,
                valid_from=data["valid_from"],
                shares=[(part["ics"], part["share"]) for part in data["shares"]],
            )
        found = organisation.shares.select_related("ics").order_by("valid_from", "ics__code")
        return Response(ShareSerializer(found, many=True).data)
