"""Dated shares of an organisation that serves several systems: who may record them, what
makes a set valid, and that nothing recorded is rewritten."""

import datetime

import pytest

from core.models import AuditEntry, OrganisationShare
from core.selectors.reference import scope_members, scope_shares

pytestmark = pytest.mark.django_db

URL = "/api/v1/organisations/RJ1/shares/"
APRIL = datetime.date(2026, 4, 1)


def _set(valid_from: str = "2026-04-01", **shares: str) -> dict:
    parts = shares or {"QKK": "0.6", "QOP": "0.4"}
    return {
        "valid_from": valid_from,
        "shares": [{"ics": code, "share": share} for code, share in parts.items()],
    }


def test_the_host_systems_lead_shares_a_trust_and_the_api_shows_it_audited(api, cast):
    response = api(cast.lead_x).post(URL, _set(), format="json")
    assert response.status_code == 200, response.json()
    assert response.json() == [
        {"ics": "QKK", "share": 0.6, "valid_from": "2026-04-01", "valid_to": None},
        {"ics": "QOP", "share": 0.4, "valid_from": "2026-04-01", "valid_to": None},
    ]
    detail = api(cast.national).get("/api/v1/organisations/RJ1/").json()
    assert detail["ics"] == "QKK"  # the host, where its returns go
    assert [s["ics"] for s in detail["shares"]] == ["QKK", "QOP"]
    entry = AuditEntry.objects.get(model="core.Organisation", object_id=str(cast.trust_a.pk))
    assert entry.action == AuditEntry.Action.UPDATE and entry.user == cast.lead_x
    before, after = entry.changes["shares"]
    assert before == [] and {s["ics"]: s["share"] for s in after} == {"QKK": 0.6, "QOP": 0.4}


def test_a_new_set_ends_the_one_in_force_and_keeps_it(api, cast):
    client = api(cast.national)
    assert client.post(URL, _set(), format="json").status_code == 200
    later = _set("2026-10-01", QKK="0.5", QOP="0.25", QKS="0.25")
    assert client.post(URL, later, format="json").status_code == 200
    kept = OrganisationShare.objects.filter(organisation=cast.trust_a, valid_from=APRIL)
    assert {s.valid_to for s in kept} == {datetime.date(2026, 10, 1)}
    assert scope_shares(ics=None, on=datetime.date(2026, 5, 1)) == {
        "RJ1": (("QKK", 0.6), ("QOP", 0.4))
    }
    assert scope_shares(ics=cast.ics_y, on=datetime.date(2026, 11, 1)) == {"RJ1": (("QOP", 0.25),)}
    # An empty set ends the sharing: RJ1 counts wholly in its host again.
    assert client.post(URL, {"valid_from": "2026-12-01", "shares": []}, format="json").json()
    assert scope_shares(ics=None, on=datetime.date(2027, 1, 1)) == {}
    assert OrganisationShare.objects.filter(organisation=cast.trust_a).count() == 5


def test_a_system_with_a_share_counts_the_organisation_among_its_members(api, cast):
    api(cast.national).post(URL, _set(), format="json")
    may = datetime.date(2026, 5, 1)
    shared = scope_members(ics=cast.ics_y, on=may, with_shared=True)
    assert shared[cast.trust_a.pk] == "QKK"  # with its host's code
    assert cast.trust_a.pk not in scope_members(ics=cast.ics_y, on=may)
    assert cast.trust_a.pk not in scope_members(ics=cast.ics_y, on=APRIL.replace(month=3))


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        (_set("2026-04-15"), "valid_from", "first day of a month"),
        (_set(QKK="0.6", QOP="0.5"), "shares", "add up to 1; these add up to 1.1"),
        (_set(QOP="1"), "shares", "at least two systems"),
        (_set(QOP="0.4", QKS="0.6"), "shares", "The host system, QKK, must have a share"),
        (_set(QKK="1.2", QOP="-0.2"), "shares", "more than 0 and at most 1"),
        (_set(QKK="0.55555", QOP="0.44445"), "shares", "four decimal places"),
        (_set(QKK="lots", QOP="0.4"), "shares", "not a number"),
        ({"valid_from": "2026-04-01", "shares": []}, "shares", "no shares in force to end"),
    ],
)
def test_bad_shares_are_refused_naming_the_field_and_change_nothing(
    api, cast, body, field, message
):
    response = api(cast.national).post(URL, body, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert any(e.get("field") == field and message in e["message"] for e in errors), errors
    assert not OrganisationShare.objects.exists()
    assert not AuditEntry.objects.filter(model="core.Organisation").exists()


def test_a_set_may_not_start_before_or_on_one_already_recorded(api, cast):
    client = api(cast.national)
    client.post(URL, _set(), format="json")
    response = client.post(URL, _set("2026-03-01"), format="json")
    assert response.status_code == 400
    assert "recorded already" in response.json()["errors"][0]["message"]
    assert OrganisationShare.objects.count() == 2


def test_an_unknown_system_is_named(api, cast):
    response = api(cast.national).post(URL, _set(QKK="0.6", ZZZ="0.4"), format="json")
    assert response.status_code == 400
    assert "ZZZ" in str(response.json())


def test_only_the_host_lead_or_a_national_administrator_may_share(api, cast):
    assert api(cast.analyst_x).post(URL, _set(), format="json").status_code == 403
    assert api(cast.uploader_a).post(URL, _set(), format="json").status_code == 403
    # Another system's lead cannot see the trust at all.
    assert api(cast.lead_y).post(URL, _set(), format="json").status_code == 404
    assert not OrganisationShare.objects.exists()


def test_the_organisations_page_of_each_system_says_who_is_shared_and_by_how_much(
    api, cast, client
):
    api(cast.national).post(URL, _set("2026-04-01", QKK="0.6", QOP="0.4"), format="json")
    client.force_login(cast.lead_y)
    page = client.get("/organisations/").content.decode()
    assert "Shared with this system (1)" in page
    row = page[page.index('<td class="nhsuk-table__cell">RJ1</td>') :].split("</tr>")[0]
    assert "QKK" in row and ">40%<" in row and "QKK 60%, QOP 40%" in row
    client.force_login(cast.lead_x)
    row = client.get("/organisations/").content.decode().split("RJ1</td>")[1].split("</tr>")[0]
    assert "This system" in row and ">60%<" in row


def test_a_system_with_no_shares_shows_no_shared_table(cast, client):
    client.force_login(cast.lead_x)
    assert "Shared across systems" not in client.get("/organisations/").content.decode()
