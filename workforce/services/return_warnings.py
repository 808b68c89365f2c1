"""Data-quality warnings on a stored return: they never block it, they ask for a second look.

Each return is compared with itself (leavers, sickness) and with the organisation's latest
earlier return no more than COMPARE_MONTHS before it (FTE moves, groups that disappeared).
The rules are a plain function of figures; only `earlier_figures` reads the database.
A staff group no longer reportable is not missed.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TypedDict

from core import calendar
from core.models import StaffGroup
from workforce.models import StaffingReturn, StaffingReturnRow
from workforce.projection.costs import (
    PLAUSIBLE_AGENCY_PER_FTE,
    PLAUSIBLE_BANK_PER_FTE,
    PLAUSIBLE_PAY_PER_FTE,
)
from workforce.returns import ReturnRow

FTE_MOVE_SHARE = Decimal("0.20")
MONTHLY_LEAVERS_SHARE = Decimal("0.05")
SICKNESS_RATE = Decimal("0.15")
# Below this many FTE a change is one or two people: a share of it says nothing.
SMALL_FTE = Decimal(2)
COMPARE_MONTHS = 3


class ReturnWarning(TypedDict):
    rule: str  # fte_move, group_missing, leavers_high, sickness_high, cost_per_fte
    staff_group: str
    message: str


def _month_name(month: datetime.date) -> str:
    return month.strftime("%B %Y")


def figure_warnings(
    rows: Sequence[ReturnRow],
    earlier: Mapping[str, Decimal],
    earlier_period: datetime.date | None,
    names: Mapping[str, str],
) -> list[ReturnWarning]:
    """The warnings of a return's rows, given the FTE by staff group of an earlier return."""
    found: list[ReturnWarning] = []

    def warn(rule: str, code: str, message: str) -> None:
        found.append({"rule": rule, "staff_group": code, "message": f"{names[code]}: {message}"})

    present = {row.staff_group_code for row in rows}
    for row in rows:
        code, fte = row.staff_group_code, row.fte
        before = earlier.get(code)
        if before is not None and earlier_period is not None and before > 0:
            change = fte - before
            if abs(change) > FTE_MOVE_SHARE * before and abs(change) > SMALL_FTE:
                warn(
                    "fte_move",
                    code,
                    f"FTE in post moved from {before} in {_month_name(earlier_period)} to "
                    f"{fte}, {'up' if change > 0 else 'down'} {abs(change) / before:.0%}; "
                    "check the figure.",
                )
        leavers = row.leavers_fte  # None: not given, so nothing to check
        if leavers is not None and leavers > MONTHLY_LEAVERS_SHARE * fte and leavers > SMALL_FTE:
            share = f" ({leavers / fte:.1%} of FTE)" if fte else ""
            warn(
                "leavers_high",
                code,
                f"{leavers} FTE left in the month{share}, more than "
                f"{MONTHLY_LEAVERS_SHARE:.0%} of FTE; check the figure.",
            )
        if row.sickness_absence_rate > SICKNESS_RATE:
            warn(
                "sickness_high",
                code,
                f"the sickness absence rate is {row.sickness_absence_rate:.1%}, above "
                f"{SICKNESS_RATE:.0%}; check that it is a fraction of the month.",
            )
        for column, fte_column, (low, high) in (
            ("pay_cost", "fte", PLAUSIBLE_PAY_PER_FTE),
            ("bank_cost", "bank_fte", PLAUSIBLE_BANK_PER_FTE),
            ("agency_cost", "agency_fte", PLAUSIBLE_AGENCY_PER_FTE),
        ):
            cost, staff = getattr(row, column), getattr(row, fte_column)
            if cost is None or (cost == 0 and staff == 0):
                continue
            per_fte = cost / staff if staff else None
            if per_fte is None or not low <= per_fte <= high:
                shown = f"\u00a3{per_fte:,.0f} a month per FTE" if per_fte else "no FTE"
                warn(
                    "cost_per_fte",
                    code,
                    f"{column} \u00a3{cost:,.2f} for {staff} {fte_column} is {shown}, outside "
                    f"\u00a3{low:,} to \u00a3{high:,}; check the cost is the month's, in pounds.",
                )
    if earlier_period is not None:
        for code, before in earlier.items():
            if code not in present and before > 0 and code in names:
                warn(
                    "group_missing",
                    code,
                    f"{before} FTE in {_month_name(earlier_period)}, but the staff group is "
                    "not in this return.",
                )
    return found


def earlier_figures(
    *, organisation_ids: list[int], first: datetime.date, before: datetime.date
) -> dict[int, dict[datetime.date, dict[int, Decimal]]]:
    """The FTE by staff group id of the organisations' current returns from the month `first`
    to the one before `before`: organisation id -> month -> staff group id -> FTE. One query,
    with no join and no ordering: the default ordering of return rows would join
    organisations and staff groups."""
    found: dict[int, dict[datetime.date, dict[int, Decimal]]] = {}
    for organisation_id, month, group_id, fte in (
        StaffingReturnRow.objects.filter(
            staffing_return__organisation_id__in=organisation_ids,
            staffing_return__status=StaffingReturn.Status.SUBMITTED,
            staffing_return__period__gte=first,
            staffing_return__period__lt=before,
        )
        .order_by()
        .values_list("staffing_return__organisation_id", "staffing_return__period",
                     "staff_group_id", "fte")
    ):  # fmt: skip
        found.setdefault(organisation_id, {}).setdefault(month, {})[group_id] = fte
    return found


def return_warnings(
    *,
    period: datetime.date,
    rows: Sequence[ReturnRow],
    groups: Mapping[str, StaffGroup],
    earlier: Mapping[datetime.date, Mapping[int, Decimal]],
) -> list[ReturnWarning]:
    """The warnings of a return about to be stored, against the organisation's latest earlier
    return no more than COMPARE_MONTHS before it.

    `groups` are the reportable staff groups by code, in their order: their names are shown
    in the messages, and a group not among them is not missed. `earlier` holds the FTE by
    staff group id of the organisation's current returns by month (`earlier_figures`').
    """
    earliest = calendar.month_add(period, -COMPARE_MONTHS)
    months = [month for month in earlier if earliest <= month < period]
    earlier_period = max(months, default=None)
    fte_by_group = earlier[earlier_period] if earlier_period is not None else {}
    # In the groups' order, so that the groups missed are named in it.
    before = {code: fte_by_group[g.pk] for code, g in groups.items() if g.pk in fte_by_group}
    names = {code: f"{g.name} ({code})" for code, g in groups.items()}
    return figure_warnings(rows, before, earlier_period, names)
