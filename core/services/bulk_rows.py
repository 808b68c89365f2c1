"""Inserting many new rows at once, without a model instance for each: the one bulk write.

`bulk_create` builds a model instance per row and prepares every value through its field;
for the 120,000 rows of the GP practice series that is most of `load_reference_data`'s time
on SQLite (about 7 s of 8). `rows_insert` takes plain tuples, already valid for their fields
(the caller validates first), and writes them in one go:

- on PostgreSQL through one `COPY ... FROM STDIN` (psycopg 3's `cursor.copy`, a row at a time
  with `write_row`), each value sent as psycopg dumps it (dates, datetimes, decimals, booleans,
  nulls, a TextChoices member by its value) but JSON, sent as its text;
- on SQLite through one `executemany` per batch, each value adapted as the backend does.

Either way the database checks every constraint, and a load that fails part-way stores
nothing: the rows go in inside one transaction (or the caller's), so one bad row rolls back
the whole load, rows already sent included.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import chain, islice
from typing import Any

from django.db import connection, models, transaction

BATCH = 5000  # rows per executemany on SQLite; COPY streams them all


def _same(value: Any) -> Any:
    return value


def _json_adapter(field: models.JSONField) -> Callable[[Any], Any]:
    encoder = field.encoder
    return lambda value: None if value is None else json.dumps(value, cls=encoder)


def _adapter(field: models.Field, *, copy: bool) -> Callable[[Any], Any]:
    """How a value of `field` is sent: unchanged where the driver already sends it right."""
    ops = connection.ops
    if isinstance(field, models.JSONField):
        return _json_adapter(field)
    if copy:
        return _same  # psycopg dumps dates, datetimes, decimals, booleans and None itself
    if isinstance(field, models.DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    if isinstance(field, models.DecimalField):
        return lambda value: (
            None
            if value is None
            else ops.adapt_decimalfield_value(value, field.max_digits, field.decimal_places)
        )
    return _same


def _adapted(
    adapters: list[Callable[[Any], Any]], rows: Iterable[Sequence[Any]]
) -> Iterator[Sequence[Any]]:
    if all(adapt is _same for adapt in adapters):
        for row in rows:
            if len(row) != len(adapters):
                raise ValueError(f"a row of {len(row)} values for {len(adapters)} columns")
            yield row
        return
    for row in rows:
        yield tuple(adapt(v) for adapt, v in zip(adapters, row, strict=True))


def rows_insert(
    model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Insert `rows`, each the values of `columns` (field names; a foreign key by its id) in
    that order, already valid for their fields. Returns how many were inserted; on any error
    (a constraint broken, a value the column refuses) raises, and none of them is stored."""
    fields = [model._meta.get_field(name) for name in columns]
    copy = connection.vendor == "postgresql"
    values = _adapted([_adapter(field, copy=copy) for field in fields], rows)
    first = next(values, None)
    if first is None:
        return 0  # nothing to send: no statement, no transaction
    values = chain([first], values)
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(field.column) for field in fields)
    inserted = 0
    # Inside the caller's transaction when there is one (its failure is the caller's), else in
    # a transaction of its own: never a part of the rows stored.
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        if copy:  # the driver's own cursor; its errors raised as Django's, as for a query
            statement = f"COPY {table} ({names}) FROM STDIN"
            with connection.wrap_database_errors, cursor.cursor.copy(statement) as stream:
                for row in values:
                    stream.write_row(row)
                    inserted += 1
            return inserted
        sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(fields))})"
        while batch := list(islice(values, BATCH)):
            cursor.executemany(sql, batch)
            inserted += len(batch)
    return inserted
