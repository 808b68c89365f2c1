"""A run's results as every dashboard reads them: the shapes (`Band`, `GroupYear`, ...)
shared by the system dashboard, the comparison, the national view and the sector table, and
the queries that fill them.

A result row's `sector` is "" for the rows that sum every sector, or a planning sector's code
(`core.kinds`) for that sector's own rows. A system's or the nation's total is always read
from the "" rows: adding the sector rows to them would count every organisation twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import F, QuerySet

from core.models import StaffGroup
from workforce.models import ProjectionResult
from workforce.projection.results import MONEY_COLUMNS

TOTAL = "ALL"  # the staff group that sums every other: the dashboard's default
ALL_SECTORS = ""  # the sector of the results that sum every sector
# The probability of meeting a target as a RAG status (docs/decisions.md).
RED_BELOW = 0.5
GREEN_FROM = 0.8


PLAN_YEARS = 5  # the view opens nearest five years on, a five-year plan's horizon


def most_targeted_year(targeted: Iterable[tuple[str, int]], years: Sequence[int]) -> int | None:
    """The year in which most of the groups that have a target at all have one, nearest to
    five years on from the first of `years` (a run's years: a five-year plan's horizon), the
    earlier on a tie; failing a majority in any year, the years with the most targets stand
    in. None without targets. `targeted`: (group, year) of each target, a group being a staff
    group or a system's staff group. One new target in a far year never moves the view."""
    by_year: dict[int, set[str]] = {}
    for group, year in targeted:
        by_year.setdefault(year, set()).add(group)
    if not by_year:
        return None
    groups = set().union(*by_year.values())
    chosen = [year for year, held in by_year.items() if 2 * len(held) > len(groups)]
    if not chosen:
        most = max(len(held) for held in by_year.values())
        chosen = [year for year, held in by_year.items() if len(held) == most]
    horizon = (years[0] if years else min(by_year)) + PLAN_YEARS
    return min(chosen, key=lambda year: (abs(year - horizon), year))


def rag(probability: float | None) -> str | None:
    """Green at 80% or more, "amber" from 50% to under 80%, "red" under 50%."""
    if probability is None:
        return None
    if probability >= GREEN_FROM:
        return "green"
    return "amber" if probability >= RED_BELOW else "red"


@dataclass(frozen=True)
class Band:
    """A figure's P10, P50 (median) and P90 over the draws."""

    p10: float
    p50: float
    p90: float


@dataclass(frozen=True)
class Limit:
    """A financial plan's limit on one spend, and the share of draws keeping within it."""

    amount: float
    probability: float

    @property
    def rag(self) -> str | None:
        return rag(self.probability)


@dataclass(frozen=True)
class Money:
    """What a group's workforce costs in a year: the substantive pay bill, bank and agency
    spend and their total (each summed per draw, then its band), with the plan's limits."""

    pay_bill: Band
    bank: Band
    agency: Band
    total: Band
    pay_budget: Limit | None
    bank_limit: Limit | None
    agency_limit: Limit | None

    @property
    def temporary(self) -> float:
        """Bank and agency spend at their medians."""
        return self.bank.p50 + self.agency.p50


def _limit(row: dict, amount: str, probability: str) -> Limit | None:
    if row.get(amount) is None:
        return None
    return Limit(row[amount], row[probability])


def _money(row: dict) -> Money | None:
    if row.get("pay_bill_p50") is None:
        return None
    return Money(
        pay_bill=_band(row, "pay_bill"),
        bank=_band(row, "bank_spend"),
        agency=_band(row, "agency_spend"),
        total=_band(row, "total_spend"),
        pay_budget=_limit(row, "pay_budget", "probability_within_pay_budget"),
        bank_limit=_limit(row, "bank_spend_limit", "probability_within_bank_limit"),
        agency_limit=_limit(row, "agency_spend_limit", "probability_within_agency_limit"),
    )


@dataclass(frozen=True)
class GroupYear:
    """One ICS's projection for one staff group and financial year."""

    staff_group: str
    year: int
    supply: Band
    demand: Band
    gap: Band  # demand - supply: above zero is a shortfall
    target_fte: float | None
    probability: float | None  # of supply meeting the target
    # GBP in the year at its own prices; None in a run with no cost for the group.
    money: Money | None = None

    @property
    def rag(self) -> str | None:
        return rag(self.probability)

    @property
    def gap_to_target(self) -> float | None:
        """The plan target minus median supply: above zero, supply falls short of the plan
        (beside `gap`, the shortfall against demand; docs/glossary.md)."""
        return None if self.target_fte is None else self.target_fte - self.supply.p50


@dataclass(frozen=True)
class StaffGroupLabel:
    code: str
    name: str
    reportable: bool
    sector: str = "all"  # StaffGroup.sector: hchs, primary_care, social_care or all
    parent: str | None = None  # the parent group's code


def staff_group_labels() -> list[StaffGroupLabel]:
    return [
        StaffGroupLabel(*values)
        for values in StaffGroup.objects.order_by("sort_order").values_list(
            "code", "name", "reportable", "sector", "parent__code"
        )
    ]


def _band(row: dict, name: str) -> Band:
    return Band(row[f"{name}_p10"], row[f"{name}_p50"], row[f"{name}_p90"])


RESULT_VALUES = (
    "year",
    *(f"{measure}_{p}" for measure in ("supply", "demand", "gap") for p in ("p10", "p50", "p90")),
    "target_fte",
    "probability_meets_target",
    *MONEY_COLUMNS,
)


def group_years(rows: Iterable[dict]) -> list[GroupYear]:
    """ProjectionResult value dicts (with `code`, the staff group's) as GroupYear."""
    return [
        GroupYear(
            staff_group=row["code"],
            year=row["year"],
            supply=_band(row, "supply"),
            demand=_band(row, "demand"),
            gap=_band(row, "gap"),
            target_fte=row["target_fte"],
            probability=row["probability_meets_target"],
            money=_money(row),
        )
        for row in rows
    ]


def ics_results(run_ids: Sequence[int], ics_code: str, sector: str = ALL_SECTORS) -> QuerySet:
    """The ICS-level results of runs (by the id their results are stored under) for every
    sector together, or for one sector's own rows, as dicts with `run_id` and `code`, in
    staff group and year order. One query."""
    return (
        ProjectionResult.objects.filter(
            run_id__in=list(run_ids),
            level=ProjectionResult.Level.ICS,
            entity_code=ics_code,
            sector=sector,
        )
        .values("run_id", *RESULT_VALUES, code=F("staff_group__code"))
        .order_by("run_id", "staff_group__sort_order", "year")
    )


def ics_targets(run_id: int, ics_code: str) -> list[GroupYear]:
    """The ICS-level results of a run that carry a plan target (all sectors). One query."""
    return group_years(ics_results([run_id], ics_code).filter(target_fte__isnull=False))
