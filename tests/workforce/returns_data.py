"""Builders of staffing returns and their files for the Django tests of returns."""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook

from core.models import Organisation, StaffGroup, User
from workforce.models import StaffingReturn, StaffingReturnRow
from workforce.returns import COLUMNS

# One staff group's figures that pass every check and raise no warning.
GOOD = {
    "fte": "100",
    "headcount": "120",
    "vacancies_fte": "8",
    "bank_fte": "5",
    "agency_fte": "2",
    "joiners_fte": "1",
    "leavers_fte": "1",
    "sickness_absence_rate": "0.05",
}
GROUPS = ("DOC", "NUR", "MID")


def row(code: str = "NUR", **changes: object) -> list[object]:
    figures = {**GOOD, **changes}
    return [code, *(figures[name] for name in COLUMNS[1:])]


def csv_file(rows: Sequence[Sequence[object]] | None = None, header=COLUMNS) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([row(code) for code in GROUPS] if rows is None else rows)
    return buffer.getvalue().encode()


def xlsx_file(rows: Sequence[Sequence[object]] | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(COLUMNS))
    for cells in [row(code) for code in GROUPS] if rows is None else rows:
        sheet.append([_excel_value(cell) for cell in cells])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _excel_value(cell: object) -> object:
    """Figures as numbers, as a person typing them into Excel would leave them."""
    if isinstance(cell, str):
        try:
            return float(cell)
        except ValueError:
            return cell
    return cell


def store_return(
    organisation: Organisation,
    period: datetime.date,
    figures: Mapping[str, Mapping[str, object]] | None = None,
    *,
    version: int = 1,
    status: str = StaffingReturn.Status.SUBMITTED,
    submitted_at: datetime.datetime | None = None,
    submitted_by: User | None = None,
    warnings: list | None = None,
) -> StaffingReturn:
    """A stored return written directly, bypassing the service: for the read paths' tests.

    `figures` maps staff group codes to the columns that differ from GOOD.
    """
    figures = {code: {} for code in GROUPS} if figures is None else figures
    content = csv_file([row(code, **changes) for code, changes in figures.items()])
    staffing_return = StaffingReturn.objects.create(
        organisation=organisation,
        period=period,
        version=version,
        status=status,
        submitted_by=submitted_by,
        submitted_at=submitted_at or timezone.now(),
        original_filename="return.csv",
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        warnings=warnings or [],
    )
    groups = {g.code: g for g in StaffGroup.objects.filter(code__in=list(figures))}
    StaffingReturnRow.objects.bulk_create(
        StaffingReturnRow(
            staffing_return=staffing_return,
            staff_group=groups[code],
            **{name: _figure(value) for name, value in {**GOOD, **changes}.items()},
        )
        for code, changes in figures.items()
    )
    return staffing_return


def _figure(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value))  # None: not given


def month(year: int, number: int) -> datetime.date:
    return datetime.date(year, number, 1)


def london(year: int, number: int, day: int, hour: int = 12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, number, day, hour))
