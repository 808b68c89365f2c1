"""The forms of the target and scenario pages: they parse input; the services check it."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import forms

from core import calendar
from core.errors import ApplicationError
from core.models import ICS, StaffGroup
from workforce.models import PlanTarget, Scenario
from workforce.plans import rules
from workforce.selectors.planning import assumption_rows

# The numbers a lead changes on a copy, for every staff group and per staff group.
LEVERS: dict[str, tuple[str, str]] = {
    "leaver_rate_change": (
        "Change to the leaver rate",
        "In points, as a fraction: -0.01 is one point lower (10% a year becomes 9%).",
    ),
    "international_change": (
        "Change to international recruitment",
        "Relative: -0.3 is 30% fewer international recruits.",
    ),
    "intake_change": ("Change to training intake", "Relative: 0.1 is 10% more places."),
    "intake_change_from": (
        "Intake change starts in",
        "The academic year, as 2026 or 2026/27. Empty: every year.",
    ),
    "demand_growth": ("Demand growth a year", "0.025 is 2.5% a year."),
    "productivity": ("Productivity gain a year", "0.015 is 1.5% a year."),
}
EXTRA_OVERRIDES = 3


def apply_errors(form: forms.Form, error: ApplicationError, names: dict[str, str]) -> None:
    """Put a service's errors beside the fields they name (`names`: service -> form field)."""
    for item in error.errors:
        field = names.get(item.get("field", ""), item.get("field"))
        form.add_error(field if field in form.fields else None, item["message"])


def _decimal_field(label: str, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(label=label, help_text=help_text, required=False)


class TargetForm(forms.Form):
    staff_group = forms.ModelChoiceField(
        queryset=StaffGroup.objects.order_by("sort_order"), to_field_name="code"
    )
    year = forms.CharField(
        label="Financial year", help_text="The year it starts, as 2028 or 2028/29."
    )
    plan = forms.ChoiceField(
        choices=PlanTarget.Plan.choices,
        initial=PlanTarget.Plan.STRATEGIC_COMMISSIONING_PLAN,
        help_text="From 2026/27 the strategic commissioning plan absorbs the joint forward plan.",
    )
    target_fte = forms.DecimalField(label="Target FTE")
    target_vacancy_rate = _decimal_field("Target vacancy rate", "A fraction: 0.06 for 6%.")
    target_leaver_rate = _decimal_field("Target leaver rate", "A fraction a year: 0.09 for 9%.")
    target_sickness_absence_rate = _decimal_field(
        "Target sickness absence rate", "A fraction: 0.045 for 4.5%."
    )
    target_bank_fte = _decimal_field("Target bank FTE")
    target_agency_fte = _decimal_field("Target agency FTE")

    @classmethod
    def for_target(cls, target: PlanTarget, data: Any = None) -> TargetForm:
        initial = {name: getattr(target, name) for name in ("plan", *cls.figures())}
        initial |= {
            "staff_group": target.staff_group.code,
            "year": calendar.year_label(target.year),
        }
        return cls(data, initial=initial)

    @staticmethod
    def figures() -> tuple[str, ...]:
        return ("target_fte", *rules.TARGET_OPTIONAL_FIELDS)


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Targets file",
        help_text="CSV (UTF-8) or Excel workbook (.xlsx), the targets on the first sheet.",
    )


class CopyForm(forms.Form):
    """Copy a scenario and change a few numbers, for every group and for some groups.

    Fields: name, description, ics (national administrators only), draws, horizon; the
    levers of the row for every group, prefixed "all-"; and override blocks "g0-" ... each
    with a staff group and the same levers. Blocks start with the source's overrides.
    """

    # Name, draws and horizon are checked by the service, with every other problem at once.
    name = forms.CharField(label="Name of the new scenario", required=False)
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

    def __init__(
        self, data: Any = None, *, source: Scenario, systems: Iterable[ICS] | None
    ) -> None:
        rows = {
            (row.staff_group.code if row.staff_group_id else None): row
            for row in assumption_rows(source)
        }
        overrides = [code for code in rows if code is not None]
        self.blocks = [f"g{i}" for i in range(len(overrides) + EXTRA_OVERRIDES)]
        initial: dict[str, Any] = {
            "name": f"{source.name} (copy)",
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
                if isinstance(value, Decimal):
                    value = value.normalize()
                elif lever == "intake_change_from" and value is not None:
                    value = calendar.year_label(value)
                initial[f"{prefix}-{lever}"] = value
        super().__init__(data, initial=initial)
        if systems is not None:
            choices = [("", "National")] + [(s.code, f"{s.name} ({s.code})") for s in systems]
            self.fields["ics"] = forms.ChoiceField(
                label="Owned by", choices=choices, required=False
            )
        group_choices = [("", "Choose a staff group")] + [
            (g.code, g.name)
            for g in StaffGroup.objects.filter(reportable=True).order_by("sort_order")
        ]
        for prefix in ["all", *self.blocks]:
            if prefix != "all":
                self.fields[f"{prefix}-staff_group"] = forms.ChoiceField(
                    label="Staff group", choices=group_choices, required=False
                )
            for lever, (label, hint) in LEVERS.items():
                field = (
                    forms.CharField(label=label, help_text=hint, required=False)
                    if lever == "intake_change_from"
                    else _decimal_field(label, hint)
                )
                self.fields[f"{prefix}-{lever}"] = field

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

    def changes(self) -> tuple[dict[str, Any], dict[str, str]]:
        """The copy's changes for `scenario_copy`, and the service's field names mapped to
        this form's. Call after is_valid()."""
        data = self.cleaned_data
        names = {"name": "name", "changes.draws": "draws", "changes.horizon": "horizon"}
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
            at = f"changes.assumptions[{len(assumptions)}]"
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
