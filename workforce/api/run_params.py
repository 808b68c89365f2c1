"""A run's query parameters as the API checks them: a year, and a "what it takes" question."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError

from core import calendar


def year_param(text: str | None) -> int | None:
    if not text:
        return None
    try:
        return calendar.parse_year(text)
    except ValueError as error:
        raise ValidationError({"year": str(error)}) from None


QUESTION_PARAMETERS = [
    OpenApiParameter("staff_group", str, required=True),
    OpenApiParameter(
        "year", str, required=True, description="Target financial year: 2028 or 2028/29."
    ),
    OpenApiParameter("probability", float, description="0-1; default 0.8."),
    OpenApiParameter("ics", str, description="For a national run: the system asked about."),
]


def question_params(params) -> dict:
    """A "what it takes" question's parameters, checked for presence and form."""
    if not params.get("year"):
        raise ValidationError({"year": "Name the target year, e.g. 2028 or 2028/29."})
    year = year_param(params["year"])
    try:
        probability = float(params.get("probability", "0.8"))
    except ValueError:
        raise ValidationError({"probability": "Give a probability such as 0.8."}) from None
    if not params.get("staff_group"):
        raise ValidationError({"staff_group": "Name a staff group, e.g. NUR."})
    return {
        "staff_group": params["staff_group"],
        "year": year,
        "probability": probability,
        "ics_code": params.get("ics"),
    }
