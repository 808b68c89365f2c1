"""How many queries submitting one return costs: a fixed few, whatever the file holds."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from workforce.services.returns import staffing_return_submit

from .returns_data import csv_file, month, row, store_return

pytestmark = pytest.mark.django_db

CONTROL = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK", "BEGIN", "COMMIT")
# The rows go in through `rows_insert`: one COPY on PostgreSQL (not a logged query), one
# executemany on SQLite. Counted apart, so that the figure is the same on both.
ROWS_INSERT = 'INSERT INTO "workforce_staffingreturnrow"'


def statements(cast, content: bytes, user=None) -> tuple[list[str], list[str]]:
    """The statements one submission sends, but transaction control: the others, and the
    inserts of its rows."""
    with CaptureQueriesContext(connection) as captured:
        staffing_return_submit(
            user=user or cast.uploader_a,
            organisation=cast.trust_a,
            period="2025-03",
            content=content,
            filename="return.csv",
        )
    sent = [q["sql"] for q in captured.captured_queries if not q["sql"].startswith(CONTROL)]
    rows = [sql for sql in sent if ROWS_INSERT in sql]  # an executemany is "N times: INSERT"
    return [sql for sql in sent if ROWS_INSERT not in sql], rows


def test_a_new_return_costs_seven_queries_whatever_its_rows(cast):
    store_return(cast.trust_a, month(2025, 2))  # an earlier month for the warnings
    groups = ["DOC", "NUR", "MID", "AMB", "STT", "OTH"]
    sent, rows = statements(cast, csv_file([row(code) for code in groups]))
    # Its system for the month, the staff groups, the organisation locked, the latest version,
    # the earlier month's figures, the return, its audit entry.
    assert len(sent) == 7, "\n".join(sent)
    assert len(rows) <= 1


def test_a_new_version_costs_one_more_superseding_the_current_one(cast):
    statements(cast, csv_file([row("NUR", fte="100")]))
    sent, rows = statements(cast, csv_file([row("NUR", fte="101")]))
    # The old version's status; its audit entry goes in the one statement with the new one's.
    assert len(sent) == 8, "\n".join(sent)
    assert len(rows) <= 1


def test_the_same_file_again_costs_four_and_writes_nothing(cast):
    content = csv_file()
    statements(cast, content)
    sent, rows = statements(cast, content)
    assert len(sent) == 4, "\n".join(sent)
    assert not [sql for sql in sent if sql.startswith(("INSERT", "UPDATE", "DELETE"))]
    assert rows == []


def test_a_lead_pays_one_query_for_the_scope(cast):
    sent, _ = statements(cast, csv_file(), user=cast.lead_x)
    assert len(sent) == 8, "\n".join(sent)  # the seven, and whether the trust is in its system
