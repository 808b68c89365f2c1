"""A system among its peers: its vacancy, leaver, sickness absence and temporary staffing
rates, and its projected shortfall as a share of demand, each with its rank and percentile
among every system in England and among its region's. Reads only.

Every system is measured the same way, from the same months and the same national run, so
that the comparison is like for like:
- vacancy, leaver and temporary staffing rates from the current returns of the system's
  members of the day, over the twelve months to the latest month any return describes;
- sickness absence from NHS England's published rates by organisation (core.sickness_absence),
  the same month for every system;
- the shortfall against demand (all staff, every sector, P50) over P50 demand, from the
  latest succeeded national run of the national central scenario.

A system's users see where it stands and the spread of the others (lowest, median, highest),
never another system's figures by name.
"""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Max, Q, QuerySet, Sum

from core.calendar import financial_year, month_add, year_label
from core.errors import ApplicationError
from core.models import ICS, OrganisationMembership, valid_on_q
from core.services.reference_data import REFERENCE_DATA_DIR
from core.sickness_absence import FILE_NAME, MONTH, SOURCE, days_by_organisation, sickness_rate
from workforce.models import (
    ProjectionResult,
    ProjectionRun,
    Scenario,
    StaffingReturn,
    StaffingReturnRow,
)

from .dashboards_results import ALL_SECTORS, TOTAL

RETURN_MONTHS = 12
PLACES = 4  # rates to a hundredth of a percentage point, as returns and publications give them
SHORTFALL_YEARS_AHEAD = 5  # the year compared when none is asked for: five years on


@dataclass(frozen=True)
class Standing:
    """Where one value stands among the values of a set of systems (its own included)."""

    rank: int  # 1 + how many systems have a lower value: ties share a rank
    of: int  # how many systems have a value
    percentile: float | None  # the share (0-1) of the other systems with a lower value
    lowest: float
    median: float
    highest: float


@dataclass(frozen=True)
class PeerMeasure:
    key: str
    label: str
    value: float | None  # a fraction 0-1; None: the system has no figure for it
    england: Standing | None
    region: Standing | None
    source: str


@dataclass
class SystemPeers:
    ics: ICS
    on: datetime.date  # the day whose systems and members are compared
    returns_from: datetime.date | None  # the months of returns the rates are measured over
    returns_to: datetime.date | None
    run: ProjectionRun | None  # the national run the shortfall is read from
    year: int | None  # the financial year of the shortfall
    measures: list[PeerMeasure] = field(default_factory=list)

    def measure(self, key: str) -> PeerMeasure:
        return next(m for m in self.measures if m.key == key)

    @property
    def sources(self) -> list[tuple[str, list[str]]]:
        """Each source with the labels of the measures read from it, in the measures' order."""
        found: dict[str, list[str]] = {}
        for m in self.measures:
            found.setdefault(m.source, []).append(m.label)
        return list(found.items())


def standing(value: float | None, values: Iterable[float]) -> Standing | None:
    """The rank and percentile of `value` among `values` (which hold it). Rank 1 is the
    lowest; the percentile is the share of the others below it: 0 the lowest, 1 the highest."""
    values = sorted(values)
    if value is None or not values:
        return None
    below = sum(1 for v in values if v < value)
    others = len(values) - 1
    return Standing(
        rank=below + 1,
        of=len(values),
        percentile=below / others if others else None,
        lowest=values[0],
        median=statistics.median(values),
        highest=values[-1],
    )


def _on(ics: ICS, today: datetime.date) -> datetime.date:
    """Today, or the system's last (or first) day when it is not open today."""
    on = today
    if ics.valid_to is not None and on >= ics.valid_to:
        on = ics.valid_to - datetime.timedelta(days=1)
    return max(on, ics.valid_from)


def _ratio(top: float, bottom: float) -> float | None:
    return round(top / bottom, PLACES) if bottom else None


def _returns_rates(
    memberships: QuerySet, members: dict[int, str]
) -> tuple[dict[str, dict[str, float | None]], datetime.date | None, datetime.date | None]:
    """Each system's vacancy, leaver and temporary staffing rates from its members' current
    returns over the last RETURN_MONTHS months of returns; and those months. Two queries."""
    rows = StaffingReturnRow.objects.filter(
        staffing_return__status=StaffingReturn.Status.SUBMITTED,
        staffing_return__organisation__in=memberships.values("organisation_id"),
    )
    latest = rows.aggregate(latest=Max("staffing_return__period"))["latest"]
    if latest is None:
        return {}, None, None
    start = month_add(latest, -(RETURN_MONTHS - 1))
    sums = (
        rows.filter(staffing_return__period__gte=start, staffing_return__period__lte=latest)
        .values("staffing_return__organisation_id")
        .annotate(
            in_post=Sum("fte"),
            bank=Sum("bank_fte"),
            agency=Sum("agency_fte"),
            vacancies=Sum("vacancies_fte"),
            with_vacancies=Sum("fte", filter=Q(vacancies_fte__isnull=False)),
            leavers=Sum("leavers_fte"),
            with_leavers=Sum("fte", filter=Q(leavers_fte__isnull=False)),
        )
        .order_by()
    )
    totals: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for row in sums:
        system = totals[members[row["staffing_return__organisation_id"]]]
        for name, value in row.items():
            if name != "staffing_return__organisation_id" and value is not None:
                system[name] += float(value)  # a figure no return gives stays absent
    rates = {}
    for code, t in totals.items():
        working = t["in_post"] + t["bank"] + t["agency"]
        rates[code] = {
            "vacancy_rate": (
                _ratio(t["vacancies"], t["with_vacancies"] + t["vacancies"])
                if "vacancies" in t
                else None
            ),
            # FTE summed over months is FTE-months: twelve times leavers over it is a year's.
            "leaver_rate": (
                _ratio(12 * t["leavers"], t["with_leavers"]) if "leavers" in t else None
            ),
            "temporary_staffing_share": _ratio(t["bank"] + t["agency"], working),
        }
    return rates, start, latest


def _sickness_rates(codes_of_members: dict[str, set[str]]) -> dict[str, float | None]:
    days = days_by_organisation(REFERENCE_DATA_DIR / FILE_NAME)
    rates = {}
    for system, codes in codes_of_members.items():
        rate = sickness_rate(days, codes)
        rates[system] = None if rate is None else round(rate, PLACES)
    return rates


def central_national_run() -> ProjectionRun | None:
    """The latest succeeded national run of the national central scenario."""
    central = Scenario.objects.filter(ics__isnull=True, central=True).first()
    if central is None:
        return None
    return (
        ProjectionRun.objects.filter(
            scenario=central, ics__isnull=True, status=ProjectionRun.Status.SUCCEEDED
        )
        .order_by("-created_at", "-id")
        .first()
    )


def _run_years(run: ProjectionRun) -> list[int]:
    first = financial_year(run.baseline_period)
    return list(range(first, first + (run.horizon or 0) + 1))


def _shortfall_shares(
    run: ProjectionRun | None, year: int | None, systems: set[str]
) -> tuple[dict[str, float | None], int | None]:
    """Each system's P50 shortfall over P50 demand in the year (all staff, every sector)."""
    if run is None:
        return {}, None
    years = _run_years(run)
    if year is None:
        year = years[min(SHORTFALL_YEARS_AHEAD, len(years) - 1)]
    elif year not in years:
        raise ApplicationError(
            f"The national run projects {years[0]} to {years[-1]}: give a year between them."
        )
    rows = ProjectionResult.objects.filter(
        run_id=run.result_source_id,
        level=ProjectionResult.Level.ICS,
        sector=ALL_SECTORS,
        staff_group__code=TOTAL,
        year=year,
        entity_code__in=systems,
    ).values_list("entity_code", "gap_p50", "demand_p50")
    return {code: _ratio(gap, demand) for code, gap, demand in rows}, year


MEASURES = (
    ("vacancy_rate", "Vacancy rate", "returns"),
    ("leaver_rate", "Leaver rate", "returns"),
    ("sickness_absence_rate", "Sickness absence rate", "sickness"),
    ("temporary_staffing_share", "Temporary staffing share (bank and agency)", "returns"),
    ("shortfall_share", "Projected shortfall as a share of demand", "run"),
)


def system_peers(*, ics: ICS, today: datetime.date, year: int | None = None) -> SystemPeers:
    """The system among every system open on its day and among its region's. The caller has
    checked the user may read `ics`. A `year` the national run does not project raises
    ApplicationError (400). Six queries."""
    on = _on(ics, today)
    systems = {s.code: s.region_id for s in ICS.objects.valid_on(on).only("code", "region_id")}
    systems.setdefault(ics.code, ics.region_id)
    memberships = OrganisationMembership.objects.filter(valid_on_q(on), ics__code__in=list(systems))
    members: dict[int, str] = {}
    codes_of_members: dict[str, set[str]] = defaultdict(set)
    for organisation_id, organisation_code, system in memberships.values_list(
        "organisation_id", "organisation__code", "ics__code"
    ):
        members[organisation_id] = system
        codes_of_members[system].add(organisation_code)
    returns, returns_from, returns_to = _returns_rates(memberships, members)
    sickness = _sickness_rates(codes_of_members)
    run = central_national_run()
    shortfall, shown_year = _shortfall_shares(run, year, set(systems))
    by_source = {
        "returns": lambda key: {code: rates[key] for code, rates in returns.items()},
        "sickness": lambda key: sickness,
        "run": lambda key: shortfall,
    }
    sources = {
        "returns": (
            f"Current staffing returns, {returns_from:%B %Y} to {returns_to:%B %Y}"
            if returns_to
            else "No staffing returns yet"
        ),
        "sickness": f"{SOURCE} ({MONTH:%B %Y})",
        "run": (
            f"National projection {run.pk} of the central scenario, {year_label(shown_year)}, "
            "all staff"
            if run
            else "No national projection of the central scenario yet"
        ),
    }
    peers = SystemPeers(ics, on, returns_from, returns_to, run, shown_year)
    for key, label, source in MEASURES:
        values = {c: v for c, v in by_source[source](key).items() if v is not None}
        value = values.get(ics.code)
        region = [v for c, v in values.items() if systems.get(c) == ics.region_id]
        peers.measures.append(
            PeerMeasure(
                key=key,
                label=label,
                value=value,
                england=standing(value, values.values()),
                region=standing(value, region),
                source=sources[source],
            )
        )
    return peers
