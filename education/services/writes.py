"""Creating and updating education records: in scope, valid, unique, and audited.

Each kind of record says what may be written, who may write it and what makes it valid; the
two functions here do the rest the same way for all of them, so every write is checked in the
same order (scope, then values, then uniqueness) and leaves one audit entry with the fields
before and after.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.db.models import Model

from core.errors import ApplicationError
from core.models import ICS, AuditEntry, User
from core.services.audit import audit_record

from .rules import Problems

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class RecordKind:
    model: type[Model]
    fields: tuple[str, ...]  # what a write may set; the audit entry records these
    unique: tuple[str, ...]  # the fields that identify one record
    problems: Callable[[Any], Problems]
    check_may_write: Callable[[User, Any], None]  # raises OutOfScope
    ics_of: Callable[[Any], ICS | None]  # the ICS the audit entry belongs to
    describe: Callable[[Any], str]  # names the record in a message


def snapshot(instance: Model, fields: tuple[str, ...]) -> dict[str, Any]:
    """The fields as JSON values: related objects by code, decimals as numbers."""
    values: dict[str, Any] = {}
    for name in fields:
        value = getattr(instance, name)
        if isinstance(value, Model):
            value = getattr(value, "code", value.pk)
        elif isinstance(value, Decimal):
            value = float(value)
        values[name] = value
    return values


def record_create(kind: RecordKind, *, user: User, values: Mapping[str, Any]) -> Any:
    return _save(kind, user=user, instance=kind.model(**values), before=None)


def record_update(kind: RecordKind, *, user: User, instance: M, changes: Mapping[str, Any]) -> M:
    unknown = set(changes) - set(kind.fields)
    if unknown:
        raise ValueError(f"{kind.model.__name__} has no writable fields {sorted(unknown)}")
    # Who may write the record as it stands, before any change moves it elsewhere.
    kind.check_may_write(user, instance)
    before = snapshot(instance, kind.fields)
    for name, value in changes.items():
        setattr(instance, name, value)
    return _save(kind, user=user, instance=instance, before=before)


def yearly_records_set(
    kind: RecordKind,
    *,
    user: User,
    key: Mapping[str, Any],
    by_year: Mapping[int, Mapping[str, Any]],
) -> list[Any]:
    """Set the values of one record a year (created where missing), all or none."""
    existing = {
        r.academic_year: r
        for r in kind.model.objects.filter(**key, academic_year__in=list(by_year))
    }
    saved = []
    with transaction.atomic():
        for year, values in sorted(by_year.items()):
            record = existing.get(year)
            if record is None:
                saved.append(
                    record_create(kind, user=user, values={**key, "academic_year": year, **values})
                )
            else:
                saved.append(record_update(kind, user=user, instance=record, changes=values))
    return saved


def _save(kind: RecordKind, *, user: User, instance: M, before: dict[str, Any] | None) -> M:
    kind.check_may_write(user, instance)
    problems = kind.problems(instance)
    if problems:
        raise ApplicationError(problems)
    duplicate = _duplicate_of(kind, instance)
    if duplicate is not None:
        raise _duplicate_error(kind, instance, duplicate.pk)
    after = snapshot(instance, kind.fields)
    if before == after:
        return instance  # nothing changed: nothing to write or record
    with transaction.atomic():
        try:
            with transaction.atomic():
                instance.save()
        except IntegrityError:
            # Another request stored the same record between the check and the save.
            raise _duplicate_error(kind, instance, None) from None
        audit_record(
            user=user,
            action=AuditEntry.Action.CREATE if before is None else AuditEntry.Action.UPDATE,
            instance=instance,
            ics=kind.ics_of(instance),
            before=before,
            after=after,
        )
    return instance


def _duplicate_of(kind: RecordKind, instance: Model) -> Model | None:
    same = {name: getattr(instance, name) for name in kind.unique}
    return kind.model.objects.filter(**same).exclude(pk=instance.pk).only("pk").first()


def _duplicate_error(kind: RecordKind, instance: Model, pk: int | None) -> ApplicationError:
    which = f" (id {pk})" if pk is not None else ""
    return ApplicationError(
        [
            {
                "field": kind.unique[-1],
                "message": f"There is already a record for {kind.describe(instance)}{which}: "
                "change that one instead.",
            }
        ]
    )
