"""Check a table of cells against the staffing return format.

Every problem is reported, at most one for each cell, by row (as a spreadsheet numbers
it) and column (its name in the format). Rows come back only when there is no problem.

Header. The first row that is not blank. Names are matched ignoring case and surrounding
spaces, and a space or hyphen inside a name counts as an underscore. All nine columns must
be there, each once, in any order, and the COST_COLUMNS may be (GBP in the month, blank: not
given; figures.read_cost); staff_group_name (the template's reading aid) may be
there too and is ignored; any other named column is refused (so that nothing a provider
sends is silently dropped), and so is a column with values but no name.

Rows. Rows that are entirely blank are skipped, but still counted in row numbers; so is a
row whose figures are all blank (a template row of a staff group the organisation does not
employ, with only its code and name): it is not stored, never read as zeros. A file must
have at least one row with figures.

- staff_group_code: required; matched ignoring case and stored upper case; must be one of
  the known codes, and appear once among the rows with figures.
- fte and headcount: required in a row with any figure. A blank vacancies_fte,
  joiners_fte or leavers_fte is None, "not given" (a provider may not know it); a blank
  bank_fte or agency_fte means 0, as a provider would read it. A blank
  sickness_absence_rate means 0 only where fte is 0: where people are in post, a missing
  rate is not a zero rate.
- Figures: plain decimals ("12.5", "+3", "1.2E+01"), Excel numbers, or numbers grouped in
  thousands with commas ("1,234.5"). Not accepted: other text, a comma as the decimal point,
  TRUE/FALSE, dates, NaN or infinity, formulas without a saved value (in CSV, any text
  starting with =), Excel error values, negative figures, and anything above MAX_FIGURE.
- FTE figures are rounded half up to 2 decimal places; headcount must be a whole number.
- sickness_absence_rate is a fraction from 0 to 1, rounded half up to 5 places; "4.5%"
  (with the percent sign) is read as 0.045, but a bare 4.5 is refused with a hint, since
  it cannot be told from a mistake.
- Plausibility (.plausibility, with its thresholds), on the rounded figures given: fte may
  not exceed headcount by more than FTE_PER_PERSON_ALLOWANCE, and fte above 0 needs a
  headcount above 0; vacancies may not exceed fte (a vacancy rate over 50% of
  establishment) where fte is above 0; a month's leavers may not exceed
  MAX_MONTHLY_LEAVERS_SHARE of fte, its joiners MAX_MONTHLY_JOINERS_SHARE of fte, bank or
  agency FTE MAX_TEMPORARY_STAFF_MULTIPLE times fte. These five checks apply only to
  figures above SMALL_GROUP_FTE, because in a small group one person is a large share.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from openpyxl.utils import get_column_letter

from .figures import read_cost, read_figure
from .parsing import (
    Cell,
    FileProblem,
    Table,
    TableRow,
    cell_text,
    is_blank,
    is_formula,
    quoted,
)
from .plausibility import implausible

COLUMNS: tuple[str, ...] = (
    "staff_group_code",
    "fte",
    "headcount",
    "vacancies_fte",
    "bank_fte",
    "agency_fte",
    "joiners_fte",
    "leavers_fte",
    "sickness_absence_rate",
)
FIGURES: tuple[str, ...] = COLUMNS[1:]
BLANK_MEANS_ZERO: tuple[str, ...] = ("bank_fte", "agency_fte")
BLANK_MEANS_NOT_GIVEN: tuple[str, ...] = ("vacancies_fte", "joiners_fte", "leavers_fte")
# Columns a file may have that the upload does not read: the template's staff group names.
IGNORED_COLUMNS: tuple[str, ...] = ("staff_group_name",)
# Optional columns: the month's costs in GBP; a file without them (the old template) is valid.
COST_COLUMNS: tuple[str, ...] = ("pay_cost", "bank_cost", "agency_cost")


class ReturnRow(NamedTuple):
    """One row of a valid return, as it is stored. A named tuple, being several times quicker
    to make than a frozen dataclass, for a bulk import of many thousands."""

    row: int
    staff_group_code: str
    fte: Decimal
    headcount: int
    vacancies_fte: Decimal | None  # None: not given
    bank_fte: Decimal
    agency_fte: Decimal
    joiners_fte: Decimal | None  # None: not given
    leavers_fte: Decimal | None  # None: not given
    sickness_absence_rate: Decimal
    pay_cost: Decimal | None = None  # GBP in the month; None: not given
    bank_cost: Decimal | None = None
    agency_cost: Decimal | None = None


@dataclass(frozen=True)
class ParsedReturn:
    rows: tuple[ReturnRow, ...]
    problems: tuple[FileProblem, ...]  # empty means valid; rows is empty when it is not

    @property
    def ok(self) -> bool:
        return not self.problems


class _Report:
    """Problems in the order found, keeping the first for any one cell."""

    def __init__(self) -> None:
        self._problems: list[FileProblem] = []
        self._cells: set[tuple[int | None, str]] = set()

    def add(self, row: int | None, column: str | None, message: str) -> None:
        if column is not None:
            if (row, column) in self._cells:
                return
            self._cells.add((row, column))
        self._problems.append(FileProblem(row=row, column=column, message=message))

    def has(self, row: int, column: str) -> bool:
        return (row, column) in self._cells

    def __bool__(self) -> bool:
        return bool(self._problems)

    def in_order(self) -> tuple[FileProblem, ...]:
        def key(problem: FileProblem) -> tuple[int, int]:
            order = COLUMNS + COST_COLUMNS
            column = order.index(problem.column) if problem.column in order else -1
            return (problem.row or 0, column)

        return tuple(sorted(self._problems, key=key))


def validate_table(table: Table, *, staff_group_codes: Collection[str]) -> ParsedReturn:
    report = _Report()
    header, data = table.rows[0], table.rows[1:]
    positions = _read_header(header, data, report)
    if not data:
        report.add(
            None,
            None,
            "The file has a header but no staff group rows. Add one row for each staff "
            "group (the template lists them).",
        )
    known = {code.strip().upper() for code in staff_group_codes}
    first_rows: dict[str, int] = {}
    rows = []
    columns = _Columns.of(positions)
    filled = [row for row in data if not _figures_blank(row, columns)]
    for row in filled:
        values = _read_row(row, columns, known, first_rows, report)
        if not report and values is not None:
            rows.append(ReturnRow(row=row.number, **values))
    if data and not filled and not report:  # a header problem is enough to say first
        report.add(
            None,
            None,
            "No row has any figures. Fill in the row of each staff group the organisation "
            "employs; rows left blank are not stored.",
        )
    if report:
        return ParsedReturn(rows=(), problems=report.in_order())
    return ParsedReturn(rows=tuple(rows), problems=())


def _read_header(header: TableRow, data: tuple[TableRow, ...], report: _Report) -> dict[str, int]:
    """Map each column of the format found in the header to its position."""
    number = header.number
    found: dict[str, list[int]] = {}
    unknown: list[tuple[int, str, str]] = []
    for index, cell in enumerate(header.cells):
        if is_blank(cell):
            continue
        name = re.sub(r"[\s-]+", "_", cell_text(cell).strip().lower())
        if name in COLUMNS or name in COST_COLUMNS:
            found.setdefault(name, []).append(index)
        elif name not in IGNORED_COLUMNS:
            unknown.append((index, name, quoted(cell)))
    if not found:
        report.add(
            number,
            None,
            f"Row {number} should be the header, naming the columns "
            f"{', '.join(COLUMNS)}; none of them was found. Copy the header from the template.",
        )
        return {}
    for index, name, shown in unknown:
        close = difflib.get_close_matches(name, COLUMNS + COST_COLUMNS, n=1)
        hint = f" Did you mean {close[0]}?" if close else ""
        report.add(
            number,
            None,
            f'Column {get_column_letter(index + 1)} is headed "{shown}", which is not a '
            f"column of the return.{hint} Rename or delete the column, as in the template.",
        )
    for name in COLUMNS + COST_COLUMNS:
        places = found.get(name, [])
        if not places and name in COLUMNS:
            report.add(number, name, f"The column {name} is missing; add it, as in the template.")
        elif len(places) > 1:
            letters = " and ".join(get_column_letter(index + 1) for index in places)
            message = f"The column {name} appears more than once (columns {letters}); keep one."
            report.add(number, name, message)
    named = {index for index, cell in enumerate(header.cells) if not is_blank(cell)}
    reported: set[int] = set()
    for row in data:
        for index, cell in enumerate(row.cells):
            if index not in named and index not in reported and not is_blank(cell):
                reported.add(index)
                report.add(
                    number,
                    None,
                    f"Column {get_column_letter(index + 1)} has no heading, but row "
                    f"{row.number} has a value in it. Delete the column, or move the value "
                    "into a column of the template.",
                )
    return {name: places[0] for name, places in found.items()}


@dataclass(frozen=True)
class _Columns:
    """Where each column of the format is in a table's rows, found once from its header."""

    positions: dict[str, int]
    figures: tuple[tuple[str, int], ...]  # (name, position) of the FIGURES the header has
    costs: tuple[tuple[str, int], ...]  # and of its COST_COLUMNS

    @classmethod
    def of(cls, positions: dict[str, int]) -> _Columns:
        def present(names: tuple[str, ...]) -> tuple[tuple[str, int], ...]:
            return tuple((name, positions[name]) for name in names if name in positions)

        return cls(positions, present(FIGURES), present(COST_COLUMNS))


def _figures_blank(row: TableRow, columns: _Columns) -> bool:
    """Whether every figure of a row is blank: a staff group left out, whatever its code."""
    cells = row.cells
    return all(
        index >= len(cells) or is_blank(cells[index])
        for _name, index in columns.figures + columns.costs
    )


def _read_row(
    row: TableRow,
    columns: _Columns,
    known: set[str],
    first_rows: dict[str, int],
    report: _Report,
) -> dict[str, Any] | None:
    """Check one row; return its values when every column of it is readable and valid."""
    number, cells = row.number, row.cells
    width = len(cells)
    positions = columns.positions
    values: dict[str, Any] = {}
    if "staff_group_code" in positions:
        index = positions["staff_group_code"]
        raw = cells[index] if index < width else None
        code = _staff_group(raw, number, known, first_rows, report)
        if code is not None:
            values["staff_group_code"] = code
    for name, index in columns.figures:
        raw = cells[index] if index < width else None
        if is_blank(raw):
            if name in BLANK_MEANS_ZERO:
                values[name] = Decimal("0.00")
            elif name in BLANK_MEANS_NOT_GIVEN:
                values[name] = None
            elif name in ("fte", "headcount"):
                what = "FTE in post" if name == "fte" else "number of people in post"
                report.add(
                    number,
                    name,
                    f"{name} is empty; give the {what} (0 if none), or leave the row's "
                    "figures all blank if the organisation does not employ this staff group.",
                )
            continue
        figure = read_figure(name, raw)
        if isinstance(figure, str):
            report.add(number, name, figure)
        else:
            values[name] = figure
    for name, index in columns.costs:
        raw = cells[index] if index < width else None
        if not is_blank(raw):
            cost = read_cost(name, raw)
            if isinstance(cost, str):
                report.add(number, name, cost)
            else:
                values[name] = cost
    _check_sickness_blank(row, positions, values, report)
    for column, message in implausible(values):
        report.add(number, column, message)
    if all(name in values for name in COLUMNS) and not (
        report and any(report.has(number, name) for name in COLUMNS + COST_COLUMNS)
    ):
        return values
    return None


def _staff_group(
    raw: Cell, number: int, known: set[str], first_rows: dict[str, int], report: _Report
) -> str | None:
    column = "staff_group_code"
    if is_blank(raw):
        report.add(number, column, "The row has no staff group code; give one from the template.")
        return None
    if is_formula(raw):
        message = f"The staff group code is a formula ({quoted(raw)}); type the code."
        report.add(number, column, message)
        return None
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)  # a numeric code typed into Excel arrives as a number
    code = cell_text(raw).strip().upper()
    if code not in known:
        report.add(
            number,
            column,
            f'The staff group code "{quoted(code)}" is not recognised; see the template '
            '(the Excel template lists the codes on its "Staff groups" sheet).',
        )
        return None
    if code in first_rows:
        report.add(
            number,
            column,
            f"Staff group {code} is already on row {first_rows[code]}; "
            "give one row per staff group.",
        )
        return None
    first_rows[code] = number
    return code


def _check_sickness_blank(
    row: TableRow, positions: dict[str, int], values: dict[str, Any], report: _Report
) -> None:
    name = "sickness_absence_rate"
    index = positions.get(name)
    if index is None or (index < len(row.cells) and not is_blank(row.cells[index])):
        return
    fte = values.get("fte")
    if fte == 0:
        values[name] = Decimal("0.00000")
    elif isinstance(fte, Decimal):
        # Where fte itself is unreadable, that one problem is enough.
        report.add(
            row.number,
            name,
            "sickness_absence_rate is empty; give the rate as a fraction (e.g. 0.045 for "
            "4.5%), or 0 if no one was absent.",
        )
