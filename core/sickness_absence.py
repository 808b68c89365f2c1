"""NHS England's Sickness Absence Rates by organisation (the shipped March 2025 file,
core/reference_data/nhs_sickness_absence_rates_2025-03_org_ics.csv), read as each
organisation's FTE days lost and available, so that a rate for any set of organisations is
their days lost over their days available. Pure: no Django."""

from __future__ import annotations

import csv
import datetime
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

FILE_NAME = "nhs_sickness_absence_rates_2025-03_org_ics.csv"
MONTH = datetime.date(2025, 3, 1)  # the month the shipped file describes
SOURCE = "NHS England, NHS Sickness Absence Rates, March 2025"


@dataclass(frozen=True)
class DaysLost:
    lost: float  # FTE days lost to sickness absence in the month
    available: float  # FTE days available


@lru_cache(maxsize=4)
def days_by_organisation(path: Path) -> dict[str, DaysLost]:
    """{ODS code: DaysLost} for every organisation of the file (trusts, ICBs, support units)."""
    days = {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            days[row["ORG_CODE"]] = DaysLost(
                float(row["FTE_DAYS_LOST"]), float(row["FTE_DAYS_AVAILABLE"])
            )
    return days


def sickness_rate(days: dict[str, DaysLost], codes: set[str]) -> float | None:
    """The sickness absence rate (0-1) of the organisations `codes` together; None when the
    file has none of them."""
    found = [days[code] for code in codes if code in days]
    available = sum(d.available for d in found)
    return sum(d.lost for d in found) / available if available else None
