"""Creating and updating education records: the one write of `core.services.writes`.

Each kind of record (a `RecordKind`) says what may be written, who may write it and what makes
it valid; `record_create` and `record_update` check scope, then values, then uniqueness, and
leave one audit entry with the fields before and after. What is education's own is setting
one record a year.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from core.models import User
from core.services.writes import RecordKind, record_create, record_update, snapshot

__all__ = ["RecordKind", "record_create", "record_update", "snapshot", "yearly_records_set"]


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
