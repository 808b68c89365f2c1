"""The education pages' forms: one field a year, checked by the services' own rules."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from core.calendar import year_label
from core.errors import ApplicationError
from education.services.rules import (
    Problems,
    count_problems,
    educator_problems,
)


class _YearlyForm(forms.Form):
    """Fields named `<name>_<year>`. A year left blank stays as it is (none is recorded), so
    a year that has a record must be filled in."""

    def __init__(self, *args, years: list[int], recorded: set[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.years = years
        self.recorded = recorded

    def add_problems(self, problems: Problems) -> None:
        for found in problems:
            self.add_error(
                found["field"] if found["field"] in self.fields else None, found["message"]
            )

    def add_service_errors(self, error: ApplicationError) -> None:
        """A refusal of the service (a rule the form could not check) shown above the form."""
        for found in error.errors:
            self.add_error(None, found["message"])

    def rows(self) -> list[tuple[int, list[forms.BoundField]]]:
        """(year, its fields) for the template."""
        return [
            (year, [self[name] for name in self.fields if name.endswith(f"_{year}")])
            for year in self.years
        ]


class PlacesForm(_YearlyForm):
    """Places a year: an ICS's planned intake places, or an organisation's placement places."""

    def __init__(self, *args, what: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.what = what
        for year in self.years:
            label = year_label(year)
            self.fields[f"places_{year}"] = forms.IntegerField(
                label=f"{what} in {label}",
                required=year in self.recorded,
                error_messages={
                    "invalid": f"{what} in {label} must be a whole number.",
                    "required": f"Enter the {what.lower()} in {label}.",
                },
            )

    def clean(self):
        data = super().clean()
        for year in self.years:
            name = f"places_{year}"
            self.add_problems(
                count_problems(name, data.get(name), label=self.fields[name].label, required=False)
            )
        return data

    def places(self) -> dict[int, int]:
        return {
            year: self.cleaned_data[f"places_{year}"]
            for year in self.years
            if self.cleaned_data.get(f"places_{year}") is not None
        }


class EducatorsForm(_YearlyForm):
    """Practice educator FTE and the students one educator supports, a year."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for year in self.years:
            label = year_label(year)
            for name, text in (
                ("fte", f"Practice educator FTE in {label}"),
                ("per_educator", f"Students one educator supports in {label}"),
            ):
                self.fields[f"{name}_{year}"] = forms.DecimalField(
                    label=text,
                    required=year in self.recorded,
                    error_messages={
                        "invalid": f"{text} must be a number.",
                        "required": f"Enter the {text[0].lower()}{text[1:]}.",
                    },
                )

    def clean(self):
        data = super().clean()
        for year in self.years:
            fte_name, per_name = f"fte_{year}", f"per_educator_{year}"
            if fte_name in self.errors or per_name in self.errors:
                continue
            fte, per = data.get(fte_name), data.get(per_name)
            if fte is None and per is None:
                continue
            self.add_problems(
                educator_problems(
                    fte_name,
                    fte,
                    per_name,
                    per,
                    labels=(self.fields[fte_name].label, self.fields[per_name].label),
                )
            )
        return data

    def figures(self) -> dict[int, tuple[Decimal, Decimal]]:
        return {
            year: (self.cleaned_data[f"fte_{year}"], self.cleaned_data[f"per_educator_{year}"])
            for year in self.years
            if self.cleaned_data.get(f"fte_{year}") is not None
        }
