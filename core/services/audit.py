"""The audit trail: every write records who, when, what, and the fields before and after.

A write of one object is one entry. A bulk load from a national file (reference data,
published figures, the programme catalogue) is one entry that describes the change: what
was added and changed, with the codes or months it touched (docs/decisions.md).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model

from core.models import ICS, AuditEntry, User


def _who(user: User | None) -> User | None:
    return user if user is not None and user.is_authenticated else None


def audit_record(**fields: Any) -> AuditEntry:
    """Record one write: the `audit_entry` of `fields`, stored."""
    entry = audit_entry(**fields)
    entry.save(force_insert=True)
    return entry


def audit_records(entries: list[AuditEntry]) -> list[AuditEntry]:
    """Record many writes at once, each `audit_entry`'s: one entry per object, as
    `audit_record` would, in one statement."""
    return AuditEntry.objects.bulk_create(entries, batch_size=1000)


def audit_entry(
    *,
    user: User | None,
    action: AuditEntry.Action,
    instance: Model,
    ics: ICS | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    object_id: str | None = None,
    object_repr: str | None = None,
) -> AuditEntry:
    """One write's entry, not yet stored (`audit_record` stores one, `audit_records` many).
    `object_id` and `object_repr` replace the instance's own where those would say too much
    (an API token's key is its secret's hash)."""
    if not isinstance(action, AuditEntry.Action):
        # A bare string would be stored as given, so a misspelt action would slip in.
        raise TypeError(f"action must be an AuditEntry.Action, not {action!r}")
    before, after = before or {}, after or {}
    changes = {
        name: [before.get(name), after.get(name)]
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }
    return AuditEntry(
        user=_who(user),
        action=action,
        model=instance._meta.label,
        object_id=object_id if object_id is not None else str(instance.pk),
        object_repr=(object_repr if object_repr is not None else str(instance))[:200],
        ics=ics,
        changes=changes,
    )


def audit_bulk(
    *,
    user: User | None,
    model: type[Model],
    description: str,
    changes: dict[str, Any],
    ics: ICS | None = None,
) -> AuditEntry:
    """Record one bulk change: `changes` maps what changed ("added", "updated", ...) to its
    details. It is a create when it only added rows, else an update; its object id is empty."""
    only_added = set(changes) <= {"added"}
    return AuditEntry.objects.create(
        user=_who(user),
        action=AuditEntry.Action.CREATE if only_added else AuditEntry.Action.UPDATE,
        model=model._meta.label,
        object_id="",
        object_repr=description[:200],
        ics=ics,
        changes={name: [None, value] for name, value in changes.items()},
    )
