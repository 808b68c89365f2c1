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
from core.services.audit import audit_entry, audit_records
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
from workforce.returns.archive import ArchivedReturn, ArchiveLimits, read_archive
from workforce.returns.parsing import size_in_words

from .return_warnings import COMPARE_MONTHS, earlier_figures, return_warnings

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
    return system_on(organisation, period, memberships_of([organisation.pk]).get(organisation.pk))


def memberships_of(organisation_ids: list[int]) -> dict[int, list[OrganisationMembership]]:
    """Every membership of the organisations (a handful each), oldest first: one query."""
    found: dict[int, list[OrganisationMembership]] = {}
    for membership in (
        OrganisationMembership.objects.filter(organisation_id__in=organisation_ids)
        .select_related("ics")
        .order_by("valid_from", "pk")
    ):
        found.setdefault(membership.organisation_id, []).append(membership)
    return found


def system_on(
    organisation: Organisation,
    period: datetime.date,
    memberships: list[OrganisationMembership] | None,
) -> ICS:
    """`period_system` from the organisation's `memberships_of`."""
    memberships = memberships or []
    last_day = calendar.month_add(period, 1) - datetime.timedelta(days=1)
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


def upload_read(upload: UploadedFile, limit: int | None = None) -> bytes:
    """The bytes of an uploaded file, refused before reading when it is over the limit (by
    default a return's)."""
    limit = return_limits().max_bytes if limit is None else limit
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
    groups = _reportable_groups()
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
    upload = _Upload(organisation, period, content, filename, parsed, ics, workers)
    return _stored(user, [upload], groups)[0]


def staffing_returns_submit_archive(
    *, user: User, content: bytes
) -> list[tuple[str, SubmitResult]]:
    """Check, read and store every return in a ZIP archive (`workforce.returns.archive`:
    one file per organisation and month, named for them), all or none.

    Each file is checked as `staffing_return_submit` checks one, and every problem in every
    file is raised at once, each with its `file`: an organisation out of the user's scope
    (`OutOfScope`, 403, naming each), an unknown code, a month refused, a problem in a file
    (`ApplicationError`, 400), and nothing is stored. Otherwise the returns are stored in one
    transaction, each as `staffing_return_submit` stores it: the next version of its month,
    or nothing for a file the same as the current version, with warnings against the
    organisation's earlier months, those in the archive included. ASC-WDS worker files are
    refused here: each is read against the month before's, so they are sent one at a time.
    Returns each file's name in the archive and its result, in the archive's order.
    """
    limits = return_limits()
    archive_limits = ArchiveLimits(
        max_files=settings.RETURN_ARCHIVE_MAX_FILES,
        max_bytes=settings.RETURN_ARCHIVE_MAX_BYTES,
        max_file_bytes=limits.max_bytes,
    )
    files, problems = read_archive(content, archive_limits)
    if problems:
        raise ApplicationError([{"file": p.file, "message": p.message} for p in problems])
    codes = sorted({f.organisation for f in files})
    organisations = {o.code.upper(): o for o in Organisation.objects.filter(code__in=codes)}
    errors: list[dict] = []
    outside = []
    for f in files:
        organisation = organisations.get(f.organisation)
        if organisation is None:
            message = f"No organisation has the code '{f.organisation}'."
            errors.append({"file": f.name, "field": "organisation", "message": message})
        elif organisation not in outside and not can_submit_for(user, organisation):
            outside.append(organisation)
    if outside:
        raise OutOfScope([_outside(o, files) for o in outside])
    groups = _reportable_groups()
    memberships = memberships_of([o.pk for o in organisations.values()])
    uploads: list[_Upload] = []
    for f in files:
        organisation = organisations.get(f.organisation)
        if organisation is None:
            continue
        try:
            period = period_parse(f.period)
            ics = system_on(organisation, period, memberships.get(organisation.pk))
        except ApplicationError as error:
            errors += [{"file": f.name, **e} for e in error.errors]
            continue
        if ascwds.is_worker_file(f.content):
            message = (
                "This is an ASC-WDS worker file: each is read against the month before's, so "
                "send them one at a time (POST /api/v1/returns/ or the upload page)."
            )
            errors.append({"file": f.name, "row": None, "column": None, "message": message})
            continue
        parsed = read_return(f.content, f.name, staff_group_codes=groups, limits=limits)
        errors += [
            {"file": f.name, "row": p.row, "column": p.column, "message": p.message}
            for p in parsed.problems
        ]
        uploads.append(_Upload(organisation, period, f.content, f.name, parsed, ics, None))
    if errors:
        raise ApplicationError(errors)
    return list(zip([f.name for f in files], _stored(user, uploads, groups), strict=True))


def _outside(organisation: Organisation, files: list[ArchivedReturn]) -> dict:
    count = sum(1 for f in files if f.organisation == organisation.code.upper())
    return {
        "field": "organisation",
        "message": f"You may not submit returns for {organisation.code}: "
        f"{count} of the archive's files {'is' if count == 1 else 'are'} its.",
    }


@dataclass(frozen=True)
class _Upload:
    """One return checked and read, to be stored."""

    organisation: Organisation
    period: datetime.date
    content: bytes
    filename: str
    parsed: ParsedReturn
    ics: ICS
    workers: dict[str, list[str]] | None


def _reportable_groups() -> dict[str, StaffGroup]:
    reportable = StaffGroup.objects.filter(reportable=True).order_by("sort_order")
    return {g.code: g for g in reportable.only("code", "name")}


def _stored(
    user: User, uploads: list[_Upload], groups: dict[str, StaffGroup]
) -> list[SubmitResult]:
    """`_store` in a transaction of its own, started again if another upload of one of the
    months was stored first."""
    attempt = 1
    while True:
        try:
            with transaction.atomic():
                return _store(user=user, uploads=uploads, groups=groups)
        except IntegrityError:
            if attempt >= STORE_ATTEMPTS:
                raise
            attempt += 1
            logger.info("Another return for one of %d months was stored meanwhile", len(uploads))


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
    *, user: User, uploads: list[_Upload], groups: dict[str, StaffGroup]
) -> list[SubmitResult]:
    """Store each upload as the next version of its organisation and month (or nothing, for
    one the same as the current version): the returns, their rows and their audit entries,
    each in one statement."""
    ids = sorted({u.organisation.pk for u in uploads})
    # Uploads for one organisation take turns from here, so each reads the versions committed
    # before it: any number at once end as consecutive versions, not as errors after retries.
    # Locked in the order of their ids, so that of two archives one waits for the other,
    # never each for the other.
    locked = Organisation.objects.select_for_update(no_key=True).filter(pk__in=ids)
    list(locked.order_by("pk").values_list("pk", flat=True))
    periods = sorted({u.period for u in uploads})
    # The latest version is the current one unless something went wrong; locking it makes a
    # second upload of the month wait, and the unique constraints catch the first of a month.
    latest: dict[tuple[int, datetime.date], StaffingReturn] = {}
    for version in (
        StaffingReturn.objects.select_for_update()
        .filter(organisation_id__in=ids, period__in=periods)
        .only("organisation_id", "period", "version", "status", "sha256", "workers")
        .order_by("version")
    ):
        latest[version.organisation_id, version.period] = version
    results: list[SubmitResult | None] = [None] * len(uploads)
    new: list[tuple[int, str, StaffingReturn | None, StaffingReturn | None]] = []
    for i, upload in enumerate(uploads):
        last = latest.get((upload.organisation.pk, upload.period))
        current = last if last and last.status == StaffingReturn.Status.SUBMITTED else None
        sha256 = hashlib.sha256(upload.content).hexdigest()
        # A worker file is compared by the return derived from it and its workers' keyed hashes.
        if current is not None and current.sha256 == sha256 and current.workers == upload.workers:
            results[i] = SubmitResult(staffing_return=current, created=False)
        else:
            new.append((i, sha256, last, current))
    if not new:
        return results
    new_periods = sorted(uploads[i].period for i, *_ in new)
    earlier = earlier_figures(
        organisation_ids=sorted({uploads[i].organisation.pk for i, *_ in new}),
        first=calendar.month_add(new_periods[0], -COMPARE_MONTHS),
        before=new_periods[-1],
    )
    now = timezone.now()
    stored: list[tuple[_Upload, StaffingReturn, StaffingReturn | None]] = []
    # Month by month for each organisation, so that each is compared with the one before it,
    # in the database or among these.
    new.sort(key=lambda n: (uploads[n[0]].organisation.pk, uploads[n[0]].period))
    for i, sha256, last, current in new:
        upload = uploads[i]
        months = earlier.setdefault(upload.organisation.pk, {})
        warnings = return_warnings(
            period=upload.period, rows=upload.parsed.rows, groups=groups, earlier=months
        )
        months[upload.period] = {
            groups[row.staff_group_code].pk: row.fte for row in upload.parsed.rows
        }
        staffing_return = StaffingReturn(
            organisation=upload.organisation,
            period=upload.period,
            version=(last.version if last else 0) + 1,
            status=StaffingReturn.Status.SUBMITTED,
            submitted_by=user,
            submitted_at=now,
            original_filename=upload.filename[:255],
            content=upload.content,
            sha256=sha256,
            size=len(upload.content),
            warnings=warnings,
            workers=upload.workers,
        )
        results[i] = SubmitResult(staffing_return=staffing_return, created=True)
        stored.append((upload, staffing_return, current))
    superseded = [current.pk for _, _, current in stored if current is not None]
    if superseded:
        # Superseded first: the database allows one current version per organisation and month.
        StaffingReturn.objects.filter(pk__in=superseded).update(
            status=StaffingReturn.Status.SUPERSEDED
        )
    StaffingReturn.objects.bulk_create([r for _, r, _ in stored], batch_size=1000)
    rows_insert(
        StaffingReturnRow,
        ROW_COLUMNS,
        (
            row_values(staffing_return.pk, groups[row.staff_group_code].pk, row)
            for upload, staffing_return, _ in stored
            for row in upload.parsed.rows
        ),
    )
    audit_records(
        [
            entry
            for upload, staffing_return, current in stored
            for entry in _audit(user, upload.ics, staffing_return, current, len(upload.parsed.rows))
        ]
    )
    return results


def _audit(
    user: User,
    ics: ICS,
    stored: StaffingReturn,
    superseded: StaffingReturn | None,
    rows: int,
) -> list[AuditEntry]:
    """The audit entries of a return stored: its creation, and the version it superseded."""
    entries = [
        audit_entry(
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
    ]
    if superseded is not None:
        superseded.organisation = stored.organisation  # for its name in the trail, without a query
        entries.append(
            audit_entry(
                user=user,
                action=AuditEntry.Action.UPDATE,
                instance=superseded,
                ics=ics,
                before={"status": StaffingReturn.Status.SUBMITTED},
                after={"status": StaffingReturn.Status.SUPERSEDED},
            )
        )
    return entries
