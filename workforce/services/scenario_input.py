"""Checking what is asked of a scenario: its settings, assumption rows, step changes and
pay awards by year.

Each function adds every problem it finds to `problems`, naming the field as the API does
(`assumptions[1].leaver_rate`), and returns the values it could read; the scenario services
raise the problems, all at once, before writing anything.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from core import calendar
from core.models import StaffGroup
from core.services.writes import Problems
from workforce.models import SCENARIO_ASSUMPTION_FIELDS
from workforce.plans import rules

SETTINGS = ("name", "description", "draws", "horizon", "seed", "organisation_share")
STEP_CHANGE_KEYS = ("staff_group", "year", "fte", "description")
PAY_AWARD_KEYS = ("staff_group", "year", "rate")
DESCRIPTION_TOO_LONG = (
    f"description must be at most {rules.SCENARIO_DESCRIPTION_LONGEST:,} characters."
)
TOO_MANY_STEP_CHANGES = (
    f"A scenario has at most {rules.MOST_STEP_CHANGES} step changes: combine those of "
    "one staff group and year."
)
TOO_MANY_PAY_AWARDS = (
    f"A scenario has at most {rules.MOST_PAY_AWARDS} pay awards: one a year for every staff "
    "group and one a year per staff group."
)


def clean_settings(values: Mapping[str, Any], problems: Problems) -> dict[str, Any]:
    """Check the scenario's own fields among `values` (those absent are left out)."""
    cleaned: dict[str, Any] = {}
    if "name" in values:
        name = " ".join(str(values["name"] or "").split())
        if not name:
            problems.add("name", "name is required: say what the scenario assumes.")
        elif len(name) > rules.SCENARIO_NAME_LONGEST:
            problems.add("name", f"name must be at most {rules.SCENARIO_NAME_LONGEST} characters.")
        cleaned["name"] = name
    if "description" in values:
        description = str(values["description"] or "").strip()
        if len(description) > rules.SCENARIO_DESCRIPTION_LONGEST:
            problems.add("description", DESCRIPTION_TOO_LONG)
        cleaned["description"] = description
    for field in rules.SCENARIO_LIMITS:
        if field not in values:
            continue
        value = values[field]
        if isinstance(value, bool) or not isinstance(value, int):
            problems.add(field, f"{field} must be a whole number.")
            continue
        message = rules.check_scenario_count(field, value)
        if message:
            problems.add(field, message)
        cleaned[field] = value
    if "organisation_share" in values:
        share = _decimal(values["organisation_share"], "organisation_share", problems)
        if share is not None:
            message = rules.check_fraction(share, "organisation_share")
            if message:
                problems.add("organisation_share", message)
            cleaned["organisation_share"] = rules.rounded(share, rules.SHARE_PLACES)
    return cleaned


def _decimal(value: Any, field: str, problems: Problems) -> Decimal | None:
    try:
        return rules.to_decimal(value)
    except ValueError:
        name = field.rsplit(".", 1)[-1]
        problems.add(field, f"{name} must be a number; {str(value)[:20]!r} is not.")
        return None


def reportable_groups() -> dict[str, StaffGroup]:
    return {g.code: g for g in StaffGroup.objects.filter(reportable=True)}


def _staff_group(
    code: Any, field: str, groups: Mapping[str, StaffGroup], problems: Problems
) -> Any:
    """The staff group of a code, or None after adding an error."""
    group = groups.get(str(code).strip().upper()) if code not in (None, "") else None
    if group is None:
        problems.add(
            field,
            f"{field}: {code!r} is not the code of a staff group that is projected "
            "(a reportable group such as NUR; /api/v1/staff-groups/ lists them).",
        )
    return group


def _optional_staff_group(
    code: Any, field: str, groups: Mapping[str, StaffGroup], problems: Problems
) -> Any:
    """None for a code left out (every staff group), else the staff group of the code."""
    return None if code in (None, "") else _staff_group(code, field, groups, problems)


def _year(value: Any, field: str, problems: Problems) -> int | None:
    """A financial year within the years projected, or None after adding an error."""
    try:
        year = calendar.parse_year(value)
    except ValueError as error:
        problems.add(field, f"year: {error}")
        return None
    message = rules.check_year(year)
    if message:
        problems.add(field, message)
    return year


def clean_assumptions(
    rows: Iterable[Any], prefix: str, groups: Mapping[str, StaffGroup], problems: Problems
) -> list[dict[str, Any]]:
    """Each row as {"staff_group": StaffGroup or None, <the assumptions it gives>}.

    A value given as None is kept as None: on a copy it clears what the source had.
    """
    rows = list(rows)
    if len(rows) > len(groups) + 1:
        # More rows than one per staff group and one for every group: some must repeat.
        problems.add(
            prefix,
            f"A scenario has at most {len(groups) + 1} assumption rows: one for every staff "
            f"group and one per staff group; {len(rows):,} were given.",
        )
        return []
    cleaned, seen = [], set()
    for index, row in enumerate(rows):
        at = f"{prefix}[{index}]"
        if not isinstance(row, Mapping):
            problems.add(at, f"{at} must be an object of assumptions.")
            continue
        unknown = sorted(set(row) - {"staff_group", *SCENARIO_ASSUMPTION_FIELDS})
        for key in unknown:
            problems.add(f"{at}.{key}", f"{key} is not an assumption of a scenario.")
        code = row.get("staff_group")
        group = _optional_staff_group(code, f"{at}.staff_group", groups, problems)
        # A row whose code is wrong has its error already; it duplicates no other row.
        key = group.code if group else (None if code in (None, "") else f"row {index}")
        if key in seen:
            whose = f"staff group {key}" if key else "every staff group (no staff group)"
            problems.add(f"{at}.staff_group", f"There is already a row for {whose}.")
        seen.add(key)
        values: dict[str, Any] = {"staff_group": group}
        for name in SCENARIO_ASSUMPTION_FIELDS:
            if name not in row:
                continue
            value = row[name]
            if value is None or value == "":
                values[name] = None
                continue
            if name in rules.YEAR_ASSUMPTIONS:
                try:
                    number: Any = calendar.parse_year(value)
                except ValueError as error:
                    problems.add(f"{at}.{name}", f"{name}: {error}")
                    continue
            else:
                number = _decimal(value, f"{at}.{name}", problems)
                if number is None:
                    continue
            message = rules.check_assumption(name, number)
            if message:
                problems.add(f"{at}.{name}", message)
            values[name] = (
                number
                if isinstance(number, int)
                else rules.rounded(number, rules.stored_places(name))
            )
        cleaned.append(values)
    return cleaned


def clean_step_changes(
    rows: Iterable[Any], prefix: str, groups: Mapping[str, StaffGroup], problems: Problems
) -> list[dict[str, Any]]:
    rows = list(rows)
    if len(rows) > rules.MOST_STEP_CHANGES:
        # Refused before any row is read: every problem of each row would say too much.
        problems.add(prefix, TOO_MANY_STEP_CHANGES)
        return []
    cleaned = []
    for index, row in enumerate(rows):
        at = f"{prefix}[{index}]"
        if not isinstance(row, Mapping):
            problems.add(at, f"{at} must be an object with staff_group, year and fte.")
            continue
        for key in sorted(set(row) - set(STEP_CHANGE_KEYS)):
            problems.add(f"{at}.{key}", f"{key} is not a field of a step change.")
        values: dict[str, Any] = {
            "staff_group": _staff_group(
                row.get("staff_group"), f"{at}.staff_group", groups, problems
            )
        }
        year = _year(row.get("year"), f"{at}.year", problems)
        if year is not None:
            values["year"] = year
        fte = _decimal(row.get("fte"), f"{at}.fte", problems)
        if fte is not None:
            if abs(fte) > rules.MAX_STEP_CHANGE_FTE:
                problems.add(f"{at}.fte", f"fte must be within ±{rules.MAX_STEP_CHANGE_FTE:,}.")
            values["fte"] = rules.rounded(fte, rules.FTE_PLACES)
        description = str(row.get("description") or "").strip()
        if len(description) > rules.STEP_CHANGE_DESCRIPTION_LONGEST:
            problems.add(
                f"{at}.description",
                f"description must be at most {rules.STEP_CHANGE_DESCRIPTION_LONGEST} characters.",
            )
        values["description"] = description
        cleaned.append(values)
    return cleaned


def clean_pay_awards(
    rows: Iterable[Any], prefix: str, groups: Mapping[str, StaffGroup], problems: Problems
) -> list[dict[str, Any]]:
    """Each pay award as {"staff_group": StaffGroup or None (every group), "year", "rate"}:
    one a year for every group and one a year per group, each year as for step changes."""
    rows = list(rows)
    if len(rows) > rules.MOST_PAY_AWARDS:
        problems.add(prefix, TOO_MANY_PAY_AWARDS)
        return []
    cleaned, seen = [], set()
    for index, row in enumerate(rows):
        at = f"{prefix}[{index}]"
        if not isinstance(row, Mapping):
            problems.add(at, f"{at} must be an object with staff_group, year and rate.")
            continue
        for key in sorted(set(row) - set(PAY_AWARD_KEYS)):
            problems.add(f"{at}.{key}", f"{key} is not a field of a pay award.")
        code = row.get("staff_group")
        group = _optional_staff_group(code, f"{at}.staff_group", groups, problems)
        values: dict[str, Any] = {"staff_group": group}
        year = None
        if row.get("year") in (None, ""):
            problems.add(f"{at}.year", "year is required: the financial year of the award.")
        else:
            year = _year(row.get("year"), f"{at}.year", problems)
        if year is not None:
            values["year"] = year
        rate = None
        if row.get("rate") in (None, ""):
            problems.add(f"{at}.rate", "rate is required: the pay award in that year.")
        else:
            rate = _decimal(row.get("rate"), f"{at}.rate", problems)
        if rate is not None:
            message = rules.check_assumption("pay_award", rate)
            if message:
                problems.add(f"{at}.rate", message.replace("pay_award", "rate", 1))
            values["rate"] = rules.rounded(rate, rules.RATE_PLACES)
        # A row whose code or year is wrong has its error already; it duplicates no other.
        if year is not None and (group is not None or code in (None, "")):
            key = (group.code if group else None, year)
            if key in seen:
                whose = f"staff group {key[0]}" if key[0] else "every staff group"
                problems.add(
                    f"{at}.year",
                    f"There is already a pay award for {whose} in {calendar.year_label(year)}.",
                )
            seen.add(key)
        cleaned.append(values)
    return cleaned
