"""Reading NHS Digital's general practice and primary care network workforce files. Pure: no
Django.

Three published layouts, each read into figures by organisation code, staff group and period
(the columns are in core/reference_data/README.md):

- the PCN workforce, individual level (`read_pcn_workforce`): one row per person and role;
  FTE is summed and named people are counted per PCN, staff group and census month;
- the GP practice series by financial year (`read_gp_practice_series`): the mean registered
  patients and fully qualified GPs' headcount of each practice and year;
- General Practice Workforce, Practice Level - Detailed (`read_gp_practice_month`): one row per
  practice with FTE and headcount by staff group, for the month the caller names (the month is
  in the published file's name, not in its columns).

Each reader returns every problem of the file by line, so that a caller stores nothing of a
file with any; which organisation codes are known is for the caller to say.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from core import calendar

NOT_PUBLISHED = {"", "NA", "ND", "N/A"}  # how the files write a figure they do not give
CENTS = Decimal("0.01")

# STAFF_ROLE of the PCN files (both the 2021 and the 2022 names) -> staff group code. Clinical
# directors count in their profession: the Medical Clinical Director (a GP) is GP time.
PCN_ROLE_GROUPS: dict[str, str] = {
    "Medical Clinical Director": "PC-GP",  # 2021
    "Medical Clinical Director (GP)": "PC-GP",  # 2022
    "Clinical Director (Nurse)": "PC-NUR",
    "Clinical Director (DPC)": "PC-ARR-OTH",
    "Non-clinical Director": "PC-ADM",
    "Managers": "PC-ADM",
    "Other Admin/Non-clinical": "PC-ADM",
    "Pharmacists": "PC-ARR-PHARM",
    "Advanced Pharmacist Practitioners": "PC-ARR-PHARM",
    "Pharmacy Technicians": "PC-ARR-PTECH",
    "Paramedics": "PC-ARR-PARA",
    "Advanced Paramedic Practitioners": "PC-ARR-PARA",
    "Physician Associates": "PC-ARR-PA",
    "Physiotherapists": "PC-ARR-PHYS",
    "Advanced Physiotherapist Practitioners": "PC-ARR-PHYS",
    "Social Prescribing Link Workers": "PC-ARR-SPLW",
    "Care Coordinators": "PC-ARR-CC",
    "Health and Wellbeing Coaches": "PC-ARR-HWC",
    "Nursing Associates": "PC-ARR-NA",
    "Trainee Nursing Associates": "PC-ARR-NA",
    "Dieticians": "PC-ARR-OTH",
    "Advanced Dietician Practitioners": "PC-ARR-OTH",
    "Podiatrists": "PC-ARR-OTH",
    "Advanced Podiatrist Practitioners": "PC-ARR-OTH",
    "Therapists": "PC-ARR-OTH",
    "Advanced Occupational Therapist Practitioners": "PC-ARR-OTH",
    "Health Support Workers": "PC-ARR-OTH",
    "Other Direct Patient Care": "PC-ARR-OTH",
}
# The 2021 file's one "Clinical Director" role says the profession in DETAILED_STAFF_ROLE
# ("Clinical Director - Nurse", with an en dash in the published file).
PCN_DETAILED_ROLE_GROUPS: dict[str, dict[str, str]] = {
    "Clinical Director": {
        "clinical director - medical": "PC-GP",
        "clinical director - nurse": "PC-NUR",
        "clinical director - dpc": "PC-ARR-OTH",
    }
}
PCN_COLUMNS = (
    "CENSUS_YEAR",
    "CENSUS_MONTH",
    "PCN_CODE",
    "STAFF_ROLE",
    "DETAILED_STAFF_ROLE",
    "FTE",
    "UNIQUE_IDENTIFIER",
)
# A pooled "contracted service" row names no person: its UNIQUE_IDENTIFIER is NULL.
NO_PERSON = {"", "NULL"}

SERIES_COLUMNS = ("Practice.Code", "fiscal_year", "TOTAL_PATIENTS", "TOTAL_GP_EXTGL_HC")

# Practice-level monthly file: staff group -> (FTE column, headcount column). GPs are the fully
# qualified GPs, without GPs in training and locums, as in the practice series.
PRACTICE_MONTH_GROUPS: dict[str, tuple[str, str]] = {
    "PC-GP": ("TOTAL_GP_EXTGL_FTE", "TOTAL_GP_EXTGL_HC"),
    "PC-NUR": ("TOTAL_NURSES_FTE", "TOTAL_NURSES_HC"),
    "PC-DPC": ("TOTAL_DPC_FTE", "TOTAL_DPC_HC"),
    "PC-ADM": ("TOTAL_ADMIN_FTE", "TOTAL_ADMIN_HC"),
}


@dataclass(frozen=True)
class Figure:
    organisation: str  # ODS code, upper case
    staff_group: str  # staff group code
    month: datetime.date  # the first day of the period (1 April for a financial year)
    fte: Decimal | None  # None: not published
    headcount: int | None  # None: not published


@dataclass(frozen=True)
class Patients:
    organisation: str
    financial_year: int  # the year it starts: 2023 for 2023/24
    patients: int


@dataclass
class ReadFile:
    """What a file holds, and every problem of it: (line, column or "", message)."""

    figures: list[Figure] = field(default_factory=list)
    patients: list[Patients] = field(default_factory=list)
    problems: list[tuple[int, str, str]] = field(default_factory=list)
    # Rows read as published but left out of the figures, with why: (line, message).
    skipped: list[tuple[int, str]] = field(default_factory=list)
    # organisation code -> the lines it appears on, to report codes the caller does not know
    lines: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))

    @property
    def ok(self) -> bool:
        return not self.problems


def decode(content: bytes) -> str:
    """UTF-8 (with or without BOM) where it is, else Windows-1252, as NHS Digital publishes."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def _rows(
    content: bytes, columns: tuple[str, ...], result: ReadFile
) -> Iterator[tuple[int, list[str]]]:
    """(line, the cells of `columns`, stripped) for each row with any cell; nothing, and a
    problem, when the header lacks a column."""
    reader = csv.reader(io.StringIO(decode(content), newline=""))
    header = [name.strip() for name in next(reader, [])]
    missing = [name for name in columns if name not in header]
    if missing:
        result.problems.append(
            (1, ", ".join(missing), f"The file has no column {', '.join(missing)}.")
        )
        return
    indexes = [header.index(name) for name in columns]
    for line, row in enumerate(reader, start=2):
        if any(cell.strip() for cell in row):
            yield line, [row[i].strip() if i < len(row) else "" for i in indexes]


def _decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _quoted(text: str) -> str:
    return repr(text[:40])


def _normal_role(text: str) -> str:
    """Lower case, any dash (an en dash as published) as a hyphen, single spaces."""
    text = re.sub(r"[\u2010-\u2015\ufffd-]", "-", text.lower())
    return re.sub(r"\s*-\s*", " - ", re.sub(r"\s+", " ", text)).strip()


def pcn_role_group(role: str, detailed_role: str) -> str | None:
    """The staff group of a PCN file's STAFF_ROLE (and DETAILED_STAFF_ROLE where the role
    alone does not say the profession); None for a role the project does not map."""
    if role in PCN_DETAILED_ROLE_GROUPS:
        return PCN_DETAILED_ROLE_GROUPS[role].get(_normal_role(detailed_role))
    return PCN_ROLE_GROUPS.get(role)


def _census_month(year: str, month: str) -> datetime.date | None:
    try:
        return calendar.parse_month(f"{year}-{int(month):02d}" if month.isdigit() else "?")
    except ValueError:
        return None


def read_pcn_workforce(content: bytes) -> ReadFile:
    """The PCN workforce individual-level CSV: FTE summed, and named people counted, per PCN,
    staff group and census month.

    Headcount counts distinct UNIQUE_IDENTIFIERs; pooled contracted services (no identifier)
    add FTE only, as NHS Digital counts them, so a group with no named person has no
    headcount. A row with FTE below zero (a few are published so) is not counted: it is
    skipped and listed.
    """
    result = ReadFile()
    fte: dict[tuple[str, str, datetime.date], Decimal] = defaultdict(Decimal)
    people: dict[tuple[str, str, datetime.date], set[str]] = defaultdict(set)
    months: dict[tuple[str, str], datetime.date | None] = {}
    groups: dict[tuple[str, str], str | None] = {}
    for line, cells in _rows(content, PCN_COLUMNS, result):
        year, month_number, code, role, detailed_role, fte_text, person = cells
        if (year, month_number) not in months:
            months[(year, month_number)] = _census_month(year, month_number)
        month = months[(year, month_number)]
        if month is None:
            message = f"{_quoted(year)} and {_quoted(month_number)} are not a month."
            result.problems.append((line, "CENSUS_MONTH", message))
        code = code.upper()
        if not code:
            result.problems.append((line, "PCN_CODE", "The PCN code is empty."))
        if (role, detailed_role) not in groups:
            groups[(role, detailed_role)] = pcn_role_group(role, detailed_role)
        group = groups[(role, detailed_role)]
        if group is None:
            message = (
                f"{_quoted(role)} is not a PCN role the planner maps to a staff group (see "
                "core/reference_data/README.md)."
            )
            result.problems.append((line, "STAFF_ROLE", message))
        value = _decimal(fte_text)
        if value is None:
            result.problems.append((line, "FTE", f"{_quoted(fte_text)} is not a number."))
        if month is None or not code or group is None or value is None:
            continue
        result.lines[code].append(line)
        if value < 0:
            result.skipped.append((line, f"{code}: FTE {value} is below zero, not counted."))
            continue
        key = (code, group, month)
        fte[key] += value
        if person.upper() not in NO_PERSON:
            people[key].add(person)
    if not result.lines and result.ok:
        result.problems.append((1, "", "The file holds no rows."))
    if result.ok:
        for (code, group, month), total in fte.items():
            headcount = len(people[(code, group, month)]) or None
            result.figures.append(Figure(code, group, month, total.quantize(CENTS), headcount))
    return result


def _whole(text: str) -> int | None:
    value = _decimal(text)
    if value is None or value < 0 or value != value.to_integral_value():
        return None
    return int(value)


def _fiscal_year(text: str) -> int | None:
    """The year a financial year starts, from the series' year it ends: 24 (or 2024) -> 2023."""
    if not (text.isascii() and text.isdigit() and len(text) in (2, 4)):
        return None
    ends = int(text) + (2000 if len(text) == 2 else 0)
    starts = ends - 1
    return starts if calendar.FIRST_YEAR <= starts <= calendar.LAST_YEAR else None


def read_gp_practice_series(content: bytes) -> ReadFile:
    """The practice series by financial year: fully qualified GPs' headcount (a PC-GP figure
    with no FTE, for the year from 1 April) and registered patients (the year's mean, rounded
    half up to a whole number). "NA" gives nothing for that cell."""
    result = ReadFile()
    seen: dict[tuple[str, int], int] = {}
    for line, (code, year_text, patients_text, gps_text) in _rows(content, SERIES_COLUMNS, result):
        problems = len(result.problems)
        code = code.upper()
        year = _fiscal_year(year_text)
        patients = None if patients_text.upper() in NOT_PUBLISHED else _decimal(patients_text)
        gps = None if gps_text.upper() in NOT_PUBLISHED else _whole(gps_text)
        if not code:
            result.problems.append((line, "Practice.Code", "The practice code is empty."))
        if year is None:
            message = f"{_quoted(year_text)} is not the year a financial year ends (24: 2023/24)."
            result.problems.append((line, "fiscal_year", message))
        elif (code, year) in seen:
            message = f"{code} {calendar.year_label(year)} is on line {seen[(code, year)]} already."
            result.problems.append((line, "fiscal_year", message))
        if patients_text.upper() not in NOT_PUBLISHED and (patients is None or patients < 0):
            result.problems.append(
                (line, "TOTAL_PATIENTS", f"{_quoted(patients_text)} is not a number of patients.")
            )
        if gps_text.upper() not in NOT_PUBLISHED and gps is None:
            result.problems.append(
                (line, "TOTAL_GP_EXTGL_HC", f"{_quoted(gps_text)} is not a whole number of GPs.")
            )
        if len(result.problems) > problems or year is None:
            continue
        seen[(code, year)] = line
        result.lines[code].append(line)
        if gps is not None:
            result.figures.append(Figure(code, "PC-GP", datetime.date(year, 4, 1), None, gps))
        if patients is not None:
            whole = int(patients.quantize(Decimal(1), rounding=ROUND_HALF_UP))
            result.patients.append(Patients(code, year, whole))
    if not seen and result.ok:
        result.problems.append((1, "", "The file holds no rows."))
    if not result.ok:
        result.figures, result.patients = [], []
    return result


def read_gp_practice_month(content: bytes, month: datetime.date) -> ReadFile:
    """General Practice Workforce, Practice Level - Detailed, for `month`: FTE and headcount
    of GPs (fully qualified), nurses, direct patient care and admin staff per practice. A
    group with neither figure published ("NA", "ND" or empty) gives no figure. Registered
    patients (monthly) are not read: the planner keeps them by financial year."""
    required = ("PRAC_CODE", *(name for pair in PRACTICE_MONTH_GROUPS.values() for name in pair))
    result = ReadFile()
    seen: dict[str, int] = {}
    for line, cells in _rows(content, required, result):
        code, by_column = cells[0].upper(), dict(zip(required, cells, strict=True))
        if not code:
            result.problems.append((line, "PRAC_CODE", "The practice code is empty."))
            continue
        if code in seen:
            result.problems.append((line, "PRAC_CODE", f"{code} is on line {seen[code]} already."))
            continue
        seen[code] = line
        result.lines[code].append(line)
        for group, (fte_column, headcount_column) in PRACTICE_MONTH_GROUPS.items():
            fte_text, headcount_text = by_column[fte_column], by_column[headcount_column]
            fte = None if fte_text.upper() in NOT_PUBLISHED else _decimal(fte_text)
            headcount = None if headcount_text.upper() in NOT_PUBLISHED else _whole(headcount_text)
            if fte_text.upper() not in NOT_PUBLISHED and (fte is None or fte < 0):
                result.problems.append(
                    (line, fte_column, f"{_quoted(fte_text)} is not an FTE of zero or more.")
                )
                continue
            if headcount_text.upper() not in NOT_PUBLISHED and headcount is None:
                result.problems.append(
                    (line, headcount_column, f"{_quoted(headcount_text)} is not a whole number.")
                )
                continue
            if fte is not None or headcount is not None:
                rounded = fte.quantize(CENTS) if fte is not None else None
                result.figures.append(Figure(code, group, month, rounded, headcount))
    if not seen and result.ok:
        result.problems.append((1, "", "The file holds no practices."))
    if not result.ok:
        result.figures = []
    return result
