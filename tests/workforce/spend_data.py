"""Runs whose results carry money, built directly: a system's (or the nation's) all-staff
rows from the baseline year 2026/27 to 2029/30 with bank and agency spend."""

from __future__ import annotations

import datetime

from core.models import ICS, StaffGroup, User
from workforce.models import ProjectionResult, ProjectionRun, Scenario

FTE_COLUMNS = [f"{m}_{p}" for m in ("supply", "demand", "gap") for p in ("p10", "p50", "p90")]
YEARS = (2026, 2027, 2028, 2029)
# Bank spend P50 by year, GBP; P10 is 10% below it and P90 10% above. Agency is half of it.
BANK_P50 = {2026: 2_000_000.0, 2027: 1_900_000.0, 2028: 1_700_000.0, 2029: 1_500_000.0}


def _money(year: int) -> dict[str, float]:
    bank = BANK_P50[year]
    values: dict[str, float] = {}
    for kind, p50 in (("bank", bank), ("agency", bank / 2)):
        values |= {
            f"{kind}_spend_p10": p50 * 0.9,
            f"{kind}_spend_p50": p50,
            f"{kind}_spend_p90": p50 * 1.1,
        }
    return values


def money_run(
    user: User,
    ics: ICS | None,
    *,
    costs: bool = True,
    entities: tuple[tuple[str, str], ...] | None = None,
    status: str = ProjectionRun.Status.SUCCEEDED,
) -> ProjectionRun:
    """A run of `ics` (None: national) with all-staff rows of each entity ((level, code);
    by default the run's own) for YEARS; `costs=False` leaves the money columns empty. In
    2028/29 the plan limits bank spend to 1.6m (probability 0.3) and agency to 1m (0.9)."""
    run = ProjectionRun.objects.create(
        scenario=Scenario.objects.get_or_create(ics=ics, name="Money")[0],
        ics=ics,
        baseline_period=datetime.date(2026, 10, 1),
        status=status,
        progress=100,
        requested_by=user,
        draws=100,
        horizon=3,
    )
    everyone = StaffGroup.objects.get(code="ALL")
    if entities is None:
        entities = (("ics", ics.code),) if ics else (("national", "ENG"),)
    for level, code in entities:
        for year in YEARS:
            extra = _money(year) if costs else {}
            if costs and year == 2028:
                extra |= {
                    "bank_spend_limit": 1_600_000.0,
                    "probability_within_bank_limit": 0.3,
                    "agency_spend_limit": 1_000_000.0,
                    "probability_within_agency_limit": 0.9,
                }
            ProjectionResult.objects.create(
                run=run,
                level=level,
                entity_code=code,
                staff_group=everyone,
                year=year,
                **dict.fromkeys(FTE_COLUMNS, 100.0),
                **extra,
            )
    return run
