"""PostgreSQL faults during an upload: a dropped connection, and uploads racing for a month.

Each upload goes through the API (the Django test client) with real connections, committed
transactions and PostgreSQL's own locking.
"""

from __future__ import annotations

import threading

import psycopg
import pytest
from django.db import connection

from core.api.errors import DATABASE_UNAVAILABLE
from core.models import AuditEntry
from tests.conftest import build_cast
from tests.unit.returns.files import zip_bytes
from tests.workforce.returns_data import csv_file, row
from workforce.models import StaffingReturn, StaffingReturnRow
from workforce.services import return_store

from .conftest import database_url

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

PERIOD = "2026-10"


@pytest.fixture
def people(reference_data, postgres):
    return build_cast()


def upload(user, content: bytes, *, period: str = PERIOD, organisation: str = "RJ1"):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(user)
    return client.post(
        "/api/v1/returns/",
        {
            "organisation": organisation,
            "period": period,
            "file": SimpleUploadedFile("return.csv", content, "text/csv"),
        },
        format="multipart",
    )


def terminate_this_connection() -> None:
    """Have another session end this one, as a database restart or a network cut would."""
    pid = connection.connection.info.backend_pid
    with psycopg.connect(database_url().replace("postgres://", "postgresql://", 1)) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))


def test_a_connection_dropped_mid_upload_stores_nothing_and_says_try_again(people, monkeypatch):
    audit_records = return_store.audit_records

    def drop_then_audit(entries):
        # The last step: the return and its rows are written inside the upload's transaction.
        assert StaffingReturnRow.objects.exists()
        terminate_this_connection()
        return audit_records(entries)

    monkeypatch.setattr(return_store, "audit_records", drop_then_audit)
    content = csv_file()

    response = upload(people.uploader_a, content)

    assert response.status_code == 503, response.content
    assert response.json() == {"errors": [{"message": DATABASE_UNAVAILABLE}]}
    assert "Try again" in DATABASE_UNAVAILABLE
    # The test talks to the database on a new connection: nothing of the upload is there.
    assert not StaffingReturn.objects.exists()
    assert not StaffingReturnRow.objects.exists()
    assert not AuditEntry.objects.exists()

    monkeypatch.setattr(return_store, "audit_records", audit_records)
    again = upload(people.uploader_a, content)

    assert again.status_code == 201, again.content
    assert again.json()["version"] == 1
    assert StaffingReturn.objects.get().rows.count() == 3


def race(
    uploads: list[tuple[object, bytes]], monkeypatch, *, inside_transaction: bool, send=upload
):
    """Send the uploads at the same instant, each on its own thread and connection.

    With `inside_transaction`, every upload waits for the others inside its transaction
    before writing, so that all of them have read "no version yet" before any of them writes.
    """
    barrier = threading.Barrier(len(uploads), timeout=30)
    if inside_transaction:
        store = return_store._store
        waited = threading.local()

        def store_after_the_others(**kwargs):
            if not getattr(waited, "done", False):
                waited.done = True
                barrier.wait()
            return store(**kwargs)

        monkeypatch.setattr(return_store, "_store", store_after_the_others)
    responses: list = [None] * len(uploads)
    errors: list[BaseException] = []

    def sender(index: int, user, content: bytes) -> None:
        try:
            if not inside_transaction:
                barrier.wait()
            responses[index] = send(user, content)
        except BaseException as error:  # reported in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=sender, args=(i, user, content))
        for i, (user, content) in enumerate(uploads)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    return responses


def test_two_uploads_at_the_same_instant_become_versions_1_and_2(people, monkeypatch):
    files = [csv_file([row("NUR", fte=fte)]) for fte in ("100", "101")]

    responses = race(
        [(people.uploader_a, files[0]), (people.lead_x, files[1])],
        monkeypatch,
        inside_transaction=True,
    )

    assert [r.status_code for r in responses] == [201, 201], [r.content for r in responses]
    assert sorted(r.json()["version"] for r in responses) == [1, 2]
    stored = StaffingReturn.objects.filter(organisation__code="RJ1").order_by("version")
    assert [(r.version, r.status) for r in stored] == [(1, "superseded"), (2, "submitted")]
    assert {r.sha256 for r in stored} == {r.json()["sha256"] for r in responses}
    assert all(r.rows.count() == 1 for r in stored)


def test_many_uploads_of_one_month_at_once_end_with_one_current_version(people, monkeypatch):
    users = [people.uploader_a, people.lead_x, people.national] * 2
    files = [csv_file([row("NUR", fte=str(100 + i))]) for i in range(len(users))]

    responses = race(list(zip(users, files, strict=True)), monkeypatch, inside_transaction=True)

    assert [r.status_code for r in responses] == [201] * len(users), [r.content for r in responses]
    stored = StaffingReturn.objects.filter(organisation__code="RJ1")
    assert sorted(stored.values_list("version", flat=True)) == list(range(1, len(users) + 1))
    assert stored.filter(status="submitted").count() == 1
    assert stored.get(status="submitted").version == len(users)


def upload_archive(user, files: dict[str, bytes]):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(user)
    return client.post(
        "/api/v1/returns/archive/",
        {"file": SimpleUploadedFile("returns.zip", zip_bytes(files), "application/zip")},
        format="multipart",
    )


def test_two_archives_of_the_same_months_at_once_neither_wait_for_the_other_forever(
    people, monkeypatch
):
    # The same two organisations' months, named in opposite orders: each archive locks them
    # in the order of their ids, so one waits for the other rather than each for the other.
    first = {f"RJ1_{PERIOD}.csv": csv_file([row("NUR", fte="100")]),
             f"RJ2_{PERIOD}.csv": csv_file([row("NUR", fte="200", headcount="240")])}  # fmt: skip
    second = {f"RJ2_{PERIOD}.csv": csv_file([row("NUR", fte="201", headcount="240")]),
              f"RJ1_{PERIOD}.csv": csv_file([row("NUR", fte="101")])}  # fmt: skip

    responses = race(
        [(people.lead_x, first), (people.national, second)],
        monkeypatch,
        inside_transaction=True,
        send=upload_archive,
    )

    assert [r.status_code for r in responses] == [201, 201], [r.content for r in responses]
    for code in ("RJ1", "RJ2"):
        stored = StaffingReturn.objects.filter(organisation__code=code).order_by("version")
        assert [(r.version, r.status) for r in stored] == [(1, "superseded"), (2, "submitted")]
    # Each archive's returns are one transaction's: both of its versions are 1, or both 2.
    versions = [sorted({r["version"] for r in resp.json()["returns"]}) for resp in responses]
    assert sorted(versions) == [[1], [2]]
