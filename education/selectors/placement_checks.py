"""A system's placement capacity checked against its intakes, part by part of each
programme's placement weeks: what `/api/v1/placement-sectors/` lists."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from core.access import systems_in_scope
from core.calendar import financial_year
from core.models import ICS, User
from education import pipeline

from .pipeline_inputs import pipeline_inputs_for
from .plan_page import PAST_YEARS, PLAN_YEARS, membership_day


@dataclass(frozen=True)
class PlacementCheck:
    """One part of one programme's placement weeks in one academic year of a system."""

    ics: str
    programme: str
    academic_year: int
    use: pipeline.PartUse


def placement_checks(
    *,
    ics: ICS | None,
    programme: str | None = None,
    academic_year: int | None = None,
    today: datetime.date | None = None,
) -> list[PlacementCheck]:
    """Every part of every programme with an intake and placement places recorded, for the
    academic years the three-year plan shows (two back, this one, four ahead), by system,
    programme, year and part; `ics` None: every system valid today. The pipeline's own
    figures, so a part flagged here is what it caps."""
    today = today or timezone.localdate()
    base = financial_year(today)
    first, last = base - PAST_YEARS, pipeline.first_changeable_academic_year(base) + PLAN_YEARS
    on = membership_day(ics, today) if ics is not None else today
    programmes, intakes, placements, educators = pipeline_inputs_for(ics=ics, on=on)
    result = pipeline.newly_qualified_supply(
        programmes=programmes,
        intakes=intakes,
        placements=placements,
        educators=educators,
        baseline_year=first,
        horizon=last - first,
    )
    wanted = programme.upper() if programme else None
    return [
        PlacementCheck(system, code, year, use)
        for (system, code), by_year in sorted(result.placement_use.items())
        if wanted is None or code == wanted
        for year, uses in sorted(by_year.items())
        if first <= year <= last and (academic_year is None or year == academic_year)
        for use in uses
    ]


def placement_checks_in_scope(
    *,
    user: User,
    ics: ICS | None,
    programme: str | None = None,
    academic_year: int | None = None,
) -> list[PlacementCheck]:
    """`placement_checks` of `ics` (one the caller has found in the user's scope), else of
    every system the user reads that is valid today: all of them at once for national users,
    none for an organisation's uploader."""
    if ics is not None:
        chosen: list[ICS | None] = [ics]
    elif user.is_national:
        chosen = [None]
    else:
        chosen = list(systems_in_scope(user).valid_on(timezone.localdate()).order_by("code"))
    return [
        check
        for system in chosen
        for check in placement_checks(ics=system, programme=programme, academic_year=academic_year)
    ]
