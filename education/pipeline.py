"""Newly qualified supply from the education pipeline (docs/design.md section 3).

Pure: plain data in, plain data out, no Django.

Time. An academic year is named by the calendar year its September falls in (2026 for
2026/27), a financial year by the calendar year its April falls in (2028 for 2028/29). A student
who starts in academic year Y on a course of L years qualifies at the end of academic year
Y + L - 1, in the summer of calendar year Y + L, and enters the labour market in financial year
Y + L. Projection year t counts financial years from the baseline financial year, so that
intake arrives in t = Y + L - baseline_year: a three-year course starting in September 2026,
with baseline 2026/27, arrives in t = 3 (2029/30).

Intake for an academic year is the actual starts where recorded (what happened: never capped,
never given extra places), else the planned places of the latest recorded year at or before it
(so the last plan carries forward, and a gap in the plan keeps the plan before it), plus any
extra places, then capped by capacity. Before the first recorded year there is no intake: past
cohorts are not invented.

Capacity, per ICS, programme and academic year, carries forward from the latest recorded year
like intakes; where none is recorded at or before a year, that programme has no cap that year.
- Placements: places summed over the ICS's organisations (by the caller), per placement sector
  (education/placement_sectors.py). A programme whose placement weeks are not split counts
  the places of every sector together (and those attributed to none). A programme whose weeks
  are split (multi-professional rotational placements: 14 weeks acute, 3 community, 3 primary
  or social care) needs each part's weeks in that part's sectors, and the weeks of one part
  cannot be spent in another, so every part must place every student: demand for placement
  weeks in a part is students x its weeks, its capacity is the places of its sectors x its
  weeks, and the intake is capped at the places of the tightest part (the weeks cancel, so the
  cap is the same in students or in weeks). The tightest part is the binding one, and the cap
  names its sectors. A part none of whose sectors has a figure at or before the year sets no
  cap (unknown is not zero, as for a programme with no figure at all); places in a sector
  outside a programme's split, or attributed to none, do not count for it. Every part's
  demand and capacity is reported, capped or not.
- Educators: practice educator FTE x students per educator, summed over the ICS's records for
  the year. Educators supervise the placements, so the pool is shared pro rata to placement
  demand in student-weeks measured at placement capacity (places x placement weeks); converted
  back to students the weeks cancel, and each programme with placements recorded can use the
  same fraction, educator students / places offered (at most 1), of its places (a split
  programme offers the places of its tightest part). Measuring the
  demand at capacity rather than at plan keeps each programme's share fixed when another
  programme's plan changes, so supply never falls when any intake rises (the "what it takes"
  search relies on that); sharing by planned demand would let one programme's growth cut
  another's graduates. Programmes with no placements recorded get no educator cap.
The effective intake is the smaller of plan and capacity, and every cap is reported.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .placements import Dated as _Dated
from .placements import PartUse, PlacementPart, RecordedPlaces
from .placements import require as _require

PLACEMENTS = "placements"
EDUCATORS = "educators"
WEEKS_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Programme:
    code: str
    staff_group_code: str
    course_years: int  # >= 1
    attrition: float  # 0..1 over the whole course
    graduate_fte: float  # FTE a graduate works (0..1.5)
    placement_weeks_per_year: float  # per student-year
    # The weeks split across placement sectors, adding up to placement_weeks_per_year;
    # empty: not split.
    placement_split: tuple[PlacementPart, ...] = ()

    @property
    def placement_parts(self) -> tuple[PlacementPart, ...]:
        """The split, or one part of every sector holding all the weeks."""
        return self.placement_split or (PlacementPart((), self.placement_weeks_per_year),)


@dataclass(frozen=True)
class Intake:
    ics: str
    programme: str
    academic_year: int
    planned_places: float
    actual_starts: float | None = None


@dataclass(frozen=True)
class PlacementCapacity:
    ics: str
    programme: str
    academic_year: int
    places: float  # already summed over the ICS's organisations (in the sector) by the caller
    sector: str | None = None  # None: attributed to no sector


@dataclass(frozen=True)
class EducatorCapacity:
    ics: str
    academic_year: int
    educator_fte: float
    students_per_educator: float


@dataclass(frozen=True)
class CapApplied:
    ics: str
    programme: str
    academic_year: int
    planned: float  # planned places plus any extra places
    capacity: float
    over_by: float
    bound: str  # PLACEMENTS or EDUCATORS
    # The sectors of the part whose places bind, for a programme whose weeks are split and
    # a cap bound by placements; () otherwise.
    sectors: tuple[str, ...] = ()


@dataclass(frozen=True)
class PipelineResult:
    # (ics, staff_group_code) -> newly qualified FTE by projection year t = 0..H
    newly_qualified: dict[tuple[str, str], list[float]]
    # (ics, programme) -> academic year -> places after caps, from the earliest year that
    # reaches t = 0 to the year that starts in the last projection year; unknown years left out
    effective_intake: dict[tuple[str, str], dict[int, float]]
    caps: tuple[CapApplied, ...]
    # (ics, staff_group_code) -> attrition of its programmes weighted by effective intake x
    # graduate FTE over the years feeding t = 0..H: with that weight, a shift d in attrition
    # shared by the programmes scales N exactly by (1 - mean - d) / (1 - mean)
    attrition_by_group: dict[tuple[str, str], float]
    # (ics, programme) -> academic year -> each part's demand and capacity, for the years of
    # effective_intake in which any part of the programme has places recorded
    placement_use: dict[tuple[str, str], dict[int, tuple[PartUse, ...]]] = field(
        default_factory=dict
    )


def first_changeable_academic_year(baseline_year: int) -> int:
    """The first academic year whose intake can still be changed.

    Places for the September inside the baseline financial year are commissioned and offered
    before it starts (applications close in January), so the next September is the first
    that a plan made now can change.
    """
    return baseline_year + 1


def _programmes_by_code(programmes: Sequence[Programme]) -> dict[str, Programme]:
    by_code: dict[str, Programme] = {}
    for p in programmes:
        _require(p.code not in by_code, f"programme {p.code}: listed twice")
        _require(
            isinstance(p.course_years, int) and p.course_years >= 1,
            f"programme {p.code}: course must last a whole number of years, at least one",
        )
        # Every comparison with NaN is false, so these checks refuse NaN too.
        _require(0 <= p.attrition <= 1, f"programme {p.code}: attrition must be within 0-1")
        _require(0 <= p.graduate_fte <= 1.5, f"programme {p.code}: graduate FTE must be 0-1.5")
        _require(
            p.placement_weeks_per_year >= 0, f"programme {p.code}: placement weeks must be >= 0"
        )
        _check_split(p)
        by_code[p.code] = p
    return by_code


def _check_split(p: Programme) -> None:
    seen: set[str] = set()
    for part in p.placement_split:
        _require(bool(part.sectors), f"programme {p.code}: a part of the split names no sector")
        _require(part.weeks > 0, f"programme {p.code}: a part of the split must have weeks > 0")
        _require(
            seen.isdisjoint(part.sectors) and len(set(part.sectors)) == len(part.sectors),
            f"programme {p.code}: a sector is in two parts of the split",
        )
        seen.update(part.sectors)
    if p.placement_split:
        total = sum(part.weeks for part in p.placement_split)
        _require(
            abs(total - p.placement_weeks_per_year) <= WEEKS_TOLERANCE,
            f"programme {p.code}: the split's weeks add up to {total:g}, not "
            f"{p.placement_weeks_per_year:g}",
        )


def newly_qualified_supply(
    *,
    programmes: Sequence[Programme],
    intakes: Sequence[Intake],
    placements: Sequence[PlacementCapacity],
    educators: Sequence[EducatorCapacity],
    baseline_year: int,
    horizon: int,
    extra_places: Mapping[tuple[str, str], float] | None = None,
    extra_from_year: int | None = None,
) -> PipelineResult:
    """N(t) per ICS and staff group, t = 0..horizon, with the intakes and caps behind it.

    `extra_places` ((ics, programme) -> places a year) are added to the planned intake of every
    academic year from `extra_from_year` (default: the first changeable year) before capping.
    """
    _require(horizon >= 0, f"horizon must be >= 0, not {horizon}")
    by_code = _programmes_by_code(programmes)
    extra_places = extra_places or {}
    if extra_from_year is None:
        extra_from_year = first_changeable_academic_year(baseline_year)

    recorded: dict[tuple[str, str], dict[int, Intake]] = defaultdict(dict)
    for i in intakes:
        where = f"intake {i.ics} {i.programme} {i.academic_year}"
        _require(i.programme in by_code, f"{where}: unknown programme")
        _require(i.planned_places >= 0, f"{where}: planned places must be >= 0")
        _require(
            i.actual_starts is None or i.actual_starts >= 0, f"{where}: actual starts must be >= 0"
        )
        _require(i.academic_year not in recorded[i.ics, i.programme], f"{where}: recorded twice")
        recorded[i.ics, i.programme][i.academic_year] = i
    for (ics, code), extra in extra_places.items():
        _require(code in by_code, f"extra places {ics} {code}: unknown programme")
        _require(extra >= 0, f"extra places {ics} {code}: must be >= 0")

    recorded_places = RecordedPlaces(placements, by_code)

    # Several records for one ICS and year are its organisations': their students add up.
    students_by_year: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    for e in educators:
        where = f"educator capacity {e.ics} {e.academic_year}"
        _require(e.educator_fte >= 0, f"{where}: educator FTE must be >= 0")
        _require(e.students_per_educator >= 0, f"{where}: students per educator must be >= 0")
        students_by_year[e.ics][e.academic_year] += e.educator_fte * e.students_per_educator
    student_series = {ics: _Dated(by_year) for ics, by_year in students_by_year.items()}

    def capacity(ics: str, code: str, year: int) -> tuple[float, str, tuple[str, ...]] | None:
        tightest = recorded_places.tightest(ics, code, year)
        if tightest is None:
            return None
        _, part, offered_here = tightest
        students = student_series[ics].at(year) if ics in student_series else None
        if students is not None and offered_here > 0:
            offered = recorded_places.offered(ics, year)
            if students < offered:
                return offered_here * students / offered, EDUCATORS, ()
        return offered_here, PLACEMENTS, part.sectors

    def use(ics: str, code: str, year: int, students: float) -> tuple[PartUse, ...] | None:
        parts = recorded_places.parts(ics, code, year)
        if all(n is None for _, n in parts):
            return None
        tightest = recorded_places.tightest(ics, code, year)
        binding = tightest[0] if tightest is not None else None
        return tuple(
            PartUse(part.sectors, part.weeks, students, n, i == binding)
            for i, (part, n) in enumerate(parts)
        )

    effective: dict[tuple[str, str], dict[int, float]] = {}
    placement_use: dict[tuple[str, str], dict[int, tuple[PartUse, ...]]] = {}
    caps: list[CapApplied] = []
    nq: dict[tuple[str, str], list[float]] = {}
    weighted_attrition: dict[tuple[str, str], float] = defaultdict(float)
    weight: dict[tuple[str, str], float] = defaultdict(float)
    for ics, code in sorted(set(recorded) | set(extra_places)):
        p = by_code[code]
        plan = _Dated({y: i.planned_places for y, i in recorded.get((ics, code), {}).items()})
        first_feeding = baseline_year - p.course_years
        by_year: dict[int, float] = {}
        uses: dict[int, tuple[PartUse, ...]] = {}
        with_places = recorded_places.has(ics, code)
        for year in range(first_feeding, baseline_year + horizon + 1):
            record = recorded.get((ics, code), {}).get(year)
            if record is not None and record.actual_starts is not None:
                by_year[year] = record.actual_starts
                found = use(ics, code, year, record.actual_starts) if with_places else None
                if found is not None:
                    uses[year] = found
                continue
            planned = plan.at(year)
            extra = extra_places.get((ics, code), 0.0) if year >= extra_from_year else 0.0
            if planned is None and extra == 0:
                continue
            asked = (planned or 0.0) + extra
            if with_places:
                found = use(ics, code, year, asked)
                if found is not None:
                    uses[year] = found
                cap = capacity(ics, code, year)
                if cap is not None and asked > cap[0]:
                    limit, bound, sectors = cap
                    caps.append(
                        CapApplied(ics, code, year, asked, limit, asked - limit, bound, sectors)
                    )
                    asked = limit
            by_year[year] = asked
        effective[ics, code] = by_year
        if uses:
            placement_use[ics, code] = uses

        group = (ics, p.staff_group_code)
        series = nq.setdefault(group, [0.0] * (horizon + 1))
        for t in range(horizon + 1):
            places = by_year.get(baseline_year + t - p.course_years, 0.0)
            series[t] += places * (1 - p.attrition) * p.graduate_fte
            weighted_attrition[group] += places * p.graduate_fte * p.attrition
            weight[group] += places * p.graduate_fte

    attrition_by_group: dict[tuple[str, str], float] = {}
    for group in nq:
        if weight[group] > 0:
            attrition_by_group[group] = weighted_attrition[group] / weight[group]
        else:
            # No graduates to weigh: the plain mean of the programmes feeding the group.
            rates = [
                by_code[c].attrition
                for (i, c) in effective
                if (i, by_code[c].staff_group_code) == group
            ]
            attrition_by_group[group] = sum(rates) / len(rates)
    return PipelineResult(nq, effective, tuple(caps), attrition_by_group, placement_use)
