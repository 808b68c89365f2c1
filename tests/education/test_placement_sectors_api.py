"""The API's placement sectors: a programme's split, placements recorded by any kind of
organisation in a sector, and a system's capacity by sector checked against its intakes."""

import csv
import io

import pytest
from django.utils import timezone

from core.calendar import financial_year
from core.models import AuditEntry
from education.models import CommissionedIntake, PlacementCapacity, Programme
from education.pipeline import first_changeable_academic_year

from .sectors_data import SPLIT, providers, split_adult_nursing

pytestmark = pytest.mark.django_db

FIRST = first_changeable_academic_year(financial_year(timezone.localdate()))


def errors(response, status=400):
    assert response.status_code == status, response.content
    return response.json()["errors"]


def programme_url() -> str:
    return f"/api/v1/programmes/{Programme.objects.get(code='NUR-ADULT-BSC').pk}/"


# The split.


def test_a_national_administrator_splits_a_programmes_weeks_and_it_is_audited(api, cast):
    given = [
        {"sectors": ["acute"], "weeks": 14},
        {"sectors": ["community"], "weeks": 3},
        {"sectors": ["social_care", "primary_care"], "weeks": 3},
    ]
    response = api(cast.national).patch(programme_url(), {"placement_split": given}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["placement_split"] == SPLIT  # each part's sectors in order
    assert Programme.objects.get(code="NUR-ADULT-BSC").placement_split == SPLIT
    entry = AuditEntry.objects.get()
    assert entry.changes == {"placement_split": [[], SPLIT]}


def test_the_split_must_add_up_to_the_placement_weeks(api, cast):
    short = [{"sectors": ["acute"], "weeks": 14}, {"sectors": ["community"], "weeks": 3}]
    [error] = errors(
        api(cast.national).patch(programme_url(), {"placement_split": short}, format="json")
    )
    assert error["field"] == "placement_split"
    assert "add up to 17, not the programme's 20 placement weeks" in error["message"]
    assert Programme.objects.get(code="NUR-ADULT-BSC").placement_split == []
    assert not AuditEntry.objects.exists()


def test_changing_the_weeks_of_a_split_programme_needs_a_split_that_adds_up(api, cast):
    split_adult_nursing()
    client = api(cast.national)
    [error] = errors(client.patch(programme_url(), {"placement_week_per_year": 22}, format="json"))
    assert error["field"] == "placement_week_per_year"  # a misspelt field is refused
    [error] = errors(client.patch(programme_url(), {"placement_weeks_per_year": 22}, format="json"))
    assert error["field"] == "placement_split"
    undivided = client.patch(
        programme_url(), {"placement_weeks_per_year": 22, "placement_split": []}, format="json"
    )
    assert undivided.status_code == 200
    assert undivided.json()["placement_split"] == []


@pytest.mark.parametrize(
    ("split", "field", "message"),
    [
        (
            [{"sectors": ["hospital"], "weeks": 20}],
            "placement_split[0].sectors[0]",
            "'hospital' is not a placement sector: use acute, community, mental_health",
        ),
        (
            [{"sectors": ["acute"], "weeks": 10}, {"sectors": ["acute"], "weeks": 10}],
            "placement_split[1].sectors",
            "Acute is in placement_split[0] already",
        ),
        (
            [{"sectors": ["acute"], "weeks": 20, "hours": 750}],
            "placement_split[0].hours",
            "This is not a field of the request.",
        ),
        ([{"sectors": ["acute"], "weeks": 19.55}], "placement_split[0].weeks", "decimal"),
        ([{"sectors": ["acute"], "weeks": -20}], "placement_split[0].weeks", "more than 0"),
        ("acute:20", "placement_split", "list"),
    ],
)
def test_a_bad_split_is_a_400_naming_the_part(api, cast, split, field, message):
    found = errors(
        api(cast.national).patch(programme_url(), {"placement_split": split}, format="json")
    )
    assert [e["field"] for e in found] == [field]
    assert message in found[0]["message"]


def test_only_national_administrators_split_a_programme(api, cast):
    response = api(cast.lead_x).patch(programme_url(), {"placement_split": SPLIT}, format="json")
    assert response.status_code == 403
    assert Programme.objects.get(code="NUR-ADULT-BSC").placement_split == []


def test_a_new_programme_may_come_with_its_split(api, cast):
    response = api(cast.national).post(
        "/api/v1/programmes/",
        {
            "code": "NUR-NEW-BSC",
            "name": "A new nursing degree",
            "route": "degree",
            "staff_group": "NUR",
            "course_years": 3,
            "attrition": 0.2,
            "graduate_fte": 0.9,
            "placement_weeks_per_year": 20,
            "placement_split": SPLIT,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert Programme.objects.get(code="NUR-NEW-BSC").placement_split == SPLIT


def test_the_programmes_csv_writes_the_split_as_the_catalogue_file_does(api, cast):
    split_adult_nursing()
    response = api(cast.lead_x).get("/api/v1/programmes/?format=csv")
    rows = {r["code"]: r for r in csv.DictReader(io.StringIO(response.content.decode()))}
    assert rows["NUR-ADULT-BSC"]["placement_split"] == (
        "acute:14;community:3;primary_care+social_care:3"
    )
    assert rows["NUR-MH-BSC"]["placement_split"] == ""


# Placements by any organisation, in a sector.


def placement(organisation, **extra):
    return {
        "organisation": organisation.code,
        "programme": "NUR-ADULT-BSC",
        "academic_year": FIRST,
        "places": 6,
        **extra,
    }


def test_a_practice_records_its_placements_in_primary_care(api, cast):
    x = providers(cast)
    response = api(x.practice_uploader).post(
        "/api/v1/placements/", placement(x.practice), format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["sector"] == "primary_care"
    assert PlacementCapacity.objects.get(organisation=x.practice).sector == "primary_care"


def test_a_care_home_records_its_placements_in_social_care(api, cast):
    x = providers(cast)
    response = api(x.care_home_uploader).post(
        "/api/v1/placements/", placement(x.care_home, sector="social_care"), format="json"
    )
    assert response.status_code == 201, response.content
    listed = api(cast.lead_x).get("/api/v1/placements/?ics=QKK&sector=social_care").json()
    assert [(p["organisation"], p["sector"]) for p in listed["results"]] == [
        ("CRIVER1", "social_care")
    ]


def test_the_icb_lead_records_a_hospices_places_and_the_hospice_chooses_community(api, cast):
    x = providers(cast)
    client = api(cast.lead_x)
    default = client.post("/api/v1/placements/", placement(x.hospice), format="json")
    assert default.json()["sector"] == "independent"
    community = client.post(
        "/api/v1/placements/", placement(x.hospice, sector="community"), format="json"
    )
    assert community.status_code == 201
    assert PlacementCapacity.objects.filter(organisation=x.hospice).count() == 2


def test_a_sector_an_organisation_does_not_offer_is_refused(api, cast):
    x = providers(cast)
    [error] = errors(
        api(x.practice_uploader).post(
            "/api/v1/placements/", placement(x.practice, sector="acute"), format="json"
        )
    )
    assert error["field"] == "sector"
    assert error["message"] == (
        f"The placements of {x.practice.code} (GP practice) are in primary_care, not acute."
    )
    assert not PlacementCapacity.objects.exists()


def test_an_unknown_sector_is_refused_by_name(api, cast):
    [error] = errors(
        api(cast.uploader_a).post(
            "/api/v1/placements/", placement(cast.trust_a, sector="ward"), format="json"
        )
    )
    assert error == {
        "field": "sector",
        "message": "'ward' is not a placement sector: use acute, community, mental_health, "
        "ambulance, primary_care, social_care, independent.",
    }


def test_a_trust_records_places_in_two_sectors_of_one_programme(api, cast):
    client = api(cast.uploader_a)
    for sector in ("acute", "community"):
        response = client.post(
            "/api/v1/placements/", placement(cast.trust_a, sector=sector), format="json"
        )
        assert response.status_code == 201
    [error] = errors(
        client.post("/api/v1/placements/", placement(cast.trust_a, sector="acute"), format="json")
    )
    assert "There is already a record" in error["message"]


def test_another_organisations_uploader_may_not_record_a_practices_places(api, cast):
    x = providers(cast)
    response = api(x.care_home_uploader).post(
        "/api/v1/placements/", placement(x.practice), format="json"
    )
    assert response.status_code == 403


# A system's capacity by sector.


def checks(cast, split=True):
    """Adult nursing in X: 100 planned; acute 120, community 90, primary 30 + social 40."""
    x = providers(cast)
    if split:
        split_adult_nursing()
    adult = Programme.objects.get(code="NUR-ADULT-BSC")
    CommissionedIntake.objects.create(
        ics=cast.ics_x, programme=adult, academic_year=FIRST, planned_places=100
    )
    for organisation, sector, places in [
        (cast.trust_a, "acute", 120),
        (cast.trust_b, "community", 90),
        (x.practice, "primary_care", 30),
        (x.care_home, "social_care", 40),
    ]:
        PlacementCapacity.objects.create(
            organisation=organisation,
            programme=adult,
            sector=sector,
            academic_year=FIRST,
            places=places,
        )
    return x


def test_the_system_lists_each_sectors_demand_against_capacity_and_the_binding_one(api, cast):
    checks(cast)
    body = api(cast.analyst_x).get(f"/api/v1/placement-sectors/?ics=qkk&academic_year={FIRST}")
    assert body.status_code == 200, body.content
    rows = body.json()["results"]
    assert [(r["sectors"], r["places"], r["binding"], r["short"]) for r in rows] == [
        (["acute"], 120.0, False, False),
        (["community"], 90.0, False, True),
        (["primary_care", "social_care"], 70.0, True, True),
    ]
    assert rows[2] | {"sectors": None} == {
        "ics": "QKK",
        "programme": "NUR-ADULT-BSC",
        "academic_year": FIRST,
        "sectors": None,
        "weeks": 3.0,
        "students": 100.0,
        "demand_weeks": 300.0,
        "places": 70.0,
        "capacity_weeks": 210.0,
        "binding": True,
        "short": True,
    }


def test_a_programme_whose_weeks_are_not_split_has_one_part_of_every_sector(api, cast):
    checks(cast, split=False)
    rows = api(cast.lead_x).get(f"/api/v1/placement-sectors/?ics=QKK&academic_year={FIRST}")
    [row] = rows.json()["results"]
    assert (row["sectors"], row["places"], row["short"]) == ([], 280.0, False)


def test_the_capacity_by_sector_downloads_as_csv(api, cast):
    checks(cast)
    response = api(cast.lead_x).get(
        f"/api/v1/placement-sectors/?ics=QKK&programme=nur-adult-bsc&academic_year={FIRST}"
        "&format=csv"
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["sectors"] for r in rows] == ["acute", "community", "primary_care+social_care"]
    assert rows[2]["binding"] == "True"


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("ics=NOPE", "ics", "No system has the code 'NOPE'."),
        ("ics=QKK&academic_year=27", "academic_year", "'27' is not an academic year"),
        ("ics=QKK&academic_year=2027/28", "academic_year", "is not an academic year"),
        ("ics=QKK&programme=NUR-XYZ", "programme", "No programme has the code 'NUR-XYZ'."),
        ("ics=QKK&format=xml", "format", "Choose json or csv."),
    ],
)
def test_bad_parameters_are_a_400_in_the_one_shape(api, cast, query, field, message):
    [error] = errors(api(cast.national).get(f"/api/v1/placement-sectors/?{query}"))
    assert error["field"] == field
    assert message in error["message"]


def test_another_systems_capacity_is_not_found(api, cast):
    checks(cast)
    assert api(cast.lead_y).get("/api/v1/placement-sectors/?ics=QKK").status_code == 404
    assert api(cast.uploader_a).get("/api/v1/placement-sectors/?ics=QKK").status_code == 404
    assert api().get("/api/v1/placement-sectors/?ics=QKK").status_code == 401


def test_without_a_system_the_list_holds_every_system_in_scope(api, cast):
    checks(cast)
    CommissionedIntake.objects.create(
        ics=cast.ics_y,
        programme=Programme.objects.get(code="NUR-ADULT-BSC"),
        academic_year=FIRST,
        planned_places=50,
    )
    PlacementCapacity.objects.create(
        organisation=cast.trust_c,
        programme=Programme.objects.get(code="NUR-ADULT-BSC"),
        sector="acute",
        academic_year=FIRST,
        places=60,
    )

    def systems(user):
        body = api(user).get(f"/api/v1/placement-sectors/?academic_year={FIRST}").json()
        return sorted({row["ics"] for row in body["results"]})

    assert systems(cast.national) == ["QKK", "QOP"]
    assert systems(cast.lead_x) == ["QKK"]
    assert systems(cast.lead_y) == ["QOP"]
    assert systems(cast.uploader_a) == []
