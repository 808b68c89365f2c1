"""Small builders of staffing return files for the tests."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence

from openpyxl import Workbook

from workforce.returns import COLUMNS, Limits, ParsedReturn, read_return

CODES = ("NURSE", "DOC", "MIDWIFE", "AHP", "SUPPORT")
STAFF_GROUPS = (
    ("NURSE", "Nurses and health visitors"),
    ("DOC", "HCHS doctors"),
    ("MIDWIFE", "Midwives"),
    ("AHP", "Scientific, therapeutic and technical staff"),
    ("SUPPORT", "Support to clinical staff"),
)

# A row that passes every check: 100 FTE by 120 people, 10 vacant, a little of all else.
GOOD = {
    "fte": "100.5",
    "headcount": "120",
    "vacancies_fte": "10",
    "bank_fte": "5.25",
    "agency_fte": "2",
    "joiners_fte": "3",
    "leavers_fte": "2.5",
    "sickness_absence_rate": "0.045",
}

Value = object


def row(code: str = "NURSE", **changes: Value) -> list[Value]:
    """A data row in the format's column order: GOOD, with the given columns changed."""
    figures = {**GOOD, **changes}
    return [code] + [figures[name] for name in COLUMNS[1:]]


def good_rows(count: int = 3) -> list[list[Value]]:
    return [row(code) for code in CODES[:count]]


def csv_bytes(
    rows: Sequence[Sequence[Value]],
    header: Sequence[str] = COLUMNS,
    *,
    encoding: str = "utf-8",
) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(
    rows: Sequence[Sequence[Value]],
    header: Sequence[str] = COLUMNS,
    *,
    first_sheet: str | None = None,
) -> bytes:
    """A workbook with the return on its first sheet; first_sheet puts another before it."""
    workbook = Workbook()
    sheet = workbook.active
    if first_sheet is not None:
        sheet.title = first_sheet
        sheet.append(["not the return"])
        sheet = workbook.create_sheet("Return")
    sheet.append(list(header))
    for cells in rows:
        sheet.append(list(cells))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


DEFAULT_LIMITS = Limits()


def zip_bytes(files: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A ZIP archive of the files, by their names in it (folders included)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def read(
    content: bytes, filename: str = "return.csv", limits: Limits = DEFAULT_LIMITS
) -> ParsedReturn:
    return read_return(content, filename, staff_group_codes=CODES, limits=limits)


def edit_first_sheet_xml(content: bytes, old: str, new: str) -> bytes:
    """Rewrite the first sheet's XML, for what openpyxl cannot write (saved formula values)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "xl/worksheets/sheet1.xml":
                # openpyxl writes an empty element as <v /> with its own writer and as
                # <v></v> with lxml's, when lxml is installed.
                text = data.decode().replace("<v></v>", "<v />")
                assert old in text
                data = text.replace(old, new).encode()
            target.writestr(member, data)
    return buffer.getvalue()


def problems_at(result: ParsedReturn) -> list[tuple[int | None, str | None]]:
    return [(problem.row, problem.column) for problem in result.problems]


def only_problem(result: ParsedReturn) -> tuple[int | None, str | None, str]:
    """The one problem of a result that must have exactly one."""
    assert not result.rows
    assert len(result.problems) == 1, result.problems
    problem = result.problems[0]
    return problem.row, problem.column, problem.message


def with_parts(
    content: bytes,
    parts: dict[str, bytes],
    content_types: dict[str, str] | None = None,
) -> bytes:
    """A copy of a workbook with `parts` added and [Content_Types].xml naming
    `content_types` (part name: content type), as Excel writes macros, links and objects."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "[Content_Types].xml" and content_types:
                overrides = "".join(
                    f'<Override PartName="/{name}" ContentType="{kind}"/>'
                    for name, kind in content_types.items()
                )
                data = data.decode().replace("</Types>", f"{overrides}</Types>").encode()
            target.writestr(member, data)
        for name, data in parts.items():
            target.writestr(name, data)
    return buffer.getvalue()
