"""/api/v1/organisations/: practices with their PCN, and adding providers to a system."""

import pytest
from django.utils import timezone

from core.models import AuditEntry, Organisation

pytestmark = pytest.mark.django_db

URL = "/api/v1/organisations/"


def _care_home(ics: str = "QKK", **extra) -> dict:
    return {
        "code": "CH-0001",
        "name": "Rosewood Care Home",
        "kind": "social_care",
        "ics": ics,
    } | extra


def test_a_practice_shows_its_pcn_and_its_pcn_memberships(api, cast):
    body = api(cast.lead_x).get(f"{URL}G83001/").json()
    assert body["pcn"] == "U00254"
    assert body["pcn_memberships"] == [
        {"pcn": "U00254", "valid_from": "2022-01-01", "valid_to": None}
    ]
    assert body["ics"] == "QKK"


def test_a_trust_has_no_pcn(api, cast):
    body = api(cast.national).get(f"{URL}RJ1/").json()
    assert body["pcn"] is None and body["pcn_memberships"] == []


def test_practices_filter_by_system_and_by_pcn(api, cast):
    client = api(cast.national)
    practices = client.get(f"{URL}?kind=gp_practice&ics=QKK&page_size=500").json()
    assert practices["count"] == 202
    assert {o["kind"] for o in practices["results"]} == {"gp_practice"}
    network = client.get(f"{URL}?pcn=U00254").json()["results"]
    codes = {o["code"] for o in network}
    assert "G83001" in codes
    assert all(o["pcn"] == "U00254" for o in network)


def test_a_national_administrator_adds_a_care_home_to_a_system_audited(api, cast):
    response = api(cast.national).post(URL, _care_home(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["code"] == "CH-0001" and body["ics"] == "QKK" and body["kind"] == "social_care"
    home = Organisation.objects.get(code="CH-0001")
    assert home.ics_on(timezone.localdate()).code == "QKK"
    entry = AuditEntry.objects.get(model="core.Organisation", object_id=str(home.pk))
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.user == cast.national and entry.ics == cast.ics_x
    assert entry.changes["name"] == [None, "Rosewood Care Home"]


def test_an_icb_lead_adds_to_its_own_system_and_not_to_another(api, cast):
    assert api(cast.lead_x).post(URL, _care_home(), format="json").status_code == 201
    response = api(cast.lead_x).post(URL, _care_home("QOP", code="CH-0002"), format="json")
    assert response.status_code == 403
    assert response.json()["errors"][0]["message"]
    assert not Organisation.objects.filter(code="CH-0002").exists()


@pytest.mark.parametrize("who", ["uploader_a", "analyst_x"])
def test_trust_uploaders_and_analysts_may_not_add_organisations(api, cast, who):
    response = api(getattr(cast, who)).post(URL, _care_home(), format="json")
    assert response.status_code == 403
    assert not Organisation.objects.filter(code="CH-0001").exists()
    assert not AuditEntry.objects.filter(model="core.Organisation").exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (_care_home(code="RJ1"), "code"),  # a trust's code: taken
        (_care_home(code="TOO-LONG-1"), "code"),
        (_care_home(code="CH 1"), "code"),
        (_care_home(kind="gp_practice"), "kind"),
        (_care_home(ics="ZZZ"), "ics"),
        (_care_home(name=""), "name"),
    ],
)
def test_a_bad_organisation_is_refused_in_the_one_error_shape(api, cast, body, field):
    response = api(cast.national).post(URL, body, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert field in {e.get("field") for e in errors}, errors
    assert not Organisation.objects.filter(name="Rosewood Care Home").exists()


def test_a_sector_organisation_takes_its_systems_code_once_per_kind(api, cast):
    client = api(cast.lead_x)
    body = {"name": "Social care in South East London", "kind": "social_care", "ics": "QKK"}
    response = client.post(URL, body | {"sector": True}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["code"] == "QKK-SC" and response.json()["sector"] is True
    again = client.post(URL, body | {"sector": True}, format="json")
    assert again.status_code == 400
    assert again.json()["errors"][0]["field"] == "code"
    assert client.get(f"{URL}QKK-SC/").json()["name"] == "Social care in South East London"


def test_the_schema_documents_adding_an_organisation(api, cast):
    schema = api(cast.national).get("/api/v1/schema/?format=json").json()
    post = schema["paths"]["/api/v1/organisations/"]["post"]
    assert {"201", "400", "403"} <= set(post["responses"])
    request = post["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    properties = schema["components"]["schemas"][request.rsplit("/", 1)[1]]["properties"]
    assert {"code", "name", "kind", "ics", "sector"} <= set(properties)
