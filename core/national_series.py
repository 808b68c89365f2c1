"""The shipped national NHS Workforce Statistics series: pure, no Django.

`core/reference_data/nhs_hchs_workforce_national_monthly_2009-09_to_2026-02.csv` holds FTE
and headcount for England's HCHS staff groups, monthly from September 2009. Its metrics are
named "FTE: <main group> - <staff group>"; NATIONAL_NAMES maps the staff groups the planner
reports (its leaf groups) to their codes.
"""

from __future__ import annotations

import csv
import datetime
from pathlib import Path

NATIONAL_SERIES_PATH = (
    Path(__file__).resolve().parent
    / "reference_data"
    / "nhs_hchs_workforce_national_monthly_2009-09_to_2026-02.csv"
)
NATIONAL_NAMES = {
    "HCHS doctors - All grades": "DOC",
    "Nurses & health visitors": "NUR",
    "Midwives": "MID",
    "Ambulance staff": "AMB",
    "Scientific, therapeutic & technical staff": "STT",
    "Support to doctors, nurses & midwives": "SUP-DNM",
    "Support to ambulance staff": "SUP-AMB",
    "Support to ST&T staff": "SUP-STT",
    "Central functions": "INF-CEN",
    "Hotel, property & estates": "INF-HPE",
    "Senior managers": "INF-SM",
    "Managers": "INF-MGR",
    "Unknown classification": "OTH",
}
MEASURES = {"FTE": "fte", "Headcount": "headcount"}


def read_national_series(
    path: Path = NATIONAL_SERIES_PATH,
) -> dict[str, dict[tuple[str, datetime.date], float]]:
    """{"fte"|"headcount": {(staff group code, first of the month): value}} for the leaf
    groups of NATIONAL_NAMES; the main groups' totals and the doctors' grades are left out."""
    series: dict[str, dict[tuple[str, datetime.date], float]] = {m: {} for m in MEASURES.values()}
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            measure, _, name = row["metric"].partition(": ")
            code = NATIONAL_NAMES.get(name.split(" - ", 1)[1]) if " - " in name else None
            if code and measure in MEASURES:
                month = datetime.date(int(row["date"][:4]), int(row["date"][5:7]), 1)
                series[MEASURES[measure]][(code, month)] = float(row["value"])
    return series
