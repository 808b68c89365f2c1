"""The audit trail: every write records who, when, what, and the fields before and after."""

from __future__ import annotations

from typing import Any

from django.db.models import Model

from workforce.models import ICS, AuditEntry, User


def audit_record(
    *,
    user: User | None,
    action: str,
    instance: Model,
    ics: ICS | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    before, after = before or {}, after or {}
    changes = {
        name: [before.get(name), after.get(name)]
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }
    return AuditEntry.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        action=action,
        model=instance._meta.label,
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        ics=ics,
        changes=changes,
    )
