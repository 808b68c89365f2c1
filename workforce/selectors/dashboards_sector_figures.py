"""A sector's figures of now on the dashboards: each organisation's latest current return,
else its newest published FTE, else its published GPs' headcount at the national FTE per head
(the baseline's order, workforce/selectors/baseline.py), summed by planning sector."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Count, F, Max, Q, QuerySet, Sum

from core.access import in_scope
from core.kinds import SECTOR_OF_KIND
from core.models import PublishedFigure, User
from workforce.models import StaffingReturn, StaffingReturnRow
from workforce.projection.defaults import FTE_PER_HEAD


@dataclass(frozen=True)
class CurrentFigures:
    """A sector's figures of now, summed over its organisations with figures."""

    organisations: int = 0
    fte: float = 0.0
    vacancies_fte: float = 0.0  # the vacancies that are known
    fte_where_vacancies_known: float = 0.0
    vacancies_unknown: int = 0  # organisations giving no vacancies for some or all rows
    published: int = 0  # organisations whose figures are published ones, not a return
    sources: tuple[str, ...] = ()  # the published figures' sources
    illustrative: int = 0  # organisations whose figures are illustrative (the demo's)

    @property
    def vacancies_known(self) -> bool:
        """Whether any organisation gives its vacancies (for some rows at least)."""
        return self.organisations > self.vacancies_unknown or self.fte_where_vacancies_known > 0

    @property
    def vacancy_rate(self) -> float | None:
        """Known vacancies over the establishment of the rows that give them."""
        establishment = self.fte_where_vacancies_known + self.vacancies_fte
        return self.vacancies_fte / establishment if establishment else None

    def __add__(self, other: CurrentFigures) -> CurrentFigures:
        return CurrentFigures(
            self.organisations + other.organisations,
            self.fte + other.fte,
            self.vacancies_fte + other.vacancies_fte,
            self.fte_where_vacancies_known + other.fte_where_vacancies_known,
            self.vacancies_unknown + other.vacancies_unknown,
            self.published + other.published,
            tuple(sorted(set(self.sources) | set(other.sources))),
            self.illustrative + other.illustrative,
        )


def _latest_months(rows: QuerySet, month: str) -> QuerySet:
    """(organisation id, its latest `month`) of the organisations `rows` hold."""
    return (
        rows.values("organisation_id")
        .annotate(latest=Max(month))
        .values_list("organisation_id", "latest")
        .order_by()
    )


def _at_latest(latest: Iterable[tuple[int, datetime.date]], organisation: str, month: str) -> Q:
    """The rows of each organisation's latest month: one condition for the organisations
    whose latest month is the same (a correlated subquery a row would cost seconds across
    England's thousands of practices)."""
    by_month: dict[datetime.date, list[int]] = defaultdict(list)
    for organisation_id, when in latest:
        by_month[when].append(organisation_id)
    condition = Q(pk__in=[])
    for when, ids in by_month.items():
        condition |= Q(**{f"{organisation}__in": ids, month: when})
    return condition


def _returned(user: User, organisations: QuerySet, staff_groups: Sequence[str]) -> tuple:
    """Each organisation kind's sums from its organisations' latest current returns, and the
    ids of the organisations that have sent one. Two queries."""
    current = in_scope(
        StaffingReturn.objects.current().filter(organisation__in=organisations),
        user,
        organisation="organisation",
    )
    latest = list(_latest_months(current, "period"))
    known = Q(vacancies_fte__isnull=False)
    rows = (
        StaffingReturnRow.objects.filter(
            _at_latest(latest, "staffing_return__organisation_id", "staffing_return__period"),
            staffing_return__status=StaffingReturn.Status.SUBMITTED,
            staff_group__code__in=list(staff_groups),
        )
        .values(kind=F("staffing_return__organisation__kind"))
        .annotate(
            organisations=Count("staffing_return__organisation", distinct=True),
            total_fte=Sum("fte"),
            vacancies=Sum("vacancies_fte"),
            known_fte=Sum("fte", filter=known),
            unknown=Count("staffing_return__organisation", distinct=True, filter=~known),
            illustrative=Count(
                "staffing_return__organisation",
                distinct=True,
                filter=Q(staffing_return__organisation__illustrative=True),
            ),
        )
        .order_by()
    )
    return list(rows), [organisation_id for organisation_id, _ in latest]


def _published(
    user: User, organisations: QuerySet, staff_groups: Sequence[str], returned: list[int]
) -> dict[int, tuple[str, str, float]]:
    """(kind, source, FTE) of each organisation without a return, from its newest published
    figures with an FTE: a month's own over a financial year's mean that starts in it, as
    the baseline takes them. Two queries."""
    figures = in_scope(
        PublishedFigure.objects.filter(
            organisation__in=organisations, staff_group__reportable=True, fte__isnull=False
        ).exclude(organisation_id__in=returned),
        user,
        organisation="organisation",
    )
    latest = _latest_months(figures, "month")
    rows = (
        figures.filter(
            _at_latest(latest, "organisation_id", "month"),
            staff_group__code__in=list(staff_groups),
        )
        .values_list("organisation_id", "organisation__kind", "source", "period")
        .annotate(total=Sum("fte"))
        .order_by("organisation_id", "period")  # "financial_year" before "month"
    )
    chosen: dict[int, tuple[str, str, float]] = {}
    for organisation_id, kind, source, _period, total in rows:
        chosen[organisation_id] = (kind, source, float(total or 0))  # the last wins
    return chosen


def _converted_headcounts(
    user: User, organisations: QuerySet, staff_groups: Sequence[str], without: set[int]
) -> list[tuple[str, str, float]]:
    """(kind, source, FTE) of each organisation with neither a return nor a published FTE
    whose newest published headcount is of a group with a published national FTE per head
    (GPs), turned into FTE as the baseline does. Two queries."""
    groups = [code for code in staff_groups if code in FTE_PER_HEAD]
    if not groups:
        return []
    figures = in_scope(
        PublishedFigure.objects.filter(
            organisation__in=organisations,
            fte__isnull=True,
            headcount__isnull=False,
            staff_group__code__in=groups,
        ).exclude(organisation_id__in=without),
        user,
        organisation="organisation",
    )
    latest = _latest_months(figures, "month")
    rows = figures.filter(_at_latest(latest, "organisation_id", "month")).values_list(
        "organisation_id", "organisation__kind", "source", "staff_group__code", "headcount"
    )
    converted: dict[int, tuple[str, str, float]] = {}
    for organisation_id, kind, source, group, headcount in rows:
        before = converted.get(organisation_id, (kind, source, 0.0))[2]
        fte = before + headcount * FTE_PER_HEAD[group].ratio
        converted[organisation_id] = (kind, source, fte)
    return list(converted.values())


def current_figures(
    *, user: User, organisations: QuerySet, staff_groups: Sequence[str]
) -> dict[str, CurrentFigures]:
    """Each planning sector's FTE in post and vacancies now in `staff_groups` (reportable
    codes), over `organisations` (a query of organisation ids). Six queries.

    An organisation's figures are those of its latest current return, as the vacancy heatmap
    reads them; an organisation that has sent no return counts with its latest published
    figures, as a projection's baseline does, else with its published GPs' headcount turned
    into FTE by the published national FTE per head; published figures give no vacancies.
    """
    returned, with_returns = _returned(user, organisations, staff_groups)
    sums: dict[str, CurrentFigures] = defaultdict(CurrentFigures)
    for row in returned:
        sector = SECTOR_OF_KIND.get(row["kind"])
        if sector is not None:
            sums[sector] += CurrentFigures(
                organisations=row["organisations"],
                fte=float(row["total_fte"] or 0),
                vacancies_fte=float(row["vacancies"] or 0),
                fte_where_vacancies_known=float(row["known_fte"] or 0),
                vacancies_unknown=row["unknown"],
                illustrative=row["illustrative"],
            )
    published = _published(user, organisations, staff_groups, with_returns)
    converted = _converted_headcounts(
        user, organisations, staff_groups, set(with_returns) | set(published)
    )
    for kind, source, fte in [*published.values(), *converted]:
        sector = SECTOR_OF_KIND.get(kind)
        if sector is not None:
            sums[sector] += CurrentFigures(1, fte, 0.0, 0.0, 1, 1, (source,))
    return dict(sums)
