"""A plain decimal cell is read by a short path; it must read exactly as the general one."""

from decimal import Decimal

import pytest

from workforce.returns.figures import read_figure
from workforce.returns.validation import FIGURES

PLAIN = ["0", "7", "12.5", "12.345", "12.355", "0.005", "12.", "007.50", "999999.99",
         "999999.994", "999999.995", "1000000", "1.00000", "0.04567", "1.5", "100", "45"]  # fmt: skip


@pytest.mark.parametrize("name", FIGURES)
@pytest.mark.parametrize("text", PLAIN)
def test_a_plain_decimal_reads_as_the_same_text_with_spaces_round_it(name, text):
    # The spaces send the cell down the general path: stripped, then read in full.
    short, general = read_figure(name, text), read_figure(name, f" {text} ")
    assert type(short) is type(general)
    if isinstance(short, str):  # the message quotes the cell, which the spaces do not change
        assert short == general
    else:
        assert short == general and str(short) == str(general)


def test_the_short_path_rounds_half_up_and_refuses_what_is_too_large():
    assert read_figure("fte", "12.345") == Decimal("12.35")
    assert str(read_figure("fte", "12.5")) == "12.50"
    assert read_figure("fte", "999999.995").startswith("fte is too large")
    assert read_figure("headcount", "12.5").startswith("headcount must be a whole number")
    assert read_figure("sickness_absence_rate", "4.5").startswith(
        "sickness_absence_rate 4.5 looks like a percentage"
    )
    assert read_figure("leavers_fte", "1000000").startswith("leavers_fte is too large")
