import io
from decimal import Decimal

from openpyxl import Workbook

from workforce.plans.target_files import EXPORT_COLUMNS, read_targets, targets_csv

CODES = ("NUR", "DOC", "ALL")
HEADER = "staff_group_code,year,plan,target_fte,target_vacancy_rate,target_agency_fte"


def read(text: str, filename: str = "targets.csv"):
    return read_targets(text.encode("utf-8"), filename, staff_group_codes=CODES)


def problems(parsed) -> list[tuple]:
    return [(p.row, p.column, p.message) for p in parsed.problems]


def test_a_good_file_gives_its_rows_with_years_plans_and_rounded_figures():
    parsed = read(
        f'{HEADER}\nnur,2028/29,scp,"1,234.567",8%,10\nDOC,2027,SCP,500,0.05,\nNUR,2025,jfp,1200,,\n'
    )
    assert parsed.ok
    first, second, third = parsed.rows
    assert (first.row, first.staff_group_code, first.year, first.plan) == (2, "NUR", 2028, "scp")
    assert first.target_fte == Decimal("1234.57")
    assert first.target_vacancy_rate == Decimal("0.08000")
    assert first.target_agency_fte == Decimal("10.00")
    assert second.plan == "scp" and second.target_agency_fte is None
    assert third.target_vacancy_rate is None
    assert parsed.years == [2025, 2027, 2028]


def test_every_problem_is_reported_by_row_and_column_and_no_row_comes_back():
    parsed = read(
        f"{HEADER}\n"
        "XYZ,2028,scp,100,,\n"
        "NUR,2028/30,scp,-5,1.5,\n"
        "DOC,2025,scp,abc,,-1\n"
        "NUR,1999,five,,,\n"
    )
    assert parsed.rows == ()
    found = problems(parsed)
    columns = {(row, column) for row, column, _ in found}
    assert columns == {
        (2, "staff_group_code"),
        (3, "year"),
        (3, "target_fte"),
        (3, "target_vacancy_rate"),
        (4, "plan"),
        (4, "target_fte"),
        (4, "target_agency_fte"),
        (5, "year"),
        (5, "plan"),
        (5, "target_fte"),
    }
    messages = {(row, column): message for row, column, message in found}
    assert messages[(2, "staff_group_code")].startswith('"XYZ" is not a staff group code')
    assert "2028/29" in messages[(3, "year")]
    assert messages[(3, "target_fte")] == "target_fte cannot be negative; -5 is."
    assert "start in 2026/27" in messages[(4, "plan")]
    assert messages[(4, "target_fte")] == 'target_fte must be a number; "abc" is not.'
    assert messages[(5, "target_fte")] == "target_fte is empty: give the target FTE."


def test_a_staff_group_and_year_given_twice_is_refused_at_the_second_row():
    parsed = read(f"{HEADER}\nNUR,2028,scp,100,,\nNUR,2028/29,scp,110,,\n")
    assert problems(parsed) == [
        (3, "year", "NUR in 2028/29 is also on row 2: give each staff group and year once.")
    ]


def test_the_header_must_name_the_required_columns_and_nothing_unknown():
    parsed = read("staff_group_code,year,target,notes\nNUR,2028,100,x\n")
    found = problems(parsed)
    assert (1, "plan", "The column plan is missing; add it.") in found
    assert (1, "target_fte", "The column target_fte is missing; add it.") in found
    unknown = [m for row, column, m in found if column is None]
    assert any('Column C is headed "target"' in m for m in unknown)
    assert any('Column D is headed "notes"' in m for m in unknown)


def test_a_header_alone_or_an_unreadable_file_is_one_problem():
    assert problems(read(f"{HEADER}\n")) == [
        (None, None, "The file has a header but no rows of targets below it.")
    ]
    parsed = read_targets(b"\xff\xfe a", "targets.csv", staff_group_codes=CODES)
    assert len(parsed.problems) == 1 and parsed.problems[0].row is None


def test_an_xlsx_file_is_read_from_its_first_sheet_with_numbers_and_formulas():
    book = Workbook()
    sheet = book.active
    sheet.append(["Staff group code", "Year", "Plan", "Target FTE"])
    sheet.append(["NUR", 2028, "scp", 1500.5])
    sheet.append(["DOC", "2029/30", "scp", "=B2*2"])
    buffer = io.BytesIO()
    book.save(buffer)
    parsed = read_targets(buffer.getvalue(), "targets.xlsx", staff_group_codes=CODES)
    assert [(p.row, p.column) for p in parsed.problems] == [(3, "target_fte")]
    assert "formula" in parsed.problems[0].message
    sheet["D3"] = 700
    buffer = io.BytesIO()
    book.save(buffer)
    parsed = read_targets(buffer.getvalue(), "targets.xlsx", staff_group_codes=CODES)
    assert [(r.staff_group_code, r.year, r.target_fte) for r in parsed.rows] == [
        ("NUR", 2028, Decimal("1500.50")),
        ("DOC", 2029, Decimal("700.00")),
    ]


def test_what_is_written_reads_back_the_same():
    rows = [
        {
            "staff_group_code": "NUR",
            "staff_group_name": "Nurses & health visitors",
            "year": 2028,
            "plan": "scp",
            "target_fte": Decimal("1500.50"),
            "target_vacancy_rate": Decimal("0.06000"),
            "target_bank_fte": Decimal("40.00"),
        },
        {
            "staff_group_code": "ALL",
            "staff_group_name": "All staff groups",
            "year": 2025,
            "plan": "jfp",
            "target_fte": Decimal("9000.00"),
        },
    ]
    content = targets_csv(rows)
    assert content.decode().splitlines()[0] == ",".join(EXPORT_COLUMNS)
    assert "2028/29" in content.decode()
    parsed = read_targets(content, "export.csv", staff_group_codes=CODES)
    assert parsed.ok
    for row, original in zip(parsed.rows, rows, strict=True):
        values = row.values()
        assert values["staff_group_code"] == original["staff_group_code"]
        assert values["year"] == original["year"]
        for name in ("plan", "target_fte", "target_vacancy_rate", "target_bank_fte"):
            assert values[name] == original.get(name)


def test_numbers_too_large_to_round_are_refused_by_row_and_column():
    parsed = read(
        f"{HEADER}\nNUR,2028,scp,1e29,,\nDOC,2028,scp,10,1e29%,\nALL,2028,scp,{'9' * 5000},,1e999\n"
    )
    assert not parsed.ok and parsed.rows == ()
    assert problems(parsed) == [
        (2, "target_fte", "target_fte must be at most 9,999,999,999.99; 1E+29 is more."),
        (
            3,
            "target_vacancy_rate",
            "target_vacancy_rate must be a fraction from 0 to 1; 1E+27 is not.",
        ),
        (4, "target_fte", "target_fte must be at most 9,999,999,999.99; 1E+5000 is more."),
        (
            4,
            "target_agency_fte",
            "target_agency_fte must be at most 9,999,999,999.99; 1E+999 is more.",
        ),
    ]


def test_an_xlsx_file_with_enormous_or_infinite_numbers_is_refused_not_failed():
    workbook = Workbook()
    workbook.active.append(["staff_group_code", "year", "plan", "target_fte"])
    workbook.active.append(["NUR", 2028, "scp", 1e300])
    buffer = io.BytesIO()
    workbook.save(buffer)
    parsed = read_targets(buffer.getvalue(), "t.xlsx", staff_group_codes=CODES)
    assert problems(parsed) == [
        (2, "target_fte", "target_fte must be at most 9,999,999,999.99; 1E+300 is more."),
    ]


def test_the_financial_plan_is_read_in_pounds_with_or_without_a_pound_sign():
    parsed = read(
        "staff_group_code,year,plan,target_fte,pay_budget,bank_spend_limit,agency_spend_limit\n"
        'NUR,2028,scp,100,"£1,250,000",2500000.555,\n'
    )
    assert parsed.ok, problems(parsed)
    (row,) = parsed.rows
    assert row.pay_budget == Decimal("1250000.00")
    assert row.bank_spend_limit == Decimal("2500000.56")
    assert row.agency_spend_limit is None


def test_a_negative_or_unreadable_sum_of_money_is_a_problem_of_its_column():
    parsed = read(
        "staff_group_code,year,plan,target_fte,pay_budget,agency_spend_limit\n"
        "NUR,2028,scp,100,-£5,lots\n"
    )
    assert [(p.row, p.column) for p in parsed.problems] == [
        (2, "pay_budget"),
        (2, "agency_spend_limit"),
    ]
    assert "pay_budget cannot be negative; -5 is." in problems(parsed)[0][2]
