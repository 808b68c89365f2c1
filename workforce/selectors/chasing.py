"""What the home page chases: the returns due, late or flagged, for the user's organisation
(a trust uploader) or system (an ICB lead or analyst), from the submission tracker.

The month being chased is the one before the current month (its return is due on the 15th
of this month); earlier months of the tracker appear while a return of theirs is still
missing or carries warnings.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from core.models import ICS, Organisation, OrganisationMembership, Role, User, valid_on_q

from .months import MonthStatus, SystemMonth, months_of, sign_offs_of
from .tracker import State, Tracker, TrackerCell, submission_tracker


@dataclass(frozen=True)
class Flagged:
    organisation: Organisation
    cell: TrackerCell  # a current return for review


@dataclass(frozen=True)
class ChaseMonth:
    month: SystemMonth
    due_passed: bool
    not_sent: list[Organisation]  # expected, no return yet
    flagged: list[Flagged]

    @property
    def chased(self) -> bool:
        """Something to do: a return to send or warnings to look at."""
        return bool(self.not_sent or self.flagged)


@dataclass(frozen=True)
class Chasing:
    ics: ICS
    organisation: Organisation | None  # a trust uploader's own; None for a system's users
    months: list[ChaseMonth]  # newest first: the month chased, then earlier ones to chase


def chase_months(
    tracker: Tracker,
    months: list[SystemMonth],
    today: datetime.date,
    organisation: Organisation | None = None,
) -> list[ChaseMonth]:
    """The month chased, always, then each earlier month with something to chase (for a
    system, not one its lead has signed off); of one organisation's row when given. No
    query."""
    rows = [r for r in tracker.rows if organisation is None or r.organisation.pk == organisation.pk]
    chased = []
    for index in range(len(tracker.months) - 1, -1, -1):
        cells = [(row.organisation, row.cells[index]) for row in rows]
        entry = ChaseMonth(
            month=months[index],
            due_passed=today > months[index].due,
            not_sent=[o for o, c in cells if c.state in (State.MISSING, State.DUE)],
            flagged=[
                Flagged(o, c)
                for o, c in cells
                if c.for_review and c.state in (State.SUBMITTED, State.LATE)
            ],
        )
        # A month its lead has signed off is dealt with for the system; a trust is still told
        # of a return it never sent.
        dealt_with = organisation is None and entry.month.status == MonthStatus.SIGNED_OFF
        if index == len(tracker.months) - 1 or (entry.chased and not dealt_with):
            chased.append(entry)
    return chased


def home_chasing(*, user: User, today: datetime.date | None = None) -> Chasing | None:
    """The chasing of the user's organisation or system; None for national users and for an
    organisation that sends no monthly return. Four queries (one more for a trust)."""
    today = today or timezone.localdate()
    organisation = None
    if user.role == Role.TRUST_UPLOADER and user.organisation_id is not None:
        membership = (
            OrganisationMembership.objects.filter(
                valid_on_q(today), organisation_id=user.organisation_id
            )
            .select_related("ics", "organisation")
            .order_by("-valid_from")
            .first()
        )
        if membership is None:
            return None
        ics, organisation = membership.ics, membership.organisation
    elif user.role in (Role.ICB_LEAD, Role.ANALYST) and user.ics_id is not None:
        ics = user.ics
    else:
        return None
    tracker = submission_tracker(ics=ics, today=today)
    if organisation is not None and not any(
        r.organisation.pk == organisation.pk for r in tracker.rows
    ):
        return None
    months = months_of(tracker, sign_offs_of(ics, tracker.months))
    return Chasing(ics, organisation, chase_months(tracker, months, today, organisation))
