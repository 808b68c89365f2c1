"""The returns pages: upload, the list, one return, its file; who may see them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from workforce.models import StaffingReturn

from .returns_data import csv_file, month, row, store_return, xlsx_file

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates" / "workforce" / "returns"


def upload(client, content: bytes, *, name="return.csv", organisation="RJ1", when=(3, 2025)):
    return client.post(
        "/returns/upload/",
        {
            "organisation": organisation,
            "month": when[0],
            "year": when[1],
            "file": SimpleUploadedFile(name, content),
        },
    )


def test_the_upload_page_offers_only_the_users_organisations_and_the_templates(client, cast):
    client.force_login(cast.uploader_a)
    page = client.get("/returns/upload/").content.decode()
    assert re.findall(r'<option value="([^"]+)"', page) == ["RJ1"]
    assert "/api/v1/returns/template/?format=xlsx" in page
    assert "/api/v1/returns/template/?format=csv" in page
    client.force_login(cast.lead_x)
    options = re.findall(
        r'<option value="([^"]+)"', client.get("/returns/upload/").content.decode()
    )
    assert {"RJ1", "RJ2"} <= set(options)
    assert "R0A" not in options


def test_an_analyst_may_not_upload_and_anonymous_users_must_sign_in(client, cast):
    client.force_login(cast.analyst_x)
    assert client.get("/returns/upload/").status_code == 403
    client.logout()
    assert client.get("/returns/upload/")["Location"].startswith("/accounts/login/")


def test_a_valid_upload_goes_to_the_stored_return(client, cast):
    client.force_login(cast.uploader_a)
    # One file uploaded twice: an XLSX written again a second later differs in its timestamps.
    content = xlsx_file()
    response = upload(client, content, name="march.xlsx")
    stored = StaffingReturn.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/returns/{stored.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Stored as version 1 for March 2025." in page
    again = client.get(upload(client, content, name="march.xlsx")["Location"])
    assert "the same as version 1 already stored" in again.content.decode()


def test_problems_are_shown_beside_the_rows_that_caused_them(client, cast):
    client.force_login(cast.uploader_a)
    content = csv_file([row("DOC"), row("NUR", fte="lots"), row("MID", headcount="-2")])
    response = upload(client, content)
    assert response.status_code == 400
    page = response.content.decode()
    assert "nhsuk-error-summary" in page
    assert "Nothing was stored. Correct these 2 problems" in page
    assert 'href="#row-3"' in page and 'id="row-3"' in page
    third = page[page.index('id="row-3"') : page.index('id="row-4"')]
    assert "NUR, lots, 120" in third  # the row's cells, beside its problem
    assert "fte must be a number, not &quot;lots&quot;." in third
    assert "headcount cannot be negative (-2)." in page[page.index('id="row-4"') :]
    assert not StaffingReturn.objects.exists()


def test_problems_with_the_whole_file_and_the_period_are_shown(client, cast):
    client.force_login(cast.uploader_a)
    page = upload(client, b"").content.decode()
    assert "The file is empty" in page
    assert 'id="file-problems"' in page
    page = upload(client, csv_file(), when=(1, 2099)).content.decode()
    assert "January 2099 is in the future" in page
    assert not StaffingReturn.objects.exists()


def test_an_upload_for_another_trust_is_refused(client, cast):
    client.force_login(cast.uploader_a)
    response = upload(client, csv_file(), organisation="RJ2")
    assert response.status_code == 400  # not among the choices offered
    assert not StaffingReturn.objects.exists()


def test_the_list_shows_the_organisations_returns_by_month(client, cast):
    store_return(cast.trust_a, month(2025, 3), status=StaffingReturn.Status.SUPERSEDED)
    store_return(
        cast.trust_a,
        month(2025, 3),
        version=2,
        warnings=[{"rule": "sickness_high", "staff_group": "NUR", "message": "high"}],
    )
    store_return(cast.trust_a, month(2025, 2))
    store_return(cast.trust_c, month(2025, 3))
    client.force_login(cast.uploader_a)
    page = client.get("/returns/?organisation=RJ1").content.decode()
    months = re.findall(r">(\w+ 2025)</a>", page)
    assert months == ["March 2025", "March 2025", "February 2025"]
    assert "Superseded" in page and "Current" in page
    assert "nhsuk-tag--orange" in page  # the warning count
    assert "MANCHESTER" not in client.get("/returns/").content.decode()


def test_one_return_shows_figures_warnings_versions_and_its_file(client, cast):
    old = store_return(cast.trust_a, month(2025, 3), status=StaffingReturn.Status.SUPERSEDED)
    warning = {"rule": "sickness_high", "staff_group": "NUR", "message": "Nurses: rate too high"}
    current = store_return(
        cast.trust_a, month(2025, 3), {"NUR": {"fte": "321.5"}}, version=2, warnings=[warning]
    )
    client.force_login(cast.lead_x)
    page = client.get(f"/returns/{current.pk}/").content.decode()
    assert "321.50" in page
    assert "Nurses: rate too high" in page
    assert f'href="/returns/{old.pk}/"' in page
    assert f'href="/returns/{current.pk}/file/"' in page
    download = client.get(f"/returns/{old.pk}/file/")
    assert download.content == bytes(old.content)
    assert download["Content-Type"] == "text/csv; charset=utf-8"


def test_the_return_and_the_list_name_the_organisation_in_title_case(client, cast):
    # ODS publishes names in capitals; the pages show them as people write them.
    cast.trust_a.name = "ST HELENS AND KNOWSLEY TEACHING HOSPITALS NHS TRUST"
    cast.trust_a.save(update_fields=["name"])
    stored = store_return(cast.trust_a, month(2025, 3))
    client.force_login(cast.lead_x)
    for path in (f"/returns/{stored.pk}/", "/returns/", "/returns/upload/"):
        page = client.get(path).content.decode()
        assert "St Helens and Knowsley Teaching Hospitals NHS Trust" in page
        assert "ST HELENS" not in page


def test_a_return_outside_the_scope_is_404(client, cast):
    stored = store_return(cast.trust_a, month(2025, 3))
    for user in (cast.uploader_b, cast.lead_y):
        client.force_login(user)
        assert client.get(f"/returns/{stored.pk}/").status_code == 404
        assert client.get(f"/returns/{stored.pk}/file/").status_code == 404


def test_the_navigation_links_to_the_returns_pages(client, cast):
    client.force_login(cast.lead_x)
    page = client.get("/").content.decode()
    assert 'href="/returns/"' in page
    assert 'href="/returns/tracker/"' in page
    client.force_login(cast.uploader_a)
    page = client.get("/").content.decode()
    assert 'href="/returns/"' in page
    assert 'href="/returns/tracker/"' not in page


def test_the_templates_have_no_inline_script_or_style():
    for template in TEMPLATES.glob("*.html"):
        text = template.read_text()
        assert "<script" not in text, template
        assert "style=" not in text, template
        assert not re.search(r"\son[a-z]+=", text), template


def test_the_list_page_takes_the_same_queries_whatever_its_length(client, cast):
    client.force_login(cast.lead_x)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/returns/").status_code == 200
        return len(captured)

    store_return(cast.trust_a, month(2025, 1), submitted_by=cast.uploader_a)
    few = queries()
    for number in range(2, 8):
        store_return(cast.trust_b, month(2025, number), submitted_by=cast.uploader_b)
    assert queries() == few
