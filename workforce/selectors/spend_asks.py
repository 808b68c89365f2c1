"""A run's projected bank and agency spend against the national asks and the plan's limits.

For one system (or the nation) and one staff group (all staff by default), each year's
projected spend P10, P50 and P90 (GBP, nominal: `ProjectionResult`'s money columns, the
all-sector rows) beside the national ask's limit from the baseline year's spend
(`workforce.plans.national_asks`) and the plan target's limit with the share of draws within
it, as the run stored them. The probability of meeting an ask is not known from three
percentiles, so the ask's column says where the limit falls among them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.calendar import financial_year, year_label
from core.errors import ApplicationError
from workforce.models import ProjectionResult, ProjectionRun
from workforce.plans import national_asks
from workforce.projection.results import NATIONAL_CODE

from .dashboards_results import TOTAL

NO_COSTS = "This run has no costs"


@dataclass(frozen=True)
class Spend:
    """One kind of temporary staffing spend in one year."""

    p10: float
    p50: float
    p90: float
    ask_limit: float | None  # the national asks' limit
    plan_limit: float | None  # the plan target's limit
    probability_within_plan_limit: float | None

    @property
    def against_ask(self) -> str | None:
        """Where the ask's limit falls among the percentiles: "within" when even P90 is
        within it, "likely" when P50 is, "unlikely" when P10 is, "beyond" when none is."""
        if self.ask_limit is None:
            return None
        for name, value in (("within", self.p90), ("likely", self.p50), ("unlikely", self.p10)):
            if value <= self.ask_limit:
                return name
        return "beyond"


@dataclass(frozen=True)
class SpendYear:
    year: int
    bank: Spend
    agency: Spend

    @property
    def label(self) -> str:
        return year_label(self.year)

    @property
    def kinds(self) -> tuple[tuple[str, Spend], tuple[str, Spend]]:
        """(label, spend) of bank, then agency, as a table lists them."""
        return (("Bank", self.bank), ("Agency", self.agency))


@dataclass(frozen=True)
class SpendAsks:
    run_id: int
    entity: str  # the ICS code, or ENG for the nation
    staff_group: str
    baseline_year: int
    years: list[SpendYear]  # after the baseline year; empty when the run has no costs
    asks: tuple[national_asks.SpendAsk, ...] = field(default=national_asks.NATIONAL_ASKS)

    @property
    def has_costs(self) -> bool:
        return bool(self.years)

    @property
    def message(self) -> str | None:
        return None if self.has_costs else NO_COSTS


_VALUES = (
    *(f"{kind}_spend_{p}" for kind in national_asks.KINDS for p in ("p10", "p50", "p90")),
    *(f"{kind}_spend_limit" for kind in national_asks.KINDS),
    *(f"probability_within_{kind}_limit" for kind in national_asks.KINDS),
)


def _entity(run: ProjectionRun, ics_code: str | None) -> tuple[str, str]:
    """The level and entity asked about; ApplicationError naming `ics` for a system that is
    not the run's."""
    code = (ics_code or "").strip().upper()
    if run.ics_id is not None:
        if code and code != run.ics.code:
            raise ApplicationError(
                [{"field": "ics", "message": f"This run is of {run.ics.code} only."}]
            )
        return ProjectionResult.Level.ICS, run.ics.code
    if code:
        return ProjectionResult.Level.ICS, code
    return ProjectionResult.Level.NATIONAL, NATIONAL_CODE


def spend_asks_for(
    *, run: ProjectionRun, ics_code: str | None = None, staff_group: str | None = None
) -> SpendAsks:
    """The run's bank and agency spend by year against the asks and the plan's limits, for
    the run's system (a national run: the nation, or the system `ics_code`). One query.

    A run whose rows carry no money (or none for the baseline year) has no costs: `years`
    is empty and `message` says so, rather than showing zeros."""
    if run.status != ProjectionRun.Status.SUCCEEDED:
        raise ApplicationError(
            f"Run {run.pk} is {run.status}: it has no results yet.", status_code=409
        )
    level, entity = _entity(run, ics_code)
    group = (staff_group or TOTAL).strip().upper()
    baseline_year = financial_year(run.baseline_period)
    rows = list(
        ProjectionResult.objects.filter(
            run_id=run.result_source_id,
            level=level,
            entity_code=entity,
            sector="",
            staff_group__code=group,
        )
        .order_by("year")
        .values("year", *_VALUES)
    )
    asked = SpendAsks(
        run_id=run.pk, entity=entity, staff_group=group, baseline_year=baseline_year, years=[]
    )
    base = next((r for r in rows if r["year"] == baseline_year), None)
    if base is None or base["bank_spend_p50"] is None or base["agency_spend_p50"] is None:
        return asked
    later = [r for r in rows if r["year"] > baseline_year and r["bank_spend_p50"] is not None]
    years = [r["year"] for r in later]
    limits = {
        kind: national_asks.ask_limits(
            kind,
            baseline_year=baseline_year,
            baseline_spend=base[f"{kind}_spend_p50"],
            years=years,
        )
        for kind in national_asks.KINDS
    }

    def spend(row: dict, kind: str) -> Spend:
        return Spend(
            p10=row[f"{kind}_spend_p10"],
            p50=row[f"{kind}_spend_p50"],
            p90=row[f"{kind}_spend_p90"],
            ask_limit=limits[kind].get(row["year"]),
            plan_limit=row[f"{kind}_spend_limit"],
            probability_within_plan_limit=row[f"probability_within_{kind}_limit"],
        )

    return SpendAsks(
        run_id=run.pk,
        entity=entity,
        staff_group=group,
        baseline_year=baseline_year,
        years=[SpendYear(r["year"], spend(r, "bank"), spend(r, "agency")) for r in later],
    )
