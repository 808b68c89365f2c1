"""Many uploads at once on the embedded default, a SQLite file: each is stored, in turn.

The uploads run in a separate process configured as a fresh checkout is (DATABASE_URL naming
a SQLite file, the settings' own connection options), each thread with its own connection,
as the web server's threads have.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

UPLOADS = 20

SCRIPT = r"""
import json, sys, threading

import django

django.setup()

from django.core.management import call_command
from django.db import connection

call_command("migrate", verbosity=0)

from core.models import Organisation, Role, User
from core.services.reference_data import reference_data_load
from tests.workforce.returns_data import csv_file, row
from workforce.models import StaffingReturn
from workforce.services.returns import staffing_return_submit

reference_data_load()
trust = Organisation.objects.get(code="RJ1")
user = User.objects.create_user(username="uploader", role=Role.TRUST_UPLOADER, organisation=trust)
connection.close()
count = int(sys.argv[1])
barrier = threading.Barrier(count)
errors = []


def upload(number):
    try:
        barrier.wait()
        content = csv_file([row("NUR", fte=str(100 + number))])
        staffing_return_submit(
            user=user, organisation=trust, period="2025-03", content=content,
            filename=f"return-{number}.csv",
        )
    except BaseException as error:
        errors.append(f"{type(error).__name__}: {error}")
    finally:
        connection.close()


threads = [threading.Thread(target=upload, args=(n,)) for n in range(count)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
stored = StaffingReturn.objects.order_by("version")
print(json.dumps({
    "errors": errors,
    "versions": list(stored.values_list("version", "status")),
    "files": sorted(stored.values_list("original_filename", flat=True)),
    "options": connection.settings_dict["OPTIONS"],
}))
"""


def test_twenty_simultaneous_uploads_on_a_sqlite_file_are_all_stored_as_versions(tmp_path):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "CELERY_BROKER_URL") and not key.startswith("DJANGO_")
    }
    environment.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'planner.sqlite3'}",
        DJANGO_SETTINGS_MODULE="ics_planner.settings",
    )
    finished = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(UPLOADS)],
        cwd=Path(settings.BASE_DIR),
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr[-3000:]
    result = json.loads(finished.stdout.strip().splitlines()[-1])
    assert result["options"].get("transaction_mode") == "IMMEDIATE"
    assert result["errors"] == []
    expected = [[n, "superseded"] for n in range(1, UPLOADS)] + [[UPLOADS, "submitted"]]
    assert result["versions"] == expected
    assert result["files"] == sorted(f"return-{n}.csv" for n in range(UPLOADS))
