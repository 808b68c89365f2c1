"""The forms of the target and scenario pages: they parse input; the services check it.

The pages take numbers as a workforce lead types them: rates, shares and relative changes
in percent ("9.4" for 9.4%), changes to a rate in percentage points ("-1" for one point
lower), costs in pounds ("£27,150"), with thousands separators ("1,480"). The fields
(`typed_fields`) convert them to what the services and the API take
(`workforce.plans.units`), and a range problem is said in the same units, so that "-1" in a
points box is one point, never -100.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import forms

from core import calendar
from core.errors import ApplicationError
from core.models import ICS, StaffGroup
from workforce.models import PlanTarget, Scenario
from workforce.plans import rules, units
from workforce.selectors.planning import (
    assumption_rows,
    pay_award_rows,
    projected_staff_groups,
)

from .typed_fields import (
    AssumptionField,
    PercentField,
    PoundsField,
    TypedNumberField,
    in_the_pages_words,
)

# The numbers a lead changes on a scenario, for every staff group and per staff group:
# (label, hint); the range is added to the hint from the rules.
LEVERS: dict[str, tuple[str, str]] = {
    "leaver_rate_change": (
        "Change to the leaver rate, in percentage points",
        "-1 is one point lower: a leaver rate of 10% a year becomes 9%.",
    ),
    "international_change": (
        "Change to international recruitment, in percent",
        "-30 is 30% fewer international recruits.",
    ),
    "intake_change": ("Change to training intake, in percent", "10 is 10% more places."),
    "intake_change_from": (
        "Intake change starts in",
        "The academic year, as 2026 or 2026/27. Empty: every year.",
    ),
    "demand_growth": ("Demand growth a year, in percent", "2.5 is 2.5% a year."),
    "productivity": ("Productivity gain a year, in percent", "1.5 is 1.5% a year."),
}
# The money assumptions (docs/model.md, "Money assumptions of a scenario"); empty boxes fall
# back to the defaults: a pay award of 2% a year, the rest measured from the returns.
MONEY_LEVERS: dict[str, tuple[str, str]] = {
    "pay_award": (
        "Pay award a year, in percent",
        "3.6 is 3.6% a year; pay awards by year, below, win in their year.",
    ),
    "on_cost_change": (
        "Change to employer on-costs, in percent",
        "1 is employer costs 1% more from the first projected year.",
    ),
    "temporary_share": (
        "Share of the gap filled by bank and agency staff, in percent",
        "Empty: measured from the returns.",
    ),
    "bank_share": (
        "Share of bank and agency staffing that is bank, in percent",
        "Empty: measured from the returns.",
    ),
    "agency_premium": (
        "Agency cost over substantive cost, in percent",
        "55 is 55% more a FTE than substantive staff. Empty: from the returns.",
    ),
    "training_place_cost": ("Cost of a training place a year, in pounds", "As 27150 or £27,150."),
    "international_recruit_cost": (
        "Cost of recruiting one person from abroad, in pounds",
        "Once, as 9500 or £9,500.",
    ),
    "retention_point_cost": (
        "Cost a year per FTE of one point off the leaver rate, in pounds",
        "As 120 or £120.",
    ),
}
ALL_LEVERS = {**LEVERS, **MONEY_LEVERS}
EXTRA_OVERRIDES = 3
EXTRA_PAY_AWARDS = 3


def _lever_field(name: str) -> forms.Field:
    label, hint = ALL_LEVERS[name]
    if name == "intake_change_from":
        return forms.CharField(label=label, help_text=hint, required=False)
    low, high = rules.ASSUMPTION_LIMITS[name]
    in_words = units.range_in_words(name, low, high)
    return AssumptionField(name, label=label, help_text=f"{hint} From {in_words}.")


class TargetForm(forms.Form):
    staff_group = forms.ModelChoiceField(
        queryset=StaffGroup.objects.none(),
        to_field_name="code",
        help_text="The groups the model projects: a target for another would never be "
        "compared with a projection.",
    )
    year = forms.CharField(
        label="Financial year", help_text="The year it starts, as 2028 or 2028/29."
    )
    plan = forms.ChoiceField(
        choices=PlanTarget.Plan.choices,
        initial=PlanTarget.Plan.STRATEGIC_COMMISSIONING_PLAN,
        help_text="From 2026/27 the strategic commissioning plan absorbs the joint forward plan.",
    )
    target_fte = TypedNumberField(label="Target FTE", required=True, help_text="As 1480 or 1,480.")
    target_vacancy_rate = PercentField(
        label="Target vacancy rate", help_text="In percent: 6 for 6%."
    )
    target_leaver_rate = PercentField(
        label="Target leaver rate", help_text="In percent a year: 9 for 9%."
    )
    target_sickness_absence_rate = PercentField(
        label="Target sickness absence rate", help_text="In percent: 4.5 for 4.5%."
    )
    target_bank_fte = TypedNumberField(label="Target bank FTE")
    target_agency_fte = TypedNumberField(label="Target agency FTE")
    pay_budget = PoundsField(
        label="Pay budget",
        help_text="The substantive pay bill the financial plan allows in the year, in pounds "
        "at that year's prices: as 1250000, £1,250,000 or £1.25m.",
    )
    bank_spend_limit = PoundsField(
        label="Bank spend limit", help_text="The most the plan allows for bank staff, in pounds."
    )
    agency_spend_limit = PoundsField(
        label="Agency spend limit",
        help_text="The most the plan allows for agency staff, in pounds.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        projected = [g.pk for g in projected_staff_groups()]
        self.fields["staff_group"].queryset = StaffGroup.objects.filter(pk__in=projected).order_by(
            "sort_order"
        )

    @classmethod
    def for_target(cls, target: PlanTarget, data: Any = None) -> TargetForm:
        initial = {name: getattr(target, name) for name in ("plan", *cls.figures())}
        initial |= {
            "staff_group": target.staff_group.code,
            "year": calendar.year_label(target.year),
        }
        for name in ("target_fte", "target_bank_fte", "target_agency_fte"):
            if isinstance(initial[name], Decimal):
                initial[name] = units.plain(initial[name])
        return cls(data, initial=initial)

    @staticmethod
    def figures() -> tuple[str, ...]:
        return ("target_fte", *rules.TARGET_OPTIONAL_FIELDS)


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Targets file",
        help_text="CSV (UTF-8) or Excel workbook (.xlsx), the targets on the first sheet.",
    )


class ScenarioForm(forms.Form):
    """A scenario's settings and the numbers a lead changes, for every group and for some.

    Fields: name, description, draws, horizon; the levers of the row for every group,
    prefixed "all-"; override blocks "g0-" ... each with a staff group and the same levers;
    and pay awards by year "pay0-" ... each with a staff group (empty: every group), a year
    and a rate. Blocks start with the scenario's own rows. The levers are typed in percent,
    points or pounds (`AssumptionField`) and cleaned to what is stored.
    """

    # Name, draws and horizon are checked by the service, with every other problem at once.
    name = forms.CharField(label="Name", required=False)
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    draws = forms.IntegerField(
        required=False,
        label="Draws",
        help_text="How many times the uncertain assumptions are sampled; 1 to "
        "10,000 (1: one deterministic projection).",
    )
    horizon = forms.IntegerField(label="Years ahead", help_text="1 to 20.", required=False)

    def __init__(self, data: Any = None, *, source: Scenario, name: str) -> None:
        rows = {
            (row.staff_group.code if row.staff_group_id else None): row
            for row in assumption_rows(source)
        }
        overrides = [code for code in rows if code is not None]
        self.blocks = [f"g{i}" for i in range(len(overrides) + EXTRA_OVERRIDES)]
        awards = list(pay_award_rows(source))
        self.award_blocks = [f"pay{i}" for i in range(len(awards) + EXTRA_PAY_AWARDS)]
        initial: dict[str, Any] = {
            "name": name,
            "description": source.description,
            "draws": source.draws,
            "horizon": source.horizon,
        }
        for prefix, code in [("all", None), *zip(self.blocks, overrides, strict=False)]:
            row = rows.get(code)
            if code:
                initial[f"{prefix}-staff_group"] = code
            for lever in ALL_LEVERS:
                value = getattr(row, lever) if row else None
                if lever == "intake_change_from" and value is not None:
                    value = calendar.year_label(value)
                initial[f"{prefix}-{lever}"] = value
        for prefix, award in zip(self.award_blocks, awards, strict=False):
            initial[f"{prefix}-staff_group"] = award.staff_group.code if award.staff_group else ""
            initial[f"{prefix}-year"] = calendar.year_label(award.year)
            initial[f"{prefix}-rate"] = award.rate
        super().__init__(data, initial=initial)
        groups = [
            (g.code, g.name)
            for g in StaffGroup.objects.filter(reportable=True).order_by("sort_order")
        ]
        for prefix in ["all", *self.blocks]:
            if prefix != "all":
                self.fields[f"{prefix}-staff_group"] = forms.ChoiceField(
                    label="Staff group",
                    choices=[("", "Choose a staff group"), *groups],
                    required=False,
                )
            for lever in ALL_LEVERS:
                self.fields[f"{prefix}-{lever}"] = _lever_field(lever)
        for prefix in self.award_blocks:
            self.fields.update(_pay_award_fields(prefix, groups))

    def apply_errors(self, error: ApplicationError, names: dict[str, str]) -> None:
        """The service's errors beside the fields they name; a range problem of a number
        typed in percent, points or pounds is said in those units ("Give a number from -20
        to +20 points; -25 points is not."), not in the fractions the service checks."""
        for item in error.errors:
            name = names.get(item.get("field", ""), item.get("field"))
            field = self.fields.get(name) if name else None
            message = in_the_pages_words(self, name, item) if field is not None else item["message"]
            if isinstance(field, AssumptionField) and self.cleaned_data.get(name) is not None:
                message = field.typed_problem(self.cleaned_data[name]) or message
            self.add_error(name if field is not None else None, message)

    def _block(self, prefix: str, levers: Iterable[str]) -> list[forms.BoundField]:
        names = ([] if prefix == "all" else ["staff_group"]) + list(levers)
        return [self[f"{prefix}-{name}"] for name in names]

    @property
    def all_fields(self) -> list[forms.BoundField]:
        """The levers of the row for every staff group, but its money."""
        return self._block("all", LEVERS)

    @property
    def money_fields(self) -> list[forms.BoundField]:
        """The money assumptions of the row for every staff group."""
        return self._block("all", MONEY_LEVERS)

    @property
    def override_blocks(self) -> list[list[forms.BoundField]]:
        """Each override block: its staff group, then its levers and money assumptions."""
        return [self._block(prefix, ALL_LEVERS) for prefix in self.blocks]

    @property
    def pay_award_blocks(self) -> list[list[forms.BoundField]]:
        """Each pay award: its staff group, year and rate."""
        return [[self[f"{prefix}-{n}"] for n in PAY_AWARD_FIELDS] for prefix in self.award_blocks]

    def changes(
        self,
        *,
        rows_at: str = "changes.assumptions",
        pay_awards_at: str = "changes.pay_awards",
    ) -> tuple[dict[str, Any], dict[str, str]]:
        """The settings, assumption rows and pay awards (as stored) for the service, and the
        service's field names of the rows mapped to this form's: `rows_at` and
        `pay_awards_at` are where the service names them (a copy's `changes.assumptions`,
        an update's `assumption_changes` and `pay_awards`); the settings have the same names
        in both. Call after is_valid()."""
        data = self.cleaned_data
        names: dict[str, str] = {}
        assumptions = []
        for prefix in ["all", *self.blocks]:
            code = None if prefix == "all" else data.get(f"{prefix}-staff_group") or None
            values = {lever: data.get(f"{prefix}-{lever}") for lever in ALL_LEVERS}
            values = {k: (None if v in ("", None) else v) for k, v in values.items()}
            if prefix != "all" and code is None:
                if any(v is not None for v in values.values()):
                    self.add_error(
                        f"{prefix}-staff_group", "Choose the staff group these numbers are for."
                    )
                continue
            at = f"{rows_at}[{len(assumptions)}]"
            names[f"{at}.staff_group"] = f"{prefix}-staff_group"
            names |= {f"{at}.{lever}": f"{prefix}-{lever}" for lever in ALL_LEVERS}
            assumptions.append({"staff_group": code, **values})
        pay_awards = []
        for prefix in self.award_blocks:
            year, rate = data.get(f"{prefix}-year"), data.get(f"{prefix}-rate")
            if year in ("", None) and rate is None:
                continue  # an empty row: no award
            at = f"{pay_awards_at}[{len(pay_awards)}]"
            names |= {f"{at}.{n}": f"{prefix}-{n}" for n in PAY_AWARD_FIELDS}
            code = data.get(f"{prefix}-staff_group") or None
            pay_awards.append({"staff_group": code, "year": year, "rate": rate})
        changes = {
            "description": data["description"],
            "draws": data["draws"],
            "horizon": data["horizon"],
            "assumptions": assumptions,
            "pay_awards": pay_awards,
        }
        return changes, names


PAY_AWARD_FIELDS = ("staff_group", "year", "rate")


def _pay_award_fields(prefix: str, groups: list[tuple[str, str]]) -> dict[str, forms.Field]:
    """The boxes of one pay award by year; a rate typed in percent ("3.6" is 3.6%)."""
    low, high = rules.ASSUMPTION_LIMITS["pay_award"]
    return {
        f"{prefix}-staff_group": forms.ChoiceField(
            label="Staff group", choices=[("", "Every staff group"), *groups], required=False
        ),
        f"{prefix}-year": forms.CharField(
            label="Financial year", help_text="As 2026 or 2026/27.", required=False
        ),
        f"{prefix}-rate": AssumptionField(
            "pay_award",
            label="Pay award, in percent",
            help_text=f"3.6 is 3.6%. From {units.range_in_words('pay_award', low, high)}.",
        ),
    }


class CopyForm(ScenarioForm):
    """Copy a scenario and change a few numbers; a national administrator also chooses who
    owns the copy (`ics`)."""

    def __init__(
        self, data: Any = None, *, source: Scenario, systems: Iterable[ICS] | None
    ) -> None:
        super().__init__(data, source=source, name=f"{source.name} (copy)")
        self.fields["name"].label = "Name of the new scenario"
        if systems is not None:
            choices = [("", "National")] + [(s.code, f"{s.name} ({s.code})") for s in systems]
            self.fields["ics"] = forms.ChoiceField(
                label="Owned by", choices=choices, required=False
            )


class EditForm(ScenarioForm):
    """Change a scenario that has no runs yet: the same numbers as a copy's."""

    def __init__(self, data: Any = None, *, scenario: Scenario) -> None:
        super().__init__(data, source=scenario, name=scenario.name)
