"""A ZIP archive of returns through the API: every file checked, all stored or none."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.utils import override_settings

from core.models import AuditEntry
from tests.unit.returns.ascwds_files import worker, worker_file
from tests.unit.returns.files import zip_bytes
from workforce.models import StaffingReturn, StaffingReturnRow
from workforce.services.returns import staffing_return_submit

from .returns_data import csv_file, row, xlsx_file

pytestmark = pytest.mark.django_db

URL = "/api/v1/returns/archive/"


def send(client, content: bytes, name: str = "returns.zip"):
    return client.post(
        URL, {"file": SimpleUploadedFile(name, content, "application/zip")}, format="multipart"
    )


def nurses(fte: str) -> bytes:
    return csv_file([row("NUR", fte=fte, headcount=str(round(float(fte) * 1.2)))])


def test_a_years_returns_are_stored_each_as_its_month(api, cast):
    files = {f"RJ1_2025-{m:02d}.csv": nurses(str(100 + m)) for m in range(1, 13)}
    files["returns/RJ2_2025-06.xlsx"] = xlsx_file()  # folders inside the archive are ignored

    response = send(api(cast.lead_x), zip_bytes(files))

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["stored"], body["duplicates"]) == (13, 0)
    assert [r["file"] for r in body["returns"]] == [*list(files)[:12], "RJ2_2025-06.xlsx"]
    first = body["returns"][0]
    assert (first["organisation"], first["period"], first["version"]) == ("RJ1", "2025-01", 1)
    assert first["original_filename"] == "RJ1_2025-01.csv"
    assert first["submitted_by"] == "icb-qkk" and first["duplicate"] is False
    stored = StaffingReturn.objects.get(organisation=cast.trust_a, period="2025-07-01")
    assert bytes(stored.content) == files["RJ1_2025-07.csv"]  # the file kept byte for byte
    assert stored.rows.get().fte == Decimal("107.00")
    assert StaffingReturnRow.objects.count() == 12 + 3
    # One audit entry per return, each in its system's trail.
    entries = AuditEntry.objects.filter(model="workforce.StaffingReturn")
    assert entries.count() == 13
    assert {e.ics_id for e in entries} == {cast.ics_x.pk}


def test_a_month_sent_again_supersedes_and_the_same_file_again_stores_nothing(api, cast):
    client = api(cast.uploader_a)
    assert send(client, zip_bytes({"RJ1_2025-03.csv": nurses("100")})).status_code == 201

    again = send(
        client, zip_bytes({"RJ1_2025-03.csv": nurses("100"), "RJ1_2025-04.csv": nurses("101")})
    )
    assert again.status_code == 201, again.content
    assert [r["duplicate"] for r in again.json()["returns"]] == [True, False]

    changed = send(client, zip_bytes({"rj1_2025-03.CSV": nurses("102")}))  # any case
    assert changed.status_code == 201, changed.content
    assert changed.json()["returns"][0]["version"] == 2
    versions = StaffingReturn.objects.filter(period="2025-03-01").order_by("version")
    assert [v.status for v in versions] == ["superseded", "submitted"]

    same = send(client, zip_bytes({"RJ1_2025-03.csv": nurses("102")}))
    assert same.status_code == 200
    assert same.json()["stored"] == 0 and same.json()["duplicates"] == 1
    assert StaffingReturn.objects.count() == 3


def test_warnings_compare_each_month_with_the_one_before_it_in_the_archive(api, cast):
    staffing_return_submit(
        user=cast.uploader_a, organisation=cast.trust_a, period="2025-01",
        content=nurses("100"), filename="return.csv",
    )  # fmt: skip
    files = {"RJ1_2025-03.csv": nurses("150"), "RJ1_2025-02.csv": nurses("100")}

    response = send(api(cast.uploader_a), zip_bytes(files))

    assert response.status_code == 201, response.content
    march, february = response.json()["returns"]
    assert february["warnings"] == []  # 100 after January's 100
    assert [w["rule"] for w in march["warnings"]] == ["fte_move"]  # 150 after February's 100
    assert "from 100.00 in February 2025" in march["warnings"][0]["message"]
    assert march["for_review"] is True


def test_every_problem_in_every_file_is_listed_and_nothing_is_stored(api, cast):
    files = {
        "RJ1_2025-03.csv": nurses("100"),  # good, but not stored: the archive is all or none
        "RJ1_2025-04.csv": csv_file([row("NUR", fte="-5")]),
        "RJ2_2025-04.csv": csv_file([row("XYZ")]),
        "ZZZ99_2025-04.csv": nurses("100"),
        "RJ1_2031-01.csv": nurses("100"),
        "notes.txt": b"read me",
    }

    response = send(api(cast.lead_x), zip_bytes(files))

    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert [e["file"] for e in errors] == ["notes.txt"]  # names are checked before contents
    assert "CODE_YYYY-MM.csv" in errors[0]["message"]

    del files["notes.txt"]
    errors = send(api(cast.lead_x), zip_bytes(files)).json()["errors"]
    by_file = {e["file"]: e for e in errors}
    assert set(by_file) == {"RJ1_2025-04.csv", "RJ2_2025-04.csv", "ZZZ99_2025-04.csv",
                            "RJ1_2031-01.csv"}  # fmt: skip
    assert by_file["RJ1_2025-04.csv"]["row"] == 2
    assert by_file["RJ1_2025-04.csv"]["column"] == "fte"
    assert "ZZZ99" in by_file["ZZZ99_2025-04.csv"]["message"]
    assert by_file["RJ1_2031-01.csv"]["field"] == "period"
    assert not StaffingReturn.objects.exists()
    assert not AuditEntry.objects.exists()


def test_an_organisation_out_of_scope_refuses_the_whole_archive(api, cast):
    files = {"RJ1_2025-03.csv": nurses("100"), "R0A_2025-03.csv": nurses("100")}
    for user in (cast.uploader_a, cast.lead_x, cast.analyst_x):
        response = send(api(user), zip_bytes(files))
        assert response.status_code == 403, response.content
    assert "R0A" in send(api(cast.lead_x), zip_bytes(files)).json()["errors"][0]["message"]
    assert not StaffingReturn.objects.exists()
    assert send(api(cast.national), zip_bytes(files)).status_code == 201


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"staff_group_code,fte\n", "not a ZIP archive"),
        (zip_bytes({}), "holds no returns"),
        (zip_bytes({"RJ1_2025-03.csv": b"a", "returns/RJ1_2025-03.xlsx": b"b"}), "one return per"),
    ],
)
def test_an_archive_that_is_not_one_is_refused(api, cast, content, words):
    response = send(api(cast.uploader_a), content)
    assert response.status_code == 400, response.content
    assert words in response.json()["errors"][0]["message"]
    assert not StaffingReturn.objects.exists()


def test_the_archives_limits_are_kept(api, cast):
    files = {f"RJ1_2025-{m:02d}.csv": nurses("100") for m in range(1, 4)}
    with override_settings(RETURN_ARCHIVE_MAX_FILES=2):
        response = send(api(cast.uploader_a), zip_bytes(files))
    assert response.status_code == 400
    assert "at most 2 are accepted" in response.json()["errors"][0]["message"]

    with override_settings(RETURN_MAX_BYTES=100):  # one return's limit, unzipped
        response = send(api(cast.uploader_a), zip_bytes(files))
    assert response.status_code == 400
    assert "the largest return accepted" in response.json()["errors"][0]["message"]

    # A file far larger unzipped than zipped is read no further than the limit.
    bomb = zip_bytes({"RJ1_2025-03.csv": b"0" * 20_000_000})
    assert len(bomb) < 100_000
    response = send(api(cast.uploader_a), bomb)
    assert response.status_code == 400
    assert "the largest return accepted is 5.0 MB" in response.json()["errors"][0]["message"]
    assert not StaffingReturn.objects.exists()


def test_a_worker_file_in_an_archive_is_sent_alone(api, cast):
    response = send(api(cast.national), zip_bytes({"RJ1_2025-03.csv": worker_file(worker())}))
    assert response.status_code == 400
    assert "one at a time" in response.json()["errors"][0]["message"]


PAGE = "/returns/upload/archive/"


def post_page(client, content: bytes):
    return client.post(PAGE, {"file": SimpleUploadedFile("returns.zip", content)})


def test_the_page_stores_an_archive_and_lists_what_it_stored(client, cast):
    client.force_login(cast.uploader_a)
    assert client.get(PAGE).status_code == 200
    send_once = zip_bytes({"RJ1_2025-02.csv": nurses("100"), "RJ1_2025-03.csv": nurses("150")})

    sent = post_page(client, send_once)

    # Stored, the page redirects: reloading what it shows sends nothing again.
    assert sent.status_code == 302 and sent["Location"].startswith(PAGE + "?result=")
    page = client.get(sent["Location"])
    assert page.status_code == 200
    text = page.content.decode()
    assert "Stored 2 returns. 1 has warnings to review." in text
    assert "RJ1_2025-03.csv" in text and "March 2025" in text
    assert "Stored 2 returns." in client.get(sent["Location"]).content.decode()
    assert "Stored 2" not in client.get(PAGE).content.decode()
    assert "Stored 2" not in client.get(PAGE + "?result=guessed").content.decode()
    again = client.get(post_page(client, send_once)["Location"]).content.decode()
    assert "Stored 0 returns; 2 files the same as the version already stored" in again
    assert StaffingReturn.objects.count() == 2


def test_the_result_shown_after_an_archive_is_the_users_own(client, cast):
    client.force_login(cast.uploader_a)
    location = post_page(client, zip_bytes({"RJ1_2025-03.csv": nurses("150")}))["Location"]
    client.force_login(cast.lead_y)  # a new session: another user's result is not in it
    page = client.get(location)
    assert page.status_code == 200 and "Upload many returns at once" in page.content.decode()
    assert "RJ1_2025-03.csv" not in page.content.decode()


def test_the_page_lists_every_problem_by_file_and_stores_nothing(client, cast):
    client.force_login(cast.lead_x)
    files = {"RJ1_2025-03.csv": csv_file([row("NUR", fte="x")]), "R0A_2025-03.csv": nurses("1")}

    refused = post_page(client, zip_bytes(files))
    assert refused.status_code == 403
    assert "You may not submit returns for R0A: 1 of the archive's files is its." in (
        refused.content.decode().replace("&#x27;", "'")
    )

    del files["R0A_2025-03.csv"]
    page = post_page(client, zip_bytes(files))
    assert page.status_code == 400
    text = page.content.decode()
    assert "Nothing was stored" in text and "RJ1_2025-03.csv" in text and "fte" in text
    assert post_page(client, b"not a zip").status_code == 400
    assert not StaffingReturn.objects.exists()


def test_the_page_is_for_those_who_upload(client, cast):
    client.force_login(cast.analyst_x)
    assert client.get(PAGE).status_code == 403
