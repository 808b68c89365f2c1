"""The forms of the target and scenario pages: they parse input; the services check it.

The pages take numbers as a workforce lead types them: rates, shares and relative changes
in percent ("9.4" for 9.4%), changes to a rate in percentage points ("-1" for one point
lower), with thousands separators ("1,480"). The forms convert them to the fractions the
services and the API take (`workforce.plans.units`), and check each against its range in
the same units, so that "-1" in a points box is one point, never -100.
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
from workforce.selectors.planning import assumption_rows, projected_staff_groups

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
EXTRA_OVERRIDES = 3
SUFFIXES = {units.POINTS: "points", units.PERCENT: "%"}


def apply_errors(form: forms.Form, error: ApplicationError, names: dict[str, str]) -> None:
    """Put a service's errors beside the fields they name (`names`: service -> form field)."""
    for item in error.errors:
        field = names.get(item.get("field", ""), item.get("field"))
        form.add_error(field if field in form.fields else None, item["message"])


class TypedNumberField(forms.CharField):
    """A number as a person types it: "1,480", "-1", "+2.5" (`units.parse_typed_number`)."""

    suffix = ""

    def __init__(self, *, suffix: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.suffix = suffix

    def to_python(self, value: Any) -> Decimal | None:
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        try:
            return units.parse_typed_number(text)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None


class PoundsField(TypedNumberField):
    """A sum of money in pounds as a person types it: "£1,250,000", "1250000"."""

    def to_python(self, value: Any) -> Decimal | None:
        if isinstance(value, str) and value.strip():
            value = units.without_pound_sign(value)
        return super().to_python(value)

    def prepare_value(self, value: Any) -> Any:
        """A stored sum shows with its thousands: 1250000.00 as 1,250,000."""
        if isinstance(value, Decimal):
            return f"{value.normalize():,f}" if value == value.to_integral() else f"{value:,}"
        return value


class AssumptionField(TypedNumberField):
    """One assumption in the units a lead types it in (percent or points), cleaned to the
    fraction stored. The service checks the range, with every other problem at once;
    `ScenarioForm.apply_errors` says its message again in the typed units."""

    def __init__(self, name: str, **kwargs: Any) -> None:
        self.assumption = name
        unit = units.TYPED_UNITS[name]
        super().__init__(suffix=SUFFIXES[unit], **kwargs)

    def to_python(self, value: Any) -> Decimal | None:
        if isinstance(value, str) and value.strip().endswith("%"):
            if units.TYPED_UNITS[self.assumption] == units.POINTS:
                # "-1%" could mean one point or one percent of the rate: ask.
                raise forms.ValidationError(
                    "Give the change in percentage points, without %: -1 is one point lower."
                )
            value = value.strip().removesuffix("%")  # "9.4%" in a percent box is 9.4
        typed = super().to_python(value)
        return None if typed is None else units.stored_from_typed(self.assumption, typed)

    def typed_problem(self, stored: Decimal) -> str | None:
        """The range problem of a cleaned value, in the units it was typed in."""
        typed = units.typed_from_stored(self.assumption, stored)
        return rules.check_typed_assumption(self.assumption, typed)

    def prepare_value(self, value: Any) -> Any:
        """A stored fraction (the initial value) as it is typed: 0.094 shows as 9.4."""
        if isinstance(value, Decimal):
            return units.plain(units.typed_from_stored(self.assumption, value))
        return value


class PercentField(TypedNumberField):
    """A rate typed in percent ("6" or "6%" for 6%), cleaned to a fraction (0.06)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(suffix="%", **kwargs)

    def to_python(self, value: Any) -> Decimal | None:
        if isinstance(value, str):
            value = value.strip().removesuffix("%")
        typed = super().to_python(value)
        if typed is None:
            return None
        if not 0 <= typed <= 100:
            raise forms.ValidationError(
                f"Give a percentage from 0% to 100%; {units.plain(typed)}% is not."
            )
        return typed.scaleb(-2)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal):
            return units.plain(value.scaleb(2))
        return value


def _lever_field(name: str) -> forms.Field:
    label, hint = LEVERS[name]
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
        "at that year's prices: as 1250000 or £1,250,000.",
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
    prefixed "all-"; and override blocks "g0-" ... each with a staff group and the same
    levers. Blocks start with the scenario's overrides. The levers are typed in percent or
    points (`AssumptionField`) and cleaned to fractions.
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
            for lever in LEVERS:
                value = getattr(row, lever) if row else None
                if lever == "intake_change_from" and value is not None:
                    value = calendar.year_label(value)
                initial[f"{prefix}-{lever}"] = value
        super().__init__(data, initial=initial)
        group_choices = [("", "Choose a staff group")] + [
            (g.code, g.name)
            for g in StaffGroup.objects.filter(reportable=True).order_by("sort_order")
        ]
        for prefix in ["all", *self.blocks]:
            if prefix != "all":
                self.fields[f"{prefix}-staff_group"] = forms.ChoiceField(
                    label="Staff group", choices=group_choices, required=False
                )
            for lever in LEVERS:
                self.fields[f"{prefix}-{lever}"] = _lever_field(lever)

    def apply_errors(self, error: ApplicationError, names: dict[str, str]) -> None:
        """The service's errors beside the fields they name; a range problem of a number
        typed in percent or points is said in those units ("Give a number from -20 to +20
        points; -25 points is not."), not in the fractions the service checks."""
        for item in error.errors:
            name = names.get(item.get("field", ""), item.get("field"))
            field = self.fields.get(name) if name else None
            message = item["message"]
            if isinstance(field, AssumptionField) and self.cleaned_data.get(name) is not None:
                message = field.typed_problem(self.cleaned_data[name]) or message
            self.add_error(name if field is not None else None, message)

    def _block(self, prefix: str) -> list[forms.BoundField]:
        names = ([] if prefix == "all" else ["staff_group"]) + list(LEVERS)
        return [self[f"{prefix}-{name}"] for name in names]

    @property
    def all_fields(self) -> list[forms.BoundField]:
        """The levers of the row for every staff group."""
        return self._block("all")

    @property
    def override_blocks(self) -> list[list[forms.BoundField]]:
        """Each override block: its staff group, then its levers."""
        return [self._block(prefix) for prefix in self.blocks]

    def changes(
        self, *, rows_at: str = "changes.assumptions"
    ) -> tuple[dict[str, Any], dict[str, str]]:
        """The settings and assumption rows (fractions) for the service, and the service's
        field names of the rows mapped to this form's: `rows_at` is where the service names
        them (a copy's `changes.assumptions`, an update's `assumption_changes`); the
        settings have the same names in both. Call after is_valid()."""
        data = self.cleaned_data
        names: dict[str, str] = {}
        assumptions = []
        for prefix in ["all", *self.blocks]:
            code = None if prefix == "all" else data.get(f"{prefix}-staff_group") or None
            values = {lever: data.get(f"{prefix}-{lever}") for lever in LEVERS}
            values = {k: (None if v in ("", None) else v) for k, v in values.items()}
            if prefix != "all" and code is None:
                if any(v is not None for v in values.values()):
                    self.add_error(
                        f"{prefix}-staff_group", "Choose the staff group these numbers are for."
                    )
                continue
            at = f"{rows_at}[{len(assumptions)}]"
            names[f"{at}.staff_group"] = f"{prefix}-staff_group"
            names |= {f"{at}.{lever}": f"{prefix}-{lever}" for lever in LEVERS}
            assumptions.append({"staff_group": code, **values})
        changes = {
            "description": data["description"],
            "draws": data["draws"],
            "horizon": data["horizon"],
            "assumptions": assumptions,
        }
        return changes, names


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
