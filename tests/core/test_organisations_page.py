"""/organisations/: a system's organisations by kind, and adding one."""

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from core.models import AuditEntry, Organisation

pytestmark = pytest.mark.django_db

URL = "/organisations/"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_icb_lead_sees_its_systems_organisations_by_kind(cast):
    response = _client(cast.lead_x).get(URL)
    assert response.status_code == 200
    text = response.content.decode()
    assert "GP practice (202)" in text
    assert "Manor Brook PMS" in text and "Blackheath and Charlton PCN" in text
    assert "Add an organisation" in text
    assert "ASHWELL SURGERY" not in text  # Hertfordshire, not South East London


def test_an_icb_lead_adds_a_sector_organisation_from_the_page(cast):
    response = _client(cast.lead_x).post(
        URL,
        {"ics": "QKK", "kind": "independent", "sector": "on", "name": "Independent sector"},
    )
    assert response.status_code == 302
    added = Organisation.objects.get(code="QKK-IV")
    assert added.sector and added.ics_on(timezone.localdate()).code == "QKK"
    assert AuditEntry.objects.filter(
        model="core.Organisation", object_id=str(added.pk), action=AuditEntry.Action.CREATE
    ).exists()
    listed = _client(cast.lead_x).get(response["Location"]).content.decode()
    assert "QKK-IV was added" in listed and "Independent sector" in listed


def test_a_bad_code_is_shown_on_the_form_and_nothing_is_added(cast):
    response = _client(cast.national).post(
        URL, {"ics": "QKK", "kind": "social_care", "code": "RJ1", "name": "A home"}
    )
    assert response.status_code == 400
    assert "An organisation with the code RJ1 exists already." in response.content.decode()
    assert not Organisation.objects.filter(name="A home").exists()


def test_an_analyst_reads_the_page_without_the_form_and_may_not_add(cast):
    client = _client(cast.analyst_x)
    page = client.get(URL).content.decode()
    assert "Manor Brook PMS" in page and "Add an organisation" not in page
    response = client.post(URL, {"ics": "QKK", "kind": "social_care", "code": "X1", "name": "A"})
    assert response.status_code == 403
    assert not Organisation.objects.filter(code="X1").exists()


def test_an_icb_lead_may_not_add_to_another_system(cast):
    response = _client(cast.lead_x).post(
        URL, {"ics": "QOP", "kind": "social_care", "code": "X1", "name": "A"}
    )
    assert response.status_code == 403
    assert not Organisation.objects.filter(code="X1").exists()


def test_a_trust_uploader_is_told_whose_page_it_is_and_sees_no_form(cast):
    response = _client(cast.uploader_a).get(URL)
    assert response.status_code == 200
    text = response.content.decode()
    assert "You send the returns of" in text and escape(cast.trust_a.name) in text
    assert "Add an organisation" not in text
