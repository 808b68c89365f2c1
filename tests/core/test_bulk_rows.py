"""`rows_insert`, the one bulk write: values stored exactly, and a failed load stores nothing.

These run on the database of the run (SQLite by default: executemany); the same checks run
on PostgreSQL, through COPY, in tests/integration/test_bulk_copy.py.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import DatabaseError, transaction

from core.models import AuditEntry, Organisation, PublishedFigure, StaffGroup
from core.services.bulk_rows import rows_insert

pytestmark = pytest.mark.django_db

FIGURE_COLUMNS = ("organisation", "staff_group", "period", "month", "fte", "headcount", "source")
AT = datetime.datetime(2025, 3, 31, 23, 59, 58, 123456, tzinfo=datetime.UTC)


def figure_rows() -> list[tuple]:
    trust = Organisation.objects.get(code="RJ1").pk
    nurses, doctors = (StaffGroup.objects.get(code=code).pk for code in ("NUR", "DOC"))
    return [
        (trust, nurses, PublishedFigure.Period.MONTH, datetime.date(2024, 2, 1),
         Decimal("1234567890.12"), None, "Round trip, month"),
        (trust, doctors, "financial_year", datetime.date(2023, 4, 1),
         None, 17, "Round trip, year"),
        (trust, doctors, "month", datetime.date(2024, 2, 1), Decimal("0.01"), 0, "Tiny"),
    ]  # fmt: skip


def check_round_trip() -> None:
    rows = figure_rows()
    assert rows_insert(PublishedFigure, FIGURE_COLUMNS, iter(rows)) == len(rows)
    stored = set(
        PublishedFigure.objects.filter(source__in=[row[-1] for row in rows]).values_list(
            "organisation_id", "staff_group_id", "period", "month", "fte", "headcount", "source"
        )
    )
    assert stored == {(*row[:2], str(row[2]), *row[3:]) for row in rows}
    assert all(isinstance(s[3], datetime.date) for s in stored)
    # Booleans, null dates and a choice given as its member.
    rows_insert(
        Organisation,
        ("code", "name", "kind", "active", "sector", "illustrative", "opened", "closed",
         "cqc_location_id"),
        [
            ("ZZB1", "Bulk one", Organisation.Kind.NHS_TRUST, False, True, True, None,
             datetime.date(2024, 3, 31), ""),
            ("ZZB2", "Bulk two", "gp_practice", True, False, False, datetime.date(1999, 12, 31),
             None, ""),
        ],
    )  # fmt: skip
    assert set(
        Organisation.objects.filter(code__startswith="ZZB").values_list(
            "code", "kind", "active", "sector", "illustrative", "opened", "closed"
        )
    ) == {
        ("ZZB1", "nhs_trust", False, True, True, None, datetime.date(2024, 3, 31)),
        ("ZZB2", "gp_practice", True, False, False, datetime.date(1999, 12, 31), None),
    }
    # JSON (nested, with nulls and text that needs escaping) and an aware datetime.
    changes = {"fte": ["12.50", None], "note": 'tab\there, "quoted", back\\slash\nnew line'}
    rows_insert(
        AuditEntry,
        ("at", "action", "model", "object_id", "object_repr", "changes"),
        [(AT, AuditEntry.Action.CREATE, "core.Test", "1", "Bulk \\N test", changes)],
    )
    entry = AuditEntry.objects.get(model="core.Test")
    assert (entry.at, entry.action, entry.object_repr, entry.changes) == (
        AT, "create", "Bulk \\N test", changes,
    )  # fmt: skip


def check_failure_stores_nothing() -> None:
    rows = figure_rows()
    before = PublishedFigure.objects.count()
    broken = (*rows[0][:4], Decimal("-1.00"), None, "Negative")  # breaks fte >= 0
    with pytest.raises(DatabaseError), transaction.atomic():
        rows_insert(PublishedFigure, FIGURE_COLUMNS, [*rows, broken])
    assert PublishedFigure.objects.count() == before


def check_failure_outside_a_transaction_stores_nothing() -> None:
    """With no transaction around it (autocommit), the load is its own transaction."""
    assert transaction.get_autocommit()
    rows = figure_rows()
    before = PublishedFigure.objects.count()
    duplicate = rows[:1] * 2  # breaks one figure per organisation, group, period and month
    with pytest.raises(DatabaseError):
        rows_insert(PublishedFigure, FIGURE_COLUMNS, [*rows[1:], *duplicate])
    assert PublishedFigure.objects.count() == before
    assert rows_insert(PublishedFigure, FIGURE_COLUMNS, rows) == len(rows)  # usable after


def check_bad_row_shape_stores_nothing() -> None:
    before = PublishedFigure.objects.count()
    with pytest.raises(ValueError), transaction.atomic():
        rows_insert(PublishedFigure, FIGURE_COLUMNS, [*figure_rows(), ("too", "short")])
    assert PublishedFigure.objects.count() == before


def test_values_round_trip_exactly():
    check_round_trip()


def test_a_row_breaking_a_constraint_stores_nothing():
    check_failure_stores_nothing()


@pytest.mark.django_db(transaction=True)
def test_a_failed_load_in_autocommit_stores_nothing(reference_data):
    check_failure_outside_a_transaction_stores_nothing()


def test_a_row_of_the_wrong_length_stores_nothing():
    check_bad_row_shape_stores_nothing()


def test_nothing_to_insert_sends_no_statement(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert rows_insert(PublishedFigure, FIGURE_COLUMNS, iter([])) == 0
