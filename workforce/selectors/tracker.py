"""The submission tracker: which organisations of a system sent their return for each month.

A month's return is due by the 15th of the following month (DUE_DAY). It is late when its
first version came after that day, whatever came later; missing when none has come and the
day has passed; due while the day has not yet passed.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Min, Q
from django.utils import timezone

from core.calendar import month_add
from core.models import ICS, Organisation, OrganisationMembership
from workforce.models import StaffingReturn

DUE_DAY = 15
TRACKER_MONTHS = 12


class State:
    SUBMITTED = "submitted"
    LATE = "late"
    MISSING = "missing"
    DUE = "due"
    NOT_MEMBER = "not_member"


def due_date(period: datetime.date) -> datetime.date:
    """The last day a return for `period` is on time: the 15th of the following month."""
    return month_add(period, 1).replace(day=DUE_DAY)


def is_late(period: datetime.date, first_submitted_at: datetime.datetime) -> bool:
    return timezone.localdate(first_submitted_at) > due_date(period)


def tracker_months(today: datetime.date, count: int = TRACKER_MONTHS) -> list[datetime.date]:
    """The `count` months before the current one, oldest first."""
    last = month_add(today.replace(day=1), -1)
    return [month_add(last, -back) for back in range(count - 1, -1, -1)]


@dataclass(frozen=True)
class TrackerCell:
    period: datetime.date
    state: str
    return_id: int | None = None
    version: int | None = None
    warnings: int = 0
    first_submitted_at: datetime.datetime | None = None
    for_review: bool = False  # warnings neither confirmed nor accepted (runs leave it out)


@dataclass(frozen=True)
class TrackerRow:
    organisation: Organisation
    cells: list[TrackerCell]
    joined: datetime.date | None = None  # its membership began within the months shown
    left: datetime.date | None = None  # its membership ended within them, or since

    @property
    def newest_first(self) -> list[TrackerCell]:
        return self.cells[::-1]


@dataclass(frozen=True)
class Tracker:
    ics: ICS
    months: list[datetime.date]
    rows: list[TrackerRow]

    @property
    def newest_first(self) -> list[datetime.date]:
        """The months as the page shows them: the one being chased first."""
        return self.months[::-1]

    def summary(self) -> list[dict]:
        """Per month: how many sent a return (on time or late), how many late, how many not."""
        counts = []
        for index, period in enumerate(self.months):
            states = [row.cells[index].state for row in self.rows]
            counts.append(
                {
                    "period": period,
                    "submitted": states.count(State.SUBMITTED) + states.count(State.LATE),
                    "late": states.count(State.LATE),
                    "missing": states.count(State.MISSING),
                    "due": states.count(State.DUE),
                }
            )
        return counts


def submission_tracker(
    *, ics: ICS, today: datetime.date | None = None, months: int = TRACKER_MONTHS
) -> Tracker:
    """Every organisation that belonged to `ics` in the months shown and sends returns, by
    month. Three queries."""
    today = today or timezone.localdate()
    periods = tracker_months(today, months)
    first, after = periods[0], month_add(periods[-1], 1)
    # Those that send monthly returns: NHS trusts, sector organisations, and any other that
    # has sent one (a practice or a care provider that chose to); not every GP practice.
    sends_returns = (
        Q(organisation__kind=Organisation.Kind.NHS_TRUST)
        | Q(organisation__sector=True)
        | Q(organisation__in=StaffingReturn.objects.values("organisation_id"))
    )
    memberships = (
        OrganisationMembership.objects.filter(ics=ics, valid_from__lt=after)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=first))
        .filter(sends_returns)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    spans: dict[int, list[OrganisationMembership]] = defaultdict(list)
    organisations: dict[int, Organisation] = {}
    for membership in memberships:
        spans[membership.organisation_id].append(membership)
        organisations[membership.organisation_id] = membership.organisation
    returns = StaffingReturn.objects.filter(
        organisation_id__in=list(organisations), period__gte=first, period__lt=after
    )
    first_at = {
        (org_id, period): at
        for org_id, period, at in returns.values("organisation_id", "period")
        .annotate(at=Min("submitted_at"))
        .values_list("organisation_id", "period", "at")
        .order_by()
    }
    current = {
        (org_id, period): (pk, version, len(warnings or []), bool(warnings) and not review)
        for pk, org_id, period, version, warnings, review in returns.current()
        .values_list("pk", "organisation_id", "period", "version", "warnings", "review")
        .order_by()
    }
    rows = []
    for org_id, organisation in organisations.items():
        cells = []
        for period in periods:
            member = any(
                m.valid_from <= period and (m.valid_to is None or period < m.valid_to)
                for m in spans[org_id]
            )
            key = (org_id, period)
            if key in current:
                pk, version, warnings, for_review = current[key]
                state = State.LATE if is_late(period, first_at[key]) else State.SUBMITTED
                cells.append(
                    TrackerCell(period, state, pk, version, warnings, first_at[key], for_review)
                )
            elif not member:
                cells.append(TrackerCell(period, State.NOT_MEMBER))
            elif today > due_date(period):
                cells.append(TrackerCell(period, State.MISSING))
            else:
                cells.append(TrackerCell(period, State.DUE))
        starts = [m.valid_from for m in spans[org_id]]
        ends = [m.valid_to for m in spans[org_id]]
        joined = min(starts) if min(starts) > first else None
        left = max(ends) if None not in ends and max(ends) <= today else None
        rows.append(TrackerRow(organisation, cells, joined, left))
    return Tracker(ics=ics, months=periods, rows=rows)
