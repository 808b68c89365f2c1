"""Education and training: programmes, commissioned intakes and the capacity to train."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from core.models import ICS, Organisation, StaffGroup
from education.placement_sectors import PLACEMENT_SECTORS, SECTOR_CODES


class Programme(models.Model):
    """A training programme feeding one staff group (a nursing degree, a medical degree...)."""

    class Route(models.TextChoices):
        DEGREE = "degree", "Degree"
        APPRENTICESHIP = "apprenticeship", "Apprenticeship"
        POSTGRADUATE = "postgraduate", "Postgraduate"
        RETURN_TO_PRACTICE = "return_to_practice", "Return to practice"
        INTERNATIONAL = "international", "International"

    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=150)
    route = models.CharField(max_length=20, choices=Route.choices)
    staff_group = models.ForeignKey(StaffGroup, on_delete=models.PROTECT, related_name="+")
    course_years = models.PositiveSmallIntegerField()
    attrition = models.DecimalField(
        max_digits=5, decimal_places=4, help_text="Share of starters who do not complete."
    )
    graduate_fte = models.DecimalField(
        max_digits=4, decimal_places=3, default=1, help_text="FTE a newly qualified person works."
    )
    placement_weeks_per_year = models.DecimalField(max_digits=5, decimal_places=1, default=0)
    # The placement weeks a year split across placement sectors: a list of parts
    # {"sectors": ["primary_care", "social_care"], "weeks": 3.0}, each part's weeks spent in
    # any of its sectors, the weeks adding up to placement_weeks_per_year (the services'
    # rules check it: education.services.rules.placement_split_problems). Empty: the weeks
    # are not split, and places in every sector count towards them.
    placement_split = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["staff_group__sort_order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(course_years__gte=1) & Q(course_years__lte=10),
                name="programme_course_years_1_10",
            ),
            models.CheckConstraint(
                condition=Q(attrition__gte=0) & Q(attrition__lte=1),
                name="programme_attrition_fraction",
            ),
            models.CheckConstraint(
                condition=Q(graduate_fte__gt=0) & Q(graduate_fte__lte=1.5),
                name="programme_graduate_fte_range",
            ),
            models.CheckConstraint(
                condition=Q(placement_weeks_per_year__gte=0) & Q(placement_weeks_per_year__lte=52),
                name="programme_placement_weeks_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CommissionedIntake(models.Model):
    """Training places an ICS plans for one programme in one academic year, and the starts."""

    ics = models.ForeignKey(ICS, on_delete=models.PROTECT, related_name="intakes")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="intakes")
    academic_year = models.PositiveSmallIntegerField(
        help_text="The year it starts: 2027 = 2027/28."
    )
    planned_places = models.PositiveIntegerField()
    actual_starts = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["ics__code", "programme__code", "academic_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["ics", "programme", "academic_year"], name="one_intake_per_year"
            )
        ]


class PlacementCapacity(models.Model):
    """Placement places an organisation of any kind offers a programme in an academic year,
    in one placement sector: students starting that year whose weeks in the sector it can
    host. Blank sector: not attributed (written outside the services, which always name
    one); such places count only for a programme whose weeks are not split."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="placements"
    )
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="placements")
    sector = models.CharField(max_length=20, choices=PLACEMENT_SECTORS, blank=True)
    academic_year = models.PositiveSmallIntegerField()
    places = models.PositiveIntegerField()

    class Meta:
        ordering = ["organisation__code", "programme__code", "sector", "academic_year"]
        verbose_name_plural = "placement capacities"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "programme", "sector", "academic_year"],
                name="one_placement_capacity_per_sector_and_year",
            ),
            models.CheckConstraint(
                condition=Q(sector__in=("", *SECTOR_CODES)),
                name="placement_capacity_known_sector",
            ),
        ]


class EducatorCapacity(models.Model):
    """Practice educators an organisation has in an academic year, and students each supports."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="educators"
    )
    academic_year = models.PositiveSmallIntegerField()
    educator_fte = models.DecimalField(max_digits=8, decimal_places=2)
    students_per_educator = models.DecimalField(max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["organisation__code", "academic_year"]
        verbose_name_plural = "educator capacities"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "academic_year"], name="one_educator_capacity_per_year"
            ),
            models.CheckConstraint(
                condition=Q(educator_fte__gte=0) & Q(students_per_educator__gt=0),
                name="educator_capacity_positive",
            ),
        ]


class ApprenticeshipStart(models.Model):
    """Apprentices an organisation started on one apprenticeship standard in a year."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="apprenticeships"
    )
    standard = models.CharField(max_length=150, help_text="The apprenticeship standard.")
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    academic_year = models.PositiveSmallIntegerField()
    starts = models.PositiveIntegerField()
    levy_funded = models.BooleanField(default=True)

    class Meta:
        ordering = ["organisation__code", "academic_year", "standard"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "standard", "academic_year", "levy_funded"],
                name="one_apprenticeship_count_per_year",
            )
        ]
