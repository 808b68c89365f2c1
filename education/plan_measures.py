"""Measures of an education plan, pure: what the plan changes, and its apprenticeship share.

Plain data in and out (the pipeline's dataclasses), no Django.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence

from .pipeline import Intake

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
