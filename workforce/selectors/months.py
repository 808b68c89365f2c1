"""A system's months: who was expected to send a return, who has, who is late, whose return
is for review (warnings neither confirmed nor accepted), and whether the month stands for the
system (complete, or signed off).

Who is expected follows the submission tracker's rules (`workforce.selectors.tracker`): the
NHS trusts and sector organisations that were members that month, and any other member that
has sent a return. A month is complete when every one of them has sent its return; signed
off when the ICB lead has taken it as it is; open otherwise. Only complete and signed-off
months stand for the system on the dashboards and as a run's default baseline.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, replace

from django.utils import timezone

from core.calendar import month_add
from core.models import ICS
from workforce.models import MonthSignOff
from workforce.selectors.dashboards_returns import TrendMonth

from .tracker import TRACKER_MONTHS, State, Tracker, due_date, submission_tracker


class MonthStatus:
    OPEN = "open"
    COMPLETE = "complete"
    SIGNED_OFF = "signed_off"


CLOSED = (MonthStatus.COMPLETE, MonthStatus.SIGNED_OFF)


@dataclass(frozen=True)
class SystemMonth:
    """One month of a system's returns. The lists hold organisation codes.

    `late`: expected organisations whose return did not come by the due day, whether it came
    later or has still not come; `outstanding`: those that have sent none yet (late or not).
    """

    period: datetime.date
    due: datetime.date
    expected: tuple[str, ...]
    submitted: tuple[str, ...]
    late: tuple[str, ...]
    flagged: tuple[str, ...]
    outstanding: tuple[str, ...]
    sign_off: MonthSignOff | None = None

    @property
    def status(self) -> str:
        if self.sign_off is not None:
            return MonthStatus.SIGNED_OFF
        if self.expected and not self.outstanding:
            return MonthStatus.COMPLETE
        return MonthStatus.OPEN

    @property
    def closed(self) -> bool:
        return self.status in CLOSED

    @property
    def counts(self) -> dict[str, int]:
        return {
            "expected": len(self.expected),
            "submitted": len(self.submitted),
            "late": len(self.late),
            "flagged": len(self.flagged),
        }


def months_of(tracker: Tracker, sign_offs: Sequence[MonthSignOff] = ()) -> list[SystemMonth]:
    """The tracker's months, oldest first, with their sign-offs. No query."""
    signed = {s.month: s for s in sign_offs}
    months = []
    for index, period in enumerate(tracker.months):
        by_state: dict[str, list[str]] = {}
        flagged = []
        for row in tracker.rows:
            cell = row.cells[index]
            by_state.setdefault(cell.state, []).append(row.organisation.code)
            if cell.for_review and cell.state in (State.SUBMITTED, State.LATE):
                flagged.append(row.organisation.code)
        on_time = by_state.get(State.SUBMITTED, [])
        sent_late = by_state.get(State.LATE, [])
        missing = by_state.get(State.MISSING, [])
        due = by_state.get(State.DUE, [])
        months.append(
            SystemMonth(
                period=period,
                due=due_date(period),
                expected=tuple(sorted(on_time + sent_late + missing + due)),
                submitted=tuple(sorted(on_time + sent_late)),
                late=tuple(sorted(sent_late + missing)),
                flagged=tuple(sorted(flagged)),
                outstanding=tuple(sorted(missing + due)),
                sign_off=signed.get(period),
            )
        )
    return months


def system_months(
    *, ics: ICS, today: datetime.date | None = None, count: int = TRACKER_MONTHS
) -> list[SystemMonth]:
    """The `count` months before the current one, oldest first. Four queries."""
    today = today or timezone.localdate()
    tracker = submission_tracker(ics=ics, today=today, months=count)
    return months_of(tracker, sign_offs_of(ics, tracker.months))


def sign_offs_of(ics: ICS, periods: Sequence[datetime.date]) -> list[MonthSignOff]:
    if not periods:
        return []
    return list(
        MonthSignOff.objects.filter(
            ics=ics, month__gte=periods[0], month__lt=month_add(periods[-1], 1)
        ).select_related("signed_off_by")
    )


def latest_closed(months: Sequence[SystemMonth]) -> datetime.date | None:
    """The latest complete or signed-off month, or None."""
    closed = [m.period for m in months if m.closed]
    return max(closed) if closed else None


def with_partial_months(trend: Sequence[TrendMonth], months: Sequence[SystemMonth]) -> list:
    """The trend with every month that does not stand for the system marked partial (with
    how many of the expected returns it holds): an open month, or one the tracker does not
    show. A partial month is drawn apart, never as the system's total."""
    by_period = {m.period: m for m in months}
    marked = []
    for month in trend:
        known = by_period.get(month.period)
        if known is not None and known.closed:
            marked.append(month)
            continue
        expected = len(known.expected) if known is not None else None
        sent = len(known.submitted) if known is not None else None
        marked.append(replace(month, partial=True, expected=expected, submitted=sent))
    return marked


def system_month(
    *, ics: ICS, period: datetime.date, today: datetime.date | None = None
) -> SystemMonth:
    """One past month of a system (`period` before the current month). Four queries."""
    today = today or timezone.localdate()
    last = month_add(today.replace(day=1), -1)
    count = (last.year - period.year) * 12 + last.month - period.month + 1
    return system_months(ics=ics, today=today, count=count)[0]
