"""`GET /api/v1/systems/{code}/months/` and `POST .../months/{YYYY-MM}/sign-off/`."""

from __future__ import annotations

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from core.calendar import month_add
from core.models import AuditEntry, Role
from tests.conftest import make_user
from workforce.models import MonthSignOff

from .returns_data import store_return

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def months_ago(count: int):
    return month_add(timezone.localdate().replace(day=1), -count)


def test_it_lists_the_months_the_latest_first_with_status_and_counts(cast):
    store_return(cast.trust_a, months_ago(2), warnings=[{"rule": "r", "message": "odd"}])
    response = api(cast.analyst_x).get("/api/v1/systems/QKK/months/")
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 12 and len(data["results"]) == 12
    first, second = data["results"][0], data["results"][1]
    assert first["month"] == f"{months_ago(1):%Y-%m}"
    assert second["status"] == "open"
    assert second["submitted"] == 1 and second["flagged"] == 1
    assert second["organisations"]["flagged"] == ["RJ1"]
    assert second["expected"] == len(second["organisations"]["expected"]) > 1
    assert "RJ1" not in second["organisations"]["outstanding"]
    assert api(cast.analyst_x).get("/api/v1/systems/QKK/months/?months=3").json()["count"] == 3


def test_it_refuses_another_systems_code_and_bad_parameters(cast):
    assert api(cast.lead_y).get("/api/v1/systems/QKK/months/").status_code == 404
    assert api(cast.uploader_a).get("/api/v1/systems/QKK/months/").status_code == 404
    bad = api(cast.lead_x).get("/api/v1/systems/QKK/months/?months=0")
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "months"
    assert api(cast.lead_x).get("/api/v1/systems/QKK/months/?page=2").status_code == 400


def test_the_lead_signs_off_a_month_once_and_it_is_audited(cast):
    url = f"/api/v1/systems/QKK/months/{months_ago(2):%Y-%m}/sign-off/"
    response = api(cast.lead_x).post(url, {"note": "RJ2 is late: taken as it is"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "signed_off" and body["signed_off_by"] == "icb-qkk"
    assert body["note"] == "RJ2 is late: taken as it is"
    entry = AuditEntry.objects.get(model__icontains="monthsignoff")
    assert entry.ics == cast.ics_x and entry.user == cast.lead_x
    again = api(cast.lead_x).post(url, {}, format="json")
    assert again.status_code == 200
    assert MonthSignOff.objects.count() == 1
    assert AuditEntry.objects.filter(model__icontains="monthsignoff").count() == 1
    listed = api(cast.analyst_x).get("/api/v1/systems/QKK/months/").json()["results"][1]
    assert listed["status"] == "signed_off"
    assert listed["signed_off_by"] is None  # names are for those who read the audit trail


def test_a_national_administrator_may_sign_off_any_system(cast):
    url = f"/api/v1/systems/QOP/months/{months_ago(3):%Y-%m}/sign-off/"
    assert api(cast.national).post(url, {}, format="json").status_code == 201


def test_only_the_lead_or_a_national_administrator_signs_off(cast):
    url = f"/api/v1/systems/QKK/months/{months_ago(2):%Y-%m}/sign-off/"
    analyst = api(cast.analyst_x).post(url, {}, format="json")
    assert analyst.status_code == 403 and analyst.json()["errors"][0]["message"]
    national_analyst = make_user("analyst-eng", Role.ANALYST)
    assert api(national_analyst).post(url, {}, format="json").status_code == 403
    assert api(cast.lead_y).post(url, {}, format="json").status_code == 404
    assert not MonthSignOff.objects.exists()


def test_it_refuses_a_month_that_has_not_ended_and_bad_input(cast):
    lead = api(cast.lead_x)
    for month in (months_ago(-1), months_ago(0)):  # next month, this month
        response = lead.post(f"/api/v1/systems/QKK/months/{month:%Y-%m}/sign-off/", {})
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == "month"
    assert lead.post("/api/v1/systems/QKK/months/2025-13/sign-off/", {}).status_code == 400
    long = lead.post(
        f"/api/v1/systems/QKK/months/{months_ago(2):%Y-%m}/sign-off/",
        {"note": "x" * 2001},
        format="json",
    )
    assert long.status_code == 400 and long.json()["errors"][0]["field"] == "note"
    assert not MonthSignOff.objects.exists()
