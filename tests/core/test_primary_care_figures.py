"""Published figures of general practice and PCNs: the imports, their commands and the load."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.db.models import Sum

from core.errors import ApplicationError
from core.models import (
    AuditEntry,
    Organisation,
    PublishedFigure,
    RegisteredPatients,
    StaffGroup,
)
from core.services.primary_care_figures import (
    PCN_SOURCE,
    PRACTICE_MONTH_SOURCE,
    SERIES_SOURCE,
    gp_practice_series_import,
    gp_workforce_import,
    pcn_workforce_import,
)
from core.services.reference_data import REFERENCE_DATA_DIR

pytestmark = pytest.mark.django_db

FILES = Path(__file__).parent / "files"
PCN_2021 = REFERENCE_DATA_DIR / "pcn_workforce_individual_2021-09.csv"
PCN_2022 = REFERENCE_DATA_DIR / "pcn_workforce_individual_2022-09.csv"
SERIES = (
    REFERENCE_DATA_DIR / "gp_practice_patients_and_gps_by_financial_year_2015-16_to_2023-24.csv"
)
MONTHLY = FILES / "gp_workforce_practice_detailed.csv"
MARCH_2024 = datetime.date(2024, 3, 1)
PCN_HEADER = (
    "Data_source,CENSUS_YEAR,CENSUS_MONTH,PCN_CODE,PCN_NAME,SUB_ICB_CODE,SUB_ICB_NAME,ICB_CODE,"
    "ICB_NAME,COMM_REGION_CODE,COMM_REGION_NAME,STAFF_GROUP,STAFF_ROLE,DETAILED_STAFF_ROLE,FTE,"
    "UNIQUE_IDENTIFIER\n"
)


def pcn_file(*rows: tuple[str, str, str]) -> bytes:
    """A PCN workforce file of (PCN code, role, FTE) rows, one person each."""
    lines = [
        f"NWRS Staff,2022,9,{code},A PCN,72Q,A sub-ICB,QKK,An ICB,Y56,London,Other Direct "
        f"Patient Care staff,{role},x,{fte},{n}\n"
        for n, (code, role, fte) in enumerate(rows, start=1)
    ]
    return (PCN_HEADER + "".join(lines)).encode("cp1252")


def figure(org: str, group: str, month: datetime.date, period: str = "month") -> PublishedFigure:
    return PublishedFigure.objects.get(
        organisation__code=org, staff_group__code=group, month=month, period=period
    )


def test_the_2022_pcn_file_is_stored_by_pcn_group_and_month_with_its_source():
    report = pcn_workforce_import(content=PCN_2022.read_bytes())
    september = PublishedFigure.objects.filter(month=datetime.date(2022, 9, 1))
    stored = september.aggregate(total=Sum("fte"))["total"]
    assert report.stored == september.count() > 6000
    assert set(september.values_list("source", flat=True)) == {PCN_SOURCE}
    assert set(september.values_list("organisation__kind", flat=True)) == {"pcn"}
    # 14,149 FTE published; 87.5 FTE of nine PCNs the planner does not hold are not imported.
    assert abs(stored + Decimal("87.5") - Decimal("14149.27")) < 1
    assert sorted(report.unknown_lines) == [
        "U05679", "U13621", "U23544", "U33832", "U37618", "U87666", "U91268", "U91286", "U92125"
    ]  # fmt: skip
    assert sum(report.unknown_organisations.values()) == 109
    pharmacists = figure("U00254", "PC-ARR-PHARM", datetime.date(2022, 9, 1))
    assert pharmacists.fte > 0 and pharmacists.headcount >= 1


def test_the_2021_file_is_read_as_windows_1252_and_its_unknown_pcn_listed_by_line():
    report = pcn_workforce_import(content=PCN_2021.read_bytes())
    total = PublishedFigure.objects.filter(month=datetime.date(2021, 9, 1)).aggregate(
        total=Sum("fte")
    )["total"]
    assert abs(total + Decimal("5.8") - Decimal("8415.02")) < 1
    assert report.unknown_lines == {"U64595": [6288, 6289, 6290, 6291, 6292, 6293]}
    assert (
        "No PCN has the code U64595 (lines 6288, 6289, 6290, 6291, 6292, 6293): 6 rows not "
        "imported." in report.lines()
    )
    assert any(line.startswith("Line 1674: U16196: FTE -0.026666667") for line in report.lines())
    # Clinical directors: the medical ones are GP time, in the PCN they direct.
    gp_time = PublishedFigure.objects.filter(
        month=datetime.date(2021, 9, 1), staff_group__code="PC-GP"
    ).aggregate(total=Sum("fte"))["total"]
    assert Decimal("146") < gp_time < Decimal("148.5")


def test_a_second_import_changes_nothing_and_a_corrected_one_updates():
    content = pcn_file(("U00254", "Pharmacists", "1"), ("U00254", "Paramedics", "0.8"))
    first = pcn_workforce_import(content=content)
    again = pcn_workforce_import(content=content)
    assert (first.stored, again.stored, again.unchanged) == (2, 0, 2)
    corrected = pcn_workforce_import(
        content=pcn_file(("U00254", "Pharmacists", "1.5"), ("U00254", "Paramedics", "0.8"))
    )
    assert (corrected.stored, corrected.unchanged) == (1, 1)
    assert figure("U00254", "PC-ARR-PHARM", datetime.date(2022, 9, 1)).fte == Decimal("1.50")
    assert PublishedFigure.objects.count() == 2


def test_a_malformed_pcn_file_changes_nothing_and_lists_every_problem():
    content = pcn_file(
        ("U00254", "Pharmacists", "1"), ("U00254", "Astronauts", "1"), ("U00254", "Paramedics", "")
    )
    with pytest.raises(ApplicationError) as refused:
        pcn_workforce_import(content=content)
    assert [(e["row"], e["column"]) for e in refused.value.errors] == [
        (3, "STAFF_ROLE"),
        (4, "FTE"),
    ]
    assert not PublishedFigure.objects.exists()


def test_a_code_of_another_kind_is_not_taken_for_a_pcn():
    report = pcn_workforce_import(content=pcn_file(("RJ1", "Pharmacists", "1")))
    assert report.unknown_lines == {"RJ1": [2]} and report.stored == 0


def test_the_series_stores_gp_headcount_by_financial_year_and_registered_patients():
    organisations = Organisation.objects.count()
    report = gp_practice_series_import(content=SERIES.read_bytes())
    assert Organisation.objects.count() == organisations  # closed practices are not created
    assert len(report.unknown_lines) == 1270
    assert sum(report.unknown_organisations.values()) == 4608
    assert not Organisation.objects.filter(code="A81003").exists()
    gps = figure("A81001", "PC-GP", datetime.date(2023, 4, 1), "financial_year")
    assert (gps.fte, gps.headcount, gps.source) == (None, 2, SERIES_SOURCE)
    patients = RegisteredPatients.objects.get(organisation__code="A81001", financial_year=2023)
    assert patients.patients == 3939  # 3939.2, the mean of 2023/24's months
    assert RegisteredPatients.objects.count() == report.patients_stored == 58065
    # NA: A81070 has no GP headcount for 2019/20, but its registered patients.
    assert not PublishedFigure.objects.filter(
        organisation__code="A81070", month=datetime.date(2019, 4, 1)
    ).exists()
    assert (
        RegisteredPatients.objects.get(organisation__code="A81070", financial_year=2019).patients
        == 7052
    )
    again = gp_practice_series_import(content=SERIES.read_bytes())
    assert (again.stored, again.patients_stored) == (0, 0)
    assert (again.unchanged, again.patients_unchanged) == (report.stored, 58065)


def test_a_financial_year_figure_and_a_monthly_one_of_april_live_side_by_side():
    gp_workforce_import(content=MONTHLY.read_bytes(), month=datetime.date(2023, 4, 1))
    gp_practice_series_import(
        content=b'"Practice.Code","fiscal_year","TOTAL_PATIENTS","TOTAL_GP_EXTGL_HC"\n'
        b'"G83001",24,11000,5\n'
    )
    april = PublishedFigure.objects.filter(
        organisation__code="G83001", staff_group__code="PC-GP", month=datetime.date(2023, 4, 1)
    )
    assert sorted(april.values_list("period", "fte", "headcount")) == [
        ("financial_year", None, 5),
        ("month", Decimal("3.47"), 4),
    ]


def test_the_monthly_practice_file_gives_four_groups_and_lists_unknown_practices():
    report = gp_workforce_import(content=MONTHLY.read_bytes(), month=MARCH_2024)
    assert report.unknown_lines == {"A99999": [5]}
    stored = PublishedFigure.objects.filter(month=MARCH_2024)
    assert report.stored == stored.count() == 11  # 3 practices x 4 groups, one group NA
    assert set(stored.values_list("source", flat=True)) == {PRACTICE_MONTH_SOURCE}
    gps = figure("G83001", "PC-GP", MARCH_2024)
    assert (gps.fte, gps.headcount) == (Decimal("3.47"), 4)
    assert figure("C81077", "PC-ADM", MARCH_2024).fte == Decimal("4.93")
    assert not stored.filter(organisation__code="G83002", staff_group__code="PC-NUR").exists()
    assert not RegisteredPatients.objects.exists()  # monthly lists are not a year's mean


def test_a_figure_needs_fte_or_headcount_and_a_financial_year_starts_in_april():
    practice = Organisation.objects.get(code="G83001")
    gps = StaffGroup.objects.get(code="PC-GP")
    for values in (
        {"month": MARCH_2024, "fte": None, "headcount": None},
        {"month": MARCH_2024, "period": "financial_year", "headcount": 3},
        {"month": datetime.date(2024, 3, 15), "headcount": 3},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            PublishedFigure.objects.create(
                organisation=practice, staff_group=gps, source="test", **values
            )


def test_the_commands_import_audit_and_report(tmp_path):
    out = io.StringIO()
    call_command("import_gp_workforce", str(MONTHLY), "--month", "2024-03", stdout=out)
    assert "General Practice Workforce 2024-03: 11 figures stored" in out.getvalue()
    assert "No practice has the code A99999 (lines 5): 1 rows not imported." in out.getvalue()
    entry = AuditEntry.objects.get(model="core.PublishedFigure")
    assert entry.changes["months"] == [None, ["2024-03"]]
    assert entry.changes["organisations"] == [None, ["C81077", "G83001", "G83002"]]

    pcn = tmp_path / "pcn.csv"
    pcn.write_bytes(pcn_file(("U00254", "Care Coordinators", "1")))
    out = io.StringIO()
    call_command("import_pcn_workforce", str(pcn), stdout=out)
    assert out.getvalue().startswith("PCN workforce 2022-09: 1 figures stored")

    series = tmp_path / "series.csv"
    series.write_bytes(
        b'"Practice.Code","fiscal_year","TOTAL_PATIENTS","TOTAL_GP_EXTGL_HC"\n"G83001",24,1,1\n'
    )
    call_command("import_gp_practice_series", str(series), stdout=io.StringIO())
    assert AuditEntry.objects.filter(model="core.RegisteredPatients").count() == 1


def test_a_command_given_a_malformed_file_changes_nothing(tmp_path):
    bad = tmp_path / "pcn.csv"
    bad.write_bytes(pcn_file(("U00254", "Pharmacists", "1"), ("U00254", "Astronauts", "1")))
    with pytest.raises(CommandError) as refused:
        call_command("import_pcn_workforce", str(bad), stdout=io.StringIO())
    assert "Nothing was changed" in str(refused.value)
    assert "row 3, column STAFF_ROLE: 'Astronauts' is not a PCN role" in str(refused.value)
    assert not PublishedFigure.objects.exists() and not AuditEntry.objects.exists()
    with pytest.raises(CommandError, match="--month: '2024-3' is not a month"):
        call_command("import_gp_workforce", str(MONTHLY), "--month", "2024-3")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_pcn_workforce", str(tmp_path / "missing.csv"))


def test_load_reference_data_loads_the_shipped_files_once():
    out = io.StringIO()
    call_command("load_reference_data", stdout=out)
    text = out.getvalue()
    assert "PCN workforce 2021-09: 4,788 figures stored" in text
    assert "PCN workforce 2022-09: 6,814 figures stored" in text
    assert "1,270 practice codes not known" in text
    assert AuditEntry.objects.filter(model="core.PublishedFigure").count() == 3
    counts = (PublishedFigure.objects.count(), RegisteredPatients.objects.count())
    out = io.StringIO()
    call_command("load_reference_data", stdout=out)
    assert "PCN workforce 2022-09: 0 figures stored, 6,814 already up to date" in out.getvalue()
    assert (PublishedFigure.objects.count(), RegisteredPatients.objects.count()) == counts
    assert AuditEntry.objects.filter(model="core.PublishedFigure").count() == 3
