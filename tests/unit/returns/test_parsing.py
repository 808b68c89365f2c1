"""Reading files: formats, encodings, sizes and damaged workbooks."""

from __future__ import annotations

import datetime
import io
import zipfile
from decimal import Decimal

import pytest

import workforce.returns
from workforce.returns import COLUMNS, UNEXPECTED_FAILURE, Limits, ReturnRow
from workforce.returns import parsing as parsing_module

from .files import (
    csv_bytes,
    edit_first_sheet_xml,
    good_rows,
    only_problem,
    problems_at,
    read,
    row,
    xlsx_bytes,
)

NURSE_ROW = ReturnRow(
    row=2,
    staff_group_code="NURSE",
    fte=Decimal("100.50"),
    headcount=120,
    vacancies_fte=Decimal("10.00"),
    bank_fte=Decimal("5.25"),
    agency_fte=Decimal("2.00"),
    joiners_fte=Decimal("3.00"),
    leavers_fte=Decimal("2.50"),
    sickness_absence_rate=Decimal("0.04500"),
)


def test_it_reads_a_valid_csv() -> None:
    result = read(csv_bytes(good_rows(3)))

    assert result.ok
    assert result.problems == ()
    assert result.rows[0] == NURSE_ROW
    assert [(r.row, r.staff_group_code) for r in result.rows] == [
        (2, "NURSE"),
        (3, "DOC"),
        (4, "MIDWIFE"),
    ]


def test_it_reads_a_csv_with_a_byte_order_mark() -> None:
    result = read(csv_bytes(good_rows(1), encoding="utf-8-sig"))

    assert result.rows == (NURSE_ROW,)


def test_it_reads_a_valid_xlsx_with_numbers_in_cells() -> None:
    cells = ["nurse", 100.5, 120, 10, 5.25, 2, 3, 2.5, 0.045]
    result = read(xlsx_bytes([cells, row("DOC")]), "return.xlsx")

    assert result.rows[0] == NURSE_ROW
    assert result.rows[1].staff_group_code == "DOC"


def test_it_reads_only_the_first_sheet() -> None:
    result = read(xlsx_bytes(good_rows(1), first_sheet="Notes"), "return.xlsx")

    assert not result.ok
    # The first sheet holds "not the return" in A1, which is read as the header.
    assert any(p.row == 1 and "should be the header" in p.message for p in result.problems)


def test_it_decides_the_format_by_content_when_the_name_has_no_extension() -> None:
    assert read(csv_bytes(good_rows(1)), "return").ok
    assert read(xlsx_bytes(good_rows(1)), "return").ok
    assert read(xlsx_bytes(good_rows(1)), "RETURN.XLSX").ok


@pytest.mark.parametrize("filename", ["return.csv", "return.xlsx"])
def test_it_skips_blank_rows_but_counts_them(filename: str) -> None:
    blank = ["", "  ", None, "", "", "", "", "", ""] if filename.endswith("xlsx") else [" "] * 9
    rows = [blank, row("NURSE"), blank, blank, row("DOC", fte="x")]
    content = xlsx_bytes(rows) if filename.endswith("xlsx") else csv_bytes(rows)

    assert problems_at(read(content, filename)) == [(6, "fte")]
    fixed = xlsx_bytes(rows[:-1]) if filename.endswith("xlsx") else csv_bytes(rows[:-1])
    assert [r.row for r in read(fixed, filename).rows] == [3]


def test_it_numbers_rows_by_record_when_a_csv_cell_spans_lines() -> None:
    content = csv_bytes([row("NURSE", fte="1\n2"), row("DOC", fte="x")])

    assert problems_at(read(content)) == [(2, "fte"), (3, "fte")]


def test_it_numbers_xlsx_rows_as_excel_shows_them_after_empty_rows() -> None:
    content = xlsx_bytes([[], [], row("DOC", headcount="many")])

    assert problems_at(read(content, "return.xlsx")) == [(4, "headcount")]


@pytest.mark.parametrize("content", [b"", b"\r\n\r\n", b" , ,\n", b"\xef\xbb\xbf"])
def test_it_refuses_an_empty_file(content: bytes) -> None:
    row_number, column, message = only_problem(read(content))

    assert (row_number, column) == (None, None)
    assert "empty" in message


def test_it_refuses_an_xlsx_whose_first_sheet_is_empty() -> None:
    row_number, _, message = only_problem(read(xlsx_bytes([], header=[]), "return.xlsx"))

    assert row_number is None
    assert "empty" in message


def test_it_refuses_text_that_is_not_utf8_and_says_how_to_save_it() -> None:
    content = csv_bytes([row("NURSE"), row("DOC", agency_fte="2")]).replace(
        b"DOC", "DOC\u00a3".encode("latin-1")
    )

    _, _, message = only_problem(read(content))

    assert "not UTF-8" in message
    assert "line 3" in message
    assert "CSV UTF-8 (Comma delimited)" in message


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le"])
def test_it_refuses_utf16_text(encoding: str) -> None:
    _, _, message = only_problem(read(csv_bytes(good_rows(1), encoding=encoding)))

    assert "UTF-16" in message
    assert "CSV UTF-8" in message


def test_it_reads_latin1_text_that_is_plain_ascii() -> None:
    assert read(csv_bytes(good_rows(2), encoding="latin-1")).ok


def test_it_refuses_a_csv_separated_by_semicolons() -> None:
    content = csv_bytes(good_rows(1)).replace(b",", b";")

    _, _, message = only_problem(read(content))

    assert "semicolons" in message


def test_it_refuses_a_file_named_xlsx_that_is_not_a_workbook() -> None:
    _, _, message = only_problem(read(csv_bytes(good_rows(1)), "return.xlsx"))

    assert "named .xlsx but is not an Excel workbook" in message
    assert "name it .csv" in message


def test_it_refuses_a_file_named_csv_that_is_a_workbook() -> None:
    _, _, message = only_problem(read(xlsx_bytes(good_rows(1)), "return.csv"))

    assert "named .csv but is an Excel workbook" in message


def test_it_refuses_the_old_excel_format() -> None:
    content = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)

    for filename in ("return.xlsx", "return.csv", "return"):
        _, _, message = only_problem(read(content, filename))
        assert "Excel 97-2003" in message


@pytest.mark.parametrize("filename", ["return.xls", "return.pdf", "return.ods", "return.xlsm"])
def test_it_refuses_other_kinds_of_file(filename: str) -> None:
    _, _, message = only_problem(read(csv_bytes(good_rows(1)), filename))

    assert filename.rsplit(".", 1)[1] in message
    assert ".csv or .xlsx" in message


@pytest.mark.parametrize("cut", [10, 200, 0.5, 0.9, -30])
def test_it_refuses_a_damaged_workbook(cut: float) -> None:
    content = xlsx_bytes(good_rows(3))
    end = int(len(content) * cut) if isinstance(cut, float) else cut

    _, _, message = only_problem(read(content[:end], "return.xlsx"))

    assert "not a valid Excel workbook" in message


def test_it_refuses_a_zip_that_is_not_a_workbook() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")

    _, _, message = only_problem(read(buffer.getvalue(), "return.xlsx"))

    assert "not a valid Excel workbook" in message


def test_it_names_an_opendocument_spreadsheet() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")

    _, _, message = only_problem(read(buffer.getvalue(), "return.xlsx"))

    assert "OpenDocument" in message


def test_it_refuses_a_workbook_without_a_worksheet(monkeypatch: pytest.MonkeyPatch) -> None:
    content = xlsx_bytes(good_rows(1))
    real = parsing_module.openpyxl.load_workbook

    def without_sheets(*args: object, **kwargs: object) -> object:
        workbook = real(*args, **kwargs)
        workbook._sheets = []  # a workbook.xml listing no sheet, as some tools write
        return workbook

    monkeypatch.setattr(parsing_module.openpyxl, "load_workbook", without_sheets)

    _, _, message = only_problem(read(content, "return.xlsx"))

    assert "no worksheet" in message


def test_it_refuses_a_file_over_the_size_limit() -> None:
    content = csv_bytes(good_rows(3))

    _, _, message = only_problem(read(content, limits=Limits(max_bytes=len(content) - 1)))

    assert f"The file is {len(content)} bytes" in message
    assert read(content, limits=Limits(max_bytes=len(content))).ok


def test_it_refuses_a_workbook_with_too_many_parts() -> None:
    content = xlsx_bytes(good_rows(1))
    parts = len(zipfile.ZipFile(io.BytesIO(content)).infolist())

    _, _, message = only_problem(
        read(content, "return.xlsx", limits=Limits(max_xlsx_members=parts - 1))
    )

    assert f"holds {parts} parts" in message
    assert read(content, "return.xlsx", limits=Limits(max_xlsx_members=parts)).ok


def test_it_refuses_a_workbook_that_unpacks_too_large() -> None:
    content = xlsx_bytes(good_rows(1))
    unpacked = sum(m.file_size for m in zipfile.ZipFile(io.BytesIO(content)).infolist())

    _, _, message = only_problem(
        read(content, "return.xlsx", limits=Limits(max_xlsx_unpacked_bytes=unpacked - 1))
    )

    assert "unpacks to" in message
    assert read(content, "return.xlsx", limits=Limits(max_xlsx_unpacked_bytes=unpacked)).ok


def test_it_refuses_a_zip_bomb_without_opening_it(monkeypatch: pytest.MonkeyPatch) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", bytes(60 * 1024 * 1024))
    content = buffer.getvalue()
    assert len(content) < Limits().max_bytes

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("the workbook was opened")

    monkeypatch.setattr(parsing_module.openpyxl, "load_workbook", never)

    _, _, message = only_problem(read(content, "return.xlsx"))

    assert "unpacks to 60.0 MB" in message


@pytest.mark.parametrize("filename", ["return.csv", "return.xlsx"])
def test_it_refuses_more_rows_than_the_limit(filename: str) -> None:
    build = xlsx_bytes if filename.endswith("xlsx") else csv_bytes
    limits = Limits(max_rows=3)

    _, _, message = only_problem(read(build(good_rows(4)), filename, limits))

    assert "more than 3 staff group rows" in message
    assert read(build([*good_rows(3), [], []]), filename, limits).ok


def test_it_stops_reading_a_file_with_too_many_cells_even_blank_ones() -> None:
    content = csv_bytes([row("NURSE")] + [[""] * 9] * 10)  # 9 + 9 + 90 cells

    _, _, message = only_problem(read(content, limits=Limits(max_cells=107)))

    assert "more than 107 cells" in message
    assert read(content, limits=Limits(max_cells=108)).ok


def test_it_counts_empty_xlsx_rows_towards_the_cell_limit() -> None:
    content = edit_first_sheet_xml(
        xlsx_bytes(good_rows(1)), "</sheetData>", '<row r="500"><c r="A500"/></row></sheetData>'
    )

    _, _, message = only_problem(read(content, "return.xlsx", limits=Limits(max_cells=400)))

    assert "more than 400 cells" in message
    assert read(content, "return.xlsx", limits=Limits(max_cells=600)).ok


def test_it_refuses_a_csv_cell_too_long_to_be_a_figure() -> None:
    content = csv_bytes([row("NURSE", fte="9" * 200_000)])

    row_number, column, message = only_problem(read(content))

    assert (row_number, column) == (None, None)
    assert "could not be read as CSV" in message


def test_it_reports_an_xlsx_formula_without_a_saved_value() -> None:
    content = xlsx_bytes([row("NURSE", fte="=SUM(1,2)")])

    row_number, column, message = only_problem(read(content, "return.xlsx"))

    assert (row_number, column) == (2, "fte")
    assert "formula" in message
    assert "paste them as values" in message


def test_it_reads_the_saved_value_of_an_xlsx_formula() -> None:
    content = xlsx_bytes([row("NURSE", fte="=SUM(100,0.5)")])
    content = edit_first_sheet_xml(
        content, "<f>SUM(100,0.5)</f><v />", "<f>SUM(100,0.5)</f><v>100.5</v>"
    )

    assert read(content, "return.xlsx").rows == (NURSE_ROW,)


def test_it_reports_a_row_of_formulas_without_saved_values() -> None:
    formulas = ["=A1"] * len(COLUMNS)

    result = read(xlsx_bytes([row("NURSE"), formulas]), "return.xlsx")

    assert problems_at(result) == [(3, column) for column in COLUMNS]


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("#DIV/0!", "Excel error #DIV/0!"),
        (True, "TRUE or FALSE"),
        (datetime.date(2025, 4, 1), "date"),
        (datetime.datetime(2025, 4, 1, 9, 30), "date"),
    ],
)
def test_it_reports_xlsx_cells_that_are_not_numbers(value: object, words: str) -> None:
    content = xlsx_bytes([row("NURSE"), row("DOC", bank_fte=value)])

    row_number, column, message = only_problem(read(content, "return.xlsx"))

    assert (row_number, column) == (3, "bank_fte")
    assert words in message


def test_it_turns_a_fault_of_its_own_into_a_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(workforce.returns, "validate_table", broken)

    assert only_problem(read(csv_bytes(good_rows(1)))) == (None, None, UNEXPECTED_FAILURE)
