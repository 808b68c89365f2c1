"""What an organisation offers to train: its placements, educators and apprenticeship starts."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from core.calendar import financial_year
from core.models import ICS, Organisation
from education.models import (
    ApprenticeshipStart,
    CommissionedIntake,
    EducatorCapacity,
    PlacementCapacity,
    Programme,
)
from education.pipeline import first_changeable_academic_year
from education.placement_sectors import default_sector, sectors_for_kind

from .plan_page import PAST_YEARS, PLAN_YEARS


def capacity_years(today: datetime.date | None = None) -> list[int]:
    """The academic years an organisation's figures are shown for: two back, four ahead."""
    base = financial_year(today or timezone.localdate())
    return list(range(base - PAST_YEARS, first_changeable_academic_year(base) + PLAN_YEARS + 1))


def editable_years(today: datetime.date | None = None) -> list[int]:
    """The academic years a page may change: the current one and the plan's years after it."""
    base = financial_year(today or timezone.localdate())
    return list(range(base, first_changeable_academic_year(base) + PLAN_YEARS + 1))


def intake_form_years(today: datetime.date | None = None) -> list[int]:
    """The years the intake form changes: the three the plan looks ahead and the one after."""
    base = financial_year(today or timezone.localdate())
    first = first_changeable_academic_year(base)
    return list(range(first, first + PLAN_YEARS + 1))


@dataclass(frozen=True)
class OrganisationCapacity:
    organisation: Organisation
    years: list[int]
    # (programme, placement sector, places by year; None: no record); sector "" for places
    # attributed to no sector
    placements: list[tuple[Programme, str, list[int | None]]]
    educators: list[tuple[int, EducatorCapacity | None, float | None]]  # and its students
    apprenticeships: list[ApprenticeshipStart]
    sectors: tuple[str, ...]  # the placement sectors its kind may record places in
    default_sector: str | None  # the one its places are in when none is named


def organisation_capacity(
    *, organisation: Organisation, today: datetime.date | None = None
) -> OrganisationCapacity:
    years = capacity_years(today)
    by_row: dict[tuple[int, str], dict[int, int]] = {}
    programmes: dict[int, Programme] = {}
    for p in PlacementCapacity.objects.filter(organisation=organisation).select_related(
        "programme__staff_group"
    ):
        programmes[p.programme_id] = p.programme
        by_row.setdefault((p.programme_id, p.sector), {})[p.academic_year] = p.places
    sectors = sectors_for_kind(organisation.kind)
    order = {code: i for i, code in enumerate(sectors)}

    def row_order(row: tuple[int, str]) -> tuple:
        programme = programmes[row[0]]
        return (programme.staff_group.sort_order, programme.code, order.get(row[1], len(order)))

    educators = {
        e.academic_year: e for e in EducatorCapacity.objects.filter(organisation=organisation)
    }
    return OrganisationCapacity(
        organisation=organisation,
        years=years,
        placements=[
            (programmes[row[0]], row[1], [by_row[row].get(y) for y in years])
            for row in sorted(by_row, key=row_order)
        ],
        educators=[
            (y, e, float(e.educator_fte * e.students_per_educator) if e else None)
            for y in years
            for e in [educators.get(y)]
        ],
        apprenticeships=list(
            ApprenticeshipStart.objects.filter(organisation=organisation)
            .select_related("programme")
            .order_by("-academic_year", "standard")
        ),
        sectors=sectors,
        default_sector=default_sector(organisation.kind),
    )


def intake_places_by_year(*, ics: ICS, programme: Programme, years: list[int]) -> dict[int, int]:
    """The recorded planned places of one programme of an ICS, for a form's initial values."""
    return dict(
        CommissionedIntake.objects.filter(
            ics=ics, programme=programme, academic_year__in=years
        ).values_list("academic_year", "planned_places")
    )


def placement_places_by_year(
    *, organisation: Organisation, programme: Programme, sector: str, years: list[int]
) -> dict[int, int]:
    return dict(
        PlacementCapacity.objects.filter(
            organisation=organisation, programme=programme, sector=sector, academic_year__in=years
        ).values_list("academic_year", "places")
    )


def educators_by_year(
    *, organisation: Organisation, years: list[int]
) -> dict[int, EducatorCapacity]:
    return {
        e.academic_year: e
        for e in EducatorCapacity.objects.filter(organisation=organisation, academic_year__in=years)
    }
