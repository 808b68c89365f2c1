"""Fields and helpers the API's endpoints share."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation

from core import calendar
from core.errors import ApplicationError
from core.models import ICS

from .xlsx_export import XLSX_TYPE

CSV = "text/csv"
XLSX = XLSX_TYPE


class JSONForErrors(DefaultContentNegotiation):
    """Always the first renderer (JSON): these views answer files themselves."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


def parse_month(name: str, text: str | None) -> datetime.date | None:
    """A query parameter's month (YYYY-MM), None when not given; a 400 naming `name` if wrong."""
    if not text:
        return None
    try:
        return calendar.parse_month(text)
    except ValueError as error:
        raise ValidationError({name: str(error)}) from None


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2026-01"})
class MonthField(serializers.DateField):
    """A month as YYYY-MM."""

    def to_representation(self, value: datetime.date) -> str:
        return calendar.month_label(value)


@extend_schema_field(OpenApiTypes.STR)
class CodeField(serializers.RelatedField):
    """A related object given and shown by its code, matched ignoring case."""

    def __init__(self, what: str, **kwargs: Any) -> None:
        self.what = what
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> Any:
        found = self.get_queryset().filter(code__iexact=str(data).strip()).first()
        if found is None:
            raise ValidationError(f"No {self.what} has the code {str(data)[:20]!r}.")
        return found

    def to_representation(self, value: Any) -> str:
        return value.code


@extend_schema_field({"oneOf": [{"type": "integer"}, {"type": "string"}], "example": "2028/29"})
class YearField(serializers.Field):
    """A financial year by the year it starts: 2028, "2028" or "2028/29"."""

    def to_internal_value(self, data: Any) -> int:
        try:
            return calendar.parse_year(data)
        except ValueError as error:
            raise ValidationError(str(error)) from None

    def to_representation(self, value: int) -> int:
        return value


Bound = int | Decimal | None


class _Number(serializers.DecimalField):
    """A decimal as a JSON number. The range is for the schema only: the services check it,
    in their own words and with every other problem at once, so no validator is added."""

    def __init__(
        self, *, places: int | None, minimum: Bound, maximum: Bound, **kwargs: Any
    ) -> None:
        super().__init__(max_digits=None, decimal_places=None, coerce_to_string=False, **kwargs)
        self.places = places
        self.min_value, self.max_value = minimum, maximum

    def to_internal_value(self, data: Any) -> Decimal:
        value = super().to_internal_value(data)
        exponent = value.as_tuple().exponent
        if self.places is not None and isinstance(exponent, int) and -exponent > self.places:
            self.fail("max_decimal_places", max_decimal_places=self.places)
        return value


class _Whole(serializers.IntegerField):
    """A whole number; its range, as `_Number`'s, is for the schema and the services."""

    def __init__(self, *, minimum: Bound, maximum: Bound, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.min_value, self.max_value = minimum, maximum


def number(
    *, places: int | None = None, minimum: Bound = None, maximum: Bound = None, **kwargs: Any
) -> serializers.DecimalField:
    """A decimal read from and shown as a JSON number. `places`, when given, refuses more
    decimal places than the record keeps; `minimum` and `maximum` tell the schema the range
    the services check."""
    return _Number(places=places, minimum=minimum, maximum=maximum, **kwargs)


def whole(
    *, minimum: Bound = None, maximum: Bound = None, **kwargs: Any
) -> serializers.IntegerField:
    """A whole number; `minimum` and `maximum` tell the schema the range the services check."""
    return _Whole(minimum=minimum, maximum=maximum, **kwargs)


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not know, so that a misspelt field is not silently dropped."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise ValidationError(
                    {name: "This is not a field of the request." for name in unknown}
                )
        return super().to_internal_value(data)


def _name(field: str, key: Any) -> str:
    if key in ("non_field_errors", "detail"):
        return field
    if isinstance(key, int):  # an item of a list, which DRF keys by its index
        return f"{field}[{key}]"
    return f"{field}.{key}" if field else str(key)


def _indexed(detail: Any, field: str = "") -> list[dict[str, str]]:
    """DRF's nested errors as the API's list, naming list items by index: `assumptions[1].x`."""
    if isinstance(detail, Mapping):
        return [e for key, value in detail.items() for e in _indexed(value, _name(field, key))]
    if isinstance(detail, list) and any(isinstance(item, Mapping) for item in detail):
        return [e for index, item in enumerate(detail) for e in _indexed(item, _name(field, index))]
    if isinstance(detail, list):
        return [e for item in detail for e in _indexed(item, field)]
    return [{"field": field, "message": str(detail)} if field else {"message": str(detail)}]


def validated(serializer: serializers.Serializer) -> dict[str, Any]:
    if not serializer.is_valid():
        raise ApplicationError(_indexed(serializer.errors))
    return dict(serializer.validated_data)


def system_given(code: str | None) -> ICS | None:
    """The system a request body names by `ics` (None when it names none: national)."""
    if not code:
        return None
    ics = ICS.objects.filter(code__iexact=code).first()
    if ics is None:
        raise ValidationError({"ics": f"Unknown ICS code '{code}'."})
    return ics
