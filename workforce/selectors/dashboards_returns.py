"""The submitted returns on the dashboards: each member's vacancy rate now, and the monthly
totals of a system with the national planning asks beside them. One query each."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import (
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)

from core.access import in_scope
from core.calendar import financial_year, month_add
from core.models import ICS, OrganisationMembership, User, valid_on_q
from workforce.models import StaffingReturn, StaffingReturnRow

TREND_MONTHS = 24
# National planning guidance: agency -30% in 2026/27 (then held), bank -10% a year, both
# measured against 2025/26.
ASK_BASE_YEAR = 2025
AGENCY_ASK = 0.30
BANK_ASK_A_YEAR = 0.10


@dataclass(frozen=True)
class OrganisationValue:
    """One organisation x staff group figure for a heatmap."""

    organisation_code: str
    organisation_name: str
    staff_group: str
    value: float | None
    base: float  # what the value is a share or a part of: establishment, or demand
    period: datetime.date | None = None


@dataclass(frozen=True)
class TrendMonth:
    """A system's totals of the current returns of one month."""

    period: datetime.date
    organisations: int  # how many sent a return that month
    fte: float
    vacancies_fte: float | None  # None: no return of the month gives vacancies
    bank_fte: float
    agency_fte: float
    leavers_fte: float | None  # None: no return of the month gives leavers
    sickness_absence_rate: float | None  # weighted by FTE
    bank_ask: float | None = None
    agency_ask: float | None = None
    # FTE in post of the rows that give vacancies, and leavers (None: every row gives them),
    # so that a rate compares like with like where some returns leave the figure blank.
    fte_with_vacancies: float | None = None
    fte_with_leavers: float | None = None
    # Not a complete or signed-off month (workforce.selectors.months): of `expected`
    # organisations, `submitted` sent a return; drawn apart, never as the system's total.
    partial: bool = False
    expected: int | None = None
    submitted: int | None = None

    @property
    def vacancy_rate(self) -> float | None:
        if self.vacancies_fte is None:
            return None
        fte = self.fte if self.fte_with_vacancies is None else self.fte_with_vacancies
        establishment = fte + self.vacancies_fte
        return self.vacancies_fte / establishment if establishment else None

    @property
    def leaver_rate(self) -> float | None:
        """Leavers of the month, annualised, over the FTE in post of the rows giving them."""
        if self.leavers_fte is None:
            return None
        fte = self.fte if self.fte_with_leavers is None else self.fte_with_leavers
        return self.leavers_fte * 12 / fte if fte else None


def national_asks(months: Sequence[TrendMonth]) -> list[TrendMonth]:
    """The months with the bank and agency FTE that national planning guidance asks for.

    From 2026/27: agency 30% below its 2025/26 monthly mean, bank 10% lower each year than the
    year before (from the same mean). Months before 2026/27, or with no 2025/26 months to
    measure from, ask nothing.
    """
    base = [m for m in months if financial_year(m.period) == ASK_BASE_YEAR]
    if not base:
        return list(months)
    bank = sum(m.bank_fte for m in base) / len(base)
    agency = sum(m.agency_fte for m in base) / len(base)
    asked = []
    for month in months:
        years = financial_year(month.period) - ASK_BASE_YEAR
        if years < 1:
            asked.append(month)
            continue
        asked.append(
            TrendMonth(
                **{
                    **month.__dict__,
                    "bank_ask": bank * (1 - BANK_ASK_A_YEAR) ** years,
                    "agency_ask": agency * (1 - AGENCY_ASK),
                }
            )
        )
    return asked


def members_now(ics: ICS, today: datetime.date, kinds: Sequence[str] | None = None) -> QuerySet:
    """Organisation ids of the system's members today (or on its last or first day); of the
    organisation `kinds` only, when given (a planning sector's)."""
    on = today
    if ics.valid_to is not None and on >= ics.valid_to:
        on = ics.valid_to - datetime.timedelta(days=1)
    on = max(on, ics.valid_from)
    members = OrganisationMembership.objects.filter(valid_on_q(on), ics=ics)
    if kinds is not None:
        members = members.filter(organisation__kind__in=list(kinds))
    return members.values("organisation_id")


def vacancies_now(
    *, user: User, ics: ICS, today: datetime.date, kinds: Sequence[str] | None = None
) -> list[OrganisationValue]:
    """Each member's vacancy rate by staff group from its latest current return. One query."""
    latest = (
        StaffingReturn.objects.current()
        .filter(organisation=OuterRef("staffing_return__organisation"))
        .order_by("-period")
        .values("period")[:1]
    )
    rows = in_scope(
        StaffingReturnRow.objects.filter(
            staffing_return__status=StaffingReturn.Status.SUBMITTED,
            staffing_return__organisation__in=members_now(ics, today, kinds),
            staffing_return__period=Subquery(latest),
            vacancies_fte__isnull=False,  # a return that left vacancies blank gives no rate
        ),
        user,
        organisation="staffing_return__organisation",
    ).values_list(
        "staffing_return__organisation__code",
        "staffing_return__organisation__name",
        "staff_group__code",
        "fte",
        "vacancies_fte",
        "staffing_return__period",
    )
    cells = []
    for code, name, group, fte, vacancies, period in rows.order_by(
        "staffing_return__organisation__name", "staff_group__sort_order"
    ):
        establishment = float(fte + vacancies)
        rate = float(vacancies) / establishment if establishment else None
        cells.append(OrganisationValue(code, name, group, rate, establishment, period))
    return cells


def returns_trend(
    *, user: User, ics: ICS, today: datetime.date, kinds: Sequence[str] | None = None
) -> list[TrendMonth]:
    """The monthly totals of the current returns of the system's members of today over the
    last TREND_MONTHS months, with the national asks. One query.

    Like for like: a trust that joined the system brings its history, one that left takes
    its history away, so a merger is no step in the line and the asks, measured against
    2025/26, are measured against the same organisations (docs/decisions.md).
    """
    start = month_add(today.replace(day=1), -TREND_MONTHS)
    weighted = ExpressionWrapper(F("sickness_absence_rate") * F("fte"), output_field=DecimalField())
    rows = in_scope(
        StaffingReturnRow.objects.filter(
            staffing_return__status=StaffingReturn.Status.SUBMITTED,
            staffing_return__organisation__in=members_now(ics, today, kinds),
            staffing_return__period__gte=start,
        ),
        user,
        organisation="staffing_return__organisation",
    )
    months = (
        rows.values(period=F("staffing_return__period"))
        .annotate(
            organisations=Count("staffing_return", distinct=True),
            total_fte=Sum("fte"),
            total_vacancies=Sum("vacancies_fte"),
            total_bank=Sum("bank_fte"),
            total_agency=Sum("agency_fte"),
            total_leavers=Sum("leavers_fte"),
            fte_with_vacancies=Sum("fte", filter=Q(vacancies_fte__isnull=False)),
            fte_with_leavers=Sum("fte", filter=Q(leavers_fte__isnull=False)),
            sickness_days=Sum(weighted),
        )
        .order_by("period")
    )
    trend = [
        TrendMonth(
            period=m["period"],
            organisations=m["organisations"],
            fte=float(m["total_fte"] or 0),
            vacancies_fte=_total(m["total_vacancies"]),
            bank_fte=float(m["total_bank"] or 0),
            agency_fte=float(m["total_agency"] or 0),
            leavers_fte=_total(m["total_leavers"]),
            fte_with_vacancies=float(m["fte_with_vacancies"] or 0),
            fte_with_leavers=float(m["fte_with_leavers"] or 0),
            sickness_absence_rate=(
                float(m["sickness_days"]) / float(m["total_fte"]) if m["total_fte"] else None
            ),
        )
        for m in months
    ]
    return national_asks(trend)


def _total(value: object) -> float | None:
    """A month's sum of a figure that returns may leave blank: None when none gives it."""
    return None if value is None else float(value)
