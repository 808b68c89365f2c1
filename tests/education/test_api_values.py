"""Bad values are refused with a message naming the field; every write leaves an audit entry."""

import pytest

from core.models import AuditEntry
from education.models import CommissionedIntake, PlacementCapacity, Programme

from .data import figures

pytestmark = pytest.mark.django_db

INTAKE = {"ics": "QKK", "programme": "NUR-ADULT-BSC", "academic_year": 2028, "planned_places": 80}
PROGRAMME = {
    "code": "NUR-NEW-BSC",
    "name": "A new nursing degree",
    "route": "degree",
    "staff_group": "NUR",
    "course_years": 3,
    "attrition": 0.2,
    "graduate_fte": 0.9,
    "placement_weeks_per_year": 20,
}


@pytest.mark.parametrize(
    ("endpoint", "record", "error"),
    [
        (
            "intakes",
            INTAKE | {"planned_places": -5},
            {"field": "planned_places", "message": "planned_places must be 0 or more, not -5."},
        ),
        (
            "intakes",
            INTAKE | {"actual_starts": -1},
            {"field": "actual_starts", "message": "actual_starts must be 0 or more, not -1."},
        ),
        (
            "intakes",
            INTAKE | {"academic_year": 27},
            {
                "field": "academic_year",
                "message": "academic_year must be the calendar year the academic year starts in "
                "(2000-2060, e.g. 2027 for 2027/28), not 27.",
            },
        ),
        (
            "intakes",
            INTAKE | {"ics": "NOPE"},
            {"field": "ics", "message": "No system has the code 'NOPE'."},
        ),
        (
            "intakes",
            INTAKE | {"programme": "NUR-XYZ"},
            {"field": "programme", "message": "No programme has the code 'NUR-XYZ'."},
        ),
        (
            "intakes",
            INTAKE | {"planned_places": "many"},
            {"field": "planned_places", "message": "A valid integer is required."},
        ),
        (
            "programmes",
            PROGRAMME | {"attrition": 1.5},
            {
                "field": "attrition",
                "message": "attrition must be a fraction from 0 to 1 (0.2 for 20%), not 1.5.",
            },
        ),
        (
            "programmes",
            PROGRAMME | {"attrition": -0.1},
            {
                "field": "attrition",
                "message": "attrition must be a fraction from 0 to 1 (0.2 for 20%), not -0.1.",
            },
        ),
        (
            "programmes",
            PROGRAMME | {"course_years": 0},
            {
                "field": "course_years",
                "message": "course_years must be a whole number of years from 1 to 10, not 0.",
            },
        ),
        (
            "programmes",
            PROGRAMME | {"staff_group": "PQC"},
            {
                "field": "staff_group",
                "message": "staff_group must be a group of the staffing return, not the roll-up PQC.",
            },
        ),
        (
            "programmes",
            PROGRAMME | {"staff_group": "XX"},
            {"field": "staff_group", "message": "No staff group has the code 'XX'."},
        ),
        (
            "programmes",
            PROGRAMME | {"route": "osmosis"},
            {"field": "route", "message": '"osmosis" is not a valid choice.'},
        ),
        (
            "placements",
            {
                "organisation": "RJ1",
                "programme": "NUR-ADULT-BSC",
                "academic_year": 2028,
                "places": -3,
            },
            {"field": "places", "message": "places must be 0 or more, not -3."},
        ),
        (
            "placements",
            {
                "organisation": "ZZZ",
                "programme": "NUR-ADULT-BSC",
                "academic_year": 2028,
                "places": 3,
            },
            {"field": "organisation", "message": "No organisation has the code 'ZZZ'."},
        ),
        (
            "educators",
            {
                "organisation": "RJ1",
                "academic_year": 2028,
                "educator_fte": 4,
                "students_per_educator": 0,
            },
            {
                "field": "students_per_educator",
                "message": "students_per_educator must be more than 0 and at most 100, not 0.",
            },
        ),
        (
            "educators",
            {
                "organisation": "RJ1",
                "academic_year": 2028,
                "educator_fte": -4,
                "students_per_educator": 3,
            },
            {"field": "educator_fte", "message": "educator_fte must be 0-100,000, not -4."},
        ),
        (
            "apprenticeships",
            {
                "organisation": "RJ1",
                "standard": "Registered nurse degree",
                "programme": "NUR-ADULT-BSC",
                "academic_year": 2028,
                "starts": 4,
            },
            {
                "field": "programme",
                "message": "programme must be an apprenticeship programme, not NUR-ADULT-BSC (degree).",
            },
        ),
        (
            "apprenticeships",
            {"organisation": "RJ1", "standard": "  ", "academic_year": 2028, "starts": 4},
            {"field": "standard", "message": "This field may not be blank."},
        ),
    ],
)
def test_a_bad_value_is_refused_with_a_message_naming_the_field(api, cast, endpoint, record, error):
    before = AuditEntry.objects.count()
    response = api(cast.national).post(f"/api/v1/{endpoint}/", record, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == [error]
    assert AuditEntry.objects.count() == before


def test_every_bad_value_is_listed_at_once(api, cast):
    response = api(cast.national).post(
        "/api/v1/programmes/",
        PROGRAMME | {"course_years": 0, "attrition": 2, "graduate_fte": 0},
        format="json",
    )
    assert [e["field"] for e in response.json()["errors"]] == [
        "course_years",
        "attrition",
        "graduate_fte",
    ]
    assert not Programme.objects.filter(code="NUR-NEW-BSC").exists()


def test_a_bad_change_leaves_the_record_as_it_was(api, cast):
    data = figures(cast)
    response = api(cast.lead_x).patch(
        f"/api/v1/intakes/{data.intake_x.pk}/", {"planned_places": -1}, format="json"
    )
    assert response.status_code == 400
    data.intake_x.refresh_from_db()
    assert data.intake_x.planned_places == 100


def test_a_second_intake_for_the_same_year_is_refused(api, cast):
    data = figures(cast)
    response = api(cast.lead_x).post(
        "/api/v1/intakes/", INTAKE | {"academic_year": 2027}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "academic_year",
            "message": "There is already a record for QKK, NUR-ADULT-BSC, 2027/28 "
            f"(id {data.intake_x.pk}): change that one instead.",
        }
    ]
    assert CommissionedIntake.objects.filter(ics=cast.ics_x).count() == 1


def test_creating_an_intake_records_who_and_every_field(api, cast):
    response = api(cast.lead_x).post("/api/v1/intakes/", INTAKE, format="json")
    assert response.status_code == 201
    entry = AuditEntry.objects.get()
    assert (entry.user, entry.action, entry.model, entry.ics) == (
        cast.lead_x,
        "create",
        "education.CommissionedIntake",
        cast.ics_x,
    )
    assert entry.object_id == str(response.json()["id"])
    assert entry.changes == {
        "ics": [None, "QKK"],
        "programme": [None, "NUR-ADULT-BSC"],
        "academic_year": [None, 2028],
        "planned_places": [None, 80],
    }


def test_changing_a_placement_records_the_field_before_and_after(api, cast):
    data = figures(cast)
    client = api(cast.uploader_a)
    url = f"/api/v1/placements/{data.placement_a.pk}/"
    assert client.patch(url, {"places": 80}, format="json").status_code == 200
    entry = AuditEntry.objects.get()
    assert (entry.user, entry.action, entry.ics) == (cast.uploader_a, "update", cast.ics_x)
    assert entry.changes == {"places": [60, 80]}
    # The same value again is no change: nothing more is recorded.
    assert client.patch(url, {"places": 80}, format="json").status_code == 200
    assert AuditEntry.objects.count() == 1


def test_changing_a_programme_records_the_decimal_as_a_number(api, cast):
    adult = Programme.objects.get(code="NUR-ADULT-BSC")
    response = api(cast.national).patch(
        f"/api/v1/programmes/{adult.pk}/", {"attrition": 0.18}, format="json"
    )
    assert response.json()["attrition"] == 0.18
    entry = AuditEntry.objects.get()
    assert (entry.changes, entry.ics) == ({"attrition": [0.2, 0.18]}, None)


def test_a_refused_write_records_nothing(api, cast):
    figures(cast)
    api(cast.analyst_x).post("/api/v1/intakes/", INTAKE, format="json")
    api(cast.uploader_a).post(
        "/api/v1/placements/",
        {"organisation": "RJ2", "programme": "NUR-ADULT-BSC", "academic_year": 2028, "places": 1},
        format="json",
    )
    assert not AuditEntry.objects.exists()
    assert not PlacementCapacity.objects.filter(academic_year=2028).exists()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("/api/v1/intakes/?ics=qkk", {"intake_x"}),
        ("/api/v1/intakes/?academic_year=2027&programme=NUR-ADULT-BSC", {"intake_x", "intake_y"}),
        ("/api/v1/intakes/?staff_group=MID", set()),
        ("/api/v1/placements/?ics=QKK", {"placement_a", "placement_b"}),
        ("/api/v1/placements/?organisation=R0A&staff_group=NUR", {"placement_c"}),
        ("/api/v1/educators/?ics=QOP&academic_year=2027", {"educator_c"}),
        ("/api/v1/educators/?academic_year=2028", set()),
        ("/api/v1/apprenticeships/?programme=NUR-RNDA&organisation=RJ1", {"apprenticeship_a"}),
    ],
)
def test_lists_filter_by_the_query(api, cast, query, expected):
    data = figures(cast)
    body = api(cast.national).get(query).json()
    assert {row["id"] for row in body["results"]} == {getattr(data, n).pk for n in expected}


def test_programmes_filter_by_staff_group_and_route(api, cast):
    body = api(cast.uploader_a).get("/api/v1/programmes/?staff_group=NUR&route=apprenticeship")
    assert [p["code"] for p in body.json()["results"]] == ["NUR-RNDA"]


def test_the_schema_documents_the_education_endpoints(api, cast):
    paths = api(cast.analyst_x).get("/api/v1/schema/?format=json").json()["paths"]
    for endpoint in ("programmes", "intakes", "placements", "educators", "apprenticeships"):
        assert {"get", "post"} <= set(paths[f"/api/v1/{endpoint}/"])
        assert {"get", "put", "patch"} <= set(paths[f"/api/v1/{endpoint}/{{id}}/"])
    body = paths["/api/v1/intakes/"]["post"]["requestBody"]["content"]["application/json"]
    assert "IntakeInput" in body["schema"]["$ref"]
