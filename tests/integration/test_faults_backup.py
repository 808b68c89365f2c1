"""Losing the database server: `make backup` and `make restore` bring every return back.

The returns are stored through the service, the test database is dumped by
scripts/backup.sh, and scripts/restore.sh loads the dump into a new, empty database, where
every return is found with its file byte for byte.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import psycopg
import pytest

from tests.conftest import build_cast, require
from tests.workforce.returns_data import csv_file, row, xlsx_file
from workforce.models import StaffingReturn, StaffingReturnRow
from workforce.services.returns import staffing_return_submit

from .conftest import ROOT, database_url

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def libpq(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


def run(script: str, *args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(ROOT / "scripts" / script), *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def empty_database(reference_data, postgres):
    """A new database on the test server, dropped afterwards; its URL."""
    require(shutil.which("pg_dump") and shutil.which("pg_restore"), "needs pg_dump and pg_restore")
    server, source = database_url().rsplit("/", 1)
    restored = f"{source}_restored"  # one per test database, so per xdist worker too
    admin = libpq(f"{server}/postgres")
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {restored}")
        connection.execute(f"CREATE DATABASE {restored}")
    yield f"{server}/{restored}"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {restored} WITH (FORCE)")


def stored_returns(url: str) -> set[tuple]:
    with psycopg.connect(libpq(url)) as connection:
        return set(
            connection.execute(
                "SELECT o.code, r.period, r.version, r.status, r.sha256, r.content,"
                " (SELECT count(*) FROM workforce_staffingreturnrow x"
                "  WHERE x.staffing_return_id = r.id)"
                " FROM workforce_staffingreturn r"
                " JOIN core_organisation o ON o.id = r.organisation_id"
            ).fetchall()
        )


def test_a_backup_restored_into_an_empty_database_has_every_return(empty_database, tmp_path: Path):
    cast = build_cast()
    uploads = [
        (cast.uploader_a, cast.trust_a, "2026-09", csv_file(), "a.csv"),
        (cast.uploader_a, cast.trust_a, "2026-09", csv_file([row("NUR", fte="90")]), "b.csv"),
        (cast.uploader_a, cast.trust_a, "2026-10", xlsx_file(), "c.xlsx"),
        (cast.uploader_b, cast.trust_b, "2026-10", csv_file([row("DOC")]), "d.csv"),
    ]
    for user, organisation, period, content, name in uploads:
        staffing_return_submit(
            user=user, organisation=organisation, period=period, content=content, filename=name
        )
    before = stored_returns(database_url())
    assert len(before) == 4 and StaffingReturnRow.objects.count() == 3 + 1 + 3 + 1

    backup = run("backup.sh", DATABASE_URL=database_url(), BACKUP_DIR=str(tmp_path))
    assert backup.returncode == 0, backup.stderr
    (dump,) = tmp_path.glob("*.dump")
    assert (tmp_path / f"{dump.name}.sha256").read_text().split()[0] == hashlib.sha256(
        dump.read_bytes()
    ).hexdigest()

    restore = run("restore.sh", str(dump), DATABASE_URL=empty_database)

    assert restore.returncode == 0, restore.stderr
    after = stored_returns(empty_database)
    assert after == before
    for _code, _period, _version, _status, sha256, content, _rows in after:
        assert hashlib.sha256(content).hexdigest() == sha256
    assert {(r[2], r[3]) for r in after if r[1].month == 9} == {(1, "superseded"), (2, "submitted")}
    assert {bytes(r[5]) for r in after} == {u[3] for u in uploads}
    assert StaffingReturn.objects.count() == 4  # the source is untouched


def test_restore_refuses_a_database_with_tables_unless_forced(empty_database, tmp_path: Path):
    cast = build_cast()
    staffing_return_submit(
        user=cast.uploader_a,
        organisation=cast.trust_a,
        period="2026-10",
        content=csv_file(),
        filename="a.csv",
    )
    assert run("backup.sh", DATABASE_URL=database_url(), BACKUP_DIR=str(tmp_path)).returncode == 0
    (dump,) = tmp_path.glob("*.dump")
    assert run("restore.sh", str(dump), DATABASE_URL=empty_database).returncode == 0

    again = run("restore.sh", str(dump), DATABASE_URL=empty_database)

    assert again.returncode != 0
    assert "FORCE=1" in again.stderr
    forced = run("restore.sh", str(dump), DATABASE_URL=empty_database, FORCE="1")
    assert forced.returncode == 0, forced.stderr
    assert len(stored_returns(empty_database)) == 1


def test_a_damaged_dump_is_refused_before_anything_is_restored(empty_database, tmp_path: Path):
    assert run("backup.sh", DATABASE_URL=database_url(), BACKUP_DIR=str(tmp_path)).returncode == 0
    (dump,) = tmp_path.glob("*.dump")
    dump.write_bytes(dump.read_bytes()[:-100])

    restore = run("restore.sh", str(dump), DATABASE_URL=empty_database)

    assert restore.returncode != 0 and "damaged" in restore.stderr
    with psycopg.connect(libpq(empty_database)) as connection:
        tables = connection.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
        ).fetchone()[0]
    assert tables == 0
