"""Reading the audit trail: an ICB lead their system's entries, a national administrator all."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from core.access import can_read_audit, in_scope
from core.errors import OutOfScope
from core.models import AuditEntry, User


@dataclass(frozen=True)
class AuditFilter:
    """What to keep; empty fields keep everything. `model` is a label (workforce.PlanTarget)
    or a model's name (PlanTarget, plantarget)."""

    ics: str = ""
    model: str = ""
    user: str = ""
    action: str = ""
    object_id: str = ""
    since: datetime.datetime | None = None


def parse_since(text: str) -> datetime.datetime | None:
    """A day (YYYY-MM-DD, from its start in Europe/London) or a date and time (ISO 8601)."""
    text = text.strip()
    if not text:
        return None
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"'{text[:40]}' is not a date: use YYYY-MM-DD, or a date and time such as "
            "2026-04-01T09:00."
        ) from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def audit_entries_for(*, user: User, keep: AuditFilter = AuditFilter()) -> QuerySet[AuditEntry]:
    """The entries `user` may read, newest first; refused (403) to those who read none."""
    if not can_read_audit(user):
        raise OutOfScope(
            "The audit trail is for ICB leads (their system) and national administrators."
        )
    entries = in_scope(AuditEntry.objects.select_related("user", "ics"), user, ics="ics")
    if keep.ics:
        entries = entries.filter(ics__code__iexact=keep.ics)
    if keep.model:
        entries = entries.filter(Q(model__iexact=keep.model) | Q(model__iendswith=f".{keep.model}"))
    if keep.user:
        entries = entries.filter(user__username__iexact=keep.user)
    if keep.action:
        entries = entries.filter(action=keep.action)
    if keep.object_id:
        entries = entries.filter(object_id=keep.object_id)
    if keep.since is not None:
        entries = entries.filter(at__gte=keep.since)
    return entries.order_by("-at", "-id")


def audited_models(*, user: User) -> list[str]:
    """The models the user's entries name, for a choice of filter."""
    return sorted(
        audit_entries_for(user=user).order_by().values_list("model", flat=True).distinct()
    )
