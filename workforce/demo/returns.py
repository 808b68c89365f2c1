"""Monthly staffing returns for every demo trust: 24 months up to FINAL_MONTH.

FTE in post is the trust's published figure for the staff group and month where there is one,
and after the last published month moves by the rules of core/demo/growth.py (each trust's
own growth around its group's national growth). The rest follows stated rules, all of them
illustrative (docs/model.md, "The demo"): vacancies by staff group (VACANCY_BY_GROUP) times a
stable pressure per trust; leavers 8-10% of FTE a year, doctors' rotation in August; joiners
the leavers plus the month's change in FTE, so joiners less leavers carry the trend; bank
about 5% and agency about 2% of FTE (both falling from April 2026 as national planning
guidance asks); pay, bank and agency costs at the staff group's default cost per FTE (pay
scales with on-costs) moved a little per trust; sickness the trust's real rate of March 2025
(NHS Sickness Absence Rates) moved by a winter-high seasonal shape. Some trusts send late,
miss a month, resubmit, or send figures that raise warnings (LATE_*, MISSES, FLAGGED), by
stable rules.

Returns are written with bulk_create and their rows with `rows_insert` (COPY on PostgreSQL)
rather than through the upload service, for speed, in the same shape: a real CSV file (with
its hash) in each return, warnings from the same rules.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Min
from django.utils import timezone

from core.calendar import month_add
from core.demo.common import LATEST_PUBLISHED_MONTH, MONTHS, demo_trusts, months_back, unit
from core.demo.growth import fte_factor
from core.models import Organisation, OrganisationMembership, PublishedFigure, StaffGroup, User
from core.services.bulk_rows import rows_insert
from core.services.reference_data import REFERENCE_DATA_DIR
from workforce.models import StaffingReturn, StaffingReturnRow
from workforce.plans.national_asks import AGENCY, BANK, asks_of
from workforce.projection.costs import default_cost_per_fte
from workforce.returns import COLUMNS, COST_COLUMNS, ReturnRow
from workforce.selectors.tracker import DUE_DAY
from workforce.services.return_warnings import COMPARE_MONTHS, figure_warnings
from workforce.services.returns import ROW_COLUMNS, row_values

FINAL_MONTH = datetime.date(2026, 10, 1)
NATIONAL_ASK_FROM = datetime.date(2026, 4, 1)  # 2026/27: agency -30%, bank -10% a year
AGENCY_CUT_A_YEAR = asks_of(AGENCY)[NATIONAL_ASK_FROM.year].reduction
BANK_CUT_A_YEAR = asks_of(BANK)[NATIONAL_ASK_FROM.year].reduction
RATE_PLACES = Decimal("0.0001")
BATCH = 5000
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
LATE_SENDERS = 0.08  # share of organisations late in 40% of months
LATE_NOW_AND_THEN = 0.03  # share of any organisation's returns that are late
MISSES = 0.25  # share of organisations that miss one month of the last twelve
FLAGGED = 0.30  # share that send one month whose figures raise warnings


def _money(value: float) -> Decimal:
    return Decimal(f"{max(value, 0.0):.2f}")


def _submitted_at(trust: str, period: datetime.date, *, late: bool) -> datetime.datetime:
    """A working day of the following month: before the due day, or a few days after it."""
    following = month_add(period, 1)
    if late:
        day = DUE_DAY + 2 + int(unit("late-day", trust, period) * 10)
    else:
        day = 2 + int(unit("day", trust, period) * (DUE_DAY - 2))
    hour = 9 + int(unit("hour", trust, period) * 8)
    return timezone.make_aware(datetime.datetime(following.year, following.month, day, hour))


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


def _published(trusts: list[Organisation], first: datetime.date) -> dict[int, Figures]:
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


def _costs(code: str, group: str, values: dict, rates: Rates) -> dict[str, float | None]:
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


def _figures(
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


def _file(rows: list[ReturnRow]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    columns = COLUMNS + COST_COLUMNS if any(row.pay_cost is not None for row in rows) else COLUMNS
    writer.writerow(columns)
    for row in rows:
        values = (getattr(row, name) for name in columns)
        writer.writerow(["" if value is None else value for value in values])  # None: blank
    return buffer.getvalue().encode("utf-8")


def _return_rows(
    code: str,
    month: datetime.date,
    trust: Figures,
    groups: list[str],
    *,
    draft: bool = False,
    rates: Rates = NHS_TRUST_RATES,
) -> list[ReturnRow]:
    """The rows of one organisation's return for one month; `draft` for a version later
    corrected."""
    rows = []
    odd_month = month_add(FINAL_MONTH, -1 - int(unit("odd-month", code) * 11))
    for number, group in enumerate(groups, start=2):
        fte = trust.fte_in(group, month)
        previous = trust.fte_in(group, month_add(month, -1))
        values = _figures(code, group, month, fte, previous, rates, trust.sickness)
        if draft:
            values["fte"] *= 0.9  # a month's starters left out, then sent again
        if month == odd_month and group == groups[0]:
            # Some send one month that a reviewer should look at twice.
            if unit("warning", code) < FLAGGED / 2:
                values["sickness_absence_rate"] = 0.16 + 0.03 * unit("sick-spike", code)
            elif unit("warning", code) < FLAGGED:
                # A service transferred out and back in: many leavers, as many joiners.
                extra = values["fte"] * 0.07 - values["leavers_fte"]
                values["leavers_fte"] += extra
                values["joiners_fte"] += extra
        # Priced on the FTE as written, so that a cost never stands beside 0.00 FTE.
        written = {name: float(_money(values[name])) for name in ("fte", "bank_fte", "agency_fte")}
        costs = _costs(code, group, written, rates)
        headcount = trust.headcount.get((group, month)) if not draft else None
        if headcount is None:
            headcount = round(values["fte"] * trust.per_head.get(group, 1.15))
        rows.append(
            ReturnRow(
                row=number,
                staff_group_code=group,
                fte=_money(values["fte"]),
                headcount=max(headcount, 1) if values["fte"] > 0 else 0,
                vacancies_fte=_money(values["vacancies_fte"]),
                bank_fte=_money(values["bank_fte"]),
                agency_fte=_money(values["agency_fte"]),
                joiners_fte=_money(values["joiners_fte"]),
                leavers_fte=_money(values["leavers_fte"]),
                sickness_absence_rate=Decimal(f"{values['sickness_absence_rate']:.4f}"),
                **{name: None if cost is None else _money(cost) for name, cost in costs.items()},
            )
        )
    return rows


def returns_for(
    organisations: list[tuple[Organisation, Figures, Rates]], months: list[datetime.date]
) -> tuple[list[StaffingReturn], int]:
    """Store the demo returns of each (organisation, figures, rates) for `months`, skipping
    months an organisation already has and months before it joined a system; returns the
    returns stored and their row count."""
    groups = {g.code: g for g in StaffGroup.objects.filter(reportable=True)}
    names = {code: f"{g.name} ({code})" for code, g in groups.items()}
    uploaders = dict(
        User.objects.filter(organisation__in=[o for o, _, _ in organisations]).values_list(
            "organisation_id", "pk"
        )
    )
    existing = set(StaffingReturn.objects.values_list("organisation_id", "period"))
    joined = dict(
        OrganisationMembership.objects.filter(organisation__in=[o for o, _, _ in organisations])
        .values("organisation_id")
        .annotate(first=Min("valid_from"))
        .values_list("organisation_id", "first")
    )
    returns: list[StaffingReturn] = []
    rows_of: list[list[ReturnRow]] = []
    for organisation, figures, rates in organisations:
        code = organisation.code
        own_groups = sorted(figures.fte, key=lambda c: groups[c].sort_order)
        late_sender = unit("late", code) < LATE_SENDERS
        missed = month_add(FINAL_MONTH, -int(unit("missed-month", code) * 12))
        earlier: dict[str, Decimal] = {}
        earlier_month: datetime.date | None = None
        first = joined.get(organisation.pk)
        for month in months:
            if first is None or month < first.replace(day=1):
                continue
            if (organisation.pk, month) in existing or (
                unit("misses", code) < MISSES and month == missed
            ):
                continue
            late = (late_sender and unit("late", code, month) < 0.4) or unit(
                "late now and then", code, month
            ) < LATE_NOW_AND_THEN
            submitted_at = _submitted_at(code, month, late=late)
            versions = [_return_rows(code, month, figures, own_groups, rates=rates)]
            if unit("resubmits", code, month) < 0.015:
                versions.insert(
                    0, _return_rows(code, month, figures, own_groups, draft=True, rates=rates)
                )
            recent = earlier_month and earlier_month >= month_add(month, -COMPARE_MONTHS)
            for version, rows in enumerate(versions, start=1):
                content = _file(rows)
                final = version == len(versions)
                returns.append(
                    StaffingReturn(
                        organisation=organisation,
                        period=month,
                        version=version,
                        status=StaffingReturn.Status.SUBMITTED
                        if final
                        else StaffingReturn.Status.SUPERSEDED,
                        submitted_by_id=uploaders.get(organisation.pk),
                        submitted_at=submitted_at + datetime.timedelta(days=3 * (version - 1)),
                        original_filename=f"{code}-{month:%Y-%m}-staffing-return.csv",
                        content=content,
                        sha256=hashlib.sha256(content).hexdigest(),
                        size=len(content),
                        warnings=figure_warnings(
                            rows,
                            earlier if recent else {},
                            earlier_month if recent else None,
                            names,
                        ),
                    )
                )
                rows_of.append(rows)
            earlier = {row.staff_group_code: row.fte for row in versions[-1]}
            earlier_month = month
    StaffingReturn.objects.bulk_create(returns, batch_size=BATCH)
    stored = rows_insert(
        StaffingReturnRow,
        ROW_COLUMNS,
        (
            row_values(staffing_return.pk, groups[row.staff_group_code].pk, row)
            for staffing_return, rows in zip(returns, rows_of, strict=True)
            for row in rows
        ),
    )
    return returns, stored


def seed(stdout) -> None:
    months = months_back(FINAL_MONTH, MONTHS)
    trusts = list(demo_trusts(LATEST_PUBLISHED_MONTH))
    published = _published(trusts, months[0])
    with_figures = [
        (trust, published[trust.pk], NHS_TRUST_RATES)
        for trust in trusts
        if trust.pk in published and published[trust.pk].fte
    ]
    returns, rows = returns_for(with_figures, months)
    stdout.write(
        f"Staffing returns: {len(returns)} added ({rows} rows) for "
        f"{len(with_figures)} trusts, {months[0]:%B %Y} to {months[-1]:%B %Y}."
    )
