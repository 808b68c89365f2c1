"""The demo's staffing returns: the shapes the tracker and the projections rely on."""

from __future__ import annotations

import datetime
import hashlib
import io
from collections import Counter
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Sum

from core.demo import people, published
from core.models import PublishedFigure, StaffGroup
from workforce.demo import returns as demo_returns
from workforce.models import StaffingReturn, StaffingReturnRow
from workforce.returns import read_return
from workforce.selectors.tracker import is_late

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Seeded once for the module, inside a transaction rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        for step in (people, published, demo_returns):
            step.seed(io.StringIO())
        yield
        transaction.set_rollback(True)


def current_rows():
    return StaffingReturnRow.objects.filter(staffing_return__status=StaffingReturn.Status.SUBMITTED)


def test_every_trust_has_24_months_up_to_october_2026_but_a_few(demo):
    months = Counter(StaffingReturn.objects.current().values_list("organisation__code", flat=True))
    assert len(months) > 150
    assert max(months.values()) == 24
    short = [code for code, count in months.items() if count < 24]
    # About a quarter (demo_returns.MISSES) missed one month.
    assert len(months) * 0.15 < len(short) < len(months) * 0.35
    assert all(months[code] == 23 for code in short)
    periods = StaffingReturn.objects.values_list("period", flat=True)
    assert (min(periods), max(periods)) == (datetime.date(2024, 11, 1), demo_returns.FINAL_MONTH)


def test_fte_is_the_published_figure_where_there_is_one(demo):
    published_fte = PublishedFigure.objects.get(
        organisation__code="RJ1", staff_group__code="NUR", month=datetime.date(2025, 6, 1)
    )
    row = current_rows().get(
        staffing_return__organisation__code="RJ1",
        staff_group__code="NUR",
        staffing_return__period=datetime.date(2025, 6, 1),
    )
    assert row.fte == published_fte.fte
    assert row.headcount == published_fte.headcount
    later = current_rows().get(
        staffing_return__organisation__code="RJ1",
        staff_group__code="NUR",
        staffing_return__period=datetime.date(2026, 10, 1),
    )
    assert abs(later.fte / published_fte.fte - 1) < Decimal("0.1")  # the trend carried on
    assert later.fte > published_fte.fte  # nurses grow, as they did nationally


def test_the_rates_are_those_asked_for(demo):
    totals = current_rows().aggregate(
        fte=Sum("fte"), vacancies=Sum("vacancies_fte"), leavers=Sum("leavers_fte")
    )
    vacancy_rate = totals["vacancies"] / (totals["fte"] + totals["vacancies"])
    assert Decimal("0.06") <= vacancy_rate <= Decimal("0.09")  # by group and trust
    assert Decimal("0.08") <= totals["leavers"] * 12 / totals["fte"] <= Decimal("0.10")
    sickness = [float(r) for r in current_rows().values_list("sickness_absence_rate", flat=True)]
    assert 0.045 <= sum(sickness) / len(sickness) <= 0.06

    def agency(month: int, year: int = 2026) -> Decimal:
        month_rows = current_rows().filter(staffing_return__period=datetime.date(year, month, 1))
        return month_rows.aggregate(a=Sum("agency_fte"))["a"]

    assert agency(10) < agency(3) * Decimal("0.9")  # falling in 2026/27, as the national ask
    joiners = current_rows().aggregate(j=Sum("joiners_fte"))["j"]
    # More joiners than leavers: the workforce grows (test_returns_demo_life checks by how much).
    assert Decimal("1.1") <= joiners / totals["leavers"] <= Decimal("1.6")


def test_each_return_keeps_a_real_file_that_reads_back_to_its_rows(demo):
    codes = list(StaffGroup.objects.filter(reportable=True).values_list("code", flat=True))
    for stored in StaffingReturn.objects.order_by("?")[:20]:
        content = bytes(stored.content)
        assert stored.sha256 == hashlib.sha256(content).hexdigest()
        assert stored.size == len(content)
        parsed = read_return(content, stored.original_filename, staff_group_codes=codes)
        assert parsed.ok, parsed.problems
        rows = {r.staff_group.code: r for r in stored.rows.select_related("staff_group")}
        assert {r.staff_group_code for r in parsed.rows} == set(rows)
        for parsed_row in parsed.rows:
            assert parsed_row.fte == rows[parsed_row.staff_group_code].fte
            assert parsed_row.leavers_fte == rows[parsed_row.staff_group_code].leavers_fte


def test_some_are_late_resubmitted_or_have_warnings(demo):
    firsts = StaffingReturn.objects.filter(version=1).values_list(
        "organisation__code", "period", "submitted_at"
    )
    late = {code for code, period, at in firsts if is_late(period, at)}
    trusts = StaffingReturn.objects.values("organisation").distinct().count()
    assert trusts * 0.3 < len(late) < trusts * 0.8  # most send on time most months
    assert 0 < StaffingReturn.objects.filter(status="superseded").count() < 200
    warned = [w for w in StaffingReturn.objects.current().values_list("warnings", flat=True) if w]
    assert trusts * 0.15 < len(warned) < trusts * 0.5


def test_seeding_again_adds_nothing(demo):
    count = StaffingReturn.objects.count()
    demo_returns.seed(io.StringIO())
    assert StaffingReturn.objects.count() == count
