"""Checking the header, the staff groups and the figures of a return."""

from __future__ import annotations

from decimal import Decimal

import pytest

from workforce.returns import COLUMNS, COST_COLUMNS, ReturnRow

from .files import CODES, csv_bytes, good_rows, only_problem, problems_at, read, row, xlsx_bytes

# Zero for the figures compared with fte, so that a test of one comparison trips no other.
NOTHING_ELSE = dict.fromkeys(
    ("vacancies_fte", "bank_fte", "agency_fte", "joiners_fte", "leavers_fte"), "0"
)


def test_it_matches_headers_ignoring_case_spaces_and_order() -> None:
    order = [8, 2, 0, 1, 7, 3, 6, 4, 5]
    header = [f"  {COLUMNS[i].upper()} " if i % 2 else COLUMNS[i].title() for i in order]
    rows = [[cells[i] for i in order] for cells in good_rows(2)]

    result = read(csv_bytes(rows, header))

    assert result.ok
    assert result.rows == read(csv_bytes(good_rows(2))).rows


def test_it_reads_spaces_in_header_names_as_underscores() -> None:
    header = [name.replace("_", " ") for name in COLUMNS]

    assert read(csv_bytes(good_rows(1), header)).ok


def test_it_names_each_missing_column() -> None:
    header = [n for n in COLUMNS if n not in ("bank_fte", "headcount")]
    rows = [
        [c for n, c in zip(COLUMNS, cells, strict=True) if n in header] for cells in good_rows(1)
    ]

    result = read(csv_bytes(rows, header))

    assert problems_at(result) == [(1, "headcount"), (1, "bank_fte")]
    assert "The column bank_fte is missing" in result.problems[1].message


def test_it_names_each_unknown_column_and_suggests_a_close_one() -> None:
    header = [*COLUMNS, "notes", "leaver_fte"]
    rows = [[*cells, "fine", "1"] for cells in good_rows(1)]

    result = read(csv_bytes(rows, header))

    assert problems_at(result) == [(1, None), (1, None)]
    assert 'Column J is headed "notes"' in result.problems[0].message
    assert 'Column K is headed "leaver_fte"' in result.problems[1].message
    assert "Did you mean leavers_fte?" in result.problems[1].message


def test_it_refuses_a_repeated_column() -> None:
    header = [*COLUMNS, "FTE"]
    rows = [[*cells, "1"] for cells in good_rows(1)]

    row_number, column, message = only_problem(read(csv_bytes(rows, header)))

    assert (row_number, column) == (1, "fte")
    assert "columns B and J" in message


def test_it_refuses_values_in_a_column_without_a_heading() -> None:
    rows = [row("NURSE"), [*row("DOC"), "", "oops"]]

    row_number, column, message = only_problem(read(csv_bytes(rows)))

    assert (row_number, column) == (1, None)
    assert "Column K has no heading, but row 3 has a value in it" in message


def test_it_says_once_when_there_is_no_header_at_all() -> None:
    rows = good_rows(2)
    content = csv_bytes(rows[1:], header=rows[0])

    row_number, column, message = only_problem(read(content))

    assert (row_number, column) == (1, None)
    assert "should be the header" in message


def test_it_takes_the_first_row_that_is_not_blank_as_the_header() -> None:
    rows = [list(COLUMNS[:-1]), row("NURSE")[:-1]]
    content = csv_bytes(rows, header=[""] * 9)

    assert problems_at(read(content)) == [(2, "sickness_absence_rate")]


def test_it_refuses_a_header_without_staff_group_rows() -> None:
    row_number, column, message = only_problem(read(csv_bytes([])))

    assert (row_number, column) == (None, None)
    assert "no staff group rows" in message


def test_it_refuses_an_unknown_staff_group_and_points_at_the_template() -> None:
    row_number, column, message = only_problem(read(csv_bytes([row("NURSE"), row("ZZZ")])))

    assert (row_number, column) == (3, "staff_group_code")
    assert '"ZZZ" is not recognised' in message
    assert "see the template" in message


def test_it_matches_staff_groups_ignoring_case_and_stores_them_upper_case() -> None:
    result = read(csv_bytes([row(" nurse "), row("Doc")]))

    assert [r.staff_group_code for r in result.rows] == ["NURSE", "DOC"]


def test_it_refuses_a_repeated_staff_group_naming_its_first_row() -> None:
    rows = [row("NURSE"), row("DOC"), row("nurse")]

    row_number, column, message = only_problem(read(csv_bytes(rows)))

    assert (row_number, column) == (4, "staff_group_code")
    assert "already on row 2" in message


def test_it_refuses_a_row_without_a_staff_group() -> None:
    row_number, column, message = only_problem(read(csv_bytes([row("NURSE"), row(" ")])))

    assert (row_number, column) == (3, "staff_group_code")
    assert "no staff group code" in message


@pytest.mark.parametrize(
    ("column", "value", "words"),
    [
        ("fte", "lots", 'fte must be a number, not "lots"'),
        ("fte", "NaN", "must be a number"),
        ("bank_fte", "inf", "must be a number"),
        ("agency_fte", "-Infinity", "must be a number"),
        ("joiners_fte", "1e999", "too large"),
        ("joiners_fte", "1" * 150, "must be a number"),
        ("leavers_fte", "1,5", "use a full stop for the decimal point"),
        ("fte", "\u0661\u0662", "must be a number"),  # Arabic-Indic digits
        ("fte", "=B3*2", "formula"),
        ("vacancies_fte", "-1", "cannot be negative"),
        ("headcount", "-3", "cannot be negative"),
        ("headcount", "120.5", "whole number"),
        ("fte", "1000000", "the largest accepted is 999,999.99"),
        ("sickness_absence_rate", "4.5", "give the rate as a fraction, e.g. 0.045"),
        ("sickness_absence_rate", "150", "a fraction from 0 to 1"),
        ("sickness_absence_rate", "450%", "a fraction from 0 to 1"),
        ("sickness_absence_rate", "-0.1", "cannot be negative"),
        ("fte", "", "fte is empty"),
        ("headcount", "", "headcount is empty"),
        ("sickness_absence_rate", "", "sickness_absence_rate is empty"),
    ],
)
def test_it_reports_a_bad_figure_at_its_row_and_column(column: str, value: str, words: str) -> None:
    rows = [row("NURSE"), row("DOC"), row("MIDWIFE", **{column: value})]

    row_number, reported, message = only_problem(read(csv_bytes(rows)))

    assert (row_number, reported) == (4, column)
    assert words in message


@pytest.mark.parametrize(
    ("column", "value", "stored"),
    [
        ("fte", "100.005", Decimal("100.01")),  # rounded half up to 2 places
        ("fte", "100.004", Decimal("100.00")),
        ("fte", "1.0e2", Decimal("100.00")),
        ("fte", "1,000.5", Decimal("1000.50")),
        ("headcount", "120.0", 120),
        ("headcount", "1,200", 1200),
        ("sickness_absence_rate", "0.045655", Decimal("0.04566")),  # rounded half up
        ("sickness_absence_rate", "0.045654", Decimal("0.04565")),
        ("sickness_absence_rate", "4.5%", Decimal("0.045")),
        ("sickness_absence_rate", "1", Decimal(1)),
        ("bank_fte", "", Decimal("0.00")),
        ("vacancies_fte", " ", None),  # not given
        ("leavers_fte", "", None),
        ("joiners_fte", "", None),
    ],
)
def test_it_reads_figures_written_in_accepted_ways(column: str, value: str, stored: object) -> None:
    result = read(csv_bytes([row("NURSE", **_keep(column) | {column: value})]))

    assert result.ok, result.problems
    assert getattr(result.rows[0], column) == stored


def _keep(column: str) -> dict[str, str]:
    """Headcount is raised so that a large fte stays plausible, except when under test."""
    return {"headcount": "1500"} if column != "headcount" else {}


def test_blank_bank_and_agency_are_zero_and_blank_flows_and_vacancies_are_not_given() -> None:
    blanks = dict.fromkeys(
        ("vacancies_fte", "bank_fte", "agency_fte", "joiners_fte", "leavers_fte"), ""
    )

    (stored,) = read(csv_bytes([row("NURSE", **blanks)])).rows

    assert (stored.bank_fte, stored.agency_fte) == (0, 0)
    assert (stored.vacancies_fte, stored.joiners_fte, stored.leavers_fte) == (None, None, None)


def test_a_row_whose_figures_are_all_blank_is_left_out_not_read_as_zeros() -> None:
    nothing = dict.fromkeys(COLUMNS[1:], "")
    rows = [row("NURSE"), row("DOC", **nothing), row("MIDWIFE", **nothing), row("AHP")]

    result = read(csv_bytes(rows))

    assert result.ok, result.problems
    assert [r.staff_group_code for r in result.rows] == ["NURSE", "AHP"]


def test_a_blank_row_does_not_count_as_the_groups_one_row() -> None:
    nothing = dict.fromkeys(COLUMNS[1:], "")

    result = read(csv_bytes([row("NURSE", **nothing), row("nurse")]))

    assert result.ok, result.problems
    assert [(r.row, r.staff_group_code) for r in result.rows] == [(3, "NURSE")]


def test_a_row_with_any_figure_still_needs_fte_and_headcount() -> None:
    figures = dict.fromkeys(COLUMNS[1:], "") | {"leavers_fte": "1"}

    result = read(csv_bytes([row("NURSE"), row("DOC", **figures)]))

    assert problems_at(result) == [(3, "fte"), (3, "headcount")]
    assert "leave the row's figures all blank" in result.problems[0].message


def test_a_file_whose_rows_are_all_blank_says_so_once() -> None:
    nothing = dict.fromkeys(COLUMNS[1:], "")

    result = read(csv_bytes([row("NURSE", **nothing), row("DOC", **nothing)]))

    assert problems_at(result) == [(None, None)]
    assert "No row has any figures" in result.problems[0].message


def test_the_staff_group_name_column_is_read_past() -> None:
    header = (COLUMNS[0], "Staff Group Name", *COLUMNS[1:])
    rows = [[code, "=HYPERLINK(1)", *cells] for code, *cells in (row("NURSE"), row("DOC"))]

    result = read(csv_bytes(rows, header))

    assert result.ok, result.problems
    assert [r.staff_group_code for r in result.rows] == ["NURSE", "DOC"]


def test_plausibility_checks_skip_figures_not_given() -> None:
    # 100 FTE: no vacancies, joiners or leavers given is no vacancy rate or turnover at all.
    blanks = dict.fromkeys(("vacancies_fte", "joiners_fte", "leavers_fte"), "")

    result = read(csv_bytes([row("NURSE", **blanks)]))

    assert result.ok, result.problems


def test_a_blank_sickness_rate_is_zero_where_no_one_is_in_post() -> None:
    figures = dict.fromkeys(COLUMNS[1:], "") | {"fte": "0", "headcount": "0"}

    (stored,) = read(csv_bytes([row("NURSE", **figures)])).rows

    assert stored.sickness_absence_rate == 0
    assert stored.fte == 0


@pytest.mark.parametrize(
    ("changes", "column", "words"),
    [
        ({"fte": "120.51", "headcount": "120"}, "headcount", "more than headcount"),
        ({"fte": "0.3", "headcount": "0"}, "headcount", "headcount is 0"),
        ({"fte": "100", "vacancies_fte": "100.01"}, "vacancies_fte", "over 50% of establishment"),
        ({"fte": "100", "leavers_fte": "25.01"}, "leavers_fte", "more than 25% of fte"),
        ({"fte": "100", "joiners_fte": "50.01"}, "joiners_fte", "more than 50% of fte"),
        ({"fte": "100", "bank_fte": "200.01"}, "bank_fte", "more than 2 times fte"),
        ({"fte": "100", "agency_fte": "200.01"}, "agency_fte", "more than 2 times fte"),
        ({"fte": "0", "headcount": "0", "agency_fte": "2.01"}, "agency_fte", "2 times"),
    ],
)
def test_it_refuses_implausible_figures(changes: dict[str, str], column: str, words: str) -> None:
    rows = [row("NURSE", **NOTHING_ELSE | changes)]

    row_number, reported, message = only_problem(read(csv_bytes(rows)))

    assert (row_number, reported) == (2, column)
    assert words in message


@pytest.mark.parametrize(
    "changes",
    [
        {"fte": "120.5", "headcount": "120"},  # fte may exceed headcount by rounding
        {"fte": "0", "headcount": "0", "vacancies_fte": "5"},  # a new service recruiting
        {"fte": "100", "vacancies_fte": "100"},
        {"fte": "100", "leavers_fte": "25", "joiners_fte": "50"},
        {"fte": "100", "bank_fte": "200", "agency_fte": "200"},
        {
            "fte": "1",
            "headcount": "1",
            "vacancies_fte": "2",
            "leavers_fte": "1",
            "joiners_fte": "2",
        },
    ],
)
def test_it_accepts_figures_at_the_thresholds(changes: dict[str, str]) -> None:
    result = read(csv_bytes([row("NURSE", **NOTHING_ELSE | changes)]))

    assert result.ok, result.problems


def test_it_reports_every_problem_at_once_in_row_and_column_order() -> None:
    rows = [
        row("NURSE", headcount="x", sickness_absence_rate="7"),
        [""] * 9,
        row("ZZZ", fte="-1", leavers_fte="abc"),
        row("DOC", fte="10", headcount="10", vacancies_fte="12", joiners_fte="9"),
        row("nurse"),
    ]

    result = read(csv_bytes(rows, [*COLUMNS[:-1], "Sickness_Absence_Rate", "extra"]))

    assert problems_at(result) == [
        (1, None),
        (2, "headcount"),
        (2, "sickness_absence_rate"),
        (4, "staff_group_code"),
        (4, "fte"),
        (4, "leavers_fte"),
        (5, "vacancies_fte"),
        (5, "joiners_fte"),
        (6, "staff_group_code"),
    ]
    assert result.rows == ()


def test_it_reports_one_problem_for_a_cell_that_breaks_two_rules() -> None:
    # headcount is unreadable, so it is not also compared with fte.
    rows = [row("NURSE", fte="500", headcount="five hundred")]

    row_number, column, message = only_problem(read(csv_bytes(rows)))

    assert (row_number, column) == (2, "headcount")
    assert "must be a number" in message


def test_it_applies_the_same_rules_to_xlsx() -> None:
    rows = [row("NURSE", fte=100.0, headcount=99.5), row("DOC", sickness_absence_rate=4.5)]

    result = read(xlsx_bytes(rows), "return.xlsx")

    assert problems_at(result) == [(2, "headcount"), (3, "sickness_absence_rate")]
    assert "e.g. 0.045 for 4.5%" in result.problems[1].message


def test_it_reads_a_numeric_staff_group_code_from_a_number_cell() -> None:
    from workforce.returns import read_return

    result = read_return(xlsx_bytes([row(101.0)]), "return.xlsx", staff_group_codes=[*CODES, "101"])

    assert [r.staff_group_code for r in result.rows] == ["101"]


def test_a_rows_fields_are_its_number_then_the_formats_columns_in_order():
    # The stored row is the return row's fields after its number and code, in this order.
    assert ReturnRow._fields == ("row", *COLUMNS, *COST_COLUMNS)
