"""The baseline of a projection: latest returns, 12-month rates, published fallback."""

from __future__ import annotations

import pytest

from core.calendar import month_add
from core.models import ICS, Organisation, PublishedFigure, StaffGroup
from workforce.models import StaffingReturn
from workforce.selectors.baseline import baseline_for

from .returns_data import month, store_return

pytestmark = pytest.mark.django_db


def series_of(result, organisation_code: str, group: str = "NUR"):
    found = [
        s
        for s in result
        if s.organisation_code == organisation_code and s.staff_group_code == group
    ]
    assert len(found) == 1, found
    return found[0]


def publish(organisation: Organisation, when, fte: str, group: str = "NUR") -> None:
    PublishedFigure.objects.create(
        organisation=organisation,
        staff_group=StaffGroup.objects.get(code=group),
        month=when,
        fte=fte,
        headcount=None,
        source="test",
    )


def test_the_latest_return_at_or_before_the_baseline_month_gives_fte_and_vacancies(cast):
    store_return(cast.trust_a, month(2025, 1), {"NUR": {"fte": "90", "vacancies_fte": "9"}})
    store_return(cast.trust_a, month(2025, 2), {"NUR": {"fte": "95", "vacancies_fte": "7"}})
    store_return(cast.trust_a, month(2025, 4), {"NUR": {"fte": "150"}})  # after the baseline
    nurses = series_of(baseline_for(ics=cast.ics_x, period=month(2025, 3)), "RJ1")
    assert nurses.source == "return"
    assert nurses.period == month(2025, 2)
    assert nurses.fte == 95
    assert nurses.vacancies_fte == 7
    assert nurses.establishment == 102
    assert nurses.ics_code == "QKK"


def test_superseded_versions_are_ignored(cast):
    store_return(
        cast.trust_a,
        month(2025, 3),
        {"NUR": {"fte": "999", "leavers_fte": "50"}},
        status=StaffingReturn.Status.SUPERSEDED,
    )
    store_return(cast.trust_a, month(2025, 3), {"NUR": {"fte": "100"}}, version=2)
    nurses = series_of(baseline_for(ics=cast.ics_x, period=month(2025, 3)), "RJ1")
    assert nurses.fte == 100
    assert nurses.leaver_rate == pytest.approx(12 * 1 / 100)
    assert nurses.months_of_returns == 1


def test_the_leaver_rate_is_twelve_months_of_leavers_over_the_mean_fte(cast):
    # Thirteen months: the oldest falls outside the window and must not count.
    for index in range(13):
        store_return(
            cast.trust_a,
            month_add(month(2024, 3), index),
            {"NUR": {"fte": str(100 + index), "leavers_fte": "50" if index == 0 else "2"}},
        )
    nurses = series_of(baseline_for(ics=cast.ics_x, period=month(2025, 3)), "RJ1")
    mean_fte = sum(range(101, 113)) / 12
    assert nurses.months_of_returns == 12
    assert nurses.leaver_rate == pytest.approx(24 / mean_fte)
    assert nurses.fte == 112


def test_fewer_months_are_annualised(cast):
    for index in range(6):
        store_return(
            cast.trust_a,
            month_add(month(2025, 1), index),
            {"NUR": {"fte": "100", "leavers_fte": "2", "joiners_fte": "3"}},
        )
    nurses = series_of(baseline_for(ics=cast.ics_x, period=month(2025, 6)), "RJ1")
    assert nurses.months_of_returns == 6
    assert nurses.leaver_rate == pytest.approx(2 * 12 / 100)
    assert nurses.joiners_a_year == pytest.approx(3 * 12)


def test_joiners_a_year_are_the_last_twelve_months_of_joiners(cast):
    for index in range(14):
        joiners = "1.5" if index >= 2 else "40"
        store_return(
            cast.trust_a, month_add(month(2024, 1), index), {"NUR": {"joiners_fte": joiners}}
        )
    nurses = series_of(baseline_for(ics=cast.ics_x, period=month(2025, 2)), "RJ1")
    assert nurses.joiners_a_year == pytest.approx(18)


def test_the_window_is_the_twelve_months_up_to_a_stale_latest_return(cast):
    # The latest return is fourteen months before the baseline month, with a year before it.
    for index in range(12):
        store_return(cast.trust_a, month_add(month(2023, 1), index), {"NUR": {"leavers_fte": "1"}})
    nurses = series_of(baseline_for(ics=cast.ics_x, period=month(2025, 2)), "RJ1")
    assert nurses.period == month(2023, 12)
    assert nurses.months_of_returns == 12
    assert nurses.leaver_rate == pytest.approx(12 / 100)


def test_an_organisation_with_no_return_falls_back_to_its_published_figures(cast):
    store_return(cast.trust_a, month(2025, 3))
    publish(cast.trust_b, month(2025, 1), "310.5")
    publish(cast.trust_b, month(2025, 2), "320.25")
    publish(cast.trust_b, month(2025, 4), "999")  # after the baseline month
    publish(cast.trust_b, month(2025, 1), "40", group="MID")  # no longer published
    result = baseline_for(ics=cast.ics_x, period=month(2025, 3))
    nurses = series_of(result, "RJ2")
    assert nurses.source == "published"
    assert nurses.period == month(2025, 2)
    assert nurses.fte == 320.25
    assert nurses.vacancies_fte is None
    assert nurses.leaver_rate is None
    assert nurses.joiners_a_year is None
    assert not [s for s in result if s.organisation_code == "RJ2" and s.staff_group_code == "MID"]
    assert series_of(result, "RJ1").source == "return"
    assert "R0A" not in {s.organisation_code for s in result}  # another system


def test_an_ics_created_after_the_baseline_month_takes_its_first_day_members():
    merged = ICS.objects.get(code="Z9B2Z")  # from 1 April 2026
    member = Organisation.objects.get(code="RAS")  # in QRV until then
    store_return(member, month(2025, 6))
    result = baseline_for(ics=merged, period=month(2025, 6))
    nurses = series_of(result, "RAS")
    assert nurses.ics_code == "Z9B2Z"
    assert nurses.source == "return"


def test_the_old_system_keeps_its_members_before_the_merger():
    old = ICS.objects.get(code="QRV")
    store_return(Organisation.objects.get(code="RAS"), month(2025, 6))
    assert series_of(baseline_for(ics=old, period=month(2025, 6)), "RAS").ics_code == "QRV"


def test_the_query_count_stays_the_same_as_organisations_grow(cast, django_assert_num_queries):
    store_return(cast.trust_a, month(2025, 3))
    publish(cast.trust_b, month(2025, 3), "100")
    with django_assert_num_queries(4):
        small = baseline_for(ics=None, period=month(2025, 3))
    trusts = Organisation.objects.filter(code__in=["RJZ", "RRV", "R1K", "RAX", "R1H"])
    assert trusts.count() == 5
    for index, trust in enumerate(trusts):
        for back in range(3):
            store_return(trust, month_add(month(2025, 3), -back - index))
        publish(trust, month(2025, 3), "50", group="MID")
    publish(cast.trust_c, month(2025, 2), "80")
    with django_assert_num_queries(4):
        large = baseline_for(ics=None, period=month(2025, 3))
    assert (
        len({s.organisation_code for s in large}) == len({s.organisation_code for s in small}) + 6
    )
