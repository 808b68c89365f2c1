"""Measures of an education plan, pure: what the plan changes, its apprenticeship share, and
its placement capacity by sector.

Plain data in and out (the pipeline's dataclasses), no Django.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from .pipeline import Intake, Programme, RecordedPlaces
from .placement_sectors import SECTOR_CODES

# The NHS Long Term Workforce Plan (June 2023): the share of training for clinical staff through
# apprenticeships, by academic year (2028 = 2028/29).
APPRENTICESHIP_AMBITION = {2028: 0.16, 2031: 0.22}


def intakes_held_at_year(intakes: Sequence[Intake], *, academic_year: int) -> list[Intake]:
    """The intakes as they would be without the planned change after `academic_year`.

    Every later year takes the places of `academic_year`: its actual starts where recorded,
    else its planned places, else the plan carried from the latest year before it (as the
    pipeline carries plans). Records up to `academic_year` stand; the later ones give way to a
    single record in the next year holding that level, which the pipeline carries forward. A
    programme with no intake at or before `academic_year` has none later either.
    """
    by_programme: dict[tuple[str, str], list[Intake]] = defaultdict(list)
    for intake in intakes:
        by_programme[intake.ics, intake.programme].append(intake)
    held: list[Intake] = []
    for (ics, programme), records in sorted(by_programme.items()):
        kept = sorted(
            (i for i in records if i.academic_year <= academic_year),
            key=lambda i: i.academic_year,
        )
        if not kept:
            continue
        held += kept
        last = kept[-1]
        level = last.planned_places
        if last.academic_year == academic_year and last.actual_starts is not None:
            level = last.actual_starts
        held.append(Intake(ics, programme, academic_year + 1, level))
    return held


def apprenticeship_share(
    intake_by_programme: Mapping[str, Mapping[int, float]],
    *,
    apprenticeships: Collection[str],
    years: Sequence[int],
) -> dict[int, tuple[float, float]]:
    """year -> (starts through apprenticeships, all starts) over the programmes given.

    `intake_by_programme` holds the starts (or planned places) of the programmes that count as
    training for clinical staff; `apprenticeships` names those that are apprenticeships.
    """
    share: dict[int, tuple[float, float]] = {}
    for year in years:
        through = total = 0.0
        for code, by_year in intake_by_programme.items():
            places = by_year.get(year, 0.0)
            total += places
            if code in apprenticeships:
                through += places
        share[year] = (through, total)
    return share


def ambition_for(year: int) -> float | None:
    """The national ambition that applies in an academic year: the last milestone reached."""
    reached = [y for y in APPRENTICESHIP_AMBITION if y <= year]
    return APPRENTICESHIP_AMBITION[max(reached)] if reached else None


def weeks_in_sector(programme: Programme, sector: str | None) -> float:
    """Weeks a year a student of `programme` can spend in one place of `sector`: the weeks of
    the part holding it; all the weeks when they are not split; none for a sector outside the
    split or a place attributed to no sector (such places do not count for a split)."""
    if not programme.placement_split:
        return programme.placement_weeks_per_year
    for part in programme.placement_split:
        if sector in part.sectors:
            return part.weeks
    return 0.0


@dataclass(frozen=True)
class SectorCapacity:
    """The placement capacity of one sector of a system in one academic year."""

    places: float  # over every programme, each place one student's weeks in the sector
    weeks: float  # placement weeks a year those places give their programmes


def capacity_by_sector(
    recorded: RecordedPlaces,
    programmes: Mapping[str, Programme],
    *,
    ics: str,
    years: Sequence[int],
) -> dict[str | None, dict[int, SectorCapacity]]:
    """sector (None: attributed to none) -> year -> its places and weeks over the programmes,
    each organisation's figure carried forward; sectors in the pages' order, None last, and
    only those with places recorded."""
    totals: dict[str | None, dict[int, list[float]]] = defaultdict(
        lambda: defaultdict(lambda: [0.0, 0.0])
    )
    for code in recorded.programmes(ics):
        for year in years:
            for sector, places in recorded.by_sector(ics, code, year).items():
                cell = totals[sector][year]
                cell[0] += places
                cell[1] += places * weeks_in_sector(programmes[code], sector)
    order = {code: i for i, code in enumerate(SECTOR_CODES)}
    return {
        sector: {
            year: SectorCapacity(*totals[sector][year]) for year in years if year in totals[sector]
        }
        for sector in sorted(
            totals, key=lambda s: order.get(s, len(order)) if s else len(order) + 1
        )
    }
