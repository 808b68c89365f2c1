"""The baseline of a projection (docs/design.md section 3), read from stored returns.

For each organisation of the scope, its latest return at or before the baseline month
gives FTE in post and vacancies; the twelve months up to that return give the leaver rate
(leavers over mean FTE in post) and the joiners a year, annualised from fewer months where
there are fewer. An organisation with no return falls back to its latest published FTE
figures, however old (NHS Workforce Statistics for trusts; the PCN workforce and practice
figures for primary care): FTE only, the caller fills the rest from the scenario, and the run's
notes say of which months. A return is read in the version runs use
(`StaffingReturn.objects.for_runs`): a current version for review leaves the one before it in
use, or its month out, until it is confirmed or accepted. An organisation with neither whose
published figures give a headcount only is listed by `published_headcounts_for`, for the
projection's rule on them.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Max, Q

from core.calendar import month_add, year_label
from core.kinds import planning_sector
from core.models import ICS, Organisation, PublishedFigure
from core.selectors.reference import scope_members
from workforce.models import StaffingReturn, StaffingReturnRow
from workforce.projection.run_data import (
    BaselineSeries,
    CostMonth,
    PublishedHeadcount,
    ReturnUnderReview,
)

__all__ = [
    "WINDOW_MONTHS",
    "BaselineSeries",
    "baseline_for",
    "planned_members_for",
    "published_headcounts_for",
    "under_review_for",
]

WINDOW_MONTHS = 12


# One month of a series in the window: FTE in post, joiners and leavers (None: not given).
_Month = tuple[float, float | None, float | None]


def _figure(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _leaver_rate(history: list[_Month]) -> float | None:
    """Leavers a year over mean FTE in post, from the months whose return gives leavers
    (annualised from fewer than twelve): a month that left them blank does not count. None
    when no month gives them, so that the scenario's default applies."""
    known = [(fte, leavers) for fte, _joiners, leavers in history if leavers is not None]
    if not known:
        return None
    mean_fte = sum(fte for fte, _ in known) / len(known)
    leavers_a_year = sum(leavers for _, leavers in known) * WINDOW_MONTHS / len(known)
    return leavers_a_year / mean_fte if mean_fte > 0 else None


def _joiners_a_year(history: list[_Month]) -> float | None:
    """Joiners a year, from the months whose return gives joiners (annualised likewise);
    None when no month gives them, as for published figures."""
    known = [joiners for _fte, joiners, _leavers in history if joiners is not None]
    return sum(known) * WINDOW_MONTHS / len(known) if known else None


def baseline_for(*, ics: ICS | None, period: datetime.date) -> list[BaselineSeries]:
    """The baseline series of an ICS (or of England when None) at the month `period`.

    Four queries whatever the size of the scope: the scope's memberships, each member's
    latest current return at or before `period`, the rows of the twelve months up to it,
    and the published figures of organisations without a return.
    """
    period = period.replace(day=1)
    members = scope_members(ics=ics, on=period, with_shared=True)
    # The version of each month that runs use: a current one for review is left out.
    usable = StaffingReturn.objects.for_runs().filter(
        organisation_id__in=list(members), period__lte=period
    )
    latest_months = (
        usable.values("organisation_id")
        .annotate(latest=Max("period"))
        .values_list("organisation_id", "latest")
        .order_by()
    )
    # A latest return may be older than a year, so the window is each organisation's own;
    # organisations whose latest month is the same share one condition.
    by_latest: dict[datetime.date, list[int]] = defaultdict(list)
    for org_id, latest in latest_months:
        by_latest[latest].append(org_id)
    windows = Q(pk__in=[])
    for latest, org_ids in by_latest.items():
        windows |= Q(
            staffing_return__organisation_id__in=org_ids,
            staffing_return__period__gt=month_add(latest, -WINDOW_MONTHS),
            staffing_return__period__lte=latest,
        )
    rows = (
        StaffingReturnRow.objects.filter(
            windows,
            staffing_return__in=usable.order_by().values("pk"),
            staff_group__reportable=True,
        )
        .values_list(
            "staffing_return__organisation_id",
            "staffing_return__organisation__code",
            "staffing_return__period",
            "staff_group__code",
            "fte",
            "vacancies_fte",
            "joiners_fte",
            "leavers_fte",
            "pay_cost",
            "bank_fte",
            "bank_cost",
            "agency_fte",
            "agency_cost",
        )
        .order_by()
    )
    by_org: dict[int, dict[datetime.date, list[tuple]]] = defaultdict(lambda: defaultdict(list))
    codes: dict[int, str] = {}
    for org_id, org_code, month, group, fte, vacancies, joiners, leavers, *money in rows:
        codes[org_id] = org_code
        pay, bank_fte, bank, agency_fte, agency = money
        costs = (float(fte), _figure(pay), float(bank_fte), _figure(bank), float(agency_fte),
                 _figure(agency))  # fmt: skip
        by_org[org_id][month].append(
            (group, float(fte), _figure(vacancies), _figure(joiners), _figure(leavers), costs)
        )
    series: list[BaselineSeries] = []
    for org_id, months in by_org.items():
        latest = max(months)
        per_group: dict[str, list[_Month]] = defaultdict(list)
        cost_months: dict[str, list[CostMonth]] = defaultdict(list)
        for month in months:
            for group, fte, _vacancies, joiners, leavers, costs in months[month]:
                per_group[group].append((fte, joiners, leavers))
                cost_months[group].append(costs)
        for group, fte, vacancies, _joiners, _leavers, costs in months[latest]:
            history = per_group[group]
            series.append(
                BaselineSeries(
                    organisation_code=codes[org_id],
                    ics_code=members[org_id],
                    staff_group_code=group,
                    source="return",
                    period=latest,
                    fte=fte,
                    vacancies_fte=vacancies,
                    leaver_rate=_leaver_rate(history),
                    joiners_a_year=_joiners_a_year(history),
                    months_of_returns=len(history),
                    cost_months=tuple(cost_months[group]),
                    bank_fte=costs[2],
                    agency_fte=costs[4],
                )
            )
    series += _published_for(
        {org_id: code for org_id, code in members.items() if org_id not in by_org}, period
    )
    return sorted(series, key=lambda s: (s.ics_code, s.organisation_code, s.staff_group_code))


def _published_for(members: dict[int, str], period: datetime.date) -> list[BaselineSeries]:
    """The latest published FTE figures at or before `period`, at any age, of organisations
    with no return: those of each organisation's newest month with an FTE."""
    figures = (
        PublishedFigure.objects.filter(
            organisation_id__in=list(members),
            month__lte=period,
            staff_group__reportable=True,
            fte__isnull=False,
        )
        .values_list("organisation_id", "organisation__code", "staff_group__code", "month", "fte")
        # A month's own figure after a financial year's mean that starts in it: it wins.
        .order_by("organisation_id", "staff_group__code", "month", "period")
    )
    latest: dict[tuple[int, str], tuple[str, datetime.date, float]] = {}
    for org_id, org_code, group, month, fte in figures:
        latest[(org_id, group)] = (org_code, month, float(fte))  # ordered: the last is latest
    newest_month: dict[int, datetime.date] = {}
    for (org_id, _group), (_code, month, _fte) in latest.items():
        newest_month[org_id] = max(month, newest_month.get(org_id, month))
    return [
        BaselineSeries(
            organisation_code=org_code,
            ics_code=members[org_id],
            staff_group_code=group,
            source="published",
            period=month,
            fte=fte,
            vacancies_fte=None,
            leaver_rate=None,
            joiners_a_year=None,
            months_of_returns=0,
        )
        for (org_id, group), (org_code, month, fte) in latest.items()
        if month == newest_month[org_id]  # a group no longer published is not carried on
    ]


def published_headcounts_for(
    *, ics: ICS | None, period: datetime.date, without: set[str]
) -> list[PublishedHeadcount]:
    """The latest published headcounts at or before `period`, at any age, of the scope's
    organisations not in `without` (those with a return or a published FTE) whose figures
    give a headcount and no FTE: those of each organisation's newest month. One query after
    the scope's memberships."""
    period = period.replace(day=1)
    members = scope_members(ics=ics, on=period, with_shared=True)
    figures = (
        PublishedFigure.objects.filter(
            organisation_id__in=list(members),
            month__lte=period,
            staff_group__reportable=True,
            fte__isnull=True,
            headcount__isnull=False,
        )
        .values_list(
            "organisation_id",
            "organisation__code",
            "staff_group__code",
            "month",
            "period",
            "headcount",
        )
        .order_by("organisation_id", "staff_group__code", "month", "period")
    )
    latest: dict[tuple[int, str], tuple[str, datetime.date, str, int]] = {}
    for org_id, org_code, group, month, kind, headcount in figures:
        if org_code not in without:
            latest[(org_id, group)] = (org_code, month, kind, headcount)  # the last is latest
    newest_month: dict[int, datetime.date] = {}
    for (org_id, _group), (_code, month, _kind, _headcount) in latest.items():
        newest_month[org_id] = max(month, newest_month.get(org_id, month))
    return [
        PublishedHeadcount(
            organisation_code=org_code,
            ics_code=members[org_id],
            staff_group_code=group,
            period=month,
            period_label=(
                year_label(month.year)
                if kind == PublishedFigure.Period.FINANCIAL_YEAR
                else f"{month:%Y-%m}"
            ),
            headcount=float(headcount),
        )
        for (org_id, group), (org_code, month, kind, headcount) in sorted(latest.items())
        if month == newest_month[org_id]
    ]


def planned_members_for(*, ics: ICS | None, period: datetime.date) -> tuple[str, ...]:
    """The codes of the scope's organisations of a kind the plan counts (core.kinds): those a
    run's completeness is told against. One query after the scope's memberships."""
    members = scope_members(ics=ics, on=period.replace(day=1), with_shared=True)
    kinds = Organisation.objects.filter(pk__in=list(members)).values_list("code", "kind")
    return tuple(sorted(code for code, kind in kinds if planning_sector(kind) is not None))


def under_review_for(*, ics: ICS | None, period: datetime.date) -> list[ReturnUnderReview]:
    """The current returns for review of the scope's organisations at or before `period`,
    which runs leave out: one query after the scope's memberships."""
    period = period.replace(day=1)
    members = scope_members(ics=ics, on=period, with_shared=True)
    found = (
        StaffingReturn.objects.current()
        .for_review()
        .filter(organisation_id__in=list(members), period__lte=period)
        .values_list("pk", "organisation__code", "period", "version")
        .order_by("organisation__code", "period")
    )
    return [ReturnUnderReview(code, month, version, pk) for pk, code, month, version in found]
