"""The month's social care figures from an ASC-WDS bulk upload worker file: pure, no Django.

A care provider keeps its staff records in the Adult Social Care Workforce Data Set, whose
bulk upload worker file is a CSV with one row per worker. ``read_worker_file`` turns it into
one row per social care staff group, with the figures a staffing return holds, and the
keyed hash of each substantive worker (for the next month's leavers). Only the columns the
figures need are read; every other column (NI number, date of birth, postcode, pay, ...) is
dropped as each line is read and never reaches a result, a problem message or a log line.

Codes (ASC-WDS bulk upload, BUDI codes):

- MAINJOBROLE: 7 senior care worker and 8 care worker are care workers (SC-CW); 16
  registered nurse is a registered nurse (SC-RN); every other role is SC-OTH.
- EMPLSTATUS: 1 permanent, 2 temporary and 7 other are the provider's own staff
  (substantive: fte and headcount); 3 pool/bank is bank_fte, 4 agency is agency_fte.
- ZEROHRCONT: 1 yes, 2 no, 999 don't know.
- CONTHOURS, AVGHOURS: hours a week; 999 is don't know. A zero-hours, bank or agency
  worker's FTE is from AVGHOURS, anyone else's from CONTHOURS, at 37.5 hours to 1 FTE,
  and at most 1 FTE for one person.
- STARTDATE: DD/MM/YYYY. A substantive worker who started in the month is a joiner.
- DAYSSICK: days off sick in the last 12 months, 0 to 366 (a half day allowed); 999 or
  blank is not known. A group's rate is its days over 225 working days a year for each
  FTE of the workers whose days are known, capped at 1; a group with people in post and
  no one's days known is a problem (a missing rate is not a zero rate).
- STATUS: a DELETE row is a worker taken off the file, so not counted.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import hmac
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .parsing import FileProblem

HEADER: tuple[str, ...] = (
    "LOCALESTID", "UNIQUEWORKERID", "CHGUNIQUEWRKID", "STATUS", "DISPLAYID", "FLUVAC",
    "NINUMBER", "POSTCODE", "DOB", "GENDER", "ETHNICITY", "NATIONALITY", "BRITISHCITIZENSHIP",
    "COUNTRYOFBIRTH", "YEAROFENTRY", "DISABLED", "CARECERT", "RECSOURCE", "STARTDATE",
    "STARTINSECT", "APPRENTICE", "EMPLSTATUS", "ZEROHRCONT", "DAYSSICK", "SALARYINT", "SALARY",
    "HOURLYRATE", "MAINJOBROLE", "MAINJRDESC", "CONTHOURS", "AVGHOURS", "OTHERJOBROLE",
    "OTHERJRDESC", "NMCREG", "NURSESPEC", "AMHP", "SCQUAL", "NONSCQUAL", "QUALACH01",
    "QUALACH01NOTES", "QUALACH02", "QUALACH02NOTES", "QUALACH03", "QUALACH03NOTES",
)  # fmt: skip
OPTIONAL: frozenset[str] = frozenset({"CHGUNIQUEWRKID"})
# The only columns read; the rest are never looked at.
READ: tuple[str, ...] = (
    "LOCALESTID", "UNIQUEWORKERID", "CHGUNIQUEWRKID", "STATUS", "STARTDATE", "EMPLSTATUS",
    "ZEROHRCONT", "DAYSSICK", "MAINJOBROLE", "CONTHOURS", "AVGHOURS",
)  # fmt: skip

CARE_WORKER, NURSE, OTHER = "SC-CW", "SC-RN", "SC-OTH"
GROUPS: tuple[str, ...] = (CARE_WORKER, NURSE, OTHER)
CARE_WORKER_ROLES = frozenset({7, 8})
NURSE_ROLES = frozenset({16})
JOB_ROLES = frozenset({*range(1, 12), 15, 16, 17, *range(22, 28), *range(34, 43)})
SUBSTANTIVE, BANK, AGENCY = "substantive", "bank", "agency"
EMPLOYMENT = {1: SUBSTANTIVE, 2: SUBSTANTIVE, 7: SUBSTANTIVE, 3: BANK, 4: AGENCY}
ZERO_HOURS = {1: True, 2: False, 999: False}
STATUSES = frozenset({"NEW", "UPDATE", "UNCHECKED", "NOCHANGE", "CHGSUB", "DELETE"})
DONT_KNOW = Decimal(999)
HOURS_PER_FTE = Decimal("37.5")
MAX_HOURS = Decimal(75)
WORKING_DAYS_A_YEAR = Decimal(225)
MAX_DAYS_SICK = Decimal(366)
MAX_ID_LENGTH = 50
FTE_PLACES = Decimal("0.01")
RATE_PLACES = Decimal("0.00001")
_NUMBER = re.compile(r"[0-9]+(\.[0-9]+)?")
_DATE = re.compile(r"([0-9]{2})/([0-9]{2})/([0-9]{4})")


@dataclass(frozen=True)
class GroupFigures:
    """One staff group's figures; None where the worker file cannot tell."""

    staff_group_code: str
    fte: Decimal
    headcount: int
    bank_fte: Decimal
    agency_fte: Decimal
    joiners_fte: Decimal
    leavers_fte: Decimal | None  # None without the previous month's workers
    sickness_absence_rate: Decimal | None  # None when no worker's days sick are known
    vacancies_fte: None = None  # a worker file has no vacancies


@dataclass(frozen=True)
class PriorWorker:
    """A substantive worker of a month, as kept for the next month: group and FTE only."""

    staff_group_code: str
    fte: Decimal


@dataclass(frozen=True)
class WorkerFile:
    groups: tuple[GroupFigures, ...]
    workers: dict[str, PriorWorker]  # keyed hash -> group and FTE, substantive workers only
    problems: tuple[FileProblem, ...]  # empty means valid; groups and workers are then empty

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class _Worker:
    keys: frozenset[str]  # the worker's key, and its previous key where its id was changed
    key: str  # the key it is known by from now on
    group: str
    kind: str
    fte: Decimal
    joined: bool
    days_sick: Decimal | None


def is_worker_file(content: bytes) -> bool:
    """True when the first line names the worker file's first columns."""
    first = content[:200].decode("utf-8-sig", errors="replace").lstrip().split("\n", 1)[0]
    names = [name.strip().strip('"').upper() for name in first.split(",")[:2]]
    return names == ["LOCALESTID", "UNIQUEWORKERID"]


def worker_key(key: bytes, establishment: str, worker: str) -> str:
    """The keyed hash a worker is matched on from month to month, never its raw ids."""
    message = f"{establishment.strip()}\x1f{worker.strip()}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def read_worker_file(
    content: bytes,
    *,
    period: datetime.date,
    key: bytes,
    previous: Mapping[str, PriorWorker] | None,
) -> WorkerFile:
    """The month's figures by staff group, or every problem by row and column.

    ``period`` is the first day of the month; ``previous`` the workers kept with the
    previous month's return, or None when it was not made from a worker file.
    """
    problems: list[FileProblem] = []
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        message = "The worker file is not UTF-8 text; export it from ASC-WDS as CSV again."
        return WorkerFile(groups=(), workers={}, problems=(FileProblem(None, None, message),))
    lines = csv.reader(io.StringIO(text, newline=""))
    header = next(lines, [])
    positions = _positions(header, problems)
    header_ok = not problems  # a header problem is reported once, not on every row
    workers: list[_Worker] = []
    seen: dict[str, int] = {}
    rows = 0
    for number, line in enumerate(lines, 2):
        if not header_ok or not any(cell.strip() for cell in line):
            continue
        rows += 1
        # Only the columns read are taken from the line; the others are never looked at.
        cells = {name: _cell(line, positions, name) for name in READ if name in positions}
        worker = _worker(number, cells, period, key, seen, problems)
        if worker is not None:
            workers.append(worker)
    if not problems and not rows:
        problems.append(FileProblem(None, None, "The worker file has a header but no workers."))
    groups = _figures(workers, previous) if not problems else ()
    for figures in groups:
        if figures.fte > 0 and figures.sickness_absence_rate is None:
            # A return needs a rate where people are in post; a missing rate is not zero.
            message = (
                f"No worker in staff group {figures.staff_group_code} has DAYSSICK given; "
                "give the days sick of at least one, so that the group has a sickness rate."
            )
            problems.append(FileProblem(None, "DAYSSICK", message))
    if problems:
        return WorkerFile(groups=(), workers={}, problems=tuple(problems))
    return WorkerFile(
        groups=groups,
        workers={w.key: PriorWorker(w.group, w.fte) for w in workers if w.kind == SUBSTANTIVE},
        problems=(),
    )


def _positions(header: list[str], problems: list[FileProblem]) -> dict[str, int]:
    names = [name.strip().upper() for name in header]
    for name in HEADER:
        if name not in names and name not in OPTIONAL:
            message = f"The column {name} is missing; export the worker file from ASC-WDS again."
            problems.append(FileProblem(1, name, message))
    return {name: names.index(name) for name in READ if name in names}


def _cell(line: list[str], positions: Mapping[str, int], name: str) -> str:
    index = positions[name]
    return line[index].strip() if index < len(line) else ""


def _worker(
    number: int,
    cells: Mapping[str, str],
    period: datetime.date,
    key: bytes,
    seen: dict[str, int],
    problems: list[FileProblem],
) -> _Worker | None:
    def problem(column: str, message: str) -> None:
        problems.append(FileProblem(number, column, message))

    found = len(problems)
    ids = {}
    for name in ("LOCALESTID", "UNIQUEWORKERID"):
        if not cells[name]:
            problem(name, f"{name} is empty; every worker needs one.")
        elif len(cells[name]) > MAX_ID_LENGTH:
            problem(name, f"{name} is longer than {MAX_ID_LENGTH} characters.")
        ids[name] = cells[name]
    status = cells["STATUS"].upper()
    if status not in STATUSES:
        problem("STATUS", f"STATUS must be one of {', '.join(sorted(STATUSES))}.")
    role = _code(cells["MAINJOBROLE"], JOB_ROLES)
    if role is None:
        problem("MAINJOBROLE", "MAINJOBROLE is not an ASC-WDS main job role code.")
    kind = EMPLOYMENT.get(_code(cells["EMPLSTATUS"], frozenset(EMPLOYMENT)) or 0)
    if kind is None:
        problem("EMPLSTATUS", "EMPLSTATUS must be 1, 2, 3, 4 or 7 (permanent to other).")
    zero_hours_code = _code(cells["ZEROHRCONT"], frozenset(ZERO_HOURS))
    if zero_hours_code is None:
        problem("ZEROHRCONT", "ZEROHRCONT must be 1 (yes), 2 (no) or 999 (don't know).")
    hours_column = "AVGHOURS" if kind in (BANK, AGENCY) or zero_hours_code == 1 else "CONTHOURS"
    hours = _number(cells[hours_column])
    if hours is None or hours == DONT_KNOW or hours > MAX_HOURS:
        problem(
            hours_column,
            f"{hours_column} must be the hours worked a week (0 to {MAX_HOURS}); the FTE "
            "is worked out from it.",
        )
    started = _date(cells["STARTDATE"])
    if started is None:
        problem("STARTDATE", "STARTDATE must be a date as DD/MM/YYYY, e.g. 01/04/2024.")
    days = _days_sick(cells["DAYSSICK"])
    if isinstance(days, str):
        problem("DAYSSICK", days)
    if len(problems) > found or status == "DELETE":
        return None
    own = worker_key(key, ids["LOCALESTID"], ids["UNIQUEWORKERID"])
    changed = cells.get("CHGUNIQUEWRKID", "")
    current = worker_key(key, ids["LOCALESTID"], changed) if changed else own
    if current in seen:
        problem("UNIQUEWORKERID", f"The same worker is already on row {seen[current]}.")
        return None
    seen[current] = number
    assert hours is not None and started is not None and role is not None and kind is not None
    fte = min(hours / HOURS_PER_FTE, Decimal(1))
    return _Worker(
        keys=frozenset({own, current}),
        key=current,
        group=CARE_WORKER if role in CARE_WORKER_ROLES else NURSE if role in NURSE_ROLES else OTHER,
        kind=kind,
        fte=fte,
        joined=(started.year, started.month) == (period.year, period.month),
        days_sick=days if not isinstance(days, str) else None,
    )


def _code(text: str, known: frozenset[int]) -> int | None:
    if not text.isascii() or not text.isdigit():
        return None
    code = int(text)
    return code if code in known else None


def _number(text: str) -> Decimal | None:
    return Decimal(text) if text.isascii() and _NUMBER.fullmatch(text) else None


def _date(text: str) -> datetime.date | None:
    match = _DATE.fullmatch(text)
    if match is None:
        return None
    day, month, year = (int(part) for part in match.groups())
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _days_sick(text: str) -> Decimal | str | None:
    if not text:
        return None
    days = _number(text)
    if days == DONT_KNOW:
        return None
    if days is None or days > MAX_DAYS_SICK or days % Decimal("0.5"):
        return (
            "DAYSSICK must be the days off sick in the last 12 months (0 to 366, in half "
            "days), or 999 if not known."
        )
    return days


def derived_csv(groups: Iterable[GroupFigures], columns: Iterable[str]) -> bytes:
    """The figures as a staffing return CSV in the template's columns; None is left blank."""
    names = tuple(columns)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(names)
    for group in groups:
        values = [getattr(group, name) for name in names]
        writer.writerow(["" if value is None else value for value in values])
    return buffer.getvalue().encode("utf-8")


def workers_to_json(workers: Mapping[str, PriorWorker]) -> dict[str, list[str]]:
    """A month's workers as kept with its return: keyed hash -> [group code, FTE]."""
    return {key: [w.staff_group_code, str(w.fte)] for key, w in sorted(workers.items())}


def workers_from_json(stored: Mapping[str, list[str]]) -> dict[str, PriorWorker]:
    return {key: PriorWorker(group, Decimal(fte)) for key, (group, fte) in stored.items()}


def _figures(
    workers: Iterable[_Worker], previous: Mapping[str, PriorWorker] | None
) -> tuple[GroupFigures, ...]:
    by_group: dict[str, list[_Worker]] = {code: [] for code in GROUPS}
    for worker in workers:
        by_group[worker.group].append(worker)
    present = {key for w in workers for key in w.keys if w.kind == SUBSTANTIVE}
    leavers: dict[str, Decimal] | None = None
    if previous is not None:
        leavers = {code: Decimal(0) for code in GROUPS}
        for key, prior in previous.items():
            if key not in present and prior.staff_group_code in leavers:
                leavers[prior.staff_group_code] += prior.fte
    figures = []
    for code, members in by_group.items():
        own = [w for w in members if w.kind == SUBSTANTIVE]
        known = [w for w in own if w.days_sick is not None]
        available = sum((WORKING_DAYS_A_YEAR * w.fte for w in known), Decimal(0))
        rate: Decimal | None = None
        if available:
            days = sum((w.days_sick or Decimal(0) for w in known), Decimal(0))
            rate = _round(min(days / available, Decimal(1)), RATE_PLACES)
        elif not own:
            rate = Decimal("0.00000")
        figures.append(
            GroupFigures(
                staff_group_code=code,
                fte=_fte(w.fte for w in own),
                headcount=len(own),
                bank_fte=_fte(w.fte for w in members if w.kind == BANK),
                agency_fte=_fte(w.fte for w in members if w.kind == AGENCY),
                joiners_fte=_fte(w.fte for w in own if w.joined),
                leavers_fte=None if leavers is None else _round(leavers[code], FTE_PLACES),
                sickness_absence_rate=rate,
            )
        )
    return tuple(figures)


def _fte(values: Iterable[Decimal]) -> Decimal:
    return _round(sum(values, Decimal(0)), FTE_PLACES)


def _round(value: Decimal, places: Decimal) -> Decimal:
    return value.quantize(places, rounding=ROUND_HALF_UP)
