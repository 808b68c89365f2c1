"""Submitting a monthly staffing return: check, read, version and store it in one go."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import logging

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from core import calendar
from core.access import can_submit_for
from core.errors import ApplicationError, OutOfScope
from core.models import ICS, Organisation, OrganisationMembership, User
from workforce.models import StaffingReturn
from workforce.returns import (
    COLUMNS,
    UNEXPECTED_FAILURE,
    Limits,
    ascwds,
    read_return,
)
from workforce.returns.parsing import size_in_words

from .return_store import SubmitResult, Upload, reportable_groups, returns_store

logger = logging.getLogger(__name__)

# Workers are matched from month to month on a keyed hash; the key is this app's own.
WORKER_KEY_PURPOSE = b"workforce.returns.ascwds.worker-key"
WORKER_FILE_KINDS = (Organisation.Kind.SOCIAL_CARE,)


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
    groups = reportable_groups()
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
    upload = Upload(organisation, period, content, filename, parsed, ics, workers)
    return returns_store(user, [upload], groups)[0]


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
