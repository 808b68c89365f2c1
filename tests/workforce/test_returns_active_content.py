"""A workbook with macros or links to other workbooks is refused at upload, so no such file
is ever stored and served back to the system's leads and analysts."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from workforce.models import StaffingReturn

from ..unit.returns.files import with_parts
from .returns_data import xlsx_file

pytestmark = pytest.mark.django_db

VBA = "application/vnd.ms-office.vbaProject"
LINK = "application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml"


def test_an_xlsx_with_macros_and_an_external_link_is_a_400_by_file_and_not_stored(api, cast):
    content = with_parts(
        xlsx_file(),
        {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0", "xl/externalLinks/externalLink1.xml": b"<e/>"},
        {"xl/vbaProject.bin": VBA, "xl/externalLinks/externalLink1.xml": LINK},
    )
    response = api(cast.uploader_a).post(
        "/api/v1/returns/",
        {
            "organisation": "RJ1",
            "period": "2025-03",
            "file": SimpleUploadedFile("return.xlsx", content),
        },
        format="multipart",
    )
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert (error["row"], error["column"]) == (None, None)
    assert error["message"].startswith(
        "The workbook contains macros and links to other workbooks, which a return may not hold"
    )
    assert not StaffingReturn.objects.exists()


def test_the_same_workbook_without_them_is_stored(api, cast):
    response = api(cast.uploader_a).post(
        "/api/v1/returns/",
        {
            "organisation": "RJ1",
            "period": "2025-03",
            "file": SimpleUploadedFile("return.xlsx", xlsx_file()),
        },
        format="multipart",
    )
    assert response.status_code == 201
