"""Plan targets and scenarios: what a system aims for, and what it assumes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.calendar import year_label
from core.models import ICS, StaffGroup
from workforce.projection.arrays import LIMIT_NAMES


def _fraction(name: str, *fields: str) -> models.CheckConstraint:
    condition = Q()
    for field in fields:
        condition &= Q(**{f"{field}__isnull": True}) | (
            Q(**{f"{field}__gte": 0}) & Q(**{f"{field}__lte": 1})
        )
    return models.CheckConstraint(condition=condition, name=name)


def _not_negative(name: str, *fields: str) -> models.CheckConstraint:
    condition = Q()
    for field in fields:
        condition &= Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 0})
    return models.CheckConstraint(condition=condition, name=name)


def _money(help_text: str) -> models.DecimalField:
    return models.DecimalField(
        max_digits=15, decimal_places=2, null=True, blank=True, help_text=help_text
    )


TARGET_MONEY_FIELDS = LIMIT_NAMES


class PlanTarget(models.Model):
    """An ICS's target for one staff group in one financial year (2028 means 2028/29)."""

    class Plan(models.TextChoices):
        JOINT_FORWARD_PLAN = "jfp", "Joint forward plan"
        STRATEGIC_COMMISSIONING_PLAN = "scp", "Strategic commissioning plan"

    ics = models.ForeignKey(ICS, on_delete=models.PROTECT, related_name="targets")
    staff_group = models.ForeignKey(StaffGroup, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(help_text="The financial year, by the year it starts.")
    plan = models.CharField(max_length=4, choices=Plan.choices, default=Plan.JOINT_FORWARD_PLAN)
    target_fte = models.DecimalField(max_digits=12, decimal_places=2)
    target_vacancy_rate = models.DecimalField(max_digits=6, decimal_places=5, null=True, blank=True)
    target_leaver_rate = models.DecimalField(max_digits=6, decimal_places=5, null=True, blank=True)
    target_sickness_absence_rate = models.DecimalField(
        max_digits=6, decimal_places=5, null=True, blank=True
    )
    target_bank_fte = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    target_agency_fte = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    # The financial plan: GBP in the financial year, at that year's (nominal) prices.
    pay_budget = _money("The substantive pay bill the financial plan allows, GBP in the year.")
    bank_spend_limit = _money("The most the financial plan allows for bank staff, GBP.")
    agency_spend_limit = _money("The most the financial plan allows for agency staff, GBP.")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["ics__code", "staff_group__sort_order", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["ics", "staff_group", "year"], name="one_target_per_ics_group_year"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100), name="target_year_plausible"
            ),
            models.CheckConstraint(
                condition=Q(target_fte__gte=0)
                & (Q(target_bank_fte__isnull=True) | Q(target_bank_fte__gte=0))
                & (Q(target_agency_fte__isnull=True) | Q(target_agency_fte__gte=0)),
                name="target_fte_not_negative",
            ),
            _not_negative("target_money_not_negative", *TARGET_MONEY_FIELDS),
            _fraction(
                "target_rates_are_fractions",
                "target_vacancy_rate",
                "target_leaver_rate",
                "target_sickness_absence_rate",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ics.code} {self.staff_group.code} {year_label(self.year)}"


class ScenarioQuerySet(models.QuerySet):
    def active(self) -> ScenarioQuerySet:
        """Those not archived: what lists and choices offer."""
        return self.filter(archived_at__isnull=True)


class Scenario(models.Model):
    """A named set of assumptions, owned by an ICS or national (ics empty).

    Its assumptions are rows of ScenarioAssumption: the row with no staff group holds the
    scenario's defaults, a row with a staff group overrides them for that group, and what no
    row sets comes from the national defaults in `workforce.projection.defaults`.

    A scenario is changed only until it has runs (then it is copied to change it); archived,
    it is hidden from lists and choices and kept for its runs. Each system (and the nation)
    designates at most one central scenario, never an archived one.
    """

    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    ics = models.ForeignKey(
        ICS, on_delete=models.PROTECT, null=True, blank=True, related_name="scenarios"
    )
    based_on = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies"
    )
    draws = models.PositiveIntegerField(default=1000)
    horizon = models.PositiveSmallIntegerField(default=10)
    seed = models.PositiveIntegerField(default=20260401)
    organisation_share = models.DecimalField(
        max_digits=4,
        decimal_places=3,
        default=0,
        help_text="Share of each uncertainty that is specific to one organisation (0-1).",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    archived_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When it was archived: hidden from lists and choices, kept for its runs.",
    )
    central = models.BooleanField(
        default=False,
        help_text="The central scenario of its system (or, national, of England): the one "
        "the dashboards open on.",
    )

    objects = ScenarioQuerySet.as_manager()

    class Meta:
        ordering = ["ics__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["ics", "name"], name="scenario_name_unique_per_ics"),
            models.UniqueConstraint(
                fields=["name"], condition=Q(ics__isnull=True), name="national_scenario_name_unique"
            ),
            models.CheckConstraint(
                condition=Q(draws__gte=1) & Q(draws__lte=10000), name="scenario_draws_in_range"
            ),
            models.CheckConstraint(
                condition=Q(horizon__gte=1) & Q(horizon__lte=20), name="scenario_horizon_in_range"
            ),
            _fraction("scenario_organisation_share_fraction", "organisation_share"),
            models.UniqueConstraint(
                fields=["ics"], condition=Q(central=True), name="one_central_scenario_per_ics"
            ),
            # NULLs are distinct in a unique index: the national one needs its own.
            models.UniqueConstraint(
                fields=["central"],
                condition=Q(central=True, ics__isnull=True),
                name="one_national_central_scenario",
            ),
            models.CheckConstraint(
                condition=Q(central=False) | Q(archived_at__isnull=True),
                name="central_scenario_not_archived",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def archived(self) -> bool:
        return self.archived_at is not None


ASSUMPTION_FIELDS = (
    "leaver_rate",
    "leaver_rate_change",
    "recruitment_rate",
    "international_rate",
    "international_change",
    "return_to_practice_rate",
    "demand_growth",
    "productivity",
    "retention_share",
    "intake_change",
    "intake_change_from",
    "vacancy_rate",
    "fallback_leaver_rate",
    "leaver_rate_sd",
    "demand_growth_sd",
    "productivity_sd",
    "attrition_sd",
    "international_sd",
)
# The assumptions of a scenario's money (docs/model.md, "Money"): rates are fractions, costs
# GBP. `workforce.projection.costs.MoneyAssumptions` holds their defaults.
MONEY_ASSUMPTION_FIELDS = (
    "pay_award",
    "on_cost_change",
    "temporary_share",
    "bank_share",
    "agency_premium",
    "training_place_cost",
    "international_recruit_cost",
    "retention_point_cost",
)
MONEY_COST_FIELDS = ("training_place_cost", "international_recruit_cost", "retention_point_cost")
# Everything a scenario's assumption row sets: what the API, the services and the pages take.
SCENARIO_ASSUMPTION_FIELDS = (*ASSUMPTION_FIELDS, *MONEY_ASSUMPTION_FIELDS)


def _rate(help_text: str) -> models.DecimalField:
    return models.DecimalField(
        max_digits=7, decimal_places=5, null=True, blank=True, help_text=help_text
    )


class ScenarioAssumption(models.Model):
    """One scenario's assumptions for one staff group (or for all, with no staff group).

    Every field may be empty: an empty field falls back to the scenario-wide row, then to the
    national default. Rates are fractions a year (0.1 = 10%).
    """

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="assumptions")
    staff_group = models.ForeignKey(
        StaffGroup, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    leaver_rate = _rate("Leaver rate a year; empty: measured from the returns.")
    leaver_rate_change = _rate("Added to the leaver rate, in points (-0.01 = one point lower).")
    recruitment_rate = _rate("Other recruitment as a share of FTE a year; empty: from joiners.")
    international_rate = _rate("International recruitment as a share of FTE a year.")
    international_change = _rate("Relative change to international recruitment (-0.3 = -30%).")
    return_to_practice_rate = _rate("Return to practice as a share of FTE a year.")
    demand_growth = _rate("Demand growth a year (demography, acuity).")
    productivity = _rate("Productivity gain a year.")
    retention_share = _rate("Share of newly qualified staff retained in the system.")
    intake_change = _rate("Relative change to planned training intake (0.1 = +10%).")
    intake_change_from = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The academic year the intake change starts."
    )
    vacancy_rate = _rate(
        "Vacancies as a share of establishment, for organisations whose returns give none."
    )
    fallback_leaver_rate = _rate("Leaver rate a year where no return gives leavers.")
    leaver_rate_sd = _rate("Uncertainty (one standard deviation) of the leaver rate, in points.")
    demand_growth_sd = _rate("Uncertainty of demand growth, in points.")
    productivity_sd = _rate("Uncertainty of productivity, in points.")
    attrition_sd = _rate("Uncertainty of training attrition, in points.")
    international_sd = _rate("Relative uncertainty of international recruitment.")
    pay_award = _rate("Pay award each year from the baseline (0.03 = 3%); pay awards by year win.")
    on_cost_change = _rate(
        "Change to employer costs as a share of the pay bill from the first projected year "
        "(0.01 = 1% more)."
    )
    temporary_share = _rate(
        "Share of the gap (demand above supply) filled by bank and agency staff; empty: "
        "measured from the returns."
    )
    bank_share = _rate("Share of that temporary staffing that is bank; empty: from the returns.")
    agency_premium = _rate(
        "Agency cost per FTE over substantive cost (0.55 = 55% more); empty: from the returns."
    )
    training_place_cost = _money("Cost of one training place for a year, GBP.")
    international_recruit_cost = _money("Cost of recruiting one person from abroad, GBP, once.")
    retention_point_cost = _money(
        "Cost a year, per FTE in post, of lowering the leaver rate by one point, GBP."
    )

    class Meta:
        ordering = ["scenario", "staff_group__sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["scenario", "staff_group"], name="one_assumption_row_per_group"
            ),
            models.UniqueConstraint(
                fields=["scenario"],
                condition=Q(staff_group__isnull=True),
                name="one_default_assumption_row",
            ),
            _fraction(
                "assumption_rates_are_fractions",
                "leaver_rate",
                "recruitment_rate",
                "international_rate",
                "return_to_practice_rate",
                "retention_share",
                "vacancy_rate",
                "fallback_leaver_rate",
                "temporary_share",
                "bank_share",
            ),
            _not_negative("assumption_costs_not_negative", "agency_premium", *MONEY_COST_FIELDS),
        ]


class PayAward(models.Model):
    """A scenario's pay award in one financial year, for one staff group or (with none) for
    all: it wins over the assumption rows' `pay_award` for that year."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="pay_awards")
    staff_group = models.ForeignKey(
        StaffGroup, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    year = models.PositiveSmallIntegerField(help_text="The financial year, by the year it starts.")
    rate = models.DecimalField(max_digits=7, decimal_places=5, help_text="0.036 = 3.6%.")

    class Meta:
        ordering = ["scenario", "year", "staff_group__sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["scenario", "staff_group", "year"], name="one_pay_award_per_group_year"
            ),
            models.UniqueConstraint(
                fields=["scenario", "year"],
                condition=Q(staff_group__isnull=True),
                name="one_pay_award_for_all_per_year",
            ),
        ]


class DemandStepChange(models.Model):
    """A step change in demand in one year: a new service (+) or a closure (-), in FTE.

    For the scenario's system, shared among its organisations by baseline FTE.
    """

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="step_changes")
    staff_group = models.ForeignKey(StaffGroup, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(help_text="The financial year, by the year it starts.")
    fte = models.DecimalField(max_digits=10, decimal_places=2)
    description = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["scenario", "year"]
