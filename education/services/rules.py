"""The rules every education figure obeys, shared by the API, the pages and the services.

Each check returns the problems it finds as `{"field", "message"}` dicts (none when the value
is good), so a caller reports every problem at once. A message names the field (or the
`label` a page shows for it) and says what a good value looks like.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from education.placement_sectors import SECTOR_CODES, SECTOR_LABELS, in_sector_order

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


MAX_PLACEMENT_WEEKS = 52


def placement_sector_problems(field: str, sector: str | None, allowed: tuple[str, ...]) -> Problems:
    """A placement sector among `allowed`; the caller names the organisation in its message."""
    if not sector:
        return problem(field, f"{field} is required: one of {', '.join(allowed)}.")
    if sector not in SECTOR_CODES:
        return problem(
            field,
            f"{field} must be one of {', '.join(SECTOR_CODES)}, not {str(sector)[:30]!r}.",
        )
    return []


def stored_split(split: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """A split as the programme keeps it: each part's sectors in the pages' order and its
    weeks a JSON number; the parts stay in the order given, so a problem's index is the
    caller's. Values the rules refuse are kept as they are, for the rules to name."""
    stored = []
    for part in split or []:
        sectors = part.get("sectors") if isinstance(part, dict) else None
        weeks = part.get("weeks") if isinstance(part, dict) else None
        if isinstance(sectors, list) and all(isinstance(s, str) for s in sectors):
            sectors = list(in_sector_order(sectors))
        if isinstance(weeks, Decimal | int) and not isinstance(weeks, bool):
            weeks = float(weeks)
        stored.append({"sectors": sectors, "weeks": weeks})
    return stored


def _weeks_problems(field: str, weeks: object) -> tuple[Problems, Decimal]:
    if isinstance(weeks, bool) or not isinstance(weeks, int | float | Decimal):
        return problem(field, f"{field} must be a number of weeks."), Decimal(0)
    if isinstance(weeks, float) and not math.isfinite(weeks):
        return problem(field, f"{field} must be a number of weeks."), Decimal(0)
    value = Decimal(str(weeks))
    if not 0 < value <= MAX_PLACEMENT_WEEKS:
        return (
            problem(
                field,
                f"{field} must be more than 0 and at most {MAX_PLACEMENT_WEEKS}, not "
                f"{shown(value)}.",
            ),
            value,
        )
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -1:
        return problem(
            field, f"{field} may have one decimal place at most, not {shown(value)}."
        ), value
    return [], value


def placement_split_problems(field: str, split: object, total_weeks: Decimal | None) -> Problems:
    """A programme's placement weeks a year split across placement sectors.

    A list of parts, each naming one or more sectors (weeks a student may spend in any of
    them: "primary care or social care") and its weeks a year; no sector in two parts; the
    weeks adding up to `total_weeks`, the programme's placement weeks a year (not checked
    when that value is itself wrong: None). An empty list leaves the weeks undivided.
    """
    if split is None or split == []:
        return []
    if not isinstance(split, list):
        return problem(field, f"{field} must be a list of parts, each with sectors and weeks.")
    found: Problems = []
    part_of: dict[str, int] = {}
    total = Decimal(0)
    for index, part in enumerate(split):
        where = f"{field}[{index}]"
        if not isinstance(part, dict):
            found += problem(where, f"{where} must have sectors and weeks.")
            continue
        sectors = part.get("sectors")
        if not isinstance(sectors, list) or not sectors:
            found += problem(f"{where}.sectors", "Name at least one placement sector.")
            sectors = []
        for code in sectors:
            if code not in SECTOR_CODES:
                found += problem(
                    f"{where}.sectors",
                    f"{str(code)[:30]!r} is not a placement sector: use {', '.join(SECTOR_CODES)}.",
                )
            elif code in part_of:
                other = part_of[code]
                found += problem(
                    f"{where}.sectors",
                    f"{SECTOR_LABELS[code]} is "
                    + (
                        "named twice in this part"
                        if other == index
                        else f"in {field}[{other}] already"
                    )
                    + ": a sector belongs to one part of the split.",
                )
            else:
                part_of[code] = index
        weeks_found, weeks = _weeks_problems(f"{where}.weeks", part.get("weeks"))
        found += weeks_found
        total += weeks
    if not found and total_weeks is not None and total != Decimal(str(total_weeks)):
        found += problem(
            field,
            f"The weeks of {field} add up to {shown(total)}, not the programme's "
            f"{shown(Decimal(str(total_weeks)))} placement weeks a year: make them equal, or "
            "give an empty split to leave the weeks undivided.",
        )
    return found
