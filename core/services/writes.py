"""Writing a record the one way: in scope, valid, unique, stored, audited.

Every write of the apps takes the same steps in the same order:

1. the scope: who may write the record (raises OutOfScope, a 403, at once);
2. the values: every problem is added to one `Problems`, each naming its field;
3. uniqueness: a record that would duplicate another is one more problem in the same list
   (unless a field that identifies the record has a problem already);
4. `Problems.raise_any()`: one ApplicationError listing them all, before anything is stored;
5. `store_audited`: the save and one audit entry with the fields before and after, in one
   transaction.

`RecordKind` with `record_create` and `record_update` do all five for a record whose fields
are written as given (education's records); plan targets and scenarios, whose values are
parsed and whose rows are replaced, take the same steps with their own checks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.db.models import Model

from core.errors import ApplicationError
from core.models import ICS, AuditEntry, User
from core.services.audit import audit_record

M = TypeVar("M", bound=Model)
Problem = dict[str, Any]


class Problems(list[Problem]):
    """Every problem found with what was asked, raised together as one ApplicationError."""

    def __init__(self, found: Iterable[Problem] = ()) -> None:
        super().__init__(found)

    def add(self, field: str, message: str) -> None:
        self.append({"field": field, "message": message})

    def about(self, fields: Iterable[str]) -> bool:
        """Whether a problem names one of `fields`: a record whose identifying fields could
        not be read is not checked for uniqueness."""
        names = set(fields)
        return any(problem.get("field") in names for problem in self)

    def raise_any(self) -> None:
        if self:
            raise ApplicationError(list(self))


def store_audited(
    *,
    user: User,
    instance: M,
    ics: ICS | None,
    before: dict[str, Any] | None,
    after: Callable[[M], dict[str, Any]],
    save: Callable[[], None] | None = None,
    duplicate: Callable[[], ApplicationError] | None = None,
) -> M:
    """Save `instance` (or run `save`, which stores it with its rows) and record one audit
    entry: a create when there was nothing `before`, else an update with the fields before
    and after. An IntegrityError is `duplicate()`: another request stored the same record
    between the uniqueness check and the save."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                (save or instance.save)()
        except IntegrityError:
            if duplicate is None:
                raise
            raise duplicate() from None
        audit_record(
            user=user,
            action=AuditEntry.Action.CREATE if before is None else AuditEntry.Action.UPDATE,
            instance=instance,
            ics=ics,
            before=before,
            after=after(instance),
        )
    return instance


def delete_audited(*, user: User, instance: Model, ics: ICS | None, before: dict[str, Any]) -> None:
    """Delete `instance` and record one audit entry with the fields it had."""
    with transaction.atomic():
        audit_record(
            user=user, action=AuditEntry.Action.DELETE, instance=instance, ics=ics, before=before
        )
        instance.delete()


@dataclass(frozen=True)
class RecordKind:
    """A record written as given: what may be written, who may, and what makes it valid."""

    model: type[Model]
    fields: tuple[str, ...]  # what a write may set; the audit entry records these
    unique: tuple[str, ...]  # the fields that identify one record; the last names the problem
    problems: Callable[[Any], list[Problem]]
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


def _save(kind: RecordKind, *, user: User, instance: M, before: dict[str, Any] | None) -> M:
    kind.check_may_write(user, instance)
    problems = Problems(kind.problems(instance))
    if not problems.about(kind.unique):
        duplicate = _duplicate_of(kind, instance)
        if duplicate is not None:
            problems.extend(_duplicate_error(kind, instance, duplicate.pk).errors)
    problems.raise_any()
    after = snapshot(instance, kind.fields)
    if before == after:
        return instance  # nothing changed: nothing to write or record
    return store_audited(
        user=user,
        instance=instance,
        ics=kind.ics_of(instance),
        before=before,
        after=lambda saved: after,
        duplicate=lambda: _duplicate_error(kind, instance, None),
    )


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
