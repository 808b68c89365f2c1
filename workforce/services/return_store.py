"""Storing checked returns: each the next version of its organisation and month, with its
rows and audit entries, many in one transaction. A single upload and an archive of many both
end here."""

from __future__ import annotations

import datetime
import hashlib
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from core import calendar
from core.models import ICS, AuditEntry, Organisation, StaffGroup, User
from core.services.audit import audit_entry, audit_records
from core.services.bulk_rows import rows_insert
from workforce.models import StaffingReturn, StaffingReturnRow
from workforce.returns import COLUMNS, COST_COLUMNS, ParsedReturn, ReturnRow

from .return_warnings import COMPARE_MONTHS, earlier_figures, return_warnings

logger = logging.getLogger(__name__)

# Two uploads for the same organisation and month at once: the loser of the race on the
# unique constraints starts again and becomes the next version.
STORE_ATTEMPTS = 3


@dataclass(frozen=True)
class SubmitResult:
    staffing_return: StaffingReturn
    created: bool  # False when the file is the same as the current version's: nothing stored

    @property
    def duplicate(self) -> bool:
        return not self.created


@dataclass(frozen=True)
class Upload:
    """One return checked and read, to be stored by `returns_store`."""

    organisation: Organisation
    period: datetime.date
    content: bytes
    filename: str
    parsed: ParsedReturn
    ics: ICS
    workers: dict[str, list[str]] | None


def reportable_groups() -> dict[str, StaffGroup]:
    """The staff groups a return may give, by code, in their order."""
    reportable = StaffGroup.objects.filter(reportable=True).order_by("sort_order")
    return {g.code: g for g in reportable.only("code", "name")}


def returns_store(
    user: User, uploads: list[Upload], groups: dict[str, StaffGroup]
) -> list[SubmitResult]:
    """Store each upload as the next version of its organisation and month, or nothing for one
    the same as the current version (`created` False), in one transaction: started again if
    another upload of one of the months was stored first. Results in the uploads' order."""
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


ROW_COLUMNS = ("staffing_return", "staff_group", *COLUMNS[1:], *COST_COLUMNS)


def row_values(staffing_return_id: int, staff_group_id: int, row: ReturnRow) -> tuple:
    """The stored values of one validated row of a return, in ROW_COLUMNS' order: the
    figures as validation left them (rounded, in range), written by `rows_insert`. A row's
    fields after its number and code are those columns, in that order."""
    return (staffing_return_id, staff_group_id, *row[2:])


def _store(
    *, user: User, uploads: list[Upload], groups: dict[str, StaffGroup]
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
    stored: list[tuple[Upload, StaffingReturn, StaffingReturn | None]] = []
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
