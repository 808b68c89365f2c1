"""GP practices and primary care networks from NHS Digital's January 2022 mapping file.

Each practice is put in its PCN from the file's extract date (1 January 2022: the file says
where it was then, not since when) and, with its PCN, in its ICB from the day ICBs began
(1 July 2022; the file's STP codes are the ICB codes), carried through the April 2026
successions (`core.services.organisations.ics_segments`). A PCN is in the ICB of its
practices; one whose practices lie in different ICBs gets no ICS, and is reported. The
pseudo-PCN "U" ("Unallocated") is not a network: its practices get no PCN.

The load adds what is missing and changes nothing it finds: the 2022 file is a snapshot,
and what `import_gp_practices` later writes from the current ODS file (names, closures,
new places) is newer, so a second load (or a load after an import) changes nothing. The
memberships are written with `rows_insert` (COPY on PostgreSQL), the practices with
bulk_create (they take the model's defaults): the load runs in every test database's setup.
"""

from __future__ import annotations

import csv
import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from core.models import ICS, NetworkMembership, Organisation, OrganisationMembership

from .bulk_rows import rows_insert
from .organisations import ics_segments, sole_successors

if TYPE_CHECKING:
    from .reference_data import LoadReport

PRACTICE_FILE = "gp_practices_pcn_icb_2022-01.csv"
UNALLOCATED_PCN = "U"
BATCH = 2000


@dataclass(frozen=True)
class PracticeRow:
    """One row of the mapping file, without the practice's postcode (not needed, not kept)."""

    code: str
    name: str
    pcn_code: str
    pcn_name: str
    sub_icb_code: str
    sub_icb_ons_code: str
    icb_code: str
    extract_date: datetime.date


def read_practice_file(path: Path) -> list[PracticeRow]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return [
            PracticeRow(
                code=row["PRACTICE_CODE"].strip(),
                name=row["PRACTICE_NAME"].strip(),
                pcn_code=row["PCN_CODE"].strip(),
                pcn_name=row["PCN_NAME"].strip(),
                sub_icb_code=row["CCG_CODE"].strip(),
                sub_icb_ons_code=row["ONS_CCG_CODE"].strip(),
                icb_code=row["STP_CODE"].strip(),
                extract_date=datetime.datetime.strptime(row["EXTRACT_DATE"], "%d%b%Y").date(),
            )
            for row in csv.DictReader(handle)
        ]


def sub_icb_icbs(path: Path) -> dict[str, str]:
    """Sub-ICB location (ODS code such as 72Q, or ONS code E38...) -> its 2022 ICB's code."""
    mapping: dict[str, str] = {}
    for row in read_practice_file(path):
        mapping[row.sub_icb_code.upper()] = row.icb_code
        mapping[row.sub_icb_ons_code.upper()] = row.icb_code
    return mapping


def _create_missing_organisations(
    report: LoadReport, wanted: dict[str, tuple[str, str]]
) -> dict[str, Organisation]:
    """code -> (name, kind): create those not stored; return every one by code."""
    existing = Organisation.objects.in_bulk(list(wanted), field_name="code")
    new = [
        Organisation(code=code, name=name, kind=kind)
        for code, (name, kind) in sorted(wanted.items())
        if code not in existing
    ]
    Organisation.objects.bulk_create(new, batch_size=BATCH)
    for organisation in new:
        report.count(Organisation, created=True, changed=False, key=organisation.code)
    return Organisation.objects.in_bulk(list(wanted), field_name="code")


def _create_missing_memberships(
    report: LoadReport,
    wanted: Iterable[tuple[Organisation, ICS, datetime.date, datetime.date | None]],
) -> None:
    wanted = list(wanted)
    existing = set(
        OrganisationMembership.objects.filter(
            organisation__in={org.pk for org, *_ in wanted}
        ).values_list("organisation_id", "valid_from")
    )
    new = [
        (org, ics, start, end) for org, ics, start, end in wanted if (org.pk, start) not in existing
    ]
    rows_insert(
        OrganisationMembership,
        ("organisation", "ics", "valid_from", "valid_to"),
        ((org.pk, ics.pk, start, end) for org, ics, start, end in new),
    )
    for org, _, start, _ in new:
        report.count(OrganisationMembership, created=True, changed=False, key=f"{org.code} {start}")


def _create_missing_network_memberships(
    report: LoadReport, wanted: list[tuple[Organisation, Organisation, datetime.date]]
) -> None:
    existing = set(
        NetworkMembership.objects.filter(practice__in={p.pk for p, _, _ in wanted}).values_list(
            "practice_id", "valid_from"
        )
    )
    new = [
        (practice, pcn, start)
        for practice, pcn, start in wanted
        if (practice.pk, start) not in existing
    ]
    rows_insert(
        NetworkMembership,
        ("practice", "pcn", "valid_from"),
        ((practice.pk, pcn.pk, start) for practice, pcn, start in new),
    )
    for practice, _, start in new:
        key = f"{practice.code} {start}"
        report.count(NetworkMembership, created=True, changed=False, key=key)


def gp_practices_load(report: LoadReport, directory: Path, systems: dict[str, ICS]) -> None:
    rows = read_practice_file(directory / PRACTICE_FILE)
    wanted = {row.code: (row.name, Organisation.Kind.GP_PRACTICE) for row in rows}
    pcn_icbs: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        if row.pcn_code != UNALLOCATED_PCN:
            wanted.setdefault(row.pcn_code, (row.pcn_name, Organisation.Kind.PRIMARY_CARE_NETWORK))
            pcn_icbs[row.pcn_code].add(row.icb_code)
    organisations = _create_missing_organisations(report, wanted)

    successors = sole_successors()
    memberships = []
    unplaced: dict[str, int] = defaultdict(int)

    def place(organisation: Organisation, icb_code: str) -> bool:
        ics = systems[icb_code]
        segments, split = ics_segments(ics, ics.valid_from, successors)
        memberships.extend((organisation, *segment) for segment in segments)
        return split

    for row in rows:
        if place(organisations[row.code], row.icb_code):
            unplaced[row.icb_code] += 1
    disagreeing = sorted(code for code, icbs in pcn_icbs.items() if len(icbs) > 1)
    for code, icbs in pcn_icbs.items():
        if len(icbs) == 1:
            place(organisations[code], next(iter(icbs)))
    _create_missing_memberships(report, memberships)
    _create_missing_network_memberships(
        report,
        [
            (organisations[row.code], organisations[row.pcn_code], row.extract_date)
            for row in rows
            if row.pcn_code != UNALLOCATED_PCN
        ],
    )
    if unplaced:
        report.notes.append(
            f"{sum(unplaced.values())} GP practices of the ICBs split on 1 April 2026 ("
            + ", ".join(f"{code}: {n}" for code, n in sorted(unplaced.items()))
            + ") have no ICS from then: place them with import_gp_practices"
        )
    if disagreeing:
        report.notes.append(
            f"{len(disagreeing)} PCNs whose practices lie in different ICBs have no ICS: "
            + ", ".join(disagreeing)
        )
