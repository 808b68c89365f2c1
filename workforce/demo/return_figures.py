"""The figures in a demo organisation's staffing returns, month by month.

FTE in post is the trust's published figure for the staff group and month where there is one,
and after the last published month moves by the rules of core/demo/growth.py (each trust's
own growth around its group's national growth). The rest follows stated rules, all of them
illustrative (docs/model.md, "The demo"): vacancies by staff group (VACANCY_BY_GROUP) times a
stable pressure per trust; leavers 8-10% of FTE a year, doctors' rotation in August; joiners
the leavers plus the month's change in FTE, so joiners less leavers carry the trend; bank
about 5% and agency about 2% of FTE (both falling from April 2026 as national planning
guidance asks); pay, bank and agency costs at the staff group's default cost per FTE (pay
scales with on-costs) moved a little per trust; sickness the trust's real rate of March 2025
(NHS Sickness Absence Rates) moved by a winter-high seasonal shape.
"""

from __future__ import annotations

import csv
import datetime
from collections import defaultdict
from dataclasses import dataclass

from core.calendar import month_add
from core.demo.common import LATEST_PUBLISHED_MONTH, unit
from core.demo.growth import fte_factor
from core.models import Organisation, PublishedFigure
from core.services.reference_data import REFERENCE_DATA_DIR
from workforce.plans.national_asks import AGENCY, BANK, asks_of
from workforce.projection.costs import default_cost_per_fte
from workforce.returns import COST_COLUMNS

NATIONAL_ASK_FROM = datetime.date(2026, 4, 1)  # 2026/27: agency -30%, bank -10% a year
AGENCY_CUT_A_YEAR = asks_of(AGENCY)[NATIONAL_ASK_FROM.year].reduction
BANK_CUT_A_YEAR = asks_of(BANK)[NATIONAL_ASK_FROM.year].reduction
# Vacancies as a share of establishment by staff group, before a trust's own pressure
# (illustrative: no vacancy statistics are shipped with the reference data).
VACANCY_BY_GROUP = {
    "NUR": 0.09,
    "MID": 0.07,
    "DOC": 0.06,
    "AMB": 0.06,
    "STT": 0.08,
    "SUP-DNM": 0.08,
    "SUP-AMB": 0.07,
    "SUP-STT": 0.07,
    "INF-CEN": 0.06,
    "INF-HPE": 0.07,
    "INF-SM": 0.03,
    "INF-MGR": 0.05,
    "OTH": 0.04,
}
TRUST_PRESSURE = (0.6, 1.4)  # a trust's vacancies: this multiple of its groups' rates
# A trust's cost per FTE: the default of its staff group (workforce.projection.costs: pay
# scales with on-costs) times a stable factor of its own (illustrative: local pay points,
# skill mix, overtime). Agency shifts are often above the price cap the default assumes.
PAY_SPREAD = (0.95, 1.05)  # pay and bank, per trust and staff group
AGENCY_ABOVE_CAP = (1.0, 1.2)  # agency, per trust
# Sickness absence by calendar month as a multiple of March (illustrative, high in winter).
SICKNESS_SEASON = {
    1: 1.18,
    2: 1.10,
    3: 1.0,
    4: 0.93,
    5: 0.90,
    6: 0.88,
    7: 0.90,
    8: 0.90,
    9: 0.92,
    10: 0.97,
    11: 1.04,
    12: 1.15,
}
SICKNESS_FILE = "nhs_sickness_absence_rates_2025-03_org_ics.csv"
ROTATION = {"DOC": 8}  # doctors rotate in August: three times a month's leavers, then fewer


class Figures:
    """One organisation's FTE and headcount by staff group and month, and its trend."""

    def __init__(self, trust: str | None = None) -> None:
        self.fte: dict[str, dict[datetime.date, float]] = defaultdict(dict)
        self.headcount: dict[tuple[str, datetime.date], int] = {}
        self.per_head: dict[str, float] = {}
        self.trust = trust  # a trust's code: its FTE moves by core.demo.growth after the last
        self.sickness: float | None = None  # the trust's published rate, March 2025

    def fte_in(self, group: str, month: datetime.date) -> float:
        known = self.fte[group]
        if month in known:
            return known[month]
        last = max(known)
        if self.trust is not None:
            factor = fte_factor(self.trust, group, month) / fte_factor(self.trust, group, last)
            return known[last] * factor
        year_before = known.get(month_add(last, -12))
        growth = (known[last] / year_before) ** (1 / 12) if year_before else 1.0
        months = (month.year - last.year) * 12 + month.month - last.month
        return known[last] * growth**months


def _sickness_rates() -> dict[str, float]:
    """Each organisation's published sickness absence rate of March 2025, as a fraction."""
    with (REFERENCE_DATA_DIR / SICKNESS_FILE).open(encoding="utf-8-sig") as handle:
        return {
            row["ORG_CODE"]: float(row["SICKNESS_ABSENCE_RATE_PERCENT"]) / 100
            for row in csv.DictReader(handle)
            if row["SICKNESS_ABSENCE_RATE_PERCENT"]
        }


def trust_figures(trusts: list[Organisation], first: datetime.date) -> dict[int, Figures]:
    """Each trust's published FTE and headcount from a year before `first` to the latest
    published month, and its sickness absence rate of March 2025."""
    trust_ids = [t.pk for t in trusts]
    codes = {t.pk: t.code for t in trusts}
    found: dict[int, Figures] = {t.pk: Figures(t.code) for t in trusts}
    figures = PublishedFigure.objects.filter(
        organisation_id__in=trust_ids,
        month__gte=month_add(first, -12),
        month__lte=LATEST_PUBLISHED_MONTH,
        staff_group__reportable=True,
    ).values_list("organisation_id", "staff_group__code", "month", "fte", "headcount")
    sickness = _sickness_rates()
    for trust in trusts:
        found[trust.pk].sickness = sickness.get(codes[trust.pk])
    for org_id, group, month, fte, headcount in figures.order_by():
        found[org_id].fte[group][month] = float(fte)
        if headcount is not None:
            found[org_id].headcount[(group, month)] = headcount
            if month == LATEST_PUBLISHED_MONTH and fte:
                found[org_id].per_head[group] = headcount / float(fte)
    return found


@dataclass(frozen=True)
class Rates:
    """Where an organisation's rates start (a year, as fractions) and how far they vary."""

    vacancy: float = 0.07  # of establishment, for a group not in VACANCY_BY_GROUP
    leavers: float = 0.08  # of FTE a year, and up to 0.02 more
    bank: float = 0.04  # of FTE, and up to 0.02 more
    agency: float = 0.01  # of FTE, and up to 0.02 more
    sickness: float = 0.05  # where no published rate is known
    by_group: bool = False  # vacancies by VACANCY_BY_GROUP and the trust's pressure
    # The organisation kind whose default cost per FTE prices the costs; None: no costs
    # (primary and social care pay has no national scale to price it by).
    cost_kind: str | None = None


NHS_TRUST_RATES = Rates(by_group=True, cost_kind="nhs_trust")


def row_costs(code: str, group: str, values: dict, rates: Rates) -> dict[str, float | None]:
    """The month's pay, bank and agency costs of a row's FTE at the group's default cost per
    FTE, moved by the trust's own factors; None for each where there is no default."""
    default = default_cost_per_fte(group, rates.cost_kind) if rates.cost_kind else None
    if default is None or default.pay is None:
        return dict.fromkeys(COST_COLUMNS)
    low, high = PAY_SPREAD
    pay_factor = low + (high - low) * unit("pay-cost", code, group)
    bank_factor = low + (high - low) * unit("bank-cost", code)
    low, high = AGENCY_ABOVE_CAP
    agency_factor = low + (high - low) * unit("agency-cost", code)
    return {
        "pay_cost": values["fte"] * default.pay * pay_factor,
        "bank_cost": values["bank_fte"] * default.bank * bank_factor,
        "agency_cost": values["agency_fte"] * default.agency * agency_factor,
    }


def _vacancy_rate(code: str, group: str, month: datetime.date, rates: Rates) -> float:
    base = rates.vacancy
    if rates.by_group:
        low, high = TRUST_PRESSURE
        pressure = low + (high - low) * unit("pressure", code)
        base = VACANCY_BY_GROUP.get(group, rates.vacancy) * pressure
    return (
        base
        + 0.01 * (unit("vacancy", code, group) - 0.5)
        + 0.004 * (unit("vacancy", code, group, month) - 0.5)
    )


def _leavers(code: str, group: str, month: datetime.date, fte: float, rates: Rates) -> float:
    rate = rates.leavers + 0.02 * unit("leavers", code, group)
    season = 1.0
    if group in ROTATION:
        season = 3.0 if month.month == ROTATION[group] else 9 / 11
    return fte * rate / 12 * season * (0.8 + 0.4 * unit("leavers", code, group, month))


def row_figures(
    code: str,
    group: str,
    month: datetime.date,
    fte: float,
    previous: float,
    rates: Rates = NHS_TRUST_RATES,
    sickness: float | None = None,
) -> dict:
    """One staff group's row of a return, as the organisation would report it: joiners less
    leavers is the month's change in FTE."""
    vacancy_rate = _vacancy_rate(code, group, month, rates)
    leavers = _leavers(code, group, month, fte, rates)
    ask = max(0, (month.year - NATIONAL_ASK_FROM.year) * 12 + month.month - 4 + 1)
    bank = fte * (rates.bank + 0.02 * unit("bank", code, group)) * (1 - BANK_CUT_A_YEAR * ask / 12)
    agency_cut = 1 - AGENCY_CUT_A_YEAR * ask / 12
    agency = fte * (rates.agency + 0.02 * unit("agency", code, group)) * agency_cut
    march = rates.sickness if sickness is None else sickness
    sickness_rate = (
        march * SICKNESS_SEASON[month.month] * (0.85 + 0.3 * unit("sickness", code, group))
    )
    return {
        "fte": fte,
        "vacancies_fte": fte * vacancy_rate / (1 - vacancy_rate),
        "bank_fte": bank,
        "agency_fte": agency,
        "joiners_fte": max(leavers + fte - previous, 0.0),
        "leavers_fte": leavers,
        "sickness_absence_rate": sickness_rate,
    }
