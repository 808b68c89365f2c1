"""The empty staffing return an organisation downloads, fills in and uploads.

Both forms have the header and one row per staff group given, with its code and name filled
in and the figures empty, and nothing else in the data, so that a filled-in template is read
back by ``read_return`` as it stands: the name column is ignored, and rows left with no
figures (groups the organisation does not employ) are skipped. The XLSX form keeps the data
on its first sheet and lists, on a second sheet, "Staff groups", the codes and names of every
group a return may hold (``accepted``), for a row added by hand.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from core.cells import safe_cell

from .validation import COLUMNS, COST_COLUMNS, FIGURES, IGNORED_COLUMNS

DATA_SHEET = "Staffing return"
STAFF_GROUPS_SHEET = "Staff groups"
# The code, then the name the upload ignores, then the figures, then the optional costs.
TEMPLATE_COLUMNS: tuple[str, ...] = (COLUMNS[0], *IGNORED_COLUMNS, *FIGURES, *COST_COLUMNS)
COST_HELP: dict[str, str] = {
    "pay_cost": "Optional. The month's substantive pay bill for the staff group in pounds, "
    "employer on-costs (National Insurance, pension) included. Leave blank if not known.",
    "bank_cost": "Optional. The month's cost of bank staff for the staff group in pounds. "
    "Leave blank if not known.",
    "agency_cost": "Optional. The month's cost of agency staff for the staff group in "
    "pounds, the agency's fee included. Leave blank if not known.",
}
_FIRST_FIGURE = 2 + len(IGNORED_COLUMNS)  # its column number, from 1


def template_csv(staff_groups: Sequence[tuple[str, str]]) -> bytes:
    """The template as UTF-8 CSV; staff_groups are (code, name) pairs, one row each.

    A name is written formula-safe (core.cells): the upload ignores it, a spreadsheet does not.
    """
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(TEMPLATE_COLUMNS)
    for code, name in staff_groups:
        writer.writerow([code, safe_cell(name)] + [""] * (len(FIGURES) + len(COST_COLUMNS)))
    return buffer.getvalue().encode("utf-8")


def template_xlsx(
    staff_groups: Sequence[tuple[str, str]], accepted: Sequence[tuple[str, str]] = ()
) -> bytes:
    """The template as an Excel workbook; staff_groups are (code, name) pairs, one row each.

    `accepted` lists, on the "Staff groups" sheet, every group a return may hold (default:
    those of the rows)."""
    workbook = Workbook()
    data = workbook.active
    data.title = DATA_SHEET
    data.append(TEMPLATE_COLUMNS)
    for code, name in staff_groups:
        data.append([None] * len(TEMPLATE_COLUMNS))
        _text_cell(data.cell(row=data.max_row, column=1), code)
        _text_cell(data.cell(row=data.max_row, column=2), name)
    for cell in data[1]:
        cell.font = Font(bold=True)
        if cell.value in COST_HELP:
            cell.comment = Comment(COST_HELP[cell.value], "ICS Workforce Planner")
        data.column_dimensions[cell.column_letter].width = max(14, len(str(cell.value)) + 2)
    data.column_dimensions["B"].width = 40
    data.freeze_panes = get_column_letter(_FIRST_FIGURE) + "2"
    _add_validations(data, last_row=len(staff_groups) + 1)

    groups = workbook.create_sheet(STAFF_GROUPS_SHEET)
    groups.append(["staff_group_code", "staff_group_name"])
    for code, name in accepted or staff_groups:
        groups.append([None, None])
        _text_cell(groups.cell(row=groups.max_row, column=1), code)
        _text_cell(groups.cell(row=groups.max_row, column=2), name)
    for cell in groups[1]:
        cell.font = Font(bold=True)
    groups.column_dimensions["A"].width = 18
    groups.column_dimensions["B"].width = 60

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _text_cell(cell: Cell, text: str) -> None:
    # openpyxl would store text starting with = as a formula; codes and names are text.
    cell.value = text
    cell.data_type = "s"
    cell.number_format = "@"


def _add_validations(sheet: Worksheet, *, last_row: int) -> None:
    """Let Excel refuse the commonest mistakes as they are typed; the upload checks all."""
    if last_row < 2:
        return
    fte = DataValidation(
        type="decimal",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        error="Give the figure in FTE: a number, 0 or more.",
    )
    headcount = DataValidation(
        type="whole",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        error="Give the headcount as a whole number of people, 0 or more.",
    )
    rate = DataValidation(
        type="decimal",
        operator="between",
        formula1="0",
        formula2="1",
        allow_blank=True,
        error="Give the sickness absence rate as a fraction, e.g. 0.045 for 4.5%.",
    )
    cost = DataValidation(
        type="decimal",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        error="Give the month's cost in pounds: a number, 0 or more, or leave it blank.",
    )
    for validation in (fte, headcount, rate, cost):
        validation.showErrorMessage = True
        sheet.add_data_validation(validation)
    for index, name in enumerate(FIGURES, _FIRST_FIGURE):
        letter = get_column_letter(index)
        kind = {"headcount": headcount, "sickness_absence_rate": rate}.get(name, fte)
        kind.add(f"{letter}2:{letter}{last_row}")
    for index in range(_FIRST_FIGURE + len(FIGURES), _FIRST_FIGURE + len(FIGURES) + 3):
        letter = get_column_letter(index)
        cost.add(f"{letter}2:{letter}{last_row}")
    cost.promptTitle = "Optional: the month's cost"
    cost.prompt = "In pounds, for the staff group; pay_cost with on-costs. Blank: not known."
    cost.showInputMessage = True
