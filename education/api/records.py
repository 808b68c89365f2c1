"""The education records: programmes, intakes, placements, educators and apprenticeship starts.

Objects are addressed by id; the objects they refer to by code (`"ics": "QKK"`,
`"programme": "NUR-ADULT-BSC"`, `"organisation": "RJ1"`). Programmes are reference data that
every signed-in user reads; intakes are narrowed to the user's systems, the rest to the user's
organisations. Writes go through the services, which check scope (403) and values (400).
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Model
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from core.access import in_scope
from core.api.fields import validated
from core.api.filters import FilterSet
from core.api.lists import CSVListMixin, csv_list_schema, requested_format
from core.api.schema import error_responses
from core.models import OrganisationMembership
from education import services
from education.models import (
    ApprenticeshipStart,
    CommissionedIntake,
    EducatorCapacity,
    PlacementCapacity,
    Programme,
)
from education.placement_sectors import PLACEMENT_SECTORS
from education.services.rules import FIRST_ACADEMIC_YEAR, LAST_ACADEMIC_YEAR

from .record_serializers import (
    ApprenticeshipInput,
    ApprenticeshipSerializer,
    EducatorInput,
    EducatorSerializer,
    IntakeInput,
    IntakeSerializer,
    PlacementInput,
    PlacementSerializer,
    ProgrammeCSVSerializer,
    ProgrammeInput,
    ProgrammeSerializer,
)

ERRORS = error_responses(400, 403)

# Filters.


class ProgrammeFilter(FilterSet):
    staff_group = filters.CharFilter(field_name="staff_group__code", lookup_expr="iexact")
    route = filters.ChoiceFilter(choices=Programme.Route.choices)

    class Meta:
        model = Programme
        fields = ["staff_group", "route"]


class _YearFilter(FilterSet):
    academic_year = filters.NumberFilter(
        min_value=FIRST_ACADEMIC_YEAR, max_value=LAST_ACADEMIC_YEAR
    )
    programme = filters.CharFilter(field_name="programme__code", lookup_expr="iexact")
    staff_group = filters.CharFilter(
        field_name="programme__staff_group__code", lookup_expr="iexact"
    )


class IntakeFilter(_YearFilter):
    ics = filters.CharFilter(field_name="ics__code", lookup_expr="iexact")

    class Meta:
        model = CommissionedIntake
        fields = ["ics", "programme", "academic_year", "staff_group"]


class _OrganisationFilter(_YearFilter):
    organisation = filters.CharFilter(field_name="organisation__code", lookup_expr="iexact")
    ics = filters.CharFilter(
        method="filter_ics", help_text="ICS code: its organisations, now or in the past."
    )

    def filter_ics(self, queryset, name, value):
        members = OrganisationMembership.objects.filter(ics__code__iexact=value)
        return queryset.filter(organisation_id__in=members.values("organisation_id"))


class PlacementFilter(_OrganisationFilter):
    sector = filters.ChoiceFilter(choices=PLACEMENT_SECTORS)

    class Meta:
        model = PlacementCapacity
        fields = ["ics", "organisation", "programme", "sector", "academic_year", "staff_group"]


class EducatorFilter(_OrganisationFilter):
    programme = None
    staff_group = None

    class Meta:
        model = EducatorCapacity
        fields = ["ics", "organisation", "academic_year"]


class ApprenticeshipFilter(_OrganisationFilter):
    class Meta:
        model = ApprenticeshipStart
        fields = ["ics", "organisation", "programme", "academic_year", "staff_group", "levy_funded"]


# Views.


def _documented(input_serializer, output_serializer):
    return extend_schema_view(
        list=csv_list_schema(output_serializer),
        create=extend_schema(
            request=input_serializer, responses={201: output_serializer, **ERRORS}
        ),
        update=extend_schema(
            request=input_serializer, responses={200: output_serializer, **ERRORS}
        ),
        partial_update=extend_schema(
            request=input_serializer, responses={200: output_serializer, **ERRORS}
        ),
    )


class _EducationViewSet(
    CSVListMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """List (JSON pages or `?format=csv`) and read; create (POST) and change (PUT, PATCH)
    through the services."""

    # How `in_scope` reaches the record's owner: {"ics": ...} or {"organisation": ...}; empty
    # for reference data that every signed-in user reads.
    scope: dict[str, str] = {}
    input_serializer: type[serializers.Serializer]
    instance_name: str  # the update service's keyword for the object
    create_service: Callable[..., Model]
    update_service: Callable[..., Model]

    def get_queryset(self):
        records = self.queryset.all()
        return in_scope(records, self.request.user, **self.scope) if self.scope else records

    def create(self, request):
        given = validated(self.input_serializer(data=request.data))
        created = self.create_service(user=request.user, **given)
        return Response(self.get_serializer(created).data, status=status.HTTP_201_CREATED)

    def update(self, request, pk=None, partial: bool = False):
        instance = self.get_object()
        given = validated(self.input_serializer(data=request.data, partial=partial))
        changed = self.update_service(
            user=request.user, **{self.instance_name: instance}, changes=given
        )
        return Response(self.get_serializer(changed).data)

    def partial_update(self, request, pk=None):
        return self.update(request, pk, partial=True)


@_documented(ProgrammeInput, ProgrammeSerializer)
class ProgrammeViewSet(_EducationViewSet):
    queryset = Programme.objects.select_related("staff_group")
    csv_name = "programmes"
    serializer_class, input_serializer = ProgrammeSerializer, ProgrammeInput
    filterset_class = ProgrammeFilter
    instance_name = "programme"
    create_service = staticmethod(services.programme_create)
    update_service = staticmethod(services.programme_update)

    def get_serializer_class(self):
        if self.action == "list" and requested_format(self.request) == "csv":
            return ProgrammeCSVSerializer
        return super().get_serializer_class()


@_documented(IntakeInput, IntakeSerializer)
class IntakeViewSet(_EducationViewSet):
    queryset = CommissionedIntake.objects.select_related("ics", "programme__staff_group")
    csv_name = "intakes"
    scope = {"ics": "ics"}
    serializer_class, input_serializer = IntakeSerializer, IntakeInput
    filterset_class = IntakeFilter
    instance_name = "intake"
    create_service = staticmethod(services.intake_create)
    update_service = staticmethod(services.intake_update)


@_documented(PlacementInput, PlacementSerializer)
class PlacementViewSet(_EducationViewSet):
    queryset = PlacementCapacity.objects.select_related("organisation", "programme")
    csv_name = "placements"
    scope = {"organisation": "organisation"}
    serializer_class, input_serializer = PlacementSerializer, PlacementInput
    filterset_class = PlacementFilter
    instance_name = "placement"
    create_service = staticmethod(services.placement_create)
    update_service = staticmethod(services.placement_update)


@_documented(EducatorInput, EducatorSerializer)
class EducatorViewSet(_EducationViewSet):
    queryset = EducatorCapacity.objects.select_related("organisation")
    csv_name = "educators"
    scope = {"organisation": "organisation"}
    serializer_class, input_serializer = EducatorSerializer, EducatorInput
    filterset_class = EducatorFilter
    instance_name = "educator"
    create_service = staticmethod(services.educator_create)
    update_service = staticmethod(services.educator_update)


@_documented(ApprenticeshipInput, ApprenticeshipSerializer)
class ApprenticeshipViewSet(_EducationViewSet):
    queryset = ApprenticeshipStart.objects.select_related("organisation", "programme")
    csv_name = "apprenticeships"
    scope = {"organisation": "organisation"}
    serializer_class, input_serializer = ApprenticeshipSerializer, ApprenticeshipInput
    filterset_class = ApprenticeshipFilter
    instance_name = "apprenticeship"
    create_service = staticmethod(services.apprenticeship_create)
    update_service = staticmethod(services.apprenticeship_update)
