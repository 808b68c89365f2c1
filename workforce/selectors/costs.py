"""Cost per FTE of an organisation's staff groups, measured from its stored returns.

As the leaver rate is (selectors.baseline): the current returns of the WINDOW_MONTHS up to a
month; each cost is total cost over total FTE of the months that give it, and the published
default of the staff group and organisation kind (projection.costs) where none does.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from core.calendar import month_add
from core.models import Organisation
from workforce.models import StaffingReturn, StaffingReturnRow
from workforce.projection.costs import (
    CostPerFte,
    Month,
    default_cost_per_fte,
    measured_cost_per_fte,
)

from .baseline import WINDOW_MONTHS, _figure

__all__ = ["cost_per_fte_for"]


def cost_per_fte_for(organisation: Organisation, month: datetime.date) -> dict[str, CostPerFte]:
    """By staff group code: the cost per FTE over the window ending at `month`. One query."""
    rows = StaffingReturnRow.objects.filter(
        staffing_return__organisation=organisation,
        staffing_return__status=StaffingReturn.Status.SUBMITTED,
        staffing_return__period__gt=month_add(month, -WINDOW_MONTHS),
        staffing_return__period__lte=month,
    ).values_list(
        "staff_group__code",
        "fte",
        "pay_cost",
        "bank_fte",
        "bank_cost",
        "agency_fte",
        "agency_cost",
    )
    months: dict[str, list[Month]] = defaultdict(list)
    for group, fte, pay, bank_fte, bank, agency_fte, agency in rows:
        months[group].append(
            (
                float(fte),
                _figure(pay),
                float(bank_fte),
                _figure(bank),
                float(agency_fte),
                _figure(agency),
            )
        )
    return {
        group: measured_cost_per_fte(history, default_cost_per_fte(group, organisation.kind))
        for group, history in months.items()
    }
