"""The education records: programmes, intakes, placements, educators and apprenticeship starts.

Objects are addressed by id; the objects they refer to by code (`"ics": "QKK"`,
`"programme": "NUR-ADULT-BSC"`, `"organisation": "RJ1"`). Programmes are reference data that
every signed-in user reads; intakes are narrowed to the user's systems, the rest to the user's
organisations. Writes go through the services, which check scope (403) and values (400).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.db.models import Model
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from core.access import in_scope
from core.api.fields import CodeField, StrictSerializer, number, validated, whole
from core.api.filters import FilterSet
from core.api.lists import CSVListMixin, csv_list_schema, requested_format
from core.api.schema import error_responses
from core.models import ICS, Organisation, OrganisationMembership, StaffGroup
from education import services
from education.models import (
    ApprenticeshipStart,
    CommissionedIntake,
    EducatorCapacity,
    PlacementCapacity,
    Programme,
)
from education.placement_sectors import PLACEMENT_SECTORS, SECTOR_CODES, split_text
from education.services.capacity import APPRENTICESHIP_STANDARD_LONGEST
from education.services.catalogue import (
    MAX_COURSE_YEARS,
    PROGRAMME,
    PROGRAMME_CODE_LONGEST,
    PROGRAMME_NAME_LONGEST,
)
from education.services.rules import (
    FIRST_ACADEMIC_YEAR,
    LAST_ACADEMIC_YEAR,
    MAX_COUNT,
    MAX_PLACEMENT_WEEKS,
    MAX_STUDENTS_PER_EDUCATOR,
)

ERRORS = error_responses(400, 403)


def by_code(queryset, what: str, **options) -> CodeField:
    return CodeField(what, queryset=queryset, **options)


def academic_year(**options) -> serializers.IntegerField:
    return whole(
        minimum=FIRST_ACADEMIC_YEAR,
        maximum=LAST_ACADEMIC_YEAR,
        help_text="The calendar year it starts: 2027 for 2027/28.",
        **options,
    )


def count(**options) -> serializers.IntegerField:
    return whole(minimum=0, maximum=MAX_COUNT, **options)


def text(name: str, max_length: int) -> serializers.CharField:
    # The services' own refusal, for a value too long to reach them.
    return serializers.CharField(
        max_length=max_length,
        error_messages={"max_length": f"{name} must be at most {max_length} characters."},
    )


def placement_sector(**options) -> serializers.ChoiceField:
    return serializers.ChoiceField(
        choices=PLACEMENT_SECTORS,
        error_messages={
            "invalid_choice": f"'{{input}}' is not a placement sector: use "
            f"{', '.join(SECTOR_CODES)}."
        },
        **options,
    )


# Input: types and codes, and no field the record does not have; what makes a value good is
# the services' business, and the schema states the ranges they check.


class PlacementPartInput(StrictSerializer):
    sectors = serializers.ListField(
        child=placement_sector(),
        help_text="The placement sectors in any of which a student spends these weeks.",
    )
    weeks = number(places=1, minimum=0, maximum=MAX_PLACEMENT_WEEKS, help_text="More than 0.")


class ProgrammeInput(StrictSerializer):
    code = text("code", PROGRAMME_CODE_LONGEST)
    name = text("name", PROGRAMME_NAME_LONGEST)
    route = serializers.ChoiceField(choices=Programme.Route.choices)
    staff_group = by_code(StaffGroup.objects.all(), "staff group")
    course_years = whole(minimum=1, maximum=MAX_COURSE_YEARS)
    attrition = number(places=4, minimum=0, maximum=1)
    graduate_fte = number(
        places=3, minimum=0, maximum=Decimal("1.5"), help_text="More than 0, at most 1.5."
    )
    placement_weeks_per_year = number(places=1, minimum=0, maximum=52)
    placement_split = PlacementPartInput(
        many=True,
        required=False,
        help_text="The placement weeks a year split across placement sectors, adding up to "
        "placement_weeks_per_year; empty (the default): not split.",
    )


class IntakeInput(StrictSerializer):
    ics = by_code(ICS.objects.all(), "system")
    programme = by_code(Programme.objects.all(), "programme")
    academic_year = academic_year()
    planned_places = count()
    actual_starts = count(required=False, allow_null=True)


class PlacementInput(StrictSerializer):
    organisation = by_code(Organisation.objects.all(), "organisation")
    programme = by_code(Programme.objects.all(), "programme")
    sector = placement_sector(
        required=False,
        help_text="The placement sector of the places; by default the organisation kind's "
        "(a GP practice: primary_care, a social care provider: social_care, an independent "
        "provider: independent, an NHS trust: acute).",
    )
    academic_year = academic_year()
    places = count()


class EducatorInput(StrictSerializer):
    organisation = by_code(Organisation.objects.all(), "organisation")
    academic_year = academic_year()
    educator_fte = number(places=2, minimum=0, maximum=MAX_COUNT)
    students_per_educator = number(
        places=2,
        minimum=0,
        maximum=MAX_STUDENTS_PER_EDUCATOR,
        help_text=f"More than 0, at most {MAX_STUDENTS_PER_EDUCATOR}.",
    )


class ApprenticeshipInput(StrictSerializer):
    organisation = by_code(Organisation.objects.all(), "organisation")
    standard = text("standard", APPRENTICESHIP_STANDARD_LONGEST)
    programme = by_code(Programme.objects.all(), "programme", required=False, allow_null=True)
    academic_year = academic_year()
    starts = count()
    levy_funded = serializers.BooleanField(default=True)


# Output.


class PlacementPartSerializer(serializers.Serializer):
    sectors = serializers.ListField(child=serializers.CharField())
    weeks = serializers.FloatField()


class ProgrammeSerializer(serializers.ModelSerializer):
    staff_group = serializers.SlugRelatedField(slug_field="code", read_only=True)
    attrition = serializers.DecimalField(5, 4, coerce_to_string=False)
    graduate_fte = serializers.DecimalField(4, 3, coerce_to_string=False)
    placement_weeks_per_year = serializers.DecimalField(5, 1, coerce_to_string=False)
    placement_split = PlacementPartSerializer(many=True, read_only=True)

    class Meta:
        model = Programme
        fields = ["id", *PROGRAMME.fields]


class ProgrammeCSVSerializer(ProgrammeSerializer):
    """A CSV cell holds the split as the catalogue file writes it: acute:14;community:6."""

    placement_split = serializers.SerializerMethodField()

    def get_placement_split(self, programme: Programme) -> str:
        return split_text(programme.placement_split)


class IntakeSerializer(serializers.ModelSerializer):
    ics = serializers.SlugRelatedField(slug_field="code", read_only=True)
    programme = serializers.SlugRelatedField(slug_field="code", read_only=True)
    staff_group = serializers.CharField(source="programme.staff_group.code", read_only=True)

    class Meta:
        model = CommissionedIntake
        fields = [
            "id",
            "ics",
            "programme",
            "staff_group",
            "academic_year",
            "planned_places",
            "actual_starts",
        ]


class PlacementSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="code", read_only=True)
    programme = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = PlacementCapacity
        fields = ["id", "organisation", "programme", "sector", "academic_year", "places"]


class EducatorSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="code", read_only=True)
    educator_fte = serializers.DecimalField(8, 2, coerce_to_string=False)
    students_per_educator = serializers.DecimalField(5, 2, coerce_to_string=False)

    class Meta:
        model = EducatorCapacity
        fields = ["id", "organisation", "academic_year", "educator_fte", "students_per_educator"]


class ApprenticeshipSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="code", read_only=True)
    programme = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = ApprenticeshipStart
        fields = [
            "id",
            "organisation",
            "standard",
            "programme",
            "academic_year",
            "starts",
            "levy_funded",
        ]


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
