"""The capacity to train at organisations: placements, educators and apprenticeship starts.

The ICB lead of the organisation's ICS and the organisation's own uploader may write them
(`can_submit_for`), for an organisation of any kind (a trust, a GP practice, a care home, a
hospice); analysts write nothing. A placement figure is in one placement sector: one its kind
may offer (education.placement_sectors), its kind's default when none is named.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django.utils import timezone

from core.access import can_submit_for
from core.calendar import year_label
from core.errors import OutOfScope
from core.models import ICS, Organisation, User
from education.models import ApprenticeshipStart, EducatorCapacity, PlacementCapacity, Programme
from education.placement_sectors import default_sector, sectors_for_kind

from .rules import (
    Problems,
    academic_year_problems,
    count_problems,
    educator_problems,
    placement_sector_problems,
    problem,
    text_problems,
)
from .writes import RecordKind, record_create, record_update, yearly_records_set

APPRENTICESHIP_STANDARD_LONGEST = ApprenticeshipStart._meta.get_field("standard").max_length


def _check_may_submit(user: User, record: PlacementCapacity) -> None:
    if not can_submit_for(user, record.organisation):
        raise OutOfScope(
            f"You may not change the figures of {record.organisation.code}: only the "
            "organisation itself and the ICB lead of its system may."
        )


def _ics_today(record: PlacementCapacity) -> ICS | None:
    return record.organisation.ics_on(timezone.localdate())


def _sector_problems(p: PlacementCapacity) -> Problems:
    kind = p.organisation.kind
    allowed = sectors_for_kind(kind)
    found = placement_sector_problems("sector", p.sector, allowed)
    if not found and p.sector not in allowed:
        named = ", ".join(allowed)
        found = problem(
            "sector",
            f"The placements of {p.organisation.code} ({p.organisation.get_kind_display()}) "
            f"are in {named}, not {p.sector}.",
        )
    return found


def _placement_problems(p: PlacementCapacity) -> Problems:
    return (
        _sector_problems(p)
        + academic_year_problems("academic_year", p.academic_year)
        + count_problems("places", p.places)
    )


def placement_sector(organisation: Organisation, sector: str | None) -> str:
    """The sector named, or the default of the organisation's kind ("" when it has none,
    which the rules refuse)."""
    return sector or default_sector(organisation.kind) or ""


def _educator_problems(e: EducatorCapacity) -> Problems:
    return academic_year_problems("academic_year", e.academic_year) + educator_problems(
        "educator_fte", e.educator_fte, "students_per_educator", e.students_per_educator
    )


def _apprenticeship_problems(a: ApprenticeshipStart) -> Problems:
    found = (
        text_problems("standard", a.standard, max_length=APPRENTICESHIP_STANDARD_LONGEST)
        + academic_year_problems("academic_year", a.academic_year)
        + count_problems("starts", a.starts)
    )
    if a.programme is not None and a.programme.route != Programme.Route.APPRENTICESHIP:
        found += problem(
            "programme",
            f"programme must be an apprenticeship programme, not {a.programme.code} "
            f"({a.programme.get_route_display().lower()}).",
        )
    return found


def _label(record) -> str:
    return f"{record.organisation.code}, {year_label(record.academic_year or 0)}"


PLACEMENT = RecordKind(
    model=PlacementCapacity,
    fields=("organisation", "programme", "sector", "academic_year", "places"),
    unique=("organisation", "programme", "sector", "academic_year"),
    problems=_placement_problems,
    check_may_write=_check_may_submit,
    ics_of=_ics_today,
    describe=lambda p: f"{_label(p)}, {p.programme.code}, {p.sector}",
)
EDUCATOR = RecordKind(
    model=EducatorCapacity,
    fields=("organisation", "academic_year", "educator_fte", "students_per_educator"),
    unique=("organisation", "academic_year"),
    problems=_educator_problems,
    check_may_write=_check_may_submit,
    ics_of=_ics_today,
    describe=_label,
)
APPRENTICESHIP = RecordKind(
    model=ApprenticeshipStart,
    fields=("organisation", "standard", "programme", "academic_year", "starts", "levy_funded"),
    # The last names the field a duplicate is reported on.
    unique=("organisation", "levy_funded", "academic_year", "standard"),
    problems=_apprenticeship_problems,
    check_may_write=_check_may_submit,
    ics_of=_ics_today,
    describe=lambda a: (
        f"{_label(a)}, '{a.standard}', {'levy-funded' if a.levy_funded else 'not levy-funded'}"
    ),
)


def placement_create(
    *,
    user: User,
    organisation: Organisation,
    programme: Programme,
    academic_year: int,
    places: int,
    sector: str | None = None,
) -> PlacementCapacity:
    """`sector` None: the organisation kind's default (a GP practice's is primary care)."""
    return record_create(
        PLACEMENT,
        user=user,
        values={
            "organisation": organisation,
            "programme": programme,
            "sector": placement_sector(organisation, sector),
            "academic_year": academic_year,
            "places": places,
        },
    )


def placement_update(
    *, user: User, placement: PlacementCapacity, changes: Mapping[str, object]
) -> PlacementCapacity:
    """A figure attributed to no sector (written before sectors, or outside the services)
    takes its organisation kind's default when a change does not name one."""
    if not placement.sector and not changes.get("sector"):
        changes = {**changes, "sector": placement_sector(placement.organisation, None)}
    return record_update(PLACEMENT, user=user, instance=placement, changes=changes)


def placement_plan_update(
    *,
    user: User,
    organisation: Organisation,
    programme: Programme,
    places: Mapping[int, int],
    sector: str | None = None,
) -> list[PlacementCapacity]:
    """Set an organisation's placement places for one programme and sector over several
    years (`sector` None: its kind's default)."""
    return yearly_records_set(
        PLACEMENT,
        user=user,
        key={
            "organisation": organisation,
            "programme": programme,
            "sector": placement_sector(organisation, sector),
        },
        by_year={year: {"places": n} for year, n in places.items()},
    )


def educator_create(
    *,
    user: User,
    organisation: Organisation,
    academic_year: int,
    educator_fte: Decimal,
    students_per_educator: Decimal,
) -> EducatorCapacity:
    return record_create(
        EDUCATOR,
        user=user,
        values={
            "organisation": organisation,
            "academic_year": academic_year,
            "educator_fte": educator_fte,
            "students_per_educator": students_per_educator,
        },
    )


def educator_update(
    *, user: User, educator: EducatorCapacity, changes: Mapping[str, object]
) -> EducatorCapacity:
    return record_update(EDUCATOR, user=user, instance=educator, changes=changes)


def educator_plan_update(
    *,
    user: User,
    organisation: Organisation,
    figures: Mapping[int, tuple[Decimal, Decimal]],
) -> list[EducatorCapacity]:
    """Set an organisation's (educator FTE, students per educator) over several years."""
    return yearly_records_set(
        EDUCATOR,
        user=user,
        key={"organisation": organisation},
        by_year={
            year: {"educator_fte": fte, "students_per_educator": students}
            for year, (fte, students) in figures.items()
        },
    )


def apprenticeship_create(
    *,
    user: User,
    organisation: Organisation,
    standard: str,
    academic_year: int,
    starts: int,
    levy_funded: bool = True,
    programme: Programme | None = None,
) -> ApprenticeshipStart:
    return record_create(
        APPRENTICESHIP,
        user=user,
        values={
            "organisation": organisation,
            "standard": standard.strip(),
            "programme": programme,
            "academic_year": academic_year,
            "starts": starts,
            "levy_funded": levy_funded,
        },
    )


def apprenticeship_update(
    *, user: User, apprenticeship: ApprenticeshipStart, changes: Mapping[str, object]
) -> ApprenticeshipStart:
    if isinstance(changes.get("standard"), str):
        changes = {**changes, "standard": changes["standard"].strip()}
    return record_update(APPRENTICESHIP, user=user, instance=apprenticeship, changes=changes)
