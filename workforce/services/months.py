"""Signing off a system's month: its ICB lead takes the month's returns as they are."""

from __future__ import annotations

import datetime

from django.utils import timezone

from core.access import can_plan_for
from core.calendar import month_label
from core.errors import ApplicationError, OutOfScope
from core.models import ICS, User
from core.services.writes import Problems, store_audited
from workforce.models import MonthSignOff
from workforce.selectors.months import system_month

NOTE_LIMIT = 2000


def month_sign_off(
    *,
    user: User,
    ics: ICS,
    month: datetime.date,
    note: str = "",
    today: datetime.date | None = None,
) -> tuple[MonthSignOff, bool]:
    """Sign off `month` of `ics` (a system already known to be in the user's scope), and say
    whether this call signed it off: a month already signed off is returned as it is.

    Only the system's ICB lead or a national administrator may (403 otherwise); a month that
    has not ended, or one outside the system's life, is a 400. The audit entry records how
    many of the expected returns the month held when it was signed off.
    """
    if not can_plan_for(user, ics):
        raise OutOfScope(
            f"Only {ics.code}'s ICB lead or a national administrator may sign off its months."
        )
    today = today or timezone.localdate()
    month = month.replace(day=1)
    note = (note or "").strip()
    problems = Problems()
    if month >= today.replace(day=1):
        problems.add(
            "month",
            f"{month:%B %Y} has not ended: a month is signed off once its returns are due.",
        )
    elif month < ics.valid_from.replace(day=1) or (
        ics.valid_to is not None and month >= ics.valid_to
    ):
        problems.add("month", f"{ics.code} did not exist in {month:%B %Y}.")
    if len(note) > NOTE_LIMIT:
        problems.add("note", f"Keep the note to {NOTE_LIMIT} characters (it has {len(note)}).")
    problems.raise_any()
    existing = MonthSignOff.objects.filter(ics=ics, month=month).first()
    if existing is not None:
        return existing, False
    held = system_month(ics=ics, period=month, today=today).counts
    sign_off = MonthSignOff(
        ics=ics, month=month, signed_off_by=user, signed_off_at=timezone.now(), note=note
    )
    store_audited(
        user=user,
        instance=sign_off,
        ics=ics,
        before=None,
        after=lambda saved: {"month": month_label(month), "note": note, **held},
        duplicate=lambda: ApplicationError(
            f"{month:%B %Y} of {ics.code} was signed off a moment ago.", status_code=409
        ),
    )
    return sign_off, True
