"""Reference data: regions, integrated care systems, organisations and staff groups."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q


class Region(models.Model):
    """One of the seven NHS England regions (ODS codes Y56, Y58-Y63)."""

    code = models.CharField(max_length=3, unique=True)
    ons_code = models.CharField(max_length=9, blank=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def valid_on_q(on: datetime.date, prefix: str = "") -> Q:
    """Rows whose [valid_from, valid_to) holds `on`; valid_to is exclusive, null while open."""
    return Q(**{f"{prefix}valid_from__lte": on}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gt": on})
    )


class ICSQuerySet(models.QuerySet):
    def valid_on(self, on: datetime.date) -> ICSQuerySet:
        return self.filter(valid_on_q(on))


class ICS(models.Model):
    """An integrated care system and its integrated care board (ODS code such as QWE)."""

    code = models.CharField(max_length=5, unique=True)
    gss_code = models.CharField(max_length=9, blank=True)
    name = models.CharField(max_length=200)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="systems")
    valid_from = models.DateField()
    valid_to = models.DateField(
        null=True, blank=True, help_text="The first day it is no longer valid; empty while open."
    )

    objects = ICSQuerySet.as_manager()

    class Meta:
        verbose_name = "integrated care system"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="ics_valid_to_after_valid_from",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def is_valid_on(self, on: datetime.date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on < self.valid_to)


class ICSSuccession(models.Model):
    """One ICB taking over all or part of another on a date (merger, split, acquisition)."""

    class Kind(models.TextChoices):
        MERGER = "merger", "Merger"
        SPLIT = "split", "Split"
        ACQUISITION = "acquisition", "Acquisition"

    predecessor = models.ForeignKey(ICS, on_delete=models.PROTECT, related_name="succeeded_by")
    successor = models.ForeignKey(ICS, on_delete=models.PROTECT, related_name="succeeds")
    date = models.DateField()
    kind = models.CharField(max_length=12, choices=Kind.choices)

    class Meta:
        ordering = ["date", "predecessor__code", "successor__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"], name="one_succession_per_pair"
            )
        ]

    def __str__(self) -> str:
        return f"{self.predecessor.code} -> {self.successor.code} ({self.kind}, {self.date})"


class StaffGroup(models.Model):
    """A staff group of the NHS Workforce Statistics taxonomy, or of primary or social care.

    Hierarchical: figures of the sub-groups roll up into their parent. `reportable` groups
    are the rows of a staffing return and the series of a projection.
    """

    class Sector(models.TextChoices):
        ALL = "all", "All sectors"
        HCHS = "hchs", "Hospital and community health services"
        PRIMARY_CARE = "primary_care", "Primary care"
        SOCIAL_CARE = "social_care", "Social care"

    code = models.CharField(max_length=12, unique=True)
    name = models.CharField(max_length=100)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    sector = models.CharField(max_length=12, choices=Sector.choices)
    sort_order = models.PositiveIntegerField()
    reportable = models.BooleanField(default=False)

    class Meta:
        ordering = ["sort_order"]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    """A provider or partner inside an ICS. Never deleted: a closed one is made inactive."""

    class Kind(models.TextChoices):
        NHS_TRUST = "nhs_trust", "NHS trust or foundation trust"
        PRIMARY_CARE_NETWORK = "pcn", "Primary care network"
        GP_PRACTICE = "gp_practice", "GP practice"
        SOCIAL_CARE = "social_care", "Social care provider"
        INDEPENDENT = "independent", "Independent or voluntary sector provider"
        HIGHER_EDUCATION = "hei", "Higher education institution"

    code = models.CharField(max_length=8, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    active = models.BooleanField(default=True)
    opened = models.DateField(null=True, blank=True)
    closed = models.DateField(null=True, blank=True)
    sector = models.BooleanField(
        default=False,
        help_text="Stands for the providers of its kind in its ICS that send no figures one "
        "by one (one per kind and ICS, coded like QKK-SC).",
    )
    illustrative = models.BooleanField(
        default=False,
        help_text="Its figures are illustrative, made by the demo from a stated rule, not "
        "published or reported by a provider; every page and export that shows them says so.",
    )
    cqc_location_id = models.CharField(
        max_length=16,
        blank=True,
        help_text="The Care Quality Commission's location ID (1-...), for providers imported "
        "from CQC's care directory; empty for the others.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cqc_location_id"],
                condition=~Q(cqc_location_id=""),
                name="one_organisation_per_cqc_location",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def ics_on(self, on: datetime.date) -> ICS | None:
        membership = (
            self.memberships.filter(valid_on_q(on)).select_related("ics").order_by("-valid_from")
        ).first()
        return membership.ics if membership else None

    def pcn_on(self, on: datetime.date) -> Organisation | None:
        """A practice's primary care network on `on`, None when it has none that day."""
        membership = (
            self.network_memberships.filter(valid_on_q(on))
            .select_related("pcn")
            .order_by("-valid_from")
        ).first()
        return membership.pcn if membership else None


class OrganisationMembership(models.Model):
    """An organisation's place in an ICS for a dated interval [valid_from, valid_to)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships"
    )
    ics = models.ForeignKey(ICS, on_delete=models.PROTECT, related_name="memberships")
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["organisation__code", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="membership_valid_to_after_valid_from",
            ),
            models.UniqueConstraint(
                fields=["organisation", "valid_from"], name="one_membership_start_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation.code} in {self.ics.code} from {self.valid_from}"

    def is_valid_on(self, on: datetime.date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on < self.valid_to)


class OrganisationShare(models.Model):
    """The part of an organisation's workforce counted in one ICS for a dated interval
    [valid_from, valid_to).

    An organisation serving several systems (an ambulance trust, some specialist and
    community trusts) counts wholly in its host system, its membership, unless shares are in
    force: then each system's totals count its share. The shares in force on a day sum to one
    and include the host's; the host still receives and chases the returns.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="shares")
    ics = models.ForeignKey(ICS, on_delete=models.PROTECT, related_name="shares")
    share = models.DecimalField(max_digits=5, decimal_places=4, help_text="From 0 to 1.")
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["organisation__code", "valid_from", "ics__code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="share_valid_to_after_valid_from",
            ),
            models.CheckConstraint(
                condition=Q(share__gt=0) & Q(share__lte=1), name="share_from_zero_to_one"
            ),
            models.UniqueConstraint(
                fields=["organisation", "ics", "valid_from"], name="one_share_per_system_and_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.share} of {self.organisation.code} in {self.ics.code} from {self.valid_from}"


class NetworkMembership(models.Model):
    """A GP practice's place in a primary care network for a dated interval [valid_from,
    valid_to): a practice belongs to one PCN at a time, and may move."""

    practice = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="network_memberships"
    )
    pcn = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="practices")
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["practice__code", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="network_membership_valid_to_after_valid_from",
            ),
            models.UniqueConstraint(
                fields=["practice", "valid_from"], name="one_network_membership_start_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.practice.code} in {self.pcn.code} from {self.valid_from}"


class PublishedFigure(models.Model):
    """A published figure of one organisation, staff group and period: NHS Workforce
    Statistics for trusts, NHS Digital's General Practice and PCN workforce series for
    practices and networks.

    `month` is the first day of the period: the month itself, or 1 April for a financial
    year (the GP practice series gives a mean of the months published in the year). A
    figure may give FTE, headcount or both; never neither.
    """

    class Period(models.TextChoices):
        MONTH = "month", "Month"
        FINANCIAL_YEAR = "financial_year", "Financial year (mean of its months)"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="published_figures"
    )
    staff_group = models.ForeignKey(StaffGroup, on_delete=models.PROTECT, related_name="+")
    period = models.CharField(max_length=14, choices=Period.choices, default=Period.MONTH)
    month = models.DateField(
        help_text="The first day of the period: the month, or 1 April for a financial year."
    )
    fte = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True, help_text="Empty: not published."
    )
    headcount = models.PositiveIntegerField(
        null=True, blank=True, help_text="Empty: not published."
    )
    source = models.CharField(max_length=100)

    class Meta:
        ordering = ["organisation__code", "staff_group__sort_order", "period", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "staff_group", "period", "month"],
                name="one_figure_per_org_group_period",
            ),
            models.CheckConstraint(condition=Q(fte__gte=0), name="published_fte_not_negative"),
            models.CheckConstraint(
                condition=Q(fte__isnull=False) | Q(headcount__isnull=False),
                name="published_fte_or_headcount",
            ),
            models.CheckConstraint(
                condition=Q(month__day=1) & (~Q(period="financial_year") | Q(month__month=4)),
                name="published_period_starts_a_month_or_april",
            ),
        ]


class RegisteredPatients(models.Model):
    """The patients registered at a GP practice in one financial year: the mean of the
    monthly counts NHS Digital published in that year."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="registered_patients"
    )
    financial_year = models.PositiveSmallIntegerField(
        help_text="The year the financial year starts: 2023 for 2023/24."
    )
    patients = models.PositiveIntegerField()
    source = models.CharField(max_length=100)

    class Meta:
        verbose_name_plural = "registered patients"
        ordering = ["organisation__code", "financial_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "financial_year"], name="one_patient_count_per_org_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation.code} {self.financial_year}: {self.patients}"
