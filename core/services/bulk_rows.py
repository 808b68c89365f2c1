"""Inserting many new rows at once, without a model instance for each: for the national loads.

`bulk_create` builds a model instance per row and prepares every value through its field;
for the 120,000 rows of the GP practice series that is most of `load_reference_data`'s time
on SQLite (about 7 s of 8). `rows_insert` sends the same INSERT through one `executemany` per
batch, adapting dates and decimals as the database backend does (docs/decisions.md). The
database still checks every constraint.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from itertools import islice
from typing import Any

from django.db import connection, models

BATCH = 5000


def _adapter(field: models.Field) -> Callable[[Any], Any]:
    ops = connection.ops
    if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        return ops.adapt_datefield_value
    if isinstance(field, models.DecimalField):
        return lambda value: (
            None
            if value is None
            else ops.adapt_decimalfield_value(value, field.max_digits, field.decimal_places)
        )
    return lambda value: value


def rows_insert(
    model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Insert `rows`, each the values of `columns` (field names; a foreign key by its id) in
    that order, already valid for their fields. Returns how many were inserted."""
    fields = [model._meta.get_field(name) for name in columns]
    adapters = [_adapter(field) for field in fields]
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} "
        f"({', '.join(quote(field.column) for field in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    inserted = 0
    values = (tuple(adapt(v) for adapt, v in zip(adapters, row, strict=True)) for row in rows)
    with connection.cursor() as cursor:
        while batch := list(islice(values, BATCH)):
            cursor.executemany(sql, batch)
            inserted += len(batch)
    return inserted
