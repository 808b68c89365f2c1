"""Cells a spreadsheet would run as a formula are made text; numbers stay numbers."""

from decimal import Decimal

import pytest

from core.cells import safe_cell


@pytest.mark.parametrize(
    "text",
    [
        "=1+1",
        '=HYPERLINK("http://x","y")',
        "+44 20 7946",
        "-1+2",
        "-cmd|' /C calc'!A0",
        "@SUM(A1)",
        "\tx",
        "\rx",
    ],
)
def test_text_a_spreadsheet_would_run_is_quoted(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", [-12.5, -3, 0, Decimal("-0.25"), 7.0, True])
def test_numbers_stay_numbers(value):
    assert safe_cell(value) is value


@pytest.mark.parametrize("text", ["-12.5", "-3", "12"])
def test_text_that_is_a_plain_number_is_left_alone(text):
    assert safe_cell(text) == text


def test_other_text_and_empty_cells():
    assert safe_cell("Guy's and St Thomas'") == "Guy's and St Thomas'"
    assert safe_cell("A=B") == "A=B"
    assert safe_cell(None) == ""
