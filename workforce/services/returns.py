"""Submitting a monthly staffing return: check, read, version and store it in one go."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from core import calendar
from core.access import can_submit_for
from core.errors import ApplicationError, OutOfScope
from core.models import ICS, AuditEntry, Organisation, OrganisationMembership, StaffGroup, User
from core.services.audit import audit_record
from core.services.bulk_rows import rows_insert
from workforce.models import StaffingReturn, StaffingReturnRow
from workforce.returns import (
    COLUMNS,
    COST_COLUMNS,
    UNEXPECTED_FAILURE,
    Limits,
    ParsedReturn,
    ReturnRow,
    ascwds,
    read_return,
)
from workforce.returns.parsing import size_in_words

from .return_warnings import return_warnings

logger = logging.getLogger(__name__)

# Two uploads for the same organisation and month at once: the loser of the race on the
# unique constraints starts again and becomes the next version.
STORE_ATTEMPTS = 3
# Workers are matched from month to month on a keyed hash; the key is this app's own.
WORKER_KEY_PURPOSE = b"workforce.returns.ascwds.worker-key"
WORKER_FILE_KINDS = (Organisation.Kind.SOCIAL_CARE,)


@dataclass(frozen=True)
class SubmitResult:
    staffing_return: StaffingReturn
    created: bool  # False when the file is the same as the current version's: nothing stored

    @property
    def duplicate(self) -> bool:
        return not self.created


def return_limits() -> Limits:
    return Limits(max_bytes=settings.RETURN_MAX_BYTES)


def period_parse(
    value: str | datetime.date, *, today: datetime.date | None = None
) -> datetime.date:
    """The first day of the month a return describes, from YYYY-MM (or a date).

    The year must be one the calendar holds (ASCII digits, FIRST_YEAR to LAST_YEAR). The
    current month is accepted (a return may describe the month so far); a later one not.
    """
    try:
        text = calendar.month_label(value) if isinstance(value, datetime.date) else value
        period = calendar.parse_month(text)
    except ValueError as error:
        raise ApplicationError([{"field": "period", "message": str(error)}]) from None
    this_month = (today or timezone.localdate()).replace(day=1)
    if period > this_month:
        raise ApplicationError(
            [
                {
                    "field": "period",
                    "message": f"{period:%B %Y} is in the future; a return describes a month "
                    "that has begun.",
                }
            ]
        )
    return period


def period_system(organisation: Organisation, period: datetime.date) -> ICS:
    """The integrated care system an organisation's return for `period` belongs to.

    Its system on the month's first day, or on its last for one that joined during the
    month. A month in which it belonged to none (before July 2022, when the systems began,
    before the organisation opened, or after it closed) is refused: such a return would
    reach no ICB's dashboards, projections or audit trail.
    """
    last_day = calendar.month_add(period, 1) - datetime.timedelta(days=1)
    # One query: every membership of the organisation (a handful), then the day's in Python.
    memberships = list(
        OrganisationMembership.objects.filter(organisation_id=organisation.pk)
        .select_related("ics")
        .order_by("valid_from")
    )
    for day in (period, last_day):
        held = [m for m in memberships if m.is_valid_on(day)]
        if held:
            return held[-1].ics
    first = memberships[0] if memberships else None
    if first is None:
        message = (
            f"{organisation.code} belongs to no integrated care system, so the planner holds "
            "no returns for it."
        )
    elif period < first.valid_from:
        message = (
            f"{organisation.code} has been in an integrated care system only since "
            f"{first.valid_from:%B %Y}; a return describes a month from then on, not "
            f"{period:%B %Y}."
        )
    else:
        message = (
            f"{organisation.code} was in no integrated care system in {period:%B %Y} "
            "(it had closed or merged), so the planner holds no return for that month."
        )
    raise ApplicationError([{"field": "period", "message": message}])


def upload_read(upload: UploadedFile) -> bytes:
    """The bytes of an uploaded file, refused before reading when it is over the limit."""
    limit = return_limits().max_bytes
    if upload.size is not None and upload.size > limit:
        raise ApplicationError(
            [
                {
                    "row": None,
                    "column": None,
                    "message": f"The file is {size_in_words(upload.size)}; the largest accepted "
                    f"is {size_in_words(limit)}.",
                }
            ]
        )
    return upload.read()


def staffing_return_submit(
    *,
    user: User,
    organisation: Organisation,
    period: str | datetime.date,
    content: bytes,
    filename: str,
) -> SubmitResult:
    """Check, read and store one uploaded return, or raise with every problem in it.

    Out of the user's scope: `OutOfScope` (403). A malformed or future period, or any problem
    in the file: `ApplicationError` (400) listing each `{"row", "column", "message"}`, and
    nothing is stored. The same bytes as the current version: nothing is stored, and the
    current version comes back with `created` False. Otherwise the return becomes the next
    version of its organisation and month, superseding the current one, in one transaction.
    An ASC-WDS worker file (known by its header) is read into the return it gives, which is
    then checked, stored and kept as the file, as if it had been uploaded.
    """
    if not can_submit_for(user, organisation):
        raise OutOfScope(
            [
                {
                    "field": "organisation",
                    "message": f"You may not submit returns for {organisation.code}.",
                }
            ]
        )
    period = period_parse(period)
    ics = period_system(organisation, period)
    reportable = StaffGroup.objects.filter(reportable=True).order_by("sort_order")
    groups = {g.code: g for g in reportable.only("code", "name")}
    workers: dict[str, list[str]] | None = None
    read_as = filename
    if ascwds.is_worker_file(content):
        # From here on the worker file is gone: only the return derived from it is kept.
        content, workers = worker_file_read(
            organisation=organisation, period=period, content=content
        )
        read_as = "worker-file-return.csv"
    parsed = read_return(content, read_as, staff_group_codes=groups, limits=return_limits())
    if not parsed.ok:
        raise ApplicationError(
            [{"row": p.row, "column": p.column, "message": p.message} for p in parsed.problems]
        )
    attempt = 1
    while True:
        try:
            with transaction.atomic():
                return _store(
                    user=user,
                    organisation=organisation,
                    period=period,
                    content=content,
                    filename=filename,
                    parsed=parsed,
                    groups=groups,
                    ics=ics,
                    workers=workers,
                )
        except IntegrityError:
            if attempt >= STORE_ATTEMPTS:
                raise
            attempt += 1
            logger.info("Another return for %s %s was stored meanwhile", organisation.code, period)


def worker_file_key() -> bytes:
    return hmac.new(settings.SECRET_KEY.encode(), WORKER_KEY_PURPOSE, hashlib.sha256).digest()


def worker_file_read(
    *, organisation: Organisation, period: datetime.date, content: bytes
) -> tuple[bytes, dict[str, list[str]]]:
    """The return derived from an ASC-WDS worker file, as CSV, and the workers to keep.

    Only a social care provider keeps such a file. The leavers are the substantive workers
    of the organisation's current return of the month before that this file no longer has;
    they are blank when that return was not made from a worker file.
    """
    if organisation.kind not in WORKER_FILE_KINDS:
        kinds = ", ".join(str(Organisation.Kind(kind).label).lower() for kind in WORKER_FILE_KINDS)
        message = (
            f"This is an ASC-WDS worker file, which gives social care figures; only a {kinds} "
            f"may send one, and {organisation.code} is registered as: "
            f"{organisation.get_kind_display()}. Send the staffing return template instead."
        )
        raise ApplicationError([{"field": "file", "message": message}])
    stored = (
        StaffingReturn.objects.current()
        .filter(organisation=organisation, period=calendar.month_add(period, -1))
        .values_list("workers", flat=True)
        .first()
    )
    previous = None if stored is None else ascwds.workers_from_json(stored)
    try:
        result = ascwds.read_worker_file(
            content, period=period, key=worker_file_key(), previous=previous
        )
    except Exception as error:
        # The type only: a message could quote a cell, and the file holds personal data.
        logger.error("Unexpected failure reading an ASC-WDS worker file (%s)", type(error).__name__)
        raise ApplicationError(
            [{"row": None, "column": None, "message": UNEXPECTED_FAILURE}]
        ) from None
    if not result.ok:
        raise ApplicationError(
            [{"row": p.row, "column": p.column, "message": p.message} for p in result.problems]
        )
    return ascwds.derived_csv(result.groups, COLUMNS), ascwds.workers_to_json(result.workers)


ROW_COLUMNS = ("staffing_return", "staff_group", *COLUMNS[1:], *COST_COLUMNS)


def row_values(staffing_return_id: int, staff_group_id: int, row: ReturnRow) -> tuple:
    """The stored values of one validated row of a return, in ROW_COLUMNS' order: the
    figures as validation left them (rounded, in range), written by `rows_insert`. A row's
    fields after its number and code are those columns, in that order."""
    return (staffing_return_id, staff_group_id, *row[2:])


def _store(
    *,
    user: User,
    organisation: Organisation,
    period: datetime.date,
    content: bytes,
    filename: str,
    parsed: ParsedReturn,
    groups: dict[str, StaffGroup],
    ics: ICS,
    workers: dict[str, list[str]] | None,
) -> SubmitResult:
    sha256 = hashlib.sha256(content).hexdigest()
    # Uploads for one organisation take turns from here, so each reads the versions committed
    # before it: any number at once end as consecutive versions, not as errors after retries.
    locked = Organisation.objects.select_for_update(no_key=True).filter(pk=organisation.pk)
    list(locked.order_by().values_list("pk", flat=True))
    # The latest version is the current one unless something went wrong; locking it makes a
    # second upload of the month wait, and the unique constraints catch the first of a month.
    latest = (
        StaffingReturn.objects.select_for_update()
        .filter(organisation=organisation, period=period)
        .only("organisation_id", "period", "version", "status", "sha256", "workers")
        .order_by("-version")
        .first()
    )
    current = latest if latest and latest.status == StaffingReturn.Status.SUBMITTED else None
    # A worker file is compared by the return derived from it and its workers' keyed hashes.
    if current is not None and current.sha256 == sha256 and current.workers == workers:
        return SubmitResult(staffing_return=current, created=False)
    warnings = return_warnings(
        organisation=organisation,
        period=period,
        rows=parsed.rows,
        groups=groups,
    )
    if current is not None:
        # Superseded first: the database allows one current version per organisation and month.
        StaffingReturn.objects.filter(pk=current.pk).update(status=StaffingReturn.Status.SUPERSEDED)
    staffing_return = StaffingReturn.objects.create(
        organisation=organisation,
        period=period,
        version=(latest.version if latest else 0) + 1,
        status=StaffingReturn.Status.SUBMITTED,
        submitted_by=user,
        submitted_at=timezone.now(),
        original_filename=filename[:255],
        content=content,
        sha256=sha256,
        size=len(content),
        warnings=warnings,
        workers=workers,
    )
    return_id = staffing_return.pk
    rows_insert(
        StaffingReturnRow,
        ROW_COLUMNS,
        (row_values(return_id, groups[row.staff_group_code].pk, row) for row in parsed.rows),
    )
    _audit(user, ics, staffing_return, current, len(parsed.rows))
    return SubmitResult(staffing_return=staffing_return, created=True)


def _audit(
    user: User,
    ics: ICS,
    stored: StaffingReturn,
    superseded: StaffingReturn | None,
    rows: int,
) -> None:
    audit_record(
        user=user,
        action=AuditEntry.Action.CREATE,
        instance=stored,
        ics=ics,
        after={
            "version": stored.version,
            "status": stored.status,
            "original_filename": stored.original_filename,
            "sha256": stored.sha256,
            "size": stored.size,
            "rows": rows,
            "warnings": len(stored.warnings),
        },
    )
    if superseded is not None:
        superseded.organisation = stored.organisation  # for its name in the trail, without a query
        audit_record(
            user=user,
            action=AuditEntry.Action.UPDATE,
            instance=superseded,
            ics=ics,
            before={"status": StaffingReturn.Status.SUBMITTED},
            after={"status": StaffingReturn.Status.SUPERSEDED},
        )
