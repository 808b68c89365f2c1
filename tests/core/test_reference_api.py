import pytest

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    "/api/v1/regions/",
    "/api/v1/systems/",
    "/api/v1/systems/QKK/",
    "/api/v1/organisations/",
    "/api/v1/organisations/RJ1/",
    "/api/v1/staff-groups/",
]


@pytest.mark.parametrize("url", ENDPOINTS)
def test_anonymous_users_are_refused(api, url):
    response = api().get(url)
    assert response.status_code == 401
    assert response.json()["errors"][0]["message"]


@pytest.mark.parametrize("url", ENDPOINTS)
def test_a_national_user_reads_every_reference_endpoint(api, cast, url):
    assert api(cast.national).get(url).status_code == 200


def test_regions_list_the_seven_nhs_england_regions(api, cast):
    body = api(cast.lead_x).get("/api/v1/regions/").json()
    assert body["count"] == 7
    assert {r["code"] for r in body["results"]} == {"Y56", "Y58", "Y59", "Y60", "Y61", "Y62", "Y63"}


def test_systems_filter_by_the_day_they_are_valid(api, cast):
    client = api(cast.analyst_x)
    assert client.get("/api/v1/systems/?on=2025-01-01&page_size=100").json()["count"] == 42
    assert client.get("/api/v1/systems/?on=2026-07-01&page_size=100").json()["count"] == 36


def test_a_system_shows_its_dates_and_successors(api, cast):
    body = api(cast.lead_x).get("/api/v1/systems/QMJ/").json()
    assert body["valid_from"] == "2022-07-01"
    assert body["valid_to"] == "2026-04-01"
    assert body["successors"] == ["Z9B2Z"]
    assert body["region"] == "Y56"
    assert api(cast.lead_x).get("/api/v1/systems/Z9B2Z/").json()["predecessors"] == ["QMJ", "QRV"]


def test_a_bad_date_is_a_clear_400(api, cast):
    response = api(cast.lead_x).get("/api/v1/systems/?on=yesterday")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "on", "message": "'yesterday' is not a date: use YYYY-MM-DD."}
    ]


def test_organisations_show_their_system_on_a_day_and_all_memberships(api, cast):
    client = api(cast.national)
    body = client.get("/api/v1/organisations/RAL/?on=2025-06-01").json()
    assert body["ics"] == "QMJ"
    assert [m["ics"] for m in body["memberships"]] == ["QMJ", "Z9B2Z"]
    assert client.get("/api/v1/organisations/RAL/?on=2026-06-01").json()["ics"] == "Z9B2Z"


def test_organisations_filter_by_system_on_a_day(api, cast):
    client = api(cast.national)
    before = {
        o["code"]
        for o in client.get("/api/v1/organisations/?ics=QMJ&on=2025-06-01&page_size=500").json()[
            "results"
        ]
    }
    after = {
        o["code"]
        for o in client.get("/api/v1/organisations/?ics=QMJ&on=2026-06-01&page_size=500").json()[
            "results"
        ]
    }
    assert "RAL" in before
    assert after == set()


def test_an_icb_lead_lists_only_its_systems_organisations(api, cast):
    results = api(cast.lead_x).get("/api/v1/organisations/?page_size=500").json()["results"]
    codes = {o["code"] for o in results}
    assert {"RJ1", "RJ2"} <= codes and "R0A" not in codes


def test_a_trust_uploader_sees_only_its_own_organisation(api, cast):
    client = api(cast.uploader_a)
    results = client.get("/api/v1/organisations/").json()["results"]
    assert [o["code"] for o in results] == ["RJ1"]
    assert client.get("/api/v1/organisations/RJ2/").status_code == 404


def test_staff_groups_come_with_their_parent(api, cast):
    results = api(cast.uploader_a).get("/api/v1/staff-groups/?page_size=100").json()["results"]
    by_code = {g["code"]: g for g in results}
    assert by_code["NUR"]["parent"] == "PQC" and by_code["NUR"]["reportable"] is True


def test_reference_data_is_read_only(api, cast):
    assert api(cast.national).post("/api/v1/regions/", {"code": "Y99"}).status_code == 405


def test_a_token_is_issued_for_a_username_and_password_and_works(cast):
    from rest_framework.test import APIClient

    from tests.conftest import PASSWORD

    client = APIClient()
    response = client.post("/api/v1/auth/token/", {"username": "icb-qkk", "password": PASSWORD})
    assert response.status_code == 201
    token = response.json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/systems/QKK/").status_code == 200
    from knox.models import AuthToken

    stored = AuthToken.objects.get(user=cast.lead_x)
    assert token not in (stored.digest, stored.token_key)  # hashed at rest
    assert stored.expiry is not None


def test_a_wrong_password_gets_no_token(cast):
    from rest_framework.test import APIClient

    response = APIClient().post("/api/v1/auth/token/", {"username": "icb-qkk", "password": "nope"})
    assert response.status_code == 401
    assert response.json() == {"errors": [{"message": "Unknown username or wrong password."}]}


def test_the_openapi_schema_and_docs_are_served(api, cast):
    client = api(cast.national)
    schema = client.get("/api/v1/schema/?format=json")
    assert schema.status_code == 200
    assert "/api/v1/systems/{code}/" in schema.json()["paths"]
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200 and b"swagger-ui" in docs.content
