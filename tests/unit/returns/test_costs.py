"""The optional cost columns of the return: read, refused by row and column, or absent."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import load_workbook

from workforce.returns import COLUMNS, read_return, template_xlsx

from .files import CODES, STAFF_GROUPS, csv_bytes, problems_at, row

COSTS = ("pay_cost", "bank_cost", "agency_cost")
HEADER = (*COLUMNS, *COSTS)


def _read(rows: list[list[object]], header: tuple[str, ...] = HEADER):
    return read_return(csv_bytes(rows, header), "r.csv", staff_group_codes=CODES)


def test_costs_are_read_with_thousands_separators_and_pence() -> None:
    result = _read([[*row(), "412,345.678", "1,480", "£9000"]])

    assert result.ok, result.problems
    got = result.rows[0]
    assert (got.pay_cost, got.bank_cost, got.agency_cost) == (
        Decimal("412345.68"),
        Decimal("1480.00"),
        Decimal("9000.00"),
    )


def test_a_blank_cost_is_not_given_and_files_without_cost_columns_stay_valid() -> None:
    blank = _read([[*row(), "", "", ""]])
    old = _read([row()], COLUMNS)
    some = _read([[*row(), "1000"]], (*COLUMNS, "pay_cost"))

    for result in (blank, old, some):
        assert result.ok, result.problems
    assert (blank.rows[0].pay_cost, blank.rows[0].agency_cost) == (None, None)
    assert (old.rows[0].pay_cost, old.rows[0].bank_cost) == (None, None)
    assert (some.rows[0].pay_cost, some.rows[0].bank_cost) == (Decimal("1000.00"), None)


def test_a_cost_that_is_not_a_number_or_negative_is_refused_by_row_and_column() -> None:
    result = _read([[*row(), "lots", "-5", "1"], [*row("DOC"), "1", "2", "1.2.3"]])

    assert not result.ok and result.rows == ()
    assert problems_at(result) == [(2, "pay_cost"), (2, "bank_cost"), (3, "agency_cost")]
    assert "negative" in result.problems[1].message


def test_a_cost_with_no_fte_is_refused_not_dropped() -> None:
    cells = ["NURSE"] + [""] * (len(COLUMNS) - 1) + ["5000", "", ""]
    result = _read([cells])

    assert not result.ok
    assert (2, "fte") in problems_at(result)


def test_a_cost_column_twice_is_refused() -> None:
    result = _read([[*row(), "1", "2"]], (*COLUMNS, "pay_cost", "pay_cost"))

    assert problems_at(result) == [(1, "pay_cost")]


def test_the_xlsx_template_explains_each_cost_column() -> None:
    sheet = load_workbook(io.BytesIO(template_xlsx(STAFF_GROUPS))).worksheets[0]
    comments = {cell.value: cell.comment for cell in sheet[1] if cell.value in COSTS}

    assert set(comments) == set(COSTS)
    assert "on-costs" in comments["pay_cost"].text
    assert all("Optional" in comment.text for comment in comments.values())
