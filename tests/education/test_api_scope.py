"""Every education endpoint for every user of the cast: reads narrowed, writes refused outside.

A list shows only what the user's scope holds, an object outside it is 404, a write outside
it is 403, and anonymous requests are 401.
"""

import pytest

from education.models import Programme

from .data import figures

pytestmark = pytest.mark.django_db

USERS = ["uploader_a", "uploader_b", "lead_x", "lead_y", "analyst_x", "national"]
# endpoint -> user -> the objects of `figures` the user sees
VISIBLE = {
    "intakes": {
        "uploader_a": set(),
        "uploader_b": set(),
        "lead_x": {"intake_x"},
        "lead_y": {"intake_y"},
        "analyst_x": {"intake_x"},
        "national": {"intake_x", "intake_y"},
    },
    "placements": {
        "uploader_a": {"placement_a"},
        "uploader_b": {"placement_b"},
        "lead_x": {"placement_a", "placement_b"},
        "lead_y": {"placement_c"},
        "analyst_x": {"placement_a", "placement_b"},
        "national": {"placement_a", "placement_b", "placement_c"},
    },
    "educators": {
        "uploader_a": {"educator_a"},
        "uploader_b": set(),
        "lead_x": {"educator_a"},
        "lead_y": {"educator_c"},
        "analyst_x": {"educator_a"},
        "national": {"educator_a", "educator_c"},
    },
    "apprenticeships": {
        "uploader_a": {"apprenticeship_a"},
        "uploader_b": set(),
        "lead_x": {"apprenticeship_a"},
        "lead_y": {"apprenticeship_c"},
        "analyst_x": {"apprenticeship_a"},
        "national": {"apprenticeship_a", "apprenticeship_c"},
    },
}
OBJECTS = {endpoint: sorted(by_user["national"]) for endpoint, by_user in VISIBLE.items()}
# endpoint -> user -> the objects of `figures` the user may change
WRITABLE = {
    "intakes": {"lead_x": {"intake_x"}, "lead_y": {"intake_y"}},
    "placements": {
        "uploader_a": {"placement_a"},
        "uploader_b": {"placement_b"},
        "lead_x": {"placement_a", "placement_b"},
        "lead_y": {"placement_c"},
    },
    "educators": {
        "uploader_a": {"educator_a"},
        "lead_x": {"educator_a"},
        "lead_y": {"educator_c"},
    },
    "apprenticeships": {
        "uploader_a": {"apprenticeship_a"},
        "lead_x": {"apprenticeship_a"},
        "lead_y": {"apprenticeship_c"},
    },
}
for by_user in WRITABLE.values():
    by_user["national"] = set().union(*by_user.values())
# A small change each endpoint accepts.
CHANGE = {
    "intakes": {"planned_places": 111},
    "placements": {"places": 44},
    "educators": {"educator_fte": 12.5},
    "apprenticeships": {"starts": 13},
}


def new_record(endpoint: str, owner: str) -> dict:
    """A record for a system (intakes) or an organisation (the rest) that does not exist yet."""
    year = 2031
    if endpoint == "intakes":
        return {
            "ics": owner,
            "programme": "NUR-MH-BSC",
            "academic_year": year,
            "planned_places": 40,
        }
    record = {"organisation": owner, "academic_year": year}
    return (
        record
        | {
            "placements": {"programme": "NUR-MH-BSC", "places": 12},
            "educators": {"educator_fte": 3, "students_per_educator": 4},
            "apprenticeships": {"standard": "Nursing associate (NMC 2018)", "starts": 5},
        }[endpoint]
    )


# owner -> users who may write for it
MAY_CREATE = {
    ("intakes", "QKK"): {"lead_x", "national"},
    ("intakes", "QOP"): {"lead_y", "national"},
}
for endpoint in ("placements", "educators", "apprenticeships"):
    MAY_CREATE[endpoint, "RJ1"] = {"uploader_a", "lead_x", "national"}
    MAY_CREATE[endpoint, "RJ2"] = {"uploader_b", "lead_x", "national"}
    MAY_CREATE[endpoint, "R0A"] = {"lead_y", "national"}


@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize("endpoint", list(VISIBLE))
def test_a_list_shows_only_what_the_scope_holds(api, cast, endpoint, user):
    data = figures(cast)
    body = api(getattr(cast, user)).get(f"/api/v1/{endpoint}/").json()
    expected = {getattr(data, name).pk for name in VISIBLE[endpoint][user]}
    assert {row["id"] for row in body["results"]} == expected
    assert body["count"] == len(expected)


@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize("endpoint", list(VISIBLE))
def test_an_object_outside_the_scope_is_404(api, cast, endpoint, user):
    data = figures(cast)
    client = api(getattr(cast, user))
    for name in OBJECTS[endpoint]:
        response = client.get(f"/api/v1/{endpoint}/{getattr(data, name).pk}/")
        assert response.status_code == (200 if name in VISIBLE[endpoint][user] else 404), name


@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize("endpoint", list(VISIBLE))
def test_a_change_is_allowed_in_scope_403_outside_and_404_unseen(api, cast, endpoint, user):
    data = figures(cast)
    client = api(getattr(cast, user))
    for name in OBJECTS[endpoint]:
        url = f"/api/v1/{endpoint}/{getattr(data, name).pk}/"
        response = client.patch(url, CHANGE[endpoint], format="json")
        if name not in VISIBLE[endpoint][user]:
            expected = 404
        elif name in WRITABLE[endpoint].get(user, set()):
            expected = 200
        else:
            expected = 403
        assert response.status_code == expected, (name, response.json())
        if expected == 403:
            assert response.json()["errors"][0]["message"].startswith("You may not change")


@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize(("endpoint", "owner"), list(MAY_CREATE))
def test_a_record_is_created_only_by_those_who_may_write_for_its_owner(
    api, cast, endpoint, owner, user
):
    response = api(getattr(cast, user)).post(
        f"/api/v1/{endpoint}/", new_record(endpoint, owner), format="json"
    )
    allowed = user in MAY_CREATE[endpoint, owner]
    assert response.status_code == (201 if allowed else 403), response.json()


def test_a_full_put_replaces_the_figures(api, cast):
    data = figures(cast)
    response = api(cast.lead_x).put(
        f"/api/v1/intakes/{data.intake_x.pk}/",
        {
            "ics": "QKK",
            "programme": "NUR-ADULT-BSC",
            "academic_year": 2027,
            "planned_places": 130,
            "actual_starts": 125,
        },
        format="json",
    )
    assert response.status_code == 200
    assert response.json() == {
        "id": data.intake_x.pk,
        "ics": "QKK",
        "programme": "NUR-ADULT-BSC",
        "staff_group": "NUR",
        "academic_year": 2027,
        "planned_places": 130,
        "actual_starts": 125,
    }


def test_a_lead_may_not_move_an_intake_to_another_system(api, cast):
    data = figures(cast)
    response = api(cast.lead_x).patch(
        f"/api/v1/intakes/{data.intake_x.pk}/", {"ics": "QOP"}, format="json"
    )
    assert response.status_code == 403
    data.intake_x.refresh_from_db()
    assert data.intake_x.ics == cast.ics_x


@pytest.mark.parametrize("user", USERS)
def test_every_signed_in_user_reads_the_programme_catalogue(api, cast, user):
    body = api(getattr(cast, user)).get("/api/v1/programmes/?page_size=100").json()
    assert body["count"] == Programme.objects.count() > 20
    adult = next(p for p in body["results"] if p["code"] == "NUR-ADULT-BSC")
    assert adult | {"id": None} == {
        "id": None,
        "code": "NUR-ADULT-BSC",
        "name": "Adult nursing degree (BSc)",
        "route": "degree",
        "staff_group": "NUR",
        "course_years": 3,
        "attrition": 0.2,
        "graduate_fte": 0.9,
        "placement_weeks_per_year": 20.0,
        "placement_split": [],
    }


@pytest.mark.parametrize("user", USERS)
def test_only_national_administrators_change_the_catalogue(api, cast, user):
    client = api(getattr(cast, user))
    adult = Programme.objects.get(code="NUR-ADULT-BSC")
    created = client.post(
        "/api/v1/programmes/",
        {
            "code": "NUR-TEST",
            "name": "A test programme",
            "route": "degree",
            "staff_group": "NUR",
            "course_years": 3,
            "attrition": 0.1,
            "graduate_fte": 1,
            "placement_weeks_per_year": 10,
        },
        format="json",
    )
    changed = client.patch(f"/api/v1/programmes/{adult.pk}/", {"attrition": 0.18}, format="json")
    expected = 201 if user == "national" else 403
    assert (created.status_code, changed.status_code) == (expected, 200 if expected == 201 else 403)
    if expected == 403:
        assert created.json()["errors"] == [
            {"message": "Only national administrators may change the programme catalogue."}
        ]


@pytest.mark.parametrize("endpoint", ["programmes", *VISIBLE])
def test_anonymous_requests_are_401(api, cast, endpoint):
    figures(cast)
    client = api()
    assert client.get(f"/api/v1/{endpoint}/").status_code == 401
    assert client.post(f"/api/v1/{endpoint}/", {}, format="json").status_code == 401
    assert client.patch(f"/api/v1/{endpoint}/1/", {}, format="json").status_code == 401
