"""Submitting a ZIP archive of returns (`workforce.returns.archive`): every file checked as a
single upload is, then all stored in one transaction, or none."""

from __future__ import annotations

from django.conf import settings

from core.access import can_submit_for
from core.errors import ApplicationError, OutOfScope
from core.models import Organisation, User
from workforce.returns import ascwds, read_return
from workforce.returns.archive import ArchivedReturn, ArchiveLimits, read_archive

from .return_store import SubmitResult, Upload, reportable_groups, returns_store
from .returns import memberships_of, period_parse, return_limits, system_on


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
    groups = reportable_groups()
    memberships = memberships_of([o.pk for o in organisations.values()])
    uploads: list[Upload] = []
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
        uploads.append(Upload(organisation, period, f.content, f.name, parsed, ics, None))
    if errors:
        raise ApplicationError(errors)
    return list(zip([f.name for f in files], returns_store(user, uploads, groups), strict=True))


def _outside(organisation: Organisation, files: list[ArchivedReturn]) -> dict:
    count = sum(1 for f in files if f.organisation == organisation.code.upper())
    return {
        "field": "organisation",
        "message": f"You may not submit returns for {organisation.code}: "
        f"{count} of the archive's files {'is' if count == 1 else 'are'} its.",
    }


def archive_files(results: list[tuple[str, SubmitResult]]) -> list[tuple[str, int, bool]]:
    """Each file of a stored archive as (its name, its return's id, whether it was stored):
    what `selectors.returns.archived_returns` shows, and what the page keeps in the session."""
    return [(name, result.staffing_return.pk, result.created) for name, result in results]
