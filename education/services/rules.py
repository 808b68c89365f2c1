"""The rules every education figure obeys, shared by the API, the pages and the services.

Each check returns the problems it finds as `{"field", "message"}` dicts (none when the value
is good), so a caller reports every problem at once. A message names the field (or the
`label` a page shows for it) and says what a good value looks like.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

FIRST_ACADEMIC_YEAR = 2000
LAST_ACADEMIC_YEAR = 2060
# Far above any real figure (the largest programme in England takes a few thousand starters a
# year), low enough to keep a slip of the keyboard out of the plan.
MAX_COUNT = 100_000
MAX_STUDENTS_PER_EDUCATOR = 100

Problems = list[dict[str, Any]]


def problem(field: str, message: str) -> Problems:
    return [{"field": field, "message": message}]


def shown(value: object) -> str:
    """A value as the user typed it: 1.5, not the 1.5000 a decimal field keeps."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def count_problems(
    field: str, value: int | None, *, label: str | None = None, required: bool = True
) -> Problems:
    """A number of places, starts or students: a whole number from 0 to MAX_COUNT."""
    label = label or field
    if value is None:
        return problem(field, f"{label} is required.") if required else []
    if value < 0:
        return problem(field, f"{label} must be 0 or more, not {value}.")
    if value > MAX_COUNT:
        return problem(field, f"{label} must be at most {MAX_COUNT:,}, not {value:,}.")
    return []


def academic_year_problems(field: str, value: int | None) -> Problems:
    if value is None:
        return problem(field, f"{field} is required.")
    if not FIRST_ACADEMIC_YEAR <= value <= LAST_ACADEMIC_YEAR:
        return problem(
            field,
            f"{field} must be the calendar year the academic year starts in "
            f"({FIRST_ACADEMIC_YEAR}-{LAST_ACADEMIC_YEAR}, e.g. 2027 for 2027/28), not {value}.",
        )
    return []


def fraction_problems(field: str, value: Decimal | None) -> Problems:
    if value is None:
        return problem(field, f"{field} is required.")
    if not 0 <= value <= 1:
        return problem(
            field, f"{field} must be a fraction from 0 to 1 (0.2 for 20%), not {shown(value)}."
        )
    return []


def range_problems(
    field: str,
    value: Decimal | int | None,
    low: float,
    high: float,
    *,
    low_open: bool = False,
    label: str | None = None,
) -> Problems:
    """`value` within [low, high] (or (low, high] when `low_open`)."""
    label = label or field
    if value is None:
        return problem(field, f"{label} is required.")
    too_low = value <= low if low_open else value < low
    if too_low or value > high:
        bounds = f"more than {low:,g} and at most {high:,g}" if low_open else f"{low:,g}-{high:,g}"
        return problem(field, f"{label} must be {bounds}, not {shown(value)}.")
    return []


def educator_problems(
    fte_field: str,
    fte: Decimal | None,
    per_field: str,
    per_educator: Decimal | None,
    *,
    labels: tuple[str, str] | None = None,
) -> Problems:
    """Practice educator FTE (0 or more) and the students one supports (more than 0)."""
    fte_label, per_label = labels or (fte_field, per_field)
    return range_problems(fte_field, fte, 0, MAX_COUNT, label=fte_label) + range_problems(
        per_field,
        per_educator,
        0,
        MAX_STUDENTS_PER_EDUCATOR,
        low_open=True,
        label=per_label,
    )


def text_problems(field: str, value: str | None, *, max_length: int) -> Problems:
    if value is None or not value.strip():
        return problem(field, f"{field} must not be blank.")
    if len(value) > max_length:
        return problem(field, f"{field} must be at most {max_length} characters.")
    return []
