"""The demo's staffing returns move as a workforce does: seasons, trends that differ by trust,
vacancies that differ by group and trust, some late, missing and flagged returns, and joiners
less leavers that reproduce the national series' growth."""

from __future__ import annotations

import datetime
import io
import statistics
from collections import defaultdict

import pytest
from django.db import transaction

from core.calendar import month_add
from core.demo import people, published
from core.demo.growth import STALL_TO, TREND_FROM, TREND_TO, months_between
from core.models import OrganisationMembership
from core.national_series import read_national_series
from workforce.demo import returns as demo_returns
from workforce.models import StaffingReturn, StaffingReturnRow
from workforce.selectors.tracker import is_late

pytestmark = pytest.mark.django_db
GROWTH_TOLERANCE = 0.005  # a year: the demo's trusts' offsets average out to within this


@pytest.fixture(scope="module")
def rows(django_db_setup, django_db_blocker):
    """Seeded once for the module; the current rows as (org, group, month) -> fields."""
    with django_db_blocker.unblock(), transaction.atomic():
        for step in (people, published, demo_returns):
            step.seed(io.StringIO())
        found = {
            (org, group, month): {"fte": float(f), "j": float(j), "l": float(lv), "v": float(v)}
            | {"s": float(s)}
            for org, group, month, f, j, lv, v, s in StaffingReturnRow.objects.filter(
                staffing_return__status=StaffingReturn.Status.SUBMITTED
            ).values_list(
                "staffing_return__organisation__code",
                "staff_group__code",
                "staffing_return__period",
                "fte",
                "joiners_fte",
                "leavers_fte",
                "vacancies_fte",
                "sickness_absence_rate",
            )
        }
        returns = list(
            StaffingReturn.objects.filter(version=1).values_list(
                "organisation__code", "organisation_id", "period", "submitted_at"
            )
        )
        warned = set(
            StaffingReturn.objects.current()
            .exclude(warnings=[])
            .values_list("organisation__code", flat=True)
        )
        systems = defaultdict(set)
        for org, ics in OrganisationMembership.objects.filter(
            organisation__code__in={r[0] for r in returns}
        ).values_list("organisation__code", "ics_id"):
            systems[ics].add(org)
        yield {"rows": found, "returns": returns, "warned": warned, "systems": systems}
        transaction.set_rollback(True)


def _mean(rows, key, test) -> float:
    values = [r[key] for (org, group, month), r in rows.items() if test(group, month)]
    return statistics.fmean(values)


def test_winter_sickness_is_above_summer(rows):
    rows = rows["rows"]
    winter = _mean(rows, "s", lambda g, m: m.month in (12, 1, 2))
    summer = _mean(rows, "s", lambda g, m: m.month in (6, 7, 8))
    assert winter > summer * 1.15


def test_newly_qualified_nurses_join_in_september(rows):
    rows = rows["rows"]
    september = _mean(rows, "j", lambda g, m: g == "NUR" and m.month == 9)
    spring = _mean(rows, "j", lambda g, m: g == "NUR" and m.month in (3, 4, 5, 6))
    assert september > spring * 1.5


def _trust_growth(rows, group, start, end) -> dict[str, float]:
    """Each trust's growth a year of the group's FTE from start to end."""
    growth = {}
    for (org, code, month), row in rows.items():
        if code == group and month == start and (org, code, end) in rows:
            ratio = rows[(org, code, end)]["fte"] / row["fte"]
            growth[org] = ratio ** (12 / months_between(start, end)) - 1
    return growth


def test_trusts_grow_at_rates_of_their_own(rows):
    growth = _trust_growth(rows["rows"], "NUR", datetime.date(2024, 11, 1), TREND_TO)
    assert len(growth) > 100
    assert max(growth.values()) - min(growth.values()) > 0.02
    assert statistics.pstdev(growth.values()) > 0.005


def test_vacancy_rates_differ_by_group_and_trust(rows):
    by_group, by_trust = defaultdict(lambda: [0.0, 0.0]), defaultdict(lambda: [0.0, 0.0])
    for (org, group, _month), row in rows["rows"].items():
        for key, totals in ((group, by_group), (org, by_trust)):
            totals[key][0] += row["v"]
            totals[key][1] += row["v"] + row["fte"]
    group_rate = {g: v / e for g, (v, e) in by_group.items() if e}
    trust_rate = sorted(v / e for v, e in by_trust.values() if e)
    assert group_rate["NUR"] > group_rate["DOC"] + 0.015
    assert group_rate["NUR"] > group_rate["INF-SM"] + 0.03
    assert trust_rate[-1] - trust_rate[0] > 0.03
    assert 0.05 < statistics.median(trust_rate) < 0.09


def test_most_systems_have_late_missing_and_flagged_returns(rows):
    late = {org for org, _, period, at in rows["returns"] if is_late(period, at)}
    assert all(at.day > 15 for _, _, period, at in rows["returns"] if is_late(period, at))
    count = defaultdict(int)
    for org, *_ in rows["returns"]:
        count[org] += 1
    missing = {org for org, n in count.items() if n < max(count.values())}
    systems = rows["systems"].values()
    for kind in (late, missing, rows["warned"]):
        with_some = [orgs for orgs in systems if orgs & kind]
        assert len(with_some) > len(systems) / 2
    assert len(missing) < len(count) / 2  # most still send every month


def _demo_growth(rows, groups, start, end) -> float:
    """Growth a year of the demo trusts' FTE in `groups` from the month before `start` to
    `end`, from joiners less leavers alone, over the trusts with a return every month."""
    months = [start]
    while months[-1] < end:
        months.append(month_add(months[-1], 1))
    base = change = 0.0
    for org in {org for org, _, _ in rows}:
        cells = [[rows.get((org, g, m)) for m in months] for g in groups]
        cells = [c for c in cells if c[0] is not None]
        if not cells or any(None in c for c in cells):
            continue
        for series in cells:
            base += series[0]["fte"] - (series[0]["j"] - series[0]["l"])
            change += sum(r["j"] - r["l"] for r in series)
    return ((base + change) / base) ** (12 / len(months)) - 1


def _national_growth(codes, start, end) -> float:
    fte = read_national_series()["fte"]
    total = [
        sum(v for (c, m), v in fte.items() if m == month and (codes is None or c in codes))
        for month in (start, end)
    ]
    return (total[1] / total[0]) ** (12 / months_between(start, end)) - 1


@pytest.mark.parametrize("group", ["ALL", "NUR", "DOC"])
def test_joiners_less_leavers_reproduce_the_national_growth(rows, group):
    rows = rows["rows"]
    groups = sorted({g for _, g, _ in rows}) if group == "ALL" else [group]
    codes = None if group == "ALL" else {group}
    trend = _national_growth(codes, TREND_FROM, TREND_TO)
    stall = _national_growth(codes, TREND_TO, STALL_TO)
    assert trend > stall + 0.015  # the national series grew, then stalled
    # November 2024 to October 2025: eleven months of the trend, then one of the stall.
    year = _demo_growth(rows, groups, datetime.date(2024, 11, 1), datetime.date(2025, 10, 1))
    expected = ((1 + trend) ** 11 * (1 + stall)) ** (1 / 12) - 1
    assert abs(year - expected) < GROWTH_TOLERANCE
    # October 2025 to February 2026: the stall.
    late = _demo_growth(rows, groups, datetime.date(2025, 10, 1), STALL_TO)
    assert abs(late - stall) < GROWTH_TOLERANCE * 2
    # The last twelve months, from which a projection takes its joiners, are not flat.
    last = _demo_growth(
        rows, groups, month_add(demo_returns.FINAL_MONTH, -11), demo_returns.FINAL_MONTH
    )
    assert last > stall + 0.005
