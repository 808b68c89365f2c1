"""Figures for backtest tests: a system's published figures each September."""

from __future__ import annotations

import datetime

from core.models import ICS, Organisation
from core.selectors.reference import scope_members

from .projection_data import BASELINE, publish


def system_with_history(ics_code: str = "QKK", years: range = range(2016, 2026)) -> ICS:
    """Three trusts of the system with nurses and doctors published each September, the
    nurses growing 2% a year."""
    ics = ICS.objects.get(code=ics_code)
    members = Organisation.objects.filter(pk__in=scope_members(ics=ics, on=BASELINE))
    for i, organisation in enumerate(members.order_by("code")[:3]):
        for year in years:
            growth = 1.02 ** (year - years[0])
            publish(
                organisation,
                {"NUR": round((1000 + 100 * i) * growth, 2), "DOC": 300 + 10 * i},
                month=datetime.date(year, 9, 1),
            )
    return ics
