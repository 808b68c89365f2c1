"""Commissioned intakes: the places an ICS plans for each programme and academic year."""

from __future__ import annotations

from collections.abc import Mapping

from core.access import can_plan_for
from core.calendar import year_label
from core.errors import OutOfScope
from core.models import ICS, User
from education.models import CommissionedIntake, Programme

from .rules import Problems, academic_year_problems, count_problems
from .writes import RecordKind, record_create, record_update, yearly_records_set


def _problems(intake: CommissionedIntake) -> Problems:
    return (
        academic_year_problems("academic_year", intake.academic_year)
        + count_problems("planned_places", intake.planned_places)
        + count_problems("actual_starts", intake.actual_starts, required=False)
    )


def _check_may_plan(user: User, intake: CommissionedIntake) -> None:
    if not can_plan_for(user, intake.ics):
        raise OutOfScope(
            f"You may not change the intakes of {intake.ics.code}: only its ICB lead "
            "and national administrators may."
        )


INTAKE = RecordKind(
    model=CommissionedIntake,
    fields=("ics", "programme", "academic_year", "planned_places", "actual_starts"),
    unique=("ics", "programme", "academic_year"),
    problems=_problems,
    check_may_write=_check_may_plan,
    ics_of=lambda intake: intake.ics,
    describe=lambda i: f"{i.ics.code}, {i.programme.code}, {year_label(i.academic_year or 0)}",
)


def intake_create(
    *,
    user: User,
    ics: ICS,
    programme: Programme,
    academic_year: int,
    planned_places: int,
    actual_starts: int | None = None,
) -> CommissionedIntake:
    return record_create(
        INTAKE,
        user=user,
        values={
            "ics": ics,
            "programme": programme,
            "academic_year": academic_year,
            "planned_places": planned_places,
            "actual_starts": actual_starts,
        },
    )


def intake_update(
    *, user: User, intake: CommissionedIntake, changes: Mapping[str, object]
) -> CommissionedIntake:
    """Change any of INTAKE.fields; moving it to another ICS needs the right to plan both."""
    return record_update(INTAKE, user=user, instance=intake, changes=changes)


def intake_plan_update(
    *, user: User, ics: ICS, programme: Programme, planned_places: Mapping[int, int]
) -> list[CommissionedIntake]:
    """Set the planned places of several academic years of one programme, all or none."""
    return yearly_records_set(
        INTAKE,
        user=user,
        key={"ics": ics, "programme": programme},
        by_year={year: {"planned_places": places} for year, places in planned_places.items()},
    )
