"""Turn the bytes of an uploaded staffing return into a table of cells.

A file is read as XLSX or CSV according to both its content (an XLSX workbook is a zip
archive, starting PK\\x03\\x04) and the extension of its name (.csv, .xlsx, or none);
when the two disagree the upload is refused with a message saying what to do, rather
than guessed at.

CSV must be UTF-8, with or without a byte order mark, and comma separated. XLSX is read
from its first worksheet. A formula cell is read through the value Excel saved with it;
one saved without a value becomes a ``Formula`` cell, which validation reports.

Nothing here raises for bad input: every failure becomes one file-level ``FileProblem``.
The zip directory of an XLSX file is checked against ``Limits`` before openpyxl opens it,
so a zip bomb is refused before anything is unpacked. Checking the declared sizes is
enough because the zipfile module never returns more bytes than a member declares.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import io
import itertools
import warnings
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePath

import openpyxl

from .active_content import active_parts, listed

CSV_UTF8 = "\u201cCSV UTF-8 (Comma delimited) (*.csv)\u201d"
EXCEL_WORKBOOK = "\u201cExcel Workbook (*.xlsx)\u201d"

_ZIP_MAGIC = b"PK\x03\x04"
# Excel 97-2003 workbooks, and password-protected .xlsx files, are OLE compound files.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


@dataclass(frozen=True)
class FileProblem:
    """One thing to change in an uploaded file.

    ``row`` is the row number as a spreadsheet shows it (the header is row 1), or None for
    a problem with the whole file; ``column`` is the column's name in the format, or None.
    """

    row: int | None
    column: str | None
    message: str


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 5 * 1024 * 1024
    max_xlsx_unpacked_bytes: int = 50 * 1024 * 1024
    max_xlsx_members: int = 200
    max_rows: int = 1000  # staff group rows, after the header; blank rows not counted
    # Cells read, blank ones and empty rows included: this bounds the time one upload can
    # take, since a small workbook can store hundreds of thousands of formatted empty cells.
    max_cells: int = 100_000


@dataclass(frozen=True)
class Formula:
    """A formula with no saved value (XLSX), or text starting with = (CSV)."""

    text: str


@dataclass(frozen=True)
class ExcelError:
    """A cell showing one of Excel's error values, such as #DIV/0!."""

    code: str


Cell = (
    str
    | int
    | float
    | Decimal
    | bool
    | datetime.datetime
    | datetime.date
    | datetime.time
    | datetime.timedelta
    | Formula
    | ExcelError
    | None
)

_PLAIN_VALUES = (
    str,
    int,
    float,
    Decimal,
    datetime.datetime,
    datetime.date,
    datetime.time,
    datetime.timedelta,
)


@dataclass(frozen=True)
class TableRow:
    number: int  # as a spreadsheet shows it, counting blank rows
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Table:
    """The rows of a file that are not entirely blank, header first."""

    rows: tuple[TableRow, ...]


class _NoWorksheet(Exception):
    pass


def is_blank(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def is_formula(cell: Cell) -> bool:
    return isinstance(cell, Formula) or (isinstance(cell, str) and cell.lstrip().startswith("="))


def cell_text(cell: Cell) -> str:
    if isinstance(cell, Formula):
        return cell.text
    if isinstance(cell, ExcelError):
        return cell.code
    return str(cell)


def quoted(cell: Cell, longest: int = 40) -> str:
    """A cell's text as it may be quoted back to the uploader, cut short if long."""
    text = " ".join(cell_text(cell).split())
    return text if len(text) <= longest else text[: longest - 1] + "\u2026"


def size_in_words(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} bytes"


def _file_problem(message: str) -> FileProblem:
    return FileProblem(row=None, column=None, message=message)


def read_table(content: bytes, filename: str, limits: Limits) -> Table | FileProblem:
    """Read the cells of a CSV or XLSX file, or say in one problem why it cannot be read."""
    if not content:
        return _file_problem("The file is empty. Upload the filled-in template.")
    if len(content) > limits.max_bytes:
        return _file_problem(
            f"The file is {size_in_words(len(content))}; the largest accepted is "
            f"{size_in_words(limits.max_bytes)}. Remove anything other than the return "
            "(other sheets, pictures) and upload it again."
        )
    extension = PurePath((filename or "").strip()).suffix.lower()
    is_zip = content.startswith(_ZIP_MAGIC)
    if extension not in ("", ".csv", ".xlsx"):
        return _file_problem(
            f"The file is a {extension} file; upload the return as .csv or .xlsx. "
            f"Save it from Excel as {CSV_UTF8} or as {EXCEL_WORKBOOK}."
        )
    if content.startswith(_OLE_MAGIC):
        return _file_problem(
            "The file is in the older Excel 97-2003 format, or is protected with a "
            f"password. Remove any password, then save it as {EXCEL_WORKBOOK} or as {CSV_UTF8}."
        )
    if extension == ".xlsx" and not is_zip:
        return _file_problem(
            "The file is named .xlsx but is not an Excel workbook. If it is a CSV file, "
            f"name it .csv; otherwise open it in Excel and save it as {EXCEL_WORKBOOK}."
        )
    if extension == ".csv" and is_zip:
        return _file_problem(
            "The file is named .csv but is an Excel workbook (or another zip file). "
            f"Save it from Excel as {CSV_UTF8}, or upload the workbook named .xlsx."
        )
    if is_zip:
        return _read_xlsx(content, limits)
    return _read_csv(content, limits)


def _collect(
    numbered_rows: Iterable[tuple[int, tuple[Cell, ...]]], limits: Limits
) -> Table | FileProblem:
    """Keep the rows that are not blank, stopping as soon as there are too many."""
    kept: list[TableRow] = []
    seen = 0
    for number, cells in numbered_rows:
        seen += max(len(cells), 1)
        if seen > limits.max_cells:
            return _file_problem(
                f"The file has more than {limits.max_cells:,} cells, counting empty ones "
                "that are formatted. Copy the return alone into a new file, or delete the "
                "empty rows and columns around it."
            )
        if all(is_blank(cell) for cell in cells):
            continue
        # The first kept row is the header, so the limit is on the rows after it.
        if len(kept) > limits.max_rows:
            return _file_problem(
                f"The file has more than {limits.max_rows} staff group rows; a return "
                "has one row per staff group. Remove the extra rows and upload it again."
            )
        kept.append(TableRow(number=number, cells=_without_trailing_blanks(cells)))
    if not kept:
        return _file_problem(
            "The file is empty: it has no header row and no staff group rows. "
            "Upload the filled-in template."
        )
    return Table(rows=tuple(kept))


def _without_trailing_blanks(cells: tuple[Cell, ...]) -> tuple[Cell, ...]:
    end = len(cells)
    while end and is_blank(cells[end - 1]):
        end -= 1
    return cells[:end]


def _read_csv(content: bytes, limits: Limits) -> Table | FileProblem:
    save_as = f"Save it from Excel as {CSV_UTF8}."
    if content.startswith(_UTF16_BOMS):
        return _file_problem(
            "The file is saved as UTF-16 (Excel calls it \u201cUnicode Text\u201d), "
            f"not UTF-8. {save_as}"
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        return _file_problem(
            "The file is not UTF-8 text (the first character that is not is on line "
            f"{line}); it was probably saved as Windows or Latin-1 text. {save_as}"
        )
    if "\x00" in text:
        # UTF-16 without a byte order mark decodes as UTF-8 full of NUL characters.
        return _file_problem(
            f"The file contains null characters, so it is probably saved as UTF-16. {save_as}"
        )
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        # A record may span lines inside quotes; a spreadsheet shows it as one row,
        # so rows are numbered by record, not by line.
        table = _collect(((number, tuple(cells)) for number, cells in enumerate(reader, 1)), limits)
    except csv.Error as error:
        return _file_problem(
            f"The file could not be read as CSV near line {reader.line_num} ({error}). {save_as}"
        )
    if isinstance(table, Table):
        header = table.rows[0].cells
        if len(header) == 1 and isinstance(header[0], str):
            for separator, name in ((";", "semicolons"), ("\t", "tabs")):
                if separator in header[0]:
                    return _file_problem(
                        f"The columns are separated by {name}, not commas. {save_as}"
                    )
    return table


def _read_xlsx(content: bytes, limits: Limits) -> Table | FileProblem:
    save_again = f"Open it in Excel and save it again as {EXCEL_WORKBOOK} or as {CSV_UTF8}."
    not_a_workbook = _file_problem(
        f"The file is not a valid Excel workbook: it may be damaged or only partly saved. "
        f"{save_again}"
    )
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except Exception:
        # zipfile raises several kinds of error for damaged archives; all mean the same here.
        return not_a_workbook
    if len(members) > limits.max_xlsx_members:
        return _file_problem(
            f"The workbook holds {len(members)} parts; the most accepted is "
            f"{limits.max_xlsx_members}. Copy the return into a new workbook with one sheet."
        )
    unpacked = sum(member.file_size for member in members)
    if unpacked > limits.max_xlsx_unpacked_bytes:
        return _file_problem(
            f"The workbook unpacks to {size_in_words(unpacked)}; the most accepted is "
            f"{size_in_words(limits.max_xlsx_unpacked_bytes)}. Copy the return into a new "
            "workbook with one sheet."
        )
    names = {member.filename for member in members}
    if "xl/workbook.xml" not in names and "content.xml" in names:
        return _file_problem(
            f"The file is an OpenDocument spreadsheet, not an Excel workbook. {save_again}"
        )
    try:
        active = active_parts(content, names)
    except Exception:
        return not_a_workbook
    if active:
        return _file_problem(
            f"The workbook contains {listed(active)}, which a return may not hold: they "
            "could run or fetch something when someone else opens the file. Copy the "
            "return's cells into a new workbook (Paste Special, Values) and save it as "
            f"{EXCEL_WORKBOOK}, or save the return as {CSV_UTF8}."
        )
    try:
        with (
            warnings.catch_warnings(),
            contextlib.closing(_sheet_rows(content, formulas=False)) as values,
            contextlib.closing(_sheet_rows(content, formulas=True)) as formulas,
        ):
            # openpyxl warns about workbook features it does not read (extensions,
            # styles); none of them changes the cell values read here.
            warnings.simplefilter("ignore")
            return _collect(_merge(values, formulas), limits)
    except _NoWorksheet:
        return _file_problem(
            "The workbook has no worksheet. Put the return on the first sheet, as in the template."
        )
    except Exception:
        # openpyxl reports broken workbooks with many exception types (KeyError,
        # ValueError, XML parse errors, ...); for the uploader they all mean one thing.
        return not_a_workbook


def _merge(
    values: Iterator[tuple[int, tuple[Cell, ...]]],
    formulas: Iterator[tuple[int, tuple[Cell, ...]]],
) -> Iterator[tuple[int, tuple[Cell, ...]]]:
    """Put a ``Formula`` where a formula cell has no saved value.

    Saved values come only with openpyxl's data_only=True, and only data_only=False tells
    a formula cell whose value is missing from an empty one; both passes read the same
    XML, so their rows line up.
    """
    for (number, cells), (_, formula_cells) in zip(values, formulas, strict=False):
        yield (
            number,
            tuple(
                formula if cell is None and formula is not None else cell
                for cell, formula in itertools.zip_longest(cells, formula_cells)
            ),
        )


def _sheet_rows(content: bytes, *, formulas: bool) -> Iterator[tuple[int, tuple[Cell, ...]]]:
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=not formulas)
    try:
        if not workbook.worksheets:
            raise _NoWorksheet
        sheet = workbook.worksheets[0]
        # Stored dimensions may be wrong; without them every cell present is read.
        sheet.reset_dimensions()
        # Row numbers come from counting: openpyxl yields missing rows as empty ones.
        for number, cells in enumerate(sheet.iter_rows(min_row=1), 1):
            yield number, tuple(_cell(cell, formulas=formulas) for cell in cells)
    finally:
        workbook.close()


def _cell(cell: object, *, formulas: bool) -> Cell:
    value = getattr(cell, "value", None)
    data_type = getattr(cell, "data_type", None)
    if formulas:
        return Formula(str(value)) if data_type == "f" else None
    if data_type == "e":
        return ExcelError(str(value))
    if value is None or isinstance(value, _PLAIN_VALUES):
        return value
    # Rich text and other objects: their text is what the uploader sees.
    return str(value)
