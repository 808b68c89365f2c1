"""The empty template, and a filled-in one read back."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from openpyxl import load_workbook

from workforce.returns import COLUMNS, read_return, template_csv, template_xlsx

from .files import CODES, GOOD, STAFF_GROUPS, csv_bytes, problems_at


def test_the_csv_template_has_the_header_and_a_row_per_staff_group() -> None:
    rows = list(csv.reader(io.StringIO(template_csv(STAFF_GROUPS).decode("utf-8"))))

    assert rows[0] == list(COLUMNS)
    assert rows[1:] == [[code] + [""] * 8 for code, _ in STAFF_GROUPS]


def test_the_xlsx_template_keeps_the_return_on_its_first_sheet() -> None:
    workbook = load_workbook(io.BytesIO(template_xlsx(STAFF_GROUPS)))

    first, groups = workbook.worksheets
    values = list(first.iter_rows(values_only=True))
    assert values[0] == COLUMNS
    assert values[1:] == [(code,) + (None,) * 8 for code, _ in STAFF_GROUPS]
    assert groups.title == "Staff groups"
    assert list(groups.iter_rows(values_only=True)) == [
        ("staff_group_code", "staff_group_name"),
        *STAFF_GROUPS,
    ]


def test_the_xlsx_template_keeps_text_that_looks_like_a_formula_as_text() -> None:
    workbook = load_workbook(io.BytesIO(template_xlsx([("X1", "=HYPERLINK(1)")])))

    cell = workbook["Staff groups"]["B2"]
    assert (cell.value, cell.data_type) == ("=HYPERLINK(1)", "s")


def test_an_unfilled_template_asks_for_the_figures_it_needs() -> None:
    for content, name in (
        (template_csv(STAFF_GROUPS), "t.csv"),
        (template_xlsx(STAFF_GROUPS), "t.xlsx"),
    ):
        result = read_return(content, name, staff_group_codes=CODES)

        assert problems_at(result) == [
            (number, column) for number in range(2, 7) for column in ("fte", "headcount")
        ]


def test_a_filled_csv_template_round_trips() -> None:
    rows = list(csv.reader(io.StringIO(template_csv(STAFF_GROUPS).decode("utf-8"))))
    filled = [[cells[0]] + [GOOD[name] for name in COLUMNS[1:]] for cells in rows[1:]]

    result = read_return(csv_bytes(filled, rows[0]), "return.csv", staff_group_codes=CODES)

    assert result.ok, result.problems
    assert [r.staff_group_code for r in result.rows] == list(CODES)
    assert {r.fte for r in result.rows} == {Decimal("100.50")}


def test_a_filled_xlsx_template_round_trips() -> None:
    workbook = load_workbook(io.BytesIO(template_xlsx(STAFF_GROUPS)))
    sheet = workbook.worksheets[0]
    for number in range(2, len(STAFF_GROUPS) + 2):
        for index, name in enumerate(COLUMNS[1:], 2):
            sheet.cell(row=number, column=index, value=float(GOOD[name]))
    buffer = io.BytesIO()
    workbook.save(buffer)

    result = read_return(buffer.getvalue(), "return.xlsx", staff_group_codes=CODES)

    assert result.ok, result.problems
    assert [r.staff_group_code for r in result.rows] == list(CODES)
    assert {r.sickness_absence_rate for r in result.rows} == {Decimal("0.04500")}


def test_a_template_without_staff_groups_has_only_the_header() -> None:
    assert template_csv([]).decode("utf-8").splitlines() == [",".join(COLUMNS)]
    workbook = load_workbook(io.BytesIO(template_xlsx([])))
    assert list(workbook.worksheets[0].iter_rows(values_only=True)) == [COLUMNS]
