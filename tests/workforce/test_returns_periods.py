"""The month a return describes, wherever one comes in: refused with a 400 in the one shape
when it is not a month the planner holds, and nothing is stored."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import AuditEntry, Organisation, OrganisationMembership
from workforce.models import ProjectionRun, Scenario, StaffingReturn

from .returns_data import csv_file

pytestmark = pytest.mark.django_db

FULL_WIDTH = "\uff12\uff10\uff12\uff15-\uff10\uff13"  # 2025-03 in full-width digits
ARABIC_INDIC = "\u0662\u0660\u0662\u0665-03"
OUT_OF_RANGE = ["0000-01", "0001-01", "1900-01", "1999-12", "2101-01", "99999-01"]
NOT_A_MONTH = [FULL_WIDTH, ARABIC_INDIC, "2025-13", "2025-00", "2025-3", "2025/03", "2025-03-01"]


def api_upload(client, period: str, organisation: str = "RJ1"):
    upload = SimpleUploadedFile("return.csv", csv_file())
    return client.post(
        "/api/v1/returns/",
        {"organisation": organisation, "period": period, "file": upload},
        format="multipart",
    )


def only_error_is_on(response, field: str) -> str:
    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert [e["field"] for e in errors] == [field]
    return errors[0]["message"]


@pytest.mark.parametrize("period", OUT_OF_RANGE)
def test_an_upload_for_a_year_outside_2000_to_2100_is_a_400_and_stores_nothing(api, cast, period):
    message = only_error_is_on(api_upload(api(cast.uploader_a), period), "period")
    assert "use a year from 2000 to 2100" in message or "is not a month" in message
    assert not StaffingReturn.objects.exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("period", NOT_A_MONTH)
def test_an_upload_for_other_digits_or_shapes_is_not_read_as_a_month(api, cast, period):
    message = only_error_is_on(api_upload(api(cast.uploader_a), period), "period")
    assert "is not a month: use YYYY-MM" in message
    assert not StaffingReturn.objects.exists()


def test_an_upload_for_a_month_before_the_integrated_care_systems_began_is_refused(api, cast):
    first = OrganisationMembership.objects.filter(organisation=cast.trust_a).earliest("valid_from")
    assert first.valid_from == datetime.date(2022, 7, 1)
    message = only_error_is_on(api_upload(api(cast.national), "2022-06"), "period")
    assert message == (
        "RJ1 has been in an integrated care system only since July 2022; a return describes "
        "a month from then on, not June 2022."
    )
    assert not StaffingReturn.objects.exists() and not AuditEntry.objects.exists()
    assert api_upload(api(cast.national), "2022-07").status_code == 201
    entry = AuditEntry.objects.get(action=AuditEntry.Action.CREATE)
    assert entry.ics == cast.ics_x  # so the system's ICB lead sees it in the trail


def test_an_upload_for_an_organisation_in_no_system_or_after_it_closed_is_refused(api, cast):
    loose = Organisation.objects.create(code="ZZ1", name="Outside every system")
    message = only_error_is_on(api_upload(api(cast.national), "2025-03", "ZZ1"), "period")
    assert message.startswith("ZZ1 belongs to no integrated care system")
    membership = OrganisationMembership.objects.filter(organisation=cast.trust_a).latest(
        "valid_from"
    )
    OrganisationMembership.objects.filter(pk=membership.pk).update(
        valid_to=datetime.date(2024, 1, 1)
    )
    message = only_error_is_on(api_upload(api(cast.national), "2025-03"), "period")
    assert message.startswith("RJ1 was in no integrated care system in March 2025")
    assert not StaffingReturn.objects.filter(organisation__in=[loose, cast.trust_a]).exists()


def test_a_month_joined_part_way_through_counts_for_the_system_joined(api, cast):
    loose = Organisation.objects.create(code="ZZ2", name="Opened mid-month")
    OrganisationMembership.objects.create(
        organisation=loose, ics=cast.ics_x, valid_from=datetime.date(2024, 5, 15)
    )
    assert api_upload(api(cast.national), "2024-04", "ZZ2").status_code == 400
    assert api_upload(api(cast.national), "2024-05", "ZZ2").status_code == 201
    assert AuditEntry.objects.get(action=AuditEntry.Action.CREATE).ics == cast.ics_x


@pytest.mark.parametrize(
    "year, month, words",
    [
        ("0", "1", "greater than or equal to 2000"),
        ("1", "1", "greater than or equal to 2000"),
        ("1900", "1", "greater than or equal to 2000"),
        ("2101", "1", "less than or equal to 2100"),
        ("\uff12\uff10\uff12\uff15", "3", "Type the number with the digits 0 to 9."),
        ("\u0662\u0660\u0662\u0665", "3", "Type the number with the digits 0 to 9."),
        ("2025", "\uff13", "Type the number with the digits 0 to 9."),
    ],
)
def test_the_upload_page_refuses_a_year_outside_the_calendar_or_other_digits(
    client, cast, year, month, words
):
    client.force_login(cast.uploader_a)
    response = client.post(
        "/returns/upload/",
        {
            "organisation": "RJ1",
            "month": month,
            "year": year,
            "file": SimpleUploadedFile("return.csv", csv_file()),
        },
    )
    assert response.status_code == 400
    assert words in response.content.decode()
    assert not StaffingReturn.objects.exists()


def test_the_upload_page_refuses_a_month_before_the_systems_began_beside_the_month(client, cast):
    client.force_login(cast.uploader_a)
    response = client.post(
        "/returns/upload/",
        {
            "organisation": "RJ1",
            "month": "6",
            "year": "2022",
            "file": SimpleUploadedFile("return.csv", csv_file()),
        },
    )
    assert response.status_code == 400
    assert "only since July 2022; a return describes a month from then on" in (
        response.content.decode()
    )
    assert not StaffingReturn.objects.exists()


@pytest.mark.parametrize("period", ["0001-01", "0000-01", "1900-01", FULL_WIDTH, "2025-13"])
def test_a_run_from_a_baseline_month_outside_the_calendar_is_a_400(api, cast, period):
    scenario = Scenario.objects.create(ics=cast.ics_x, name="Central")
    response = api(cast.lead_x).post(
        "/api/v1/runs/",
        {"scenario": scenario.pk, "ics": "QKK", "baseline_period": period},
        format="json",
    )
    only_error_is_on(response, "baseline_period")
    assert not ProjectionRun.objects.exists()


@pytest.mark.parametrize(
    "url, field",
    [
        ("/api/v1/returns/?period={}", "period"),
        ("/api/v1/workforce/?period_from={}", "period_from"),
        ("/api/v1/workforce/?period_to={}", "period_to"),
        ("/api/v1/workforce/?format=csv&period_from={}", "period_from"),
    ],
)
@pytest.mark.parametrize("period", ["0001-01", "0000-01", "1900-01", FULL_WIDTH])
def test_a_filter_on_a_month_outside_the_calendar_is_a_400_naming_it(api, cast, url, field, period):
    only_error_is_on(api(cast.national).get(url.format(period)), field)


@pytest.mark.parametrize("period", ["0001-01", "1900-01", FULL_WIDTH, "2025-13"])
def test_the_run_forms_refuse_a_baseline_month_outside_the_calendar(client, cast, period):
    system = Scenario.objects.create(ics=cast.ics_x, name="Central")
    national = Scenario.objects.create(ics=None, name="National")
    client.force_login(cast.lead_x)
    response = client.post("/systems/QKK/runs/", {"scenario": system.pk, "baseline_period": period})
    assert response.status_code == 302
    client.force_login(cast.national)
    response = client.post("/national/runs/", {"scenario": national.pk, "baseline_period": period})
    assert response.status_code in (200, 302)
    assert not ProjectionRun.objects.exists()
