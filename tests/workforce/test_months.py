"""A system's months: complete when every expected organisation has sent its return, or
signed off by the ICB lead; the trend and a new run's baseline stop at such a month."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from core.calendar import month_add
from core.models import ICS
from workforce.charts.returns import trend_staff_chart
from workforce.models import MonthSignOff
from workforce.selectors.dashboards import system_dashboard
from workforce.selectors.dashboards_returns import returns_trend
from workforce.selectors.months import (
    MonthStatus,
    latest_closed,
    system_months,
    with_partial_months,
)
from workforce.selectors.tracker import submission_tracker

from .returns_data import london, month, store_return

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 4, 10)  # March is due on 15 April; February was due 15 March
FLAG = [{"rule": "fte_change", "staff_group": "NUR", "message": "nurses down 25%"}]


def expected_of(ics: ICS, today: datetime.date = TODAY) -> list:
    return [row.organisation for row in submission_tracker(ics=ics, today=today).rows]


def send_all(organisations, period, *, but=(), late=(), flagged=()):
    """Every organisation's return of `period` on time, except those left out (`but`), sent
    after the due day (`late`) or with warnings (`flagged`)."""
    on_time = london(month_add(period, 1).year, month_add(period, 1).month, 10)
    after = london(month_add(period, 1).year, month_add(period, 1).month, 20)
    for organisation in organisations:
        if organisation.code in but:
            continue
        store_return(
            organisation,
            period,
            submitted_at=after if organisation.code in late else on_time,
            warnings=FLAG if organisation.code in flagged else [],
        )


def by_period(months):
    return {m.period: m for m in months}


def test_a_month_every_expected_organisation_sent_is_complete_without_sign_off(cast):
    expected = expected_of(cast.ics_x)
    send_all(expected, month(2025, 2), late={"RJ2"}, flagged={"RJ1"})
    send_all(expected, month(2025, 1), but={"RJ2"})
    months = by_period(system_months(ics=cast.ics_x, today=TODAY))
    february, january, march = (
        months[month(2025, 2)],
        months[month(2025, 1)],
        months[month(2025, 3)],
    )
    assert february.status == MonthStatus.COMPLETE
    assert february.counts == {
        "expected": len(expected),
        "submitted": len(expected),
        "late": 1,
        "flagged": 1,
    }
    assert (february.late, february.flagged) == (("RJ2",), ("RJ1",))
    assert january.status == MonthStatus.OPEN
    assert january.counts["submitted"] == len(expected) - 1
    assert (january.late, january.outstanding) == (("RJ2",), ("RJ2",))
    assert march.status == MonthStatus.OPEN
    assert (march.counts["submitted"], march.counts["late"]) == (0, 0)  # not yet due
    assert latest_closed(months.values()) == month(2025, 2)


def test_a_signed_off_month_closes_though_a_return_is_missing(cast):
    expected = expected_of(cast.ics_x)
    send_all(expected, month(2025, 2), but={"RJ2"})
    MonthSignOff.objects.create(
        ics=cast.ics_x,
        month=month(2025, 2),
        signed_off_by=cast.lead_x,
        signed_off_at=timezone.now(),
    )
    months = by_period(system_months(ics=cast.ics_x, today=TODAY))
    assert months[month(2025, 2)].status == MonthStatus.SIGNED_OFF
    assert months[month(2025, 2)].outstanding == ("RJ2",)
    assert latest_closed(months.values()) == month(2025, 2)


def test_the_trend_marks_the_months_after_the_latest_complete_one_as_partial(cast):
    expected = expected_of(cast.ics_x)
    send_all(expected, month(2025, 1))
    send_all(expected, month(2025, 2))
    send_all(expected[:1], month(2025, 3))  # one of them has sent March
    months = system_months(ics=cast.ics_x, today=TODAY, count=24)
    trend = with_partial_months(
        returns_trend(user=cast.lead_x, ics=cast.ics_x, today=TODAY), months
    )
    assert [(m.period, m.partial) for m in trend] == [
        (month(2025, 1), False),
        (month(2025, 2), False),
        (month(2025, 3), True),
    ]
    assert (trend[-1].submitted, trend[-1].expected) == (1, len(expected))
    chart = trend_staff_chart(trend)
    names = [t["name"] for t in chart.figure["data"]]
    assert "Staff in post: partial months" in names
    solid = next(t for t in chart.figure["data"] if t["name"] == "Staff in post")
    assert solid["y"][-1] is None  # March is no system total
    note = chart.figure["layout"]["title"]["subtitle"]["text"]
    assert f"March 2025: 1 of {len(expected)} returns" in note


def test_a_new_run_defaults_to_the_latest_complete_month(cast):
    expected = expected_of(cast.ics_x)
    send_all(expected, month(2025, 1))
    send_all(expected[:1], month(2025, 2))
    send_all(expected[:1], month(2025, 3))
    d = system_dashboard(user=cast.lead_x, ics=cast.ics_x, today=TODAY)
    assert d.baseline_period == month(2025, 1)
    MonthSignOff.objects.create(
        ics=cast.ics_x,
        month=month(2025, 2),
        signed_off_by=cast.lead_x,
        signed_off_at=timezone.now(),
    )
    d = system_dashboard(user=cast.lead_x, ics=cast.ics_x, today=TODAY)
    assert d.baseline_period == month(2025, 2)
    assert [m.partial for m in d.trend] == [False, False, True]


def test_with_no_complete_month_a_run_starts_from_the_latest_returns(cast):
    send_all(expected_of(cast.ics_x)[:1], month(2025, 2))
    d = system_dashboard(user=cast.lead_x, ics=cast.ics_x, today=TODAY)
    assert d.baseline_period == month(2025, 2)
    assert all(m.partial for m in d.trend)


def test_the_tracker_marks_organisations_that_joined_or_left(cast):
    today = datetime.date(2026, 7, 1)
    merged = submission_tracker(ics=ICS.objects.get(code="Z9B2Z"), today=today)
    (ras,) = [r for r in merged.rows if r.organisation.code == "RAS"]
    assert (ras.joined, ras.left) == (month(2026, 4), None)
    old = submission_tracker(ics=ICS.objects.get(code="QRV"), today=today)
    (ras,) = [r for r in old.rows if r.organisation.code == "RAS"]
    assert (ras.joined, ras.left) == (None, month(2026, 4))
    assert merged.newest_first[0] == month(2026, 6)


def test_the_tracker_page_shows_the_latest_month_first_and_the_sign_off(client, cast):
    today = timezone.localdate()
    last, before = month_add(today.replace(day=1), -1), month_add(today.replace(day=1), -2)
    client.force_login(cast.lead_x)
    page = client.get("/returns/tracker/?ics=QKK").content.decode()
    assert "app-sticky-first" in page
    assert page.index(f">{last:%b %Y}<") < page.index(f">{before:%b %Y}<")
    assert f"/returns/tracker/QKK/{before:%Y-%m}/sign-off/" in page
    client.force_login(cast.analyst_x)
    page = client.get("/returns/tracker/?ics=QKK").content.decode()
    assert "/sign-off/" not in page  # an analyst reads, and does not sign off


def test_the_lead_signs_off_a_month_from_the_tracker(client, cast):
    before = month_add(timezone.localdate().replace(day=1), -2)
    url = f"/returns/tracker/QKK/{before:%Y-%m}/sign-off/"
    client.force_login(cast.analyst_x)
    assert client.post(url).status_code == 403
    client.force_login(cast.lead_y)
    assert client.post(url).status_code == 404
    client.force_login(cast.lead_x)
    response = client.post(url, follow=True)
    assert MonthSignOff.objects.filter(ics=cast.ics_x, month=before).exists()
    assert "is signed off" in response.content.decode()
