"""Updating GP practices from the current NHS ODS GP practice file, epraccur.csv.

The file is headerless, 27 columns; those read here (1-based, as ODS numbers them):
1 organisation code, 2 name, 3 national grouping (the NHS England region, Y56...),
4 high level health geography (the ICB), 11 open date, 12 close date (YYYYMMDD),
13 status code (A active, C closed, D dormant, P proposed), 15 commissioner (the sub-ICB
location), 26 prescribing setting (4: a GP practice). The address and postcode (5-10) are
not read. Rows of other prescribing settings (walk-in centres, out of hours, prisons...)
and rows outside England (a national grouping that is no English region, e.g. Wales) are
skipped and counted. The file carries no PCN: PCN memberships are left as they are, and
ended when a practice closes.

The file describes the day given (`on`, by default the day of the import): each practice
open that day is in the file's ICB from that day on; its membership of another ICB ends
then. All or nothing: every row is checked first, and a file with any wrong row (an unknown
ICB code, an ICB not open that day, a bad date) changes nothing; every problem is listed
with its row.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass, field

from django.db import transaction

from core.errors import ApplicationError
from core.models import ICS, NetworkMembership, Organisation, OrganisationMembership, Region

from .reference_data import LoadReport

COLUMNS = 27
GP_PRACTICE_SETTING = "4"
OPEN_STATUSES = ("A", "D")  # active and dormant practices keep their patients and place


@dataclass(frozen=True)
class EpraccurRow:
    row: int
    code: str
    name: str
    region: str
    icb: str
    opened: datetime.date | None
    closed: datetime.date | None
    status: str
    commissioner: str
    setting: str

    def open_on(self, on: datetime.date) -> bool:
        return (
            self.status in OPEN_STATUSES
            and (self.opened is None or self.opened <= on)
            and (self.closed is None or self.closed >= on)
        )


def _date(text: str, row: int, column: int, problems: list[dict]) -> datetime.date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return datetime.datetime.strptime(text, "%Y%m%d").date()
    except ValueError:
        problems.append(
            {"row": row, "column": column, "message": f"{text[:20]!r} is not a date (YYYYMMDD)."}
        )
        return None


def read_epraccur(content: bytes) -> tuple[list[EpraccurRow], list[dict]]:
    """The file's rows and the problems found reading them (row numbers from 1)."""
    problems: list[dict] = []
    rows: list[EpraccurRow] = []
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")
    for number, cells in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != COLUMNS:
            problems.append(
                {
                    "row": number,
                    "message": f"{len(cells)} columns, not the {COLUMNS} of epraccur.csv.",
                }
            )
            continue
        rows.append(
            EpraccurRow(
                row=number,
                code=cells[0].strip().upper(),
                name=cells[1].strip(),
                region=cells[2].strip().upper(),
                icb=cells[3].strip().upper(),
                opened=_date(cells[10], number, 11, problems),
                closed=_date(cells[11], number, 12, problems),
                status=cells[12].strip().upper(),
                commissioner=cells[14].strip().upper(),
                setting=cells[25].strip(),
            )
        )
    if not rows and not problems:
        problems.append({"message": "The file holds no rows."})
    return rows, problems


@dataclass
class ImportReport(LoadReport):
    skipped_settings: int = 0
    skipped_outside_england: int = 0
    placed: list[str] = field(default_factory=list)  # practices given an ICS they lacked

    def summary(self) -> str:
        head = super().summary().replace("Reference data already up to date", "GP practices")
        return (
            f"{head} {len(self.placed)} practices placed in an ICS they had none in; "
            f"skipped {self.skipped_settings} rows of other prescribing settings and "
            f"{self.skipped_outside_england} outside England."
        )


def _check(rows: list[EpraccurRow], on: datetime.date, report: ImportReport):
    """The GP practice rows of England with their ICS (None: not open on `on`), and the
    problems with them."""
    english = set(Region.objects.values_list("code", flat=True))
    systems = ICS.objects.in_bulk(field_name="code")
    kinds = dict(
        Organisation.objects.filter(code__in=[r.code for r in rows]).values_list("code", "kind")
    )
    problems: list[dict] = []
    checked: list[tuple[EpraccurRow, ICS | None]] = []
    for row in rows:
        if row.setting != GP_PRACTICE_SETTING:
            report.skipped_settings += 1
            continue
        if row.region not in english:
            report.skipped_outside_england += 1
            continue
        if kinds.get(row.code, Organisation.Kind.GP_PRACTICE) != Organisation.Kind.GP_PRACTICE:
            problems.append(
                {"row": row.row, "column": 1, "message": f"{row.code} is not a GP practice here."}
            )
            continue
        if not row.name:
            problems.append({"row": row.row, "column": 2, "message": "The name is empty."})
        ics = None
        if row.open_on(on):
            ics = systems.get(row.icb)
            if ics is None:
                problems.append(
                    {"row": row.row, "column": 4, "message": f"Unknown ICB code {row.icb!r}."}
                )
            elif not ics.is_valid_on(on):
                problems.append(
                    {"row": row.row, "column": 4, "message": f"ICB {row.icb} is not open on {on}."}
                )
        checked.append((row, ics))
    return checked, problems


def _end_at(report: ImportReport, memberships, end: datetime.date) -> None:
    for membership in memberships:
        if membership.valid_from < end and (
            membership.valid_to is None or membership.valid_to > end
        ):
            membership.valid_to = end
            membership.save(update_fields=["valid_to"])
            report.count(type(membership), created=False, changed=True, key=str(membership))


def _place(report: ImportReport, practice: Organisation, ics: ICS, on: datetime.date) -> None:
    memberships = list(practice.memberships.order_by("valid_from"))
    current = next(
        (m for m in memberships if m.valid_from <= on and (m.valid_to is None or on < m.valid_to)),
        None,
    )
    if current is not None and current.ics_id == ics.pk:
        return
    if current is None:
        report.placed.append(practice.code)
    key = f"{practice.code} {on}"
    if current is not None and current.valid_from == on:
        current.ics = ics
        current.save(update_fields=["ics"])
        report.count(OrganisationMembership, created=False, changed=True, key=key)
        return
    if current is not None:
        current.valid_to = on
        current.save(update_fields=["valid_to"])
        report.count(OrganisationMembership, created=False, changed=True, key=str(current))
    # A membership recorded from a later day (a succession) stays; this one ends there.
    later = [m.valid_from for m in memberships if m.valid_from > on]
    OrganisationMembership.objects.create(
        organisation=practice, ics=ics, valid_from=on, valid_to=min(later) if later else None
    )
    report.count(OrganisationMembership, created=True, changed=False, key=key)


def gp_practices_import(*, content: bytes, on: datetime.date) -> ImportReport:
    """Update every GP practice of the file as it is on `on`; all or nothing."""
    report = ImportReport()
    rows, problems = read_epraccur(content)
    checked, more = _check(rows, on, report)
    problems += more
    if problems:
        raise ApplicationError(problems)
    existing = Organisation.objects.in_bulk([row.code for row, _ in checked], field_name="code")
    with transaction.atomic():
        for row, ics in checked:
            active = row.status != "C" and (row.closed is None or row.closed >= on)
            values = {
                "name": row.name,
                "opened": row.opened,
                "closed": row.closed,
                "active": active,
            }
            practice = existing.get(row.code)
            if practice is None:
                practice = Organisation.objects.create(
                    code=row.code, kind=Organisation.Kind.GP_PRACTICE, **values
                )
                report.count(Organisation, created=True, changed=False, key=row.code)
            else:
                changed = [
                    name for name, value in values.items() if getattr(practice, name) != value
                ]
                if changed:
                    for name in changed:
                        setattr(practice, name, values[name])
                    practice.save(update_fields=changed)
                    report.count(Organisation, created=False, changed=True, key=row.code)
            if row.closed is not None:
                end = row.closed + datetime.timedelta(days=1)  # closed on that day: out after
                _end_at(report, practice.memberships.all(), end)
                _end_at(report, NetworkMembership.objects.filter(practice=practice), end)
            if ics is not None:
                _place(report, practice, ics, on)
    return report
