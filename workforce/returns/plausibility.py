"""Whether a row's figures are plausible together: the checks of validation.py's docstring,
on the rounded figures, each a problem of one column. Pure Python."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

FTE_PER_PERSON_ALLOWANCE = Decimal("0.5")
MAX_MONTHLY_LEAVERS_SHARE = Decimal("0.25")
MAX_MONTHLY_JOINERS_SHARE = Decimal("0.5")
MAX_TEMPORARY_STAFF_MULTIPLE = Decimal(2)
SMALL_GROUP_FTE = Decimal(2)

_TEMPORARY = f"{MAX_TEMPORARY_STAFF_MULTIPLE} times fte"
_RATIOS = (  # leavers and joiners are the month's flows; bank and agency are its stock
    ("leavers_fte", MAX_MONTHLY_LEAVERS_SHARE, f"{MAX_MONTHLY_LEAVERS_SHARE:.0%} of fte", True),
    ("joiners_fte", MAX_MONTHLY_JOINERS_SHARE, f"{MAX_MONTHLY_JOINERS_SHARE:.0%} of fte", True),
    ("bank_fte", MAX_TEMPORARY_STAFF_MULTIPLE, _TEMPORARY, False),
    ("agency_fte", MAX_TEMPORARY_STAFF_MULTIPLE, _TEMPORARY, False),
)


def implausible(values: dict[str, Any]) -> list[tuple[str, str]]:
    """(column, message) for each implausible figure of a row's readable `values`."""
    fte = values.get("fte")
    if not isinstance(fte, Decimal):
        return []
    found = []
    headcount = values.get("headcount")
    if isinstance(headcount, int):
        if headcount == 0 and fte > 0:
            found.append(
                (
                    "headcount",
                    f"headcount is 0 but fte is {fte}; everyone counted in fte is also "
                    "counted in headcount.",
                )
            )
        elif fte > headcount + FTE_PER_PERSON_ALLOWANCE:
            found.append(
                (
                    "headcount",
                    f"fte ({fte}) is more than headcount ({headcount}), but one person works "
                    "at most 1.0 FTE; check both figures.",
                )
            )
    vacancies = values.get("vacancies_fte")
    # Each figure is compared with SMALL_GROUP_FTE first: most are below it.
    if isinstance(vacancies, Decimal) and vacancies > SMALL_GROUP_FTE and 0 < fte < vacancies:
        found.append(
            (
                "vacancies_fte",
                f"vacancies_fte ({vacancies}) is more than fte ({fte}), a vacancy rate over 50% "
                "of establishment; check both figures.",
            )
        )
    for name, limit, words, monthly in _RATIOS:
        value = values.get(name)
        if isinstance(value, Decimal) and value > SMALL_GROUP_FTE and value > limit * fte:
            when = " in one month" if monthly else ""
            found.append(
                (
                    name,
                    f"{name} ({value}) is more than {words} ({fte}){when}, which is not "
                    "plausible; check the figures.",
                )
            )
    return found
