"""The three-year education plan of one ICS, as its page shows it.

Intakes by programme against the capacity of the system's organisations (the caps are the
pipeline's own, so the page flags exactly what the projection caps), that capacity by
placement sector (and, for a programme whose weeks are split across sectors, each part's
demand for weeks against its capacity), the practice educators by sector, the share of
clinical training through apprenticeships against the national ambition, and the effect of
the plan on newly qualified supply: the plan as it is against intakes held at this year's
level.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, Sum
from django.utils import timezone

from core.calendar import financial_year
from core.kinds import PLANNING_SECTORS, planning_sector
from core.models import ICS, Organisation, StaffGroup
from core.selectors.reference import scope_members
from education import pipeline
from education.models import ApprenticeshipStart, EducatorCapacity, Programme
from education.placement_sectors import part_label
from education.plan_measures import (
    SectorCapacity,
    ambition_for,
    apprenticeship_share,
    capacity_by_sector,
    intakes_held_at_year,
)

from .pipeline_inputs import at_or_before, pipeline_inputs_for

PLAN_YEARS = 3  # the plan looks this many academic years ahead of the current one
PAST_YEARS = 2  # and shows this many before it, with their actual starts
# Supply is shown this many financial years ahead: the longest course (five years) started
# in the last plan year qualifies within it.
SUPPLY_HORIZON = 8
LAST_AMBITION_YEAR = 2031
# Registered professions outside the hospital and community taxonomy's professionally
# qualified clinical staff: their training counts as training for clinical staff too.
CLINICAL_OUTSIDE_HCHS = {"PC-GP", "PC-NUR", "SC-RN"}
CLINICAL_PARENT = "PQC"
CLINICAL_ROUTES = {
    Programme.Route.DEGREE,
    Programme.Route.APPRENTICESHIP,
    Programme.Route.POSTGRADUATE,
}


@dataclass(frozen=True)
class IntakeCell:
    year: int
    recorded: bool  # a record exists for the year (else the plan carries from before)
    planned: float | None
    actual: float | None
    capacity: float | None  # placement places the system's organisations offer
    cap: pipeline.CapApplied | None  # the cap the pipeline applies, if the plan exceeds it


@dataclass(frozen=True)
class ProgrammePlan:
    programme: Programme
    cells: list[IntakeCell]

    @property
    def flagged(self) -> bool:
        return any(cell.cap is not None for cell in self.cells)


@dataclass(frozen=True)
class EducatorYear:
    year: int
    students: float | None  # students the practice educators can support
    places_offered: float  # placement places over every programme

    @property
    def short(self) -> bool:
        return self.students is not None and self.students < self.places_offered


@dataclass(frozen=True)
class SectorRow:
    """Placement capacity of one placement sector (None: places attributed to none)."""

    sector: str | None
    years: list[SectorCapacity | None]  # None: no places recorded that year


@dataclass(frozen=True)
class PartRow:
    """One part of a programme's split weeks: its demand and capacity each year."""

    sectors: tuple[str, ...]
    weeks: float
    cells: list[pipeline.PartUse | None]  # None: no intake that year

    @property
    def label(self) -> str:
        return part_label(self.sectors)


@dataclass(frozen=True)
class ProgrammeSplit:
    """A programme whose placement weeks are split across sectors, part by part."""

    programme: Programme
    parts: list[PartRow]
    # Places recorded in a sector outside the split (or in none), which count for no part.
    uncounted: list[float]

    @property
    def has_uncounted(self) -> bool:
        return any(self.uncounted)


@dataclass(frozen=True)
class EducatorSector:
    """Students the practice educators of one planning sector's organisations can support."""

    sector: str  # core.kinds planning sector code
    label: str
    students: list[float | None]  # by academic year; None: none recorded


@dataclass(frozen=True)
class ShareYear:
    year: int
    apprenticeships: float
    total: float
    ambition: float | None

    @property
    def share(self) -> float | None:
        return self.apprenticeships / self.total if self.total else None

    @property
    def below_ambition(self) -> bool:
        return self.ambition is not None and (self.share or 0.0) < self.ambition


@dataclass(frozen=True)
class SupplyRow:
    staff_group: StaffGroup
    with_plan: list[float]
    held: list[float]

    @property
    def difference(self) -> list[float]:
        return [a - b for a, b in zip(self.with_plan, self.held, strict=True)]


@dataclass(frozen=True)
class ThreeYearPlan:
    ics: ICS
    baseline_year: int  # the financial year of today; its September is the current intake
    years: list[int]  # academic years of the intake table
    plan_years: list[int]  # the academic years the plan can still change, three ahead
    programmes: list[ProgrammePlan]
    shortfalls: list[tuple[Programme, pipeline.CapApplied]]  # this year to the last shown
    sector_capacity: list[SectorRow]
    splits: list[ProgrammeSplit]
    educators: list[EducatorYear]
    educators_by_sector: list[EducatorSector]
    share: list[ShareYear]
    supply_years: list[int]  # financial years
    supply: list[SupplyRow]
    recorded_apprenticeships: list[dict]  # academic_year, total, levy_funded_total
    organisations: list[Organisation]  # the members whose capacity counts


def membership_day(ics: ICS, today: datetime.date) -> datetime.date:
    """Today, or the last day of a system that no longer exists (its members then)."""
    if ics.valid_to is not None and ics.valid_to <= today:
        return ics.valid_to - datetime.timedelta(days=1)
    return max(today, ics.valid_from)


def three_year_plan(*, ics: ICS, today: datetime.date | None = None) -> ThreeYearPlan:
    today = today or timezone.localdate()
    on = membership_day(ics, today)
    base = financial_year(today)
    first_changeable = pipeline.first_changeable_academic_year(base)
    years = list(range(base - PAST_YEARS, first_changeable + PLAN_YEARS + 1))
    last_supply = base + SUPPLY_HORIZON
    programmes, intakes, placements, educators = pipeline_inputs_for(ics=ics, on=on)

    # Every run starts at the first year shown, so caps and carried plans cover all columns;
    # the supply of a financial year does not depend on where a run starts.
    def run(intakes_used, *, capped: bool, last: int) -> pipeline.PipelineResult:
        return pipeline.newly_qualified_supply(
            programmes=programmes,
            intakes=intakes_used,
            placements=placements if capped else [],
            educators=educators if capped else [],
            baseline_year=years[0],
            horizon=last - years[0],
        )

    with_plan = run(intakes, capped=True, last=last_supply)
    held = run(intakes_held_at_year(intakes, academic_year=base), capped=True, last=last_supply)
    share_last = max(LAST_AMBITION_YEAR, years[-1])
    uncapped = run(intakes, capped=False, last=share_last)

    catalogue = {p.code: p for p in Programme.objects.select_related("staff_group__parent")}
    records = {(i.programme, i.academic_year): i for i in intakes}
    caps = {(c.programme, c.academic_year): c for c in with_plan.caps}
    flows = {p.code: p for p in programmes}
    recorded = pipeline.RecordedPlaces(placements, flows)

    def capacity(code: str, year: int) -> float | None:
        tightest = recorded.tightest(ics.code, code, year)
        return None if tightest is None else tightest[2]

    planned_codes = sorted(
        {i.programme for i in intakes},
        key=lambda c: (catalogue[c].staff_group.sort_order, c),
    )
    rows = []
    for code in planned_codes:
        carried = uncapped.effective_intake.get((ics.code, code), {})
        cells = []
        for year in years:
            record = records.get((code, year))
            cells.append(
                IntakeCell(
                    year=year,
                    recorded=record is not None,
                    planned=record.planned_places if record else carried.get(year),
                    actual=record.actual_starts if record else None,
                    capacity=capacity(code, year),
                    cap=caps.get((code, year)),
                )
            )
        rows.append(ProgrammePlan(catalogue[code], cells))

    students = {e.academic_year: e.educator_fte * e.students_per_educator for e in educators}
    educator_years = [
        EducatorYear(year, at_or_before(students, year), recorded.offered(ics.code, year))
        for year in years
    ]
    by_sector = capacity_by_sector(recorded, flows, ics=ics.code, years=years)
    splits = [
        _split_of(catalogue[code], flows[code], with_plan, recorded, ics.code, years)
        for code in planned_codes
        if flows[code].placement_split
    ]

    clinical = {
        code: uncapped.effective_intake.get((ics.code, code), {})
        for code, p in catalogue.items()
        if p.route in CLINICAL_ROUTES
        and (
            p.staff_group.code in CLINICAL_OUTSIDE_HCHS
            or (p.staff_group.parent is not None and p.staff_group.parent.code == CLINICAL_PARENT)
        )
    }
    apprenticeships = {c for c in clinical if catalogue[c].route == Programme.Route.APPRENTICESHIP}
    share_years = list(range(years[0], share_last + 1))
    share = [
        ShareYear(year, through, total, ambition_for(year))
        for year, (through, total) in apprenticeship_share(
            clinical, apprenticeships=apprenticeships, years=share_years
        ).items()
    ]

    supply_years = list(range(base, last_supply + 1))
    offset = base - years[0]
    groups = {p.staff_group.code: p.staff_group for p in catalogue.values()}
    supply = [
        SupplyRow(
            groups[group],
            series[offset:],
            held.newly_qualified.get((ics.code, group), [0.0] * len(series))[offset:],
        )
        for (_, group), series in with_plan.newly_qualified.items()
    ]
    supply.sort(key=lambda row: row.staff_group.sort_order)

    member_ids = list(scope_members(ics=ics, on=on))
    return ThreeYearPlan(
        ics=ics,
        baseline_year=base,
        years=years,
        plan_years=list(range(first_changeable, first_changeable + PLAN_YEARS)),
        programmes=rows,
        shortfalls=[
            (catalogue[c.programme], c)
            for c in sorted(with_plan.caps, key=lambda c: (c.academic_year, c.programme))
            if base <= c.academic_year <= years[-1]
        ],
        sector_capacity=[
            SectorRow(sector, [cells.get(year) for year in years])
            for sector, cells in by_sector.items()
        ],
        splits=splits,
        educators=educator_years,
        educators_by_sector=_educators_by_sector(member_ids, years),
        share=share,
        supply_years=supply_years,
        supply=supply,
        recorded_apprenticeships=list(
            ApprenticeshipStart.objects.filter(organisation_id__in=member_ids)
            .values("academic_year")
            .annotate(
                total=Sum("starts"), levy_funded_total=Sum("starts", filter=Q(levy_funded=True))
            )
            .order_by("academic_year")
        ),
        organisations=list(Organisation.objects.filter(pk__in=member_ids).order_by("name")),
    )


def _split_of(
    programme: Programme,
    flow: pipeline.Programme,
    result: pipeline.PipelineResult,
    recorded: pipeline.RecordedPlaces,
    ics_code: str,
    years: list[int],
) -> ProgrammeSplit:
    uses = result.placement_use.get((ics_code, flow.code), {})
    counted = {sector for part in flow.placement_split for sector in part.sectors}
    return ProgrammeSplit(
        programme=programme,
        parts=[
            PartRow(part.sectors, part.weeks, [uses[y][i] if y in uses else None for y in years])
            for i, part in enumerate(flow.placement_split)
        ],
        uncounted=[
            sum(
                n
                for sector, n in recorded.by_sector(ics_code, flow.code, year).items()
                if sector not in counted
            )
            for year in years
        ],
    )


def _educators_by_sector(member_ids: list[int], years: list[int]) -> list[EducatorSector]:
    """Educator students of the members by the planning sector of their kind, each
    organisation's latest figure carried forward (one query)."""
    by_organisation: dict[int, tuple[str | None, dict[int, float]]] = {}
    for org_id, kind, year, fte, per in EducatorCapacity.objects.filter(
        organisation_id__in=member_ids
    ).values_list(
        "organisation_id",
        "organisation__kind",
        "academic_year",
        "educator_fte",
        "students_per_educator",
    ):
        by_organisation.setdefault(org_id, (planning_sector(kind), {}))[1][year] = float(fte * per)
    rows = []
    for code, label in PLANNING_SECTORS:
        figures = [by_year for sector, by_year in by_organisation.values() if sector == code]
        if not figures:
            continue
        students = []
        for year in years:
            known = [
                n for by_year in figures for n in [at_or_before(by_year, year)] if n is not None
            ]
            students.append(sum(known) if known else None)
        rows.append(EducatorSector(code, label, students))
    return rows
