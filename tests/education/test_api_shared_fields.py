"""Education's API reads its input as targets and scenarios do, and its schema says what the
server enforces."""

import pytest

from core.models import AuditEntry
from education.models import ApprenticeshipStart, CommissionedIntake, Programme

from .data import figures

pytestmark = pytest.mark.django_db

INTAKE = {"ics": "QKK", "programme": "NUR-ADULT-BSC", "academic_year": 2028, "planned_places": 80}
APPRENTICESHIP = {"organisation": "RJ1", "standard": "Nursing associate", "academic_year": 2028}


def test_an_unknown_field_is_refused_and_nothing_is_stored(api, cast):
    before = AuditEntry.objects.count()
    response = api(cast.national).post(
        "/api/v1/intakes/", INTAKE | {"planned_place": 90}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "planned_place", "message": "This is not a field of the request."}
    ]
    assert not CommissionedIntake.objects.exists()
    assert AuditEntry.objects.count() == before


def test_an_unknown_field_is_refused_on_a_change_too(api, cast):
    created = api(cast.national).post("/api/v1/intakes/", INTAKE, format="json").json()
    response = api(cast.national).patch(
        f"/api/v1/intakes/{created['id']}/", {"planned_places": 90, "places": 1}, format="json"
    )
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["places"]
    assert CommissionedIntake.objects.get(pk=created["id"]).planned_places == 80


def test_codes_are_matched_ignoring_case(api, cast):
    response = api(cast.national).post(
        "/api/v1/intakes/",
        INTAKE | {"ics": "qkk", "programme": "nur-adult-bsc"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    intake = CommissionedIntake.objects.get(pk=response.json()["id"])
    assert (intake.ics.code, intake.programme.code) == ("QKK", "NUR-ADULT-BSC")
    assert response.json()["programme"] == "NUR-ADULT-BSC"


def test_a_standard_longer_than_the_record_holds_is_refused_with_the_services_message(api, cast):
    response = api(cast.national).post(
        "/api/v1/apprenticeships/",
        APPRENTICESHIP | {"standard": "x" * 151, "starts": 3},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "standard", "message": "standard must be at most 150 characters."}
    ]
    assert not ApprenticeshipStart.objects.exists()


def test_a_programme_code_longer_than_the_record_holds_is_refused(api, cast):
    response = api(cast.national).post(
        "/api/v1/programmes/",
        {
            "code": "NUR-" + "X" * 17,
            "name": "A long code",
            "route": "degree",
            "staff_group": "NUR",
            "course_years": 3,
            "attrition": 0.2,
            "graduate_fte": 1,
            "placement_weeks_per_year": 20,
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "code", "message": "code must be at most 20 characters."}
    ]
    assert not Programme.objects.filter(name="A long code").exists()


def test_more_decimal_places_than_the_record_keeps_are_refused(api, cast):
    response = api(cast.national).post(
        "/api/v1/educators/",
        {
            "organisation": "RJ1",
            "academic_year": 2028,
            "educator_fte": "4.125",
            "students_per_educator": 3,
        },
        format="json",
    )
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["educator_fte"]


def _request_schema(client, name: str) -> dict:
    schema = client.get("/api/v1/schema/?format=json").json()
    return schema["components"]["schemas"][name]["properties"]


def test_the_schema_states_the_bounds_the_server_enforces(api, cast):
    client = api(cast.analyst_x)
    apprenticeship = _request_schema(client, "ApprenticeshipInputRequest")
    assert apprenticeship["standard"]["maxLength"] == 150
    assert (
        apprenticeship["academic_year"]["minimum"],
        apprenticeship["academic_year"]["maximum"],
    ) == (
        2000,
        2060,
    )
    assert (apprenticeship["starts"]["minimum"], apprenticeship["starts"]["maximum"]) == (
        0,
        100_000,
    )
    programme = _request_schema(client, "ProgrammeInputRequest")
    assert (programme["code"]["maxLength"], programme["name"]["maxLength"]) == (20, 150)
    assert (programme["attrition"]["minimum"], programme["attrition"]["maximum"]) == (0, 1)
    assert (programme["course_years"]["minimum"], programme["course_years"]["maximum"]) == (1, 10)


@pytest.mark.parametrize(("year", "code"), [(1999, 400), (2000, 201), (2060, 201), (2061, 400)])
def test_the_academic_years_the_schema_allows_are_those_the_server_accepts(api, cast, year, code):
    response = api(cast.national).post(
        "/api/v1/intakes/", INTAKE | {"academic_year": year}, format="json"
    )
    assert response.status_code == code


def test_a_duplicate_is_listed_with_the_other_problems(api, cast):
    figures(cast)  # QKK's intake of NUR-ADULT-BSC in 2027/28
    response = api(cast.lead_x).post(
        "/api/v1/intakes/", INTAKE | {"academic_year": 2027, "planned_places": -1}, format="json"
    )
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["planned_places", "academic_year"]
    assert "There is already a record for QKK" in response.json()["errors"][1]["message"]
