"""The submission tracker: submitted, late, missing and due, by organisation and month."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from core.calendar import month_add
from core.models import ICS, Organisation
from workforce.models import StaffingReturn
from workforce.selectors.tracker import State, due_date, submission_tracker, tracker_months

from .returns_data import london, month, store_return

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 4, 10)  # the March return is due on 15 April: not yet missing


def cells_of(tracker, code: str) -> dict[datetime.date, object]:
    (found,) = [r for r in tracker.rows if r.organisation.code == code]
    return {cell.period: cell for cell in found.cells}


def test_a_return_is_due_by_the_15th_of_the_following_month():
    assert due_date(month(2025, 3)) == datetime.date(2025, 4, 15)
    assert due_date(month(2025, 12)) == datetime.date(2026, 1, 15)


def test_the_tracker_shows_the_twelve_months_before_the_current_one():
    assert tracker_months(TODAY) == [month(2024, n) for n in range(4, 13)] + [
        month(2025, n) for n in (1, 2, 3)
    ]


def test_it_shows_submitted_late_missing_due_and_warnings(cast):
    store_return(cast.trust_a, month(2025, 1), submitted_at=london(2025, 2, 15, 23))  # on time
    store_return(cast.trust_a, month(2025, 2), submitted_at=london(2025, 3, 16, 9))  # late
    # A resubmission after the due day does not make an on-time return late.
    store_return(
        cast.trust_a,
        month(2024, 12),
        submitted_at=london(2025, 1, 10),
        status=StaffingReturn.Status.SUPERSEDED,
    )
    store_return(
        cast.trust_a,
        month(2024, 12),
        version=2,
        submitted_at=london(2025, 2, 20),
        warnings=[{"rule": "sickness_high", "staff_group": "NUR", "message": "high"}],
    )
    tracker = submission_tracker(ics=cast.ics_x, today=TODAY)
    a = cells_of(tracker, "RJ1")
    assert a[month(2025, 1)].state == State.SUBMITTED
    assert a[month(2025, 2)].state == State.LATE
    assert a[month(2024, 12)].state == State.SUBMITTED
    assert (a[month(2024, 12)].version, a[month(2024, 12)].warnings) == (2, 1)
    assert a[month(2024, 11)].state == State.MISSING
    assert a[month(2025, 3)].state == State.DUE
    b = cells_of(tracker, "RJ2")
    assert {cell.state for cell in b.values()} == {State.MISSING, State.DUE}
    assert "R0A" not in {r.organisation.code for r in tracker.rows}
    march = tracker.summary()[-1]
    assert march["period"] == month(2025, 3)
    assert march["due"] == len(tracker.rows)
    february = tracker.summary()[-2]
    assert (february["submitted"], february["late"]) == (1, 1)
    assert february["missing"] == len(tracker.rows) - 1


def test_months_outside_a_membership_are_marked(cast):
    merged = ICS.objects.get(code="Z9B2Z")  # from April 2026
    tracker = submission_tracker(ics=merged, today=datetime.date(2026, 7, 1))
    cells = cells_of(tracker, "RAS")
    assert cells[month(2026, 3)].state == State.NOT_MEMBER
    assert cells[month(2026, 4)].state == State.MISSING
    old = submission_tracker(ics=ICS.objects.get(code="QRV"), today=datetime.date(2026, 7, 1))
    assert cells_of(old, "RAS")[month(2026, 4)].state == State.NOT_MEMBER


def test_the_query_count_stays_the_same_as_returns_grow(cast, django_assert_num_queries):
    with django_assert_num_queries(3):
        submission_tracker(ics=cast.ics_x, today=TODAY)
    for trust in Organisation.objects.filter(code__in=["RJ1", "RJ2", "RJZ"]):
        for number in (1, 2, 3):
            store_return(trust, month(2025, number))
    with django_assert_num_queries(3):
        tracker = submission_tracker(ics=cast.ics_x, today=TODAY)
    assert cells_of(tracker, "RJZ")[month(2025, 2)].state == State.LATE  # stored today


def test_the_tracker_page_is_for_the_systems_in_scope(client, cast):
    today = timezone.localdate()
    last_month = month_add(today.replace(day=1), -1)
    store_return(cast.trust_a, last_month, submitted_at=london(today.year, today.month, 1))
    client.force_login(cast.lead_x)
    page = client.get("/returns/tracker/").content.decode()
    assert "NHS South East London Integrated Care Board" in page  # as people write it
    assert "NHS SOUTH EAST LONDON" not in page
    assert "Submitted" in page and "Missing" in page
    client.force_login(cast.analyst_x)
    assert client.get("/returns/tracker/?ics=QKK").status_code == 200
    client.force_login(cast.lead_y)
    assert client.get("/returns/tracker/?ics=QKK").status_code == 404
    client.force_login(cast.uploader_a)
    assert client.get("/returns/tracker/").status_code == 403
    client.force_login(cast.national)
    page = client.get("/returns/tracker/").content.decode()
    assert 'name="ics"' in page and "nhsuk-tag" not in page  # chooses a system first
    assert "Submitted" in client.get("/returns/tracker/?ics=qkk").content.decode()


def test_it_lists_those_that_send_returns_not_every_gp_practice(cast):
    practices = Organisation.objects.filter(
        kind=Organisation.Kind.GP_PRACTICE, memberships__ics=cast.ics_x
    ).distinct()
    assert practices.count() > 100  # the system's practices are members of it
    sender = practices.first()
    store_return(sender, month(2025, 1))
    listed = {row.organisation.code for row in submission_tracker(ics=cast.ics_x, today=TODAY).rows}
    assert {"RJ1", "RJ2", sender.code} <= listed
    assert not listed & set(practices.exclude(pk=sender.pk).values_list("code", flat=True))
