"""Filters whose values are read strictly: a value the schema does not allow is a 400.

django-filter's boolean filter reads anything but "true" and "false" as "no filter", so
`?national=yes` would quietly list everything; here it is refused with a message.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django_filters import rest_framework as filters

TRUE, FALSE = ("true", "1"), ("false", "0")


class StrictBooleanField(forms.Field):
    def to_python(self, value: Any) -> bool | None:
        if value is None or value == "":
            return None
        text = str(value).strip().lower()
        if text in TRUE:
            return True
        if text in FALSE:
            return False
        raise forms.ValidationError(f"'{str(value)[:20]}' is not true or false.")


class StrictBooleanFilter(filters.BooleanFilter):
    field_class = StrictBooleanField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # A text box, not django-filter's boolean widget, which turns other values into None.
        kwargs.setdefault("widget", forms.TextInput)
        super().__init__(*args, **kwargs)


class StrictDateField(forms.DateField):
    """A day as YYYY-MM-DD; a parameter given empty (`?on=`) is refused, not ignored."""

    def to_python(self, value: Any) -> Any:
        if value == "":
            raise forms.ValidationError("Give a day as YYYY-MM-DD.")
        return super().to_python(value)


class StrictDateFilter(filters.DateFilter):
    field_class = StrictDateField


class FilterSet(filters.FilterSet):
    """The API's filter sets: boolean model fields are filtered strictly."""

    FILTER_DEFAULTS = {
        **filters.FilterSet.FILTER_DEFAULTS,
        models.BooleanField: {"filter_class": StrictBooleanFilter},
        models.DateField: {"filter_class": StrictDateFilter},
    }
