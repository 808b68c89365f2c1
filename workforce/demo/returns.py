"""Monthly staffing returns for every demo trust: 24 months up to FINAL_MONTH.

Their figures follow the rules of `return_figures` (docs/model.md, "The demo"). Some trusts
send late, miss a month, resubmit, or send figures that raise warnings (LATE_*, MISSES,
FLAGGED), by stable rules.

Returns are written with bulk_create and their rows with `rows_insert` (COPY on PostgreSQL)
rather than through the upload service, for speed, in the same shape: a real CSV file (with
its hash) in each return, warnings from the same rules.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
from decimal import Decimal

from django.db.models import Min
from django.utils import timezone

from core.calendar import month_add
from core.demo.common import LATEST_PUBLISHED_MONTH, MONTHS, demo_trusts, months_back, unit
from core.models import Organisation, OrganisationMembership, StaffGroup, User
from core.services.bulk_rows import rows_insert
from workforce.models import StaffingReturn, StaffingReturnRow
from workforce.returns import COLUMNS, COST_COLUMNS, ReturnRow
from workforce.selectors.tracker import DUE_DAY
from workforce.services.return_store import ROW_COLUMNS, row_values
from workforce.services.return_warnings import COMPARE_MONTHS, figure_warnings

from .return_figures import NHS_TRUST_RATES, Figures, Rates, row_costs, row_figures, trust_figures

FINAL_MONTH = datetime.date(2026, 10, 1)
BATCH = 5000
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
        values = row_figures(code, group, month, fte, previous, rates, trust.sickness)
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
        costs = row_costs(code, group, written, rates)
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
    published = trust_figures(trusts, months[0])
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
