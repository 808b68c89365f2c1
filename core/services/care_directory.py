"""Social care and independent providers from CQC's care directory (with filters), as CSV.

The columns are found by their header (the row that starts with "Location ID"; title rows
above it are skipped): Location ID, Location Name, Care home? (Y/N), Location Type/Sector,
Location ONSPD CCG Code (the sub-ICB location of the location's postcode, ONS E38... or
ODS code). Care homes and "Social Care Org" locations are social care providers;
"Independent Healthcare Org" and "Independent Ambulance" ones independent providers; NHS,
GP and dental locations are skipped and counted (trusts and practices come from ODS).

A location's ICS: its sub-ICB location's ICB of 2022 (the GP practice mapping file), carried
through the April 2026 successions from the day the file describes (`on`); a location of a
split ICB is added without an ICS and reported. A location is matched on its CQC ID, kept in
`cqc_location_id`; its code (at most 8 characters, like every organisation's, since a CQC
ID has up to 13) is "C" and the ID's number in base 36: 1-1000210669 is CGJHZHP. A location
already stored keeps its memberships; its name is updated. All or nothing, as epraccur.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass

from django.db import transaction

from core.errors import ApplicationError
from core.models import ICS, Organisation, OrganisationMembership

from .gp_practices import PRACTICE_FILE, sub_icb_icbs
from .organisations import ics_segments, sole_successors
from .reference_data import REFERENCE_DATA_DIR, LoadReport

ID, NAME, CARE_HOME, SECTOR, SUB_ICB = (
    "location id",
    "location name",
    "care home?",
    "location type/sector",
    "location onspd ccg code",
)
REQUIRED = (ID, NAME, CARE_HOME, SECTOR, SUB_ICB)
SOCIAL_CARE_SECTORS = {"social care org"}
INDEPENDENT_SECTORS = {"independent healthcare org", "independent ambulance"}
CQC_ID = re.compile(r"^1-(\d{1,15})$")
DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
CODE_MAX = Organisation._meta.get_field("code").max_length


def location_code(location_id: str) -> str | None:
    """The organisation code of a CQC location: "C" and its number in base 36, or None when
    the ID is not a CQC location ID or its code would not fit."""
    match = CQC_ID.match(location_id)
    if not match:
        return None
    number, digits = int(match.group(1)), ""
    while True:
        number, remainder = divmod(number, 36)
        digits = DIGITS[remainder] + digits
        if number == 0:
            break
    code = "C" + digits
    return code if len(code) <= CODE_MAX else None


@dataclass(frozen=True)
class Location:
    row: int
    location_id: str
    code: str
    name: str
    kind: str
    sub_icb: str


@dataclass
class CareDirectoryReport(LoadReport):
    skipped: int = 0  # NHS, GP and dental locations
    unplaced: int = 0  # locations of split ICBs, added without an ICS

    def summary(self) -> str:
        head = super().summary().replace("Reference data already up to date", "Care directory")
        return (
            f"{head} Skipped {self.skipped} NHS, GP and dental locations; "
            f"{self.unplaced} locations of ICBs split on 1 April 2026 have no ICS."
        )


def read_care_directory(content: bytes, report: CareDirectoryReport):
    problems: list[dict] = []
    text = content.decode("utf-8-sig", errors="replace")
    lines = list(csv.reader(io.StringIO(text)))
    start = next(
        (i for i, cells in enumerate(lines) if cells and cells[0].strip().lower() == ID), None
    )
    if start is None:
        return [], [{"message": "No header row starting with 'Location ID' was found."}]
    header = [cell.strip().lower() for cell in lines[start]]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        return [], [{"row": start + 1, "message": f"Missing columns: {', '.join(missing)}."}]
    at = {name: header.index(name) for name in REQUIRED}
    locations = []
    for number, cells in enumerate(lines[start + 1 :], start=start + 2):
        if not any(cell.strip() for cell in cells):
            continue
        cells = cells + [""] * (len(header) - len(cells))
        value = {name: cells[at[name]].strip() for name in REQUIRED}
        sector = value[SECTOR].lower()
        if value[CARE_HOME].upper() == "Y" or sector in SOCIAL_CARE_SECTORS:
            kind = Organisation.Kind.SOCIAL_CARE
        elif sector in INDEPENDENT_SECTORS:
            kind = Organisation.Kind.INDEPENDENT
        else:
            report.skipped += 1
            continue
        code = location_code(value[ID])
        if code is None:
            problems.append(
                {
                    "row": number,
                    "column": "Location ID",
                    "message": f"{value[ID]!r} is not a CQC ID.",
                }
            )
            continue
        if not value[NAME]:
            problems.append({"row": number, "column": "Location Name", "message": "Empty name."})
        locations.append(
            Location(number, value[ID], code, value[NAME], kind, value[SUB_ICB].upper())
        )
    return locations, problems


def care_directory_import(
    *, content: bytes, on: datetime.date, directory=REFERENCE_DATA_DIR
) -> CareDirectoryReport:
    """Add or update the file's social care and independent locations; all or nothing."""
    report = CareDirectoryReport()
    locations, problems = read_care_directory(content, report)
    icb_of = sub_icb_icbs(directory / PRACTICE_FILE)
    systems = ICS.objects.in_bulk(field_name="code")
    by_location = {
        org.cqc_location_id: org
        for org in Organisation.objects.filter(
            cqc_location_id__in=[loc.location_id for loc in locations]
        )
    }
    taken = dict(
        Organisation.objects.filter(code__in=[loc.code for loc in locations]).values_list(
            "code", "cqc_location_id"
        )
    )
    for loc in locations:
        if loc.sub_icb not in icb_of:
            problems.append(
                {
                    "row": loc.row,
                    "column": "Location ONSPD CCG Code",
                    "message": f"Unknown sub-ICB location code {loc.sub_icb!r}.",
                }
            )
        if loc.code in taken and taken[loc.code] != loc.location_id:
            problems.append(
                {"row": loc.row, "message": f"The code {loc.code} is another organisation's."}
            )
    if problems:
        raise ApplicationError(problems)
    successors = sole_successors()
    with transaction.atomic():
        for loc in locations:
            organisation = by_location.get(loc.location_id)
            if organisation is not None:
                if organisation.name != loc.name:
                    organisation.name = loc.name
                    organisation.save(update_fields=["name"])
                    report.count(Organisation, created=False, changed=True, key=loc.code)
                continue
            organisation = Organisation.objects.create(
                code=loc.code, name=loc.name, kind=loc.kind, cqc_location_id=loc.location_id
            )
            by_location[loc.location_id] = organisation
            report.count(Organisation, created=True, changed=False, key=loc.code)
            segments, split = ics_segments(systems[icb_of[loc.sub_icb]], on, successors)
            report.unplaced += split
            for ics, valid_from, valid_to in segments:
                OrganisationMembership.objects.create(
                    organisation=organisation, ics=ics, valid_from=valid_from, valid_to=valid_to
                )
                report.count(
                    OrganisationMembership,
                    created=True,
                    changed=False,
                    key=f"{loc.code} {valid_from}",
                )
    return report
