"""`rows_insert` on PostgreSQL: the rows go through COPY, come back exactly, and a COPY that
fails stores nothing (the checks themselves are in tests/core/test_bulk_rows.py)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import PublishedFigure
from core.services.bulk_rows import rows_insert
from tests.core import test_bulk_rows as checks

pytestmark = pytest.mark.integration


@pytest.fixture
def copy_calls(postgres, monkeypatch):
    """The COPY statements sent, through psycopg's cursor."""
    import psycopg

    sent: list[str] = []
    original = psycopg.Cursor.copy

    def copy(self, statement, *args, **kwargs):
        sent.append(str(statement))
        return original(self, statement, *args, **kwargs)

    monkeypatch.setattr(psycopg.Cursor, "copy", copy)
    return sent


@pytest.mark.django_db
def test_rows_go_through_one_copy_and_no_insert(copy_calls):
    rows = checks.figure_rows()
    with CaptureQueriesContext(connection) as queries:
        assert rows_insert(PublishedFigure, checks.FIGURE_COLUMNS, rows) == len(rows)
    assert copy_calls == [
        'COPY "core_publishedfigure" ("organisation_id", "staff_group_id", "period", "month", '
        '"fte", "headcount", "source") FROM STDIN'
    ]
    assert not [q for q in queries.captured_queries if "INSERT" in q["sql"]]


@pytest.mark.django_db
def test_values_round_trip_exactly_through_copy(copy_calls):
    checks.check_round_trip()
    assert len(copy_calls) == 3


@pytest.mark.django_db
def test_a_copy_breaking_a_constraint_stores_nothing(copy_calls):
    checks.check_failure_stores_nothing()
    assert copy_calls


@pytest.mark.django_db(transaction=True)
def test_a_failed_copy_in_autocommit_stores_nothing(reference_data, copy_calls):
    checks.check_failure_outside_a_transaction_stores_nothing()
    assert len(copy_calls) == 2


@pytest.mark.django_db
def test_a_row_of_the_wrong_length_stops_the_copy(copy_calls):
    checks.check_bad_row_shape_stores_nothing()
