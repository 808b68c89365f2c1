"""Form fields for numbers as a workforce lead types them, and a service's errors on a form.

Rates, shares and relative changes are typed in percent ("9.4" for 9.4%), changes to a rate
in percentage points ("-1" for one point lower), costs in pounds ("£27,150"), all with
thousands separators ("1,480"); the fields clean them to what is stored
(`workforce.plans.units`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from core.errors import ApplicationError
from workforce.plans import rules, units

SUFFIXES = {units.POINTS: "points", units.PERCENT: "%", units.POUNDS: ""}


def apply_errors(form: forms.Form, error: ApplicationError, names: dict[str, str]) -> None:
    """Put a service's errors beside the fields they name (`names`: service -> form field)."""
    for item in error.errors:
        field = names.get(item.get("field", ""), item.get("field"))
        if field in form.fields:
            form.add_error(field, in_the_pages_words(form, field, item))
        else:
            form.add_error(None, item["message"])


def in_the_pages_words(form: forms.Form, field: str, item: dict[str, str]) -> str:
    """A service's message, which opens with the field's name in the API ("agency_spend_limit
    cannot be negative"), opening instead with the box's label on the page ("Agency spend
    limit cannot be negative"), up to any comma."""
    message, named = item["message"], item.get("field", "").rsplit(".", 1)[-1]
    label = (form.fields[field].label or "").split(",")[0]  # "Pay award, in percent"
    if label and named and message.startswith(f"{named} "):
        return f"{label}{message[len(named) :]}"
    return message


def _pounds(value: Any) -> Decimal | None:
    """A sum typed in pounds (`units.parse_pounds`); None for an empty box."""
    text = "" if value is None else str(value).strip()
    if not text:
        return None
    try:
        return units.parse_pounds(text)
    except ValueError as error:
        raise forms.ValidationError(str(error)) from None


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
    """A sum of money in pounds as a person types it: "£1,250,000", "1250000", "£1.25m"."""

    def to_python(self, value: Any) -> Decimal | None:
        return _pounds(value)

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
        self.unit = units.TYPED_UNITS[name]
        self.prefix = "£" if self.unit == units.POUNDS else ""
        super().__init__(suffix=SUFFIXES[self.unit], **kwargs)

    def to_python(self, value: Any) -> Decimal | None:
        if self.unit == units.POUNDS:
            return _pounds(value)
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
        """A stored fraction (the initial value) as it is typed: 0.094 shows as 9.4; a cost
        as 27,150."""
        if isinstance(value, Decimal) and self.unit == units.POUNDS:
            return units.pounds(value).removeprefix("£")
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
