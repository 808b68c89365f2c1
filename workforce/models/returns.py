"""Monthly staffing returns: versioned, with the uploaded file kept as it came."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q

from core.models import Organisation, StaffGroup


def for_review_q(path: str = "") -> Q:
    """Q keeping the returns "for review": they carry warnings that neither their organisation
    has confirmed nor the system's ICB lead accepted. `path` leads to the return, e.g.
    "staffing_return__"."""
    return ~Q(**{f"{path}warnings": []}) & Q(**{f"{path}review": ""})


class StaffingReturnQuerySet(models.QuerySet):
    def current(self) -> StaffingReturnQuerySet:
        return self.filter(status=StaffingReturn.Status.SUBMITTED)

    def for_review(self) -> StaffingReturnQuerySet:
        return self.filter(for_review_q())

    def for_runs(self) -> StaffingReturnQuerySet:
        """The version of each organisation and month that projections use: the latest one
        not for review. A current version for review leaves the one before it in use (or, with
        none, the month out) until it is confirmed or accepted."""
        later = (
            StaffingReturn.objects.filter(
                organisation_id=OuterRef("organisation_id"),
                period=OuterRef("period"),
                version__gt=OuterRef("version"),
            )
            .exclude(for_review_q())
            .values("pk")
        )
        return self.exclude(for_review_q()).exclude(Exists(later))


class StaffingReturn(models.Model):
    """One organisation's figures for one month, one version of them.

    A resubmission becomes the next version and supersedes the previous one, which is kept.
    The uploaded file is stored in the database, byte for byte, so that it is committed or
    rolled back with its rows and backed up with them; for a return made from an ASC-WDS
    worker file, which holds personal data, the file kept is the derived return instead.
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        SUPERSEDED = "superseded", "Superseded"

    class Review(models.TextChoices):
        # With warnings and not reviewed, a return is "for review" (`for_review_q`).
        NONE = "", "Not reviewed"
        CONFIRMED = "confirmed", "Confirmed by its organisation"
        ACCEPTED = "accepted", "Accepted by the ICB lead"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="returns")
    period = models.DateField(help_text="The first day of the month the return describes.")
    version = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField()
    original_filename = models.CharField(max_length=255)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    warnings = models.JSONField(default=list, blank=True)
    # Made from an ASC-WDS worker file: its substantive workers by keyed hash (never their
    # ids) with group and FTE, so that the next month's file gives the leavers. None otherwise.
    workers = models.JSONField(null=True, blank=True, default=None)
    # A return with warnings is for review until its organisation confirms its figures or the
    # system's ICB lead accepts them: until then projections use the version before it.
    review = models.CharField(max_length=10, choices=Review.choices, default="", blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    objects = StaffingReturnQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__code", "-period", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "period", "version"], name="one_return_per_version"
            ),
            models.UniqueConstraint(
                fields=["organisation", "period"],
                condition=Q(status="submitted"),
                name="one_current_return_per_org_month",
            ),
        ]
        indexes = [models.Index(fields=["period", "status"])]

    def __str__(self) -> str:
        return f"{self.organisation.code} {self.period:%Y-%m} v{self.version}"

    @property
    def for_review(self) -> bool:
        return bool(self.warnings) and not self.review


class StaffingReturnRow(models.Model):
    """One staff group's figures in a return.

    Vacancies, joiners and leavers may be None: "not given", never zero. A provider may not
    know its vacancies, and a first ASC-WDS worker file has no previous month to count leavers
    against.
    """

    staffing_return = models.ForeignKey(
        StaffingReturn, on_delete=models.PROTECT, related_name="rows"
    )
    staff_group = models.ForeignKey(StaffGroup, on_delete=models.PROTECT, related_name="+")
    fte = models.DecimalField(max_digits=10, decimal_places=2)
    headcount = models.PositiveIntegerField()
    vacancies_fte = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    bank_fte = models.DecimalField(max_digits=10, decimal_places=2)
    agency_fte = models.DecimalField(max_digits=10, decimal_places=2)
    joiners_fte = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    leavers_fte = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    sickness_absence_rate = models.DecimalField(max_digits=6, decimal_places=5)
    # GBP in the month, None: not given. pay_cost is the substantive pay bill, on-costs in.
    pay_cost = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    bank_cost = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    agency_cost = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["staffing_return", "staff_group__sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["staffing_return", "staff_group"], name="one_row_per_group_per_return"
            ),
            # A NULL vacancies, joiners or leavers passes this check (SQL: unknown is not false).
            models.CheckConstraint(
                name="return_figures_not_negative",
                condition=Q(fte__gte=0)
                & Q(vacancies_fte__gte=0)
                & Q(bank_fte__gte=0)
                & Q(agency_fte__gte=0)
                & Q(joiners_fte__gte=0)
                & Q(leavers_fte__gte=0),
            ),
            models.CheckConstraint(
                name="sickness_rate_is_a_fraction",
                condition=Q(sickness_absence_rate__gte=0) & Q(sickness_absence_rate__lte=1),
            ),
        ]


class ReturnComment(models.Model):
    """A comment kept with a return: the ICB's query, the organisation's answer, and the words
    with which a return was confirmed or accepted."""

    class Kind(models.TextChoices):
        COMMENT = "comment", "Comment"
        CONFIRMATION = "confirmation", "Confirmed"
        ACCEPTANCE = "acceptance", "Accepted"

    staffing_return = models.ForeignKey(
        StaffingReturn, on_delete=models.PROTECT, related_name="comments"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=2000)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.COMMENT)
    created = models.DateTimeField()

    class Meta:
        ordering = ["staffing_return", "created", "id"]

    def __str__(self) -> str:
        return f"Comment on {self.staffing_return}"
