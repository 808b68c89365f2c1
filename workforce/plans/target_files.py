"""The plan target file: read a system's targets from CSV or XLSX, write them as CSV.

The header names the columns, in any order: staff_group_code, year, plan and target_fte
are required; target_vacancy_rate, target_leaver_rate, target_sickness_absence_rate,
target_bank_fte, target_agency_fte and the financial plan's pay_budget, bank_spend_limit
and agency_spend_limit are optional (a blank cell: no target);
staff_group_name, which the export writes for people to read, is ignored. Names match
ignoring case and surrounding spaces, a space or hyphen counting as an underscore; any
other named column is refused, so that nothing a lead sends is silently dropped.

One row per staff group and financial year: the year as 2028 or 2028/29, the plan as jfp
or scp, FTE rounded to 2 places, rates as fractions from 0 to 1 ("8%" reads as 0.08),
money in pounds in the year, rounded to pence ("£1,250,000" reads as 1250000).
Every problem is reported by row (as a spreadsheet numbers it) and column, all at once;
rows come back only when there is none. Pure: no Django.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, fields
from decimal import Decimal

from openpyxl.utils import get_column_letter

from core import calendar
from core.cells import safe_cell
from workforce.returns.parsing import (
    Cell,
    ExcelError,
    FileProblem,
    Formula,
    Limits,
    TableRow,
    cell_text,
    is_blank,
    quoted,
    read_table,
)

from . import rules, units

REQUIRED_COLUMNS = ("staff_group_code", "year", "plan", "target_fte")
COLUMNS = (*REQUIRED_COLUMNS, *rules.TARGET_OPTIONAL_FIELDS)
IGNORED_COLUMNS = ("staff_group_name",)
EXPORT_COLUMNS = (
    "staff_group_code",
    "staff_group_name",
    "year",
    "plan",
    "target_fte",
    *rules.TARGET_OPTIONAL_FIELDS,
)
# Twenty-odd staff groups over twenty years fit well inside this.
LIMITS = Limits(max_rows=2000)

_PLAIN = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,3})?", re.ASCII)
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?", re.ASCII)


@dataclass(frozen=True)
class TargetRow:
    row: int
    staff_group_code: str
    year: int
    plan: str
    target_fte: Decimal
    target_vacancy_rate: Decimal | None = None
    target_leaver_rate: Decimal | None = None
    target_sickness_absence_rate: Decimal | None = None
    target_bank_fte: Decimal | None = None
    target_agency_fte: Decimal | None = None
    pay_budget: Decimal | None = None
    bank_spend_limit: Decimal | None = None
    agency_spend_limit: Decimal | None = None

    def values(self) -> dict[str, object]:
        """The target's fields, without the row number."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "row"}


@dataclass(frozen=True)
class ParsedTargets:
    rows: tuple[TargetRow, ...]
    problems: tuple[FileProblem, ...]  # empty means valid; rows is empty when it is not

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def years(self) -> list[int]:
        return sorted({row.year for row in self.rows})


def read_targets(
    content: bytes,
    filename: str,
    *,
    staff_group_codes: Collection[str],
    not_projected: Mapping[str, str] | None = None,
    limits: Limits = LIMITS,
) -> ParsedTargets:
    """Read a plan target file into rows, or into every problem found in it.

    `not_projected`: the codes of staff groups the model does not project, each with the
    message that refuses a target for it (`rules.not_projected`)."""
    table = read_table(content, filename, limits)
    if isinstance(table, FileProblem):
        return ParsedTargets(rows=(), problems=(table,))
    header, data = table.rows[0], table.rows[1:]
    problems: list[FileProblem] = []
    positions = _read_header(header, problems)
    if not data:
        problems.append(
            FileProblem(None, None, "The file has a header but no rows of targets below it.")
        )
    if problems:
        return ParsedTargets(rows=(), problems=tuple(problems))
    known = {code.strip().upper() for code in staff_group_codes}
    first_row: dict[tuple[str, int], int] = {}
    rows = []
    for row in data:
        target = _read_row(row, positions, known, not_projected or {}, problems)
        if target is None:
            continue
        key = (target.staff_group_code, target.year)
        if key in first_row:
            problems.append(
                FileProblem(
                    row.number,
                    "year",
                    f"{target.staff_group_code} in {calendar.year_label(target.year)} is also on "
                    f"row {first_row[key]}: give each staff group and year once.",
                )
            )
        else:
            first_row[key] = row.number
            rows.append(target)
    if problems:
        return ParsedTargets(rows=(), problems=tuple(problems))
    return ParsedTargets(rows=tuple(rows), problems=())


def _read_header(header: TableRow, problems: list[FileProblem]) -> dict[str, int]:
    positions: dict[str, int] = {}
    for index, cell in enumerate(header.cells):
        if is_blank(cell):
            continue
        name = re.sub(r"[\s-]+", "_", cell_text(cell).strip().lower())
        letter = get_column_letter(index + 1)
        if name in IGNORED_COLUMNS:
            continue
        if name not in COLUMNS:
            problems.append(
                FileProblem(
                    header.number,
                    None,
                    f'Column {letter} is headed "{quoted(cell)}", which is not a column of '
                    f"the target file ({', '.join(COLUMNS)}). Rename or delete it.",
                )
            )
        elif name in positions:
            problems.append(
                FileProblem(
                    header.number, name, f"The column {name} appears twice; keep one of them."
                )
            )
        else:
            positions[name] = index
    for name in REQUIRED_COLUMNS:
        if name not in positions:
            problems.append(
                FileProblem(header.number, name, f"The column {name} is missing; add it.")
            )
    return positions


def _read_row(
    row: TableRow,
    positions: Mapping[str, int],
    known: set[str],
    not_projected: Mapping[str, str],
    problems: list[FileProblem],
) -> TargetRow | None:
    found = len(problems)

    def cell(name: str) -> Cell:
        index = positions.get(name)
        return row.cells[index] if index is not None and index < len(row.cells) else None

    def problem(name: str, message: str) -> None:
        problems.append(FileProblem(row.number, name, message))

    values: dict[str, object] = {}
    code = cell("staff_group_code")
    if is_blank(code):
        problem("staff_group_code", "staff_group_code is empty: give the staff group's code.")
    elif cell_text(code).strip().upper() not in known:
        problem(
            "staff_group_code",
            f'"{quoted(code)}" is not a staff group code; /api/v1/staff-groups/ lists them.',
        )
    elif cell_text(code).strip().upper() in not_projected:
        problem("staff_group_code", not_projected[cell_text(code).strip().upper()])
    else:
        values["staff_group_code"] = cell_text(code).strip().upper()

    year = cell("year")
    if is_blank(year):
        problem("year", "year is empty: give the financial year, as 2028 or 2028/29.")
    else:
        try:
            values["year"] = calendar.parse_year(_plain(year, "year"))
        except ValueError as error:
            problem("year", str(error))
        else:
            message = rules.check_year(values["year"])
            if message:
                problem("year", message)

    plan = cell("plan")
    if is_blank(plan):
        problem("plan", 'plan is empty: write "jfp" or "scp".')
    else:
        values["plan"] = cell_text(plan).strip().lower()
        message = rules.check_plan(values["plan"], values.get("year"))
        if message:
            problem("plan", message)

    for name in ("target_fte", *rules.TARGET_OPTIONAL_FIELDS):
        value = cell(name)
        if is_blank(value):
            if name == "target_fte":
                problem(name, "target_fte is empty: give the target FTE.")
            continue
        try:
            number = _number(
                value,
                name,
                percent=name in rules.TARGET_RATE_FIELDS,
                pounds=name in rules.TARGET_MONEY_FIELDS,
            )
        except ValueError as error:
            problem(name, str(error))
            continue
        number, message = rules.clean_target_figure(name, number)
        if message:
            problem(name, message)
        values[name] = number
    if len(problems) > found:
        return None
    return TargetRow(row=row.number, **values)


def _plain(cell: Cell, name: str) -> object:
    """The cell's value, or ValueError for formulas, Excel errors and dates."""
    if isinstance(cell, Formula):
        raise ValueError(
            f"{name} is a formula with no saved value ({quoted(cell)}); "
            "save the file from Excel, or type the value."
        )
    if isinstance(cell, ExcelError):
        raise ValueError(f"{name} shows the Excel error {cell.code}; correct the cell.")
    if isinstance(cell, datetime.date | datetime.time | datetime.timedelta):
        raise ValueError(
            f"{name} is a date or time ({quoted(cell)}); format the cell as a number or text."
        )
    if isinstance(cell, str) and cell.lstrip().startswith("="):
        raise ValueError(f"{name} is a formula ({quoted(cell)}); type the value instead.")
    return cell


def _number(cell: Cell, name: str, *, percent: bool, pounds: bool = False) -> Decimal:
    value = _plain(cell, name)
    if isinstance(value, bool):
        raise ValueError(f"{name} must be a number, not {value}.")
    if isinstance(value, int | float | Decimal):
        try:
            return rules.to_decimal(value)
        except ValueError:
            raise ValueError(f"{name} must be a number; {quoted(cell)} is not.") from None
    text = str(value).strip()
    scale = Decimal(1)
    if percent and text.endswith("%"):
        text, scale = text[:-1].strip(), Decimal("0.01")
    if pounds:
        text = units.without_pound_sign(text)
    if _PLAIN.fullmatch(text):
        return Decimal(text) * scale
    if _THOUSANDS.fullmatch(text):
        return Decimal(text.replace(",", "")) * scale
    raise ValueError(f'{name} must be a number; "{quoted(cell)}" is not.')


def targets_csv(rows: Iterable[Mapping[str, object]]) -> bytes:
    """Targets as CSV that `read_targets` reads back; each row has EXPORT_COLUMNS' keys,
    the year as an int and figures as Decimals or None."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_COLUMNS)
    for row in rows:
        cells = []
        for name in EXPORT_COLUMNS:
            value = row.get(name)
            if name == "year":
                value = calendar.year_label(int(value))
            # A name a spreadsheet would run as a formula is written as text.
            cells.append(safe_cell("" if value is None else str(value)))
        writer.writerow(cells)
    return buffer.getvalue().encode("utf-8")
