"""The empty template, and a filled-in one read back."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from openpyxl import load_workbook

from workforce.returns import COLUMNS, read_return, template_csv, template_xlsx
from workforce.returns.template import TEMPLATE_COLUMNS

from .files import CODES, GOOD, STAFF_GROUPS, csv_bytes, problems_at

FIGURES = COLUMNS[1:]


def test_the_template_columns_are_the_code_its_name_and_the_figures() -> None:
    costs = ("pay_cost", "bank_cost", "agency_cost")
    assert ("staff_group_code", "staff_group_name", *FIGURES, *costs) == TEMPLATE_COLUMNS


def test_the_csv_template_has_the_header_and_a_row_per_staff_group() -> None:
    rows = list(csv.reader(io.StringIO(template_csv(STAFF_GROUPS).decode("utf-8"))))

    assert rows[0] == list(TEMPLATE_COLUMNS)
    assert rows[1:] == [[code, name] + [""] * 11 for code, name in STAFF_GROUPS]


def test_the_csv_template_writes_a_name_that_looks_like_a_formula_as_text() -> None:
    rows = list(csv.reader(io.StringIO(template_csv([("X1", "=HYPERLINK(1)")]).decode())))

    assert rows[1][:2] == ["X1", "'=HYPERLINK(1)"]


def test_the_xlsx_template_keeps_the_return_on_its_first_sheet() -> None:
    workbook = load_workbook(io.BytesIO(template_xlsx(STAFF_GROUPS)))

    first, groups = workbook.worksheets
    values = list(first.iter_rows(values_only=True))
    assert values[0] == TEMPLATE_COLUMNS
    assert values[1:] == [(code, name) + (None,) * 11 for code, name in STAFF_GROUPS]
    assert groups.title == "Staff groups"
    assert list(groups.iter_rows(values_only=True)) == [
        ("staff_group_code", "staff_group_name"),
        *STAFF_GROUPS,
    ]


def test_the_xlsx_staff_groups_sheet_lists_every_group_accepted() -> None:
    accepted = [*STAFF_GROUPS, ("GP", "General practitioners")]
    workbook = load_workbook(io.BytesIO(template_xlsx(STAFF_GROUPS[:2], accepted)))

    first, groups = workbook.worksheets
    assert [r[0] for r in first.iter_rows(min_row=2, values_only=True)] == ["NURSE", "DOC"]
    assert list(groups.iter_rows(min_row=2, values_only=True)) == accepted


def test_the_xlsx_template_checks_the_figures_columns_not_the_name() -> None:
    workbook = load_workbook(io.BytesIO(template_xlsx(STAFF_GROUPS)))

    ranges = {
        str(r)
        for v in workbook.worksheets[0].data_validations.dataValidation
        for r in v.sqref.ranges
    }
    assert ranges == {f"{letter}2:{letter}6" for letter in "CDEFGHIJKLM"}
    assert workbook.worksheets[0].freeze_panes == "C2"


def test_the_xlsx_template_keeps_text_that_looks_like_a_formula_as_text() -> None:
    workbook = load_workbook(io.BytesIO(template_xlsx([("X1", "=HYPERLINK(1)")])))

    for cell in (workbook["Staff groups"]["B2"], workbook.worksheets[0]["B2"]):
        assert (cell.value, cell.data_type) == ("=HYPERLINK(1)", "s")


def test_an_unfilled_template_says_that_no_row_has_figures() -> None:
    for content, name in (
        (template_csv(STAFF_GROUPS), "t.csv"),
        (template_xlsx(STAFF_GROUPS), "t.xlsx"),
    ):
        result = read_return(content, name, staff_group_codes=CODES)

        assert problems_at(result) == [(None, None)]
        assert "No row has any figures" in result.problems[0].message


def test_a_filled_csv_template_round_trips() -> None:
    rows = list(csv.reader(io.StringIO(template_csv(STAFF_GROUPS).decode("utf-8"))))
    filled = [cells[:2] + [GOOD[name] for name in FIGURES] for cells in rows[1:]]

    result = read_return(csv_bytes(filled, rows[0]), "return.csv", staff_group_codes=CODES)

    assert result.ok, result.problems
    assert [r.staff_group_code for r in result.rows] == list(CODES)
    assert {r.fte for r in result.rows} == {Decimal("100.50")}


def test_a_csv_template_filled_for_some_groups_keeps_only_those() -> None:
    rows = list(csv.reader(io.StringIO(template_csv(STAFF_GROUPS).decode("utf-8"))))
    rows[1][2:] = [GOOD[name] for name in FIGURES]
    rows[3][2:] = [GOOD["fte"], GOOD["headcount"], "", "0", "0", "", "", "0.05"]

    result = read_return(csv_bytes(rows[1:], rows[0]), "return.csv", staff_group_codes=CODES)

    assert result.ok, result.problems
    assert [r.staff_group_code for r in result.rows] == ["NURSE", "MIDWIFE"]
    midwives = result.rows[1]
    assert (midwives.vacancies_fte, midwives.joiners_fte, midwives.leavers_fte) == (None,) * 3


def test_a_filled_xlsx_template_round_trips() -> None:
    workbook = load_workbook(io.BytesIO(template_xlsx(STAFF_GROUPS)))
    sheet = workbook.worksheets[0]
    for number in range(2, len(STAFF_GROUPS) + 2):
        for index, name in enumerate(FIGURES, 3):
            sheet.cell(row=number, column=index, value=float(GOOD[name]))
    buffer = io.BytesIO()
    workbook.save(buffer)

    result = read_return(buffer.getvalue(), "return.xlsx", staff_group_codes=CODES)

    assert result.ok, result.problems
    assert [r.staff_group_code for r in result.rows] == list(CODES)
    assert {r.sickness_absence_rate for r in result.rows} == {Decimal("0.04500")}


def test_a_template_without_staff_groups_has_only_the_header() -> None:
    assert template_csv([]).decode("utf-8").splitlines() == [",".join(TEMPLATE_COLUMNS)]
    workbook = load_workbook(io.BytesIO(template_xlsx([])))
    assert list(workbook.worksheets[0].iter_rows(values_only=True)) == [TEMPLATE_COLUMNS]
