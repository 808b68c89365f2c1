"""Reviewing a return with warnings: its organisation confirms it, or the system's ICB lead
accepts it with a comment; and the comments kept with it (the ICB's query, the answer).

Until a return with warnings is confirmed or accepted it is "for review", and projections use
the version before it (`StaffingReturn.objects.for_runs`). Each step is audited.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from core.access import can_submit_for
from core.errors import ApplicationError, OutOfScope
from core.models import ICS, AuditEntry, Role, User
from core.services.audit import audit_record
from core.services.writes import Problems, store_audited
from workforce.models import ReturnComment, StaffingReturn

from .returns import period_system

TEXT_LIMIT = 2000


def return_system(staffing_return: StaffingReturn) -> ICS:
    """The system a return belongs to: its organisation's in the return's month."""
    return period_system(staffing_return.organisation, staffing_return.period)


def may_confirm(user: User, staffing_return: StaffingReturn) -> bool:
    """The return's own organisation's users, and no one else: they vouch for the figures."""
    return (
        user.is_authenticated
        and user.role == Role.TRUST_UPLOADER
        and user.organisation_id == staffing_return.organisation_id
    )


def may_accept(user: User, staffing_return: StaffingReturn) -> bool:
    """The ICB lead of the return's system, or a national administrator."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.role == Role.NATIONAL_ADMIN:
        return True
    return user.role == Role.ICB_LEAD and user.ics_id == return_system(staffing_return).pk


def of_own_system(user: User, staffing_return: StaffingReturn) -> bool:
    """False for a system's user and a return of another system's month (an ICB lead reads a
    former member's returns): not theirs to accept, so it is not found for that."""
    if user.role not in (Role.ICB_LEAD, Role.ANALYST) or user.ics_id is None:
        return True
    return user.ics_id == return_system(staffing_return).pk


def may_comment(user: User, staffing_return: StaffingReturn) -> bool:
    """Those who may confirm or accept it, and those who may upload it (an ICB lead for a
    member): the query and the answer. Analysts read the comments and write none."""
    return (
        may_confirm(user, staffing_return)
        or may_accept(user, staffing_return)
        or can_submit_for(user, staffing_return.organisation)
    )


def _text(problems: Problems, text: str | None, *, required: bool) -> str:
    text = (text or "").strip()
    if required and not text:
        problems.add("comment", "Say why the figures stand: a comment is required.")
    elif len(text) > TEXT_LIMIT:
        problems.add(
            "comment", f"Keep the comment to {TEXT_LIMIT} characters (it has {len(text)})."
        )
    return text


def _reviewable(problems: Problems, staffing_return: StaffingReturn) -> None:
    if staffing_return.status != StaffingReturn.Status.SUBMITTED:
        problems.add(
            "return",
            f"Version {staffing_return.version} has been superseded: review the current version.",
        )
    elif not staffing_return.warnings:
        problems.add("return", "This return has no warnings: there is nothing to review.")


def _already(staffing_return: StaffingReturn, review: str) -> bool:
    """True when the return was already reviewed this way (asked again: nothing to do); a
    400 when it was reviewed the other way."""
    if not staffing_return.review:
        return False
    if staffing_return.review == review:
        return True
    who = staffing_return.get_review_display().lower()
    raise ApplicationError(
        [
            {
                "field": "return",
                "message": f"This return is no longer for review: it was {who} on "
                f"{staffing_return.reviewed_at:%d %B %Y}. Add a comment instead.",
            }
        ]
    )


def return_confirm(
    *, user: User, staffing_return: StaffingReturn, comment: str = ""
) -> tuple[StaffingReturn, bool]:
    """The organisation confirms its figures as they are; says whether this call did."""
    if not may_confirm(user, staffing_return):
        raise OutOfScope(
            f"Only {staffing_return.organisation.code}'s own users may confirm its return."
        )
    return _review(
        user=user,
        staffing_return=staffing_return,
        review=StaffingReturn.Review.CONFIRMED,
        kind=ReturnComment.Kind.CONFIRMATION,
        comment=comment,
        required=False,
    )


def return_accept(
    *, user: User, staffing_return: StaffingReturn, comment: str
) -> tuple[StaffingReturn, bool]:
    """The system's ICB lead (or a national administrator) accepts the figures, with a
    comment saying why; says whether this call did."""
    if not may_accept(user, staffing_return):
        raise OutOfScope(
            "Only the ICB lead of the return's system or a national administrator may accept it."
        )
    return _review(
        user=user,
        staffing_return=staffing_return,
        review=StaffingReturn.Review.ACCEPTED,
        kind=ReturnComment.Kind.ACCEPTANCE,
        comment=comment,
        required=True,
    )


def _review(
    *,
    user: User,
    staffing_return: StaffingReturn,
    review: str,
    kind: str,
    comment: str,
    required: bool,
) -> tuple[StaffingReturn, bool]:
    problems = Problems()
    text = _text(problems, comment, required=required)
    _reviewable(problems, staffing_return)
    problems.raise_any()
    with transaction.atomic():
        # Locked, so that a confirmation and an acceptance at once do not both record.
        locked = (
            StaffingReturn.objects.select_for_update().defer("content").get(pk=staffing_return.pk)
        )
        if _already(locked, review):
            return locked, False
        if locked.status != StaffingReturn.Status.SUBMITTED:
            raise ApplicationError(
                [{"field": "return", "message": "A newer version came meanwhile: review that."}],
                status_code=409,
            )
        now = timezone.now()
        StaffingReturn.objects.filter(pk=locked.pk).update(
            review=review, reviewed_by=user, reviewed_at=now
        )
        ics = return_system(staffing_return)
        audit_record(
            user=user,
            action=AuditEntry.Action.UPDATE,
            instance=staffing_return,
            ics=ics,
            before={"review": "for review"},
            after={"review": review, "warnings": len(locked.warnings), "comment": text},
        )
        if text:
            _comment_store(user, staffing_return, text, kind, ics, now)
    staffing_return.review, staffing_return.reviewed_by, staffing_return.reviewed_at = (
        review,
        user,
        now,
    )
    return staffing_return, True


def return_comment_add(*, user: User, staffing_return: StaffingReturn, text: str) -> ReturnComment:
    """A comment kept with the return: a query about its figures, or the answer to one."""
    if not may_comment(user, staffing_return):
        raise OutOfScope(
            "Only the return's organisation, the system's ICB lead or a national administrator "
            "may comment on it."
        )
    problems = Problems()
    text = _text(problems, text, required=True)
    problems.raise_any()
    return _comment_store(
        user,
        staffing_return,
        text,
        ReturnComment.Kind.COMMENT,
        return_system(staffing_return),
        timezone.now(),
    )


def _comment_store(user, staffing_return, text, kind, ics, now) -> ReturnComment:
    comment = ReturnComment(
        staffing_return=staffing_return, author=user, text=text, kind=kind, created=now
    )
    return store_audited(
        user=user,
        instance=comment,
        ics=ics,
        before=None,
        after=lambda saved: {"return": staffing_return.pk, "kind": kind, "text": text},
    )
