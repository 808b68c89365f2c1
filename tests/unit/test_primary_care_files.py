"""Reading the general practice and PCN workforce files: pure, no database."""

from __future__ import annotations

import csv
import datetime
import io
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from core import primary_care_files as files

REFERENCE = Path(__file__).resolve().parents[2] / "core" / "reference_data"
FIXTURES = Path(__file__).resolve().parents[1] / "core" / "files"
PCN_FILES = {
    "pcn_workforce_individual_2021-09.csv": (datetime.date(2021, 9, 1), Decimal("8415.02")),
    "pcn_workforce_individual_2022-09.csv": (datetime.date(2022, 9, 1), Decimal("14149.27")),
}
SERIES = REFERENCE / "gp_practice_patients_and_gps_by_financial_year_2015-16_to_2023-24.csv"
PCN_HEADER = (
    "Data_source,CENSUS_YEAR,CENSUS_MONTH,PCN_CODE,PCN_NAME,SUB_ICB_CODE,SUB_ICB_NAME,ICB_CODE,"
    "ICB_NAME,COMM_REGION_CODE,COMM_REGION_NAME,STAFF_GROUP,STAFF_ROLE,DETAILED_STAFF_ROLE,FTE,"
    "UNIQUE_IDENTIFIER\n"
)


def pcn_row(role: str, fte: str, person: str = "1", detailed: str = "x", pcn: str = "U00070"):
    return (
        f"NWRS Staff,2022,9,{pcn},A PCN,36L,A sub-ICB,QWE,An ICB,Y56,London,Other Direct "
        f"Patient Care staff,{role},{detailed},{fte},{person}\n"
    )


@pytest.mark.parametrize("name", sorted(PCN_FILES))
def test_every_role_of_both_shipped_pcn_files_maps_to_a_staff_group(name):
    content = (REFERENCE / name).read_bytes()
    rows = list(csv.DictReader(io.StringIO(content.decode("cp1252"))))
    pairs = {(row["STAFF_ROLE"], row["DETAILED_STAFF_ROLE"]) for row in rows}
    unmapped = [pair for pair in pairs if files.pcn_role_group(*pair) is None]
    assert unmapped == []


@pytest.mark.parametrize("name", sorted(PCN_FILES))
def test_a_shipped_pcn_file_sums_to_its_published_fte(name):
    month, published = PCN_FILES[name]
    read = files.read_pcn_workforce((REFERENCE / name).read_bytes())
    assert read.ok, read.problems[:3]
    assert {f.month for f in read.figures} == {month}
    total = sum(f.fte for f in read.figures)
    # Each figure is rounded to 0.01 FTE; the rows below zero are left out and listed.
    skipped = Decimal("0.027") * len(read.skipped)
    assert abs(total - published) <= Decimal("0.005") * len(read.figures) + skipped
    assert abs(total - published) < 1
    assert len({f.organisation for f in read.figures}) > 900


def test_the_2021_clinical_directors_count_in_their_profession():
    read = files.read_pcn_workforce(
        (REFERENCE / "pcn_workforce_individual_2021-09.csv").read_bytes()
    )
    fte = Counter()
    for figure in read.figures:
        fte[figure.staff_group] += figure.fte
    # 567 medical clinical directors (147.6 FTE) are GP time; 52 nurse directors nurse time.
    assert Decimal("147") < fte["PC-GP"] < Decimal("148.5")
    assert fte["PC-NUR"] > 0
    assert sum(fte[g] for g in fte if g.startswith("PC-ARR-PHARM")) > Decimal("2600")


def test_the_windows_1252_en_dash_of_a_detailed_role_is_read():
    content = PCN_HEADER + pcn_row(
        "Clinical Director", "0.2", detailed="Clinical Director \u2013 Nurse"
    )
    read = files.read_pcn_workforce(content.encode("cp1252"))
    assert read.ok and [f.staff_group for f in read.figures] == ["PC-NUR"]
    utf8 = files.read_pcn_workforce(content.encode("utf-8"))
    assert [f.staff_group for f in utf8.figures] == ["PC-NUR"]


def test_fte_is_summed_and_named_people_counted_once_per_pcn_and_group():
    content = PCN_HEADER + "".join(
        [
            pcn_row("Pharmacists", "1", person="11"),
            pcn_row("Advanced Pharmacist Practitioners", "0.5", person="11"),
            pcn_row("Pharmacists", "0.6", person="12"),
            pcn_row("Pharmacists", "3", person="NULL"),  # pooled: FTE, no person
            pcn_row("Care Coordinators", "2", person="NULL"),
        ]
    )
    read = files.read_pcn_workforce(content.encode())
    by_group = {f.staff_group: f for f in read.figures}
    assert by_group["PC-ARR-PHARM"].fte == Decimal("5.10")
    assert by_group["PC-ARR-PHARM"].headcount == 2
    assert by_group["PC-ARR-CC"].headcount is None  # nobody named: not published


def test_an_fte_below_zero_is_skipped_and_listed_by_line():
    content = PCN_HEADER + pcn_row("Pharmacists", "1") + pcn_row("Paramedics", "-0.02", "9")
    read = files.read_pcn_workforce(content.encode())
    assert read.ok
    assert [f.staff_group for f in read.figures] == ["PC-ARR-PHARM"]
    assert [line for line, _ in read.skipped] == [3]


def test_an_unknown_role_or_a_bad_figure_refuses_the_file_listing_every_line():
    content = PCN_HEADER + "".join(
        [
            pcn_row("Pharmacists", "1"),
            pcn_row("Astronauts", "1"),
            pcn_row("Paramedics", "lots"),
            pcn_row("Paramedics", "1").replace(",2022,9,", ",2022,13,"),
        ]
    )
    read = files.read_pcn_workforce(content.encode())
    assert not read.ok and read.figures == []
    assert [(line, column) for line, column, _ in read.problems] == [
        (3, "STAFF_ROLE"),
        (4, "FTE"),
        (5, "CENSUS_MONTH"),
    ]
    assert "'Astronauts' is not a PCN role" in read.problems[0][2]


def test_a_file_without_the_columns_is_refused_naming_them():
    read = files.read_pcn_workforce(b"PCN_CODE,FTE\nU00070,1\n")
    assert [(line, message) for line, _, message in read.problems] == [
        (
            1,
            "The file has no column CENSUS_YEAR, CENSUS_MONTH, STAFF_ROLE, "
            "DETAILED_STAFF_ROLE, UNIQUE_IDENTIFIER.",
        )
    ]


def test_the_series_gives_gp_headcount_by_financial_year_and_patients_rounded():
    read = files.read_gp_practice_series(SERIES.read_bytes())
    assert read.ok
    assert len(read.lines) == 7761
    first = [f for f in read.figures if f.organisation == "A81001"]
    assert first[0] == files.Figure("A81001", "PC-GP", datetime.date(2015, 4, 1), None, 2)
    assert {f.month for f in first} == {datetime.date(y, 4, 1) for y in range(2015, 2024)}
    patients = {p.financial_year: p.patients for p in read.patients if p.organisation == "A81001"}
    assert patients[2015] == 4222
    assert patients[2020] == 4097  # 4096.67, the mean of the year's months


def test_na_in_the_series_gives_no_figure_for_that_cell_only():
    content = (
        '"Practice.Code","fiscal_year","TOTAL_PATIENTS","TOTAL_GP_EXTGL_HC"\n'
        '"A81001",24,3939.5,NA\n'
        '"A81002",24,NA,10\n'
        '"A81003",24,NA,NA\n'
    )
    read = files.read_gp_practice_series(content.encode())
    assert read.ok
    assert [(f.organisation, f.headcount) for f in read.figures] == [("A81002", 10)]
    assert [(p.organisation, p.financial_year, p.patients) for p in read.patients] == [
        ("A81001", 2023, 3940)
    ]
    assert set(read.lines) == {"A81001", "A81002", "A81003"}


def test_a_wrong_series_row_refuses_the_file():
    content = (
        '"Practice.Code","fiscal_year","TOTAL_PATIENTS","TOTAL_GP_EXTGL_HC"\n'
        '"A81001",24,3939,2\n'
        '"A81001",24,3939,2\n'
        '"A81002",2024/25,3939,2.5\n'
    )
    read = files.read_gp_practice_series(content.encode())
    assert not read.ok and read.figures == [] and read.patients == []
    assert [(line, column) for line, column, _ in read.problems] == [
        (3, "fiscal_year"),
        (4, "fiscal_year"),
        (4, "TOTAL_GP_EXTGL_HC"),
    ]


def test_the_practice_level_month_gives_fte_and_headcount_of_four_groups():
    content = (FIXTURES / "gp_workforce_practice_detailed.csv").read_bytes()
    month = datetime.date(2024, 3, 1)
    read = files.read_gp_practice_month(content, month)
    assert read.ok
    figures = {(f.organisation, f.staff_group): f for f in read.figures}
    # Fully qualified GPs (TOTAL_GP_EXTGL_*), not all GPs (TOTAL_GP_*).
    assert figures[("G83001", "PC-GP")] == files.Figure(
        "G83001", "PC-GP", month, Decimal("3.47"), 4
    )
    assert figures[("G83001", "PC-ADM")].fte == Decimal("9.87")
    assert ("G83002", "PC-NUR") not in figures  # NA: not published
    assert figures[("G83002", "PC-DPC")].headcount == 1
    assert set(read.lines) == {"G83001", "G83002", "C81077", "A99999"}


def test_a_bad_practice_level_figure_refuses_the_file():
    content = (FIXTURES / "gp_workforce_practice_detailed.csv").read_text()
    content = content.replace(",2.13,", ",-2.13,").replace(",12,9.87", ",12.5,9.87")
    read = files.read_gp_practice_month(content.encode(), datetime.date(2024, 3, 1))
    assert not read.ok and read.figures == []
    assert [(line, column) for line, column, _ in read.problems] == [
        (2, "TOTAL_NURSES_FTE"),
        (2, "TOTAL_ADMIN_HC"),
    ]
