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


@pytest.mark.django_db
def test_an_uploaded_return_stores_its_rows_through_copy(cast, copy_calls):
    from decimal import Decimal

    from tests.workforce.returns_data import csv_file, row
    from workforce.models import StaffingReturnRow
    from workforce.services.returns import staffing_return_submit

    content = csv_file(
        [
            row(
                "NUR",
                fte="250.505",
                headcount="300",
                vacancies_fte="",
                sickness_absence_rate="4.5%",
            ),
            row(
                "DOC",
                fte="0",
                headcount="0",
                vacancies_fte="3",
                bank_fte="",
                joiners_fte="",
                leavers_fte="",
                sickness_absence_rate="",
            ),
        ]
    )
    result = staffing_return_submit(
        user=cast.uploader_a,
        organisation=cast.trust_a,
        period="2025-03",
        content=content,
        filename="return.csv",
    )
    assert [c for c in copy_calls if "workforce_staffingreturnrow" in c]
    stored = {
        code: figures
        for code, *figures in StaffingReturnRow.objects.filter(
            staffing_return=result.staffing_return
        ).values_list(
            "staff_group__code", "fte", "headcount", "vacancies_fte", "bank_fte",
            "joiners_fte", "leavers_fte", "sickness_absence_rate",
        )
    }  # fmt: skip
    assert stored == {
        "NUR": [Decimal("250.51"), 300, None, Decimal("5.00"), Decimal("1.00"), Decimal("1.00"),
                Decimal("0.04500")],
        "DOC": [Decimal("0.00"), 0, Decimal("3.00"), Decimal("0.00"), None, None,
                Decimal("0.00000")],
    }  # fmt: skip
