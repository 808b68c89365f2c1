"""Excel (XLSX) responses that a spreadsheet opens safely: the counterpart of csv_export.

Text is always stored as text, never as a formula: a text cell starting with =, +, -, @, a
tab or a carriage return is written as a string cell with Excel's "quote prefix", so it shows
as typed and stays text if edited. Numbers stay numbers (a negative gap is -12.5, a number),
and dates are dates.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable, Sequence
from numbers import Number

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .csv_export import FORMULA_STARTS

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONTH_FORMAT = "mmm yyyy"


def safe_xlsx_cell(cell: Cell, value: object) -> None:
    """Put `value` into `cell`: numbers as numbers, dates as dates, anything else as text."""
    if value is None:
        return
    if isinstance(value, bool | Number):
        cell.value = value
    elif isinstance(value, datetime.date):
        cell.value = value
        cell.number_format = MONTH_FORMAT if value.day == 1 else "yyyy-mm-dd"
    else:
        text = str(value)
        cell.value = text
        # openpyxl takes a string starting with "=" for a formula: say it is a string.
        cell.data_type = "s"
        if text.startswith(FORMULA_STARTS):
            cell.quotePrefix = True


def xlsx_workbook(
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    sheet: str = "Data",
    about: Sequence[tuple[str, object]] = (),
) -> bytes:
    """The table on one sheet (header in bold, first row frozen), what it is on "About"."""
    book = Workbook()
    data = book.active
    data.title = sheet[:31]
    for column, heading in enumerate(header, start=1):
        safe_xlsx_cell(data.cell(row=1, column=column), heading)
        data.cell(row=1, column=column).font = Font(bold=True)
        data.column_dimensions[get_column_letter(column)].width = max(12, min(45, len(heading) + 2))
    for r, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            safe_xlsx_cell(data.cell(row=r, column=column), value)
    data.freeze_panes = "A2"
    if about:
        notes = book.create_sheet("About")
        for r, (name, value) in enumerate(about, start=1):
            safe_xlsx_cell(notes.cell(row=r, column=1), name)
            notes.cell(row=r, column=1).font = Font(bold=True)
            safe_xlsx_cell(notes.cell(row=r, column=2), value)
        notes.column_dimensions["A"].width = 24
        notes.column_dimensions["B"].width = 90
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_response(
    filename: str,
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    sheet: str = "Data",
    about: Sequence[tuple[str, object]] = (),
) -> HttpResponse:
    response = HttpResponse(xlsx_workbook(header, rows, sheet=sheet, about=about), XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
