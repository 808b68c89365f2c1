"""How the education records read and are written over the API: the input each write takes and
the output each record gives, by resource.

The records' objects are given by code (`"ics": "QKK"`, `"programme": "NUR-ADULT-BSC"`); what
makes a value good is the services' business, and the fields state the ranges they check.
"""

from __future__ import annotations

from decimal import Decimal

from rest_framework import serializers

from core.api.fields import CodeField, StrictSerializer, number, whole
from core.models import ICS, Organisation, StaffGroup
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
