"""Numbers too large to hold, or not finite, for a target or a scenario: refused, by field."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from workforce.models import PlanTarget, Scenario

pytestmark = pytest.mark.django_db

TARGET = {"ics": "QKK", "staff_group": "NUR", "year": "2028/29", "target_fte": 1500.5}
SCENARIO = {"ics": "QKK", "name": "Odd", "organisation_share": "0.5"}
TOO_LARGE = {
    "target_fte": "target_fte must be at most 9,999,999,999.99; 1E+29 is more.",
    "target_bank_fte": "target_bank_fte must be at most 9,999,999,999.99; 1E+29 is more.",
    "target_leaver_rate": "target_leaver_rate must be a fraction from 0 to 1; 1E+29 is not.",
}


@pytest.mark.parametrize("value", ["1e29", 1e29])
@pytest.mark.parametrize("field", TOO_LARGE)
def test_a_target_too_large_to_round_is_a_400_naming_the_field(api, cast, field, value):
    response = api(cast.lead_x).post("/api/v1/targets/", {**TARGET, field: value}, format="json")
    assert response.status_code == 400
    assert response.json() == {"errors": [{"field": field, "message": TOO_LARGE[field]}]}
    assert not PlanTarget.objects.exists()


@pytest.mark.parametrize("value", ["1e999999", "-1e30", "NaN", "Infinity", "-Infinity"])
def test_a_target_of_a_huge_or_infinite_number_is_a_400(api, cast, value):
    response = api(cast.lead_x).post(
        "/api/v1/targets/", {**TARGET, "target_fte": value}, format="json"
    )
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["target_fte"]
    assert not PlanTarget.objects.exists()


@pytest.mark.parametrize("value", ["1e30", 1e30])
def test_a_scenario_share_too_large_to_round_is_a_400_naming_the_field(api, cast, value):
    response = api(cast.lead_x).post(
        "/api/v1/scenarios/", {**SCENARIO, "organisation_share": value}, format="json"
    )
    assert response.status_code == 400
    message = "organisation_share must be a fraction from 0 to 1; 1E+30 is not."
    assert response.json() == {"errors": [{"field": "organisation_share", "message": message}]}
    assert not Scenario.objects.exists()


@pytest.mark.parametrize("value", ["1e999999", "NaN", "-Infinity"])
def test_a_scenario_share_huge_or_infinite_is_a_400(api, cast, value):
    response = api(cast.lead_x).post(
        "/api/v1/scenarios/", {**SCENARIO, "organisation_share": value}, format="json"
    )
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["organisation_share"]
    assert not Scenario.objects.exists()


def test_scenario_rows_too_large_to_round_are_400s_naming_each_field(api, cast):
    response = api(cast.lead_x).post(
        "/api/v1/scenarios/",
        {
            **SCENARIO,
            "assumptions": [{"staff_group": "NUR", "leaver_rate": "1e30"}],
            "step_changes": [{"staff_group": "NUR", "year": 2028, "fte": "1e30"}],
        },
        format="json",
    )
    assert response.status_code == 400
    assert {e["field"] for e in response.json()["errors"]} == {
        "assumptions[0].leaver_rate",
        "step_changes[0].fte",
    }
    assert not Scenario.objects.exists()


@pytest.mark.parametrize("value", ["1e29", "1e999999"])
def test_the_target_form_shows_a_number_too_large_beside_its_field(client, cast, value):
    client.force_login(cast.lead_x)
    form = {"staff_group": "NUR", "year": "2028", "plan": "scp", "target_fte": value}
    response = client.post("/targets/QKK/add/", form)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_target_fte-error"' in html and "Target FTE must be at most" in html
    assert not PlanTarget.objects.exists()


@pytest.mark.parametrize(
    "row, words",
    [
        ("NUR,2028,scp,1e29,0.1", "target_fte must be at most 9,999,999,999.99; 1E+29 is more."),
        ("NUR,2028,scp,10,1e29", "target_leaver_rate must be a fraction from 0 to 1; 1E+29"),
        ("NUR,2028,scp,NaN,0.1", "target_fte must be a number; &quot;NaN&quot; is not."),
    ],
)
def test_a_target_import_too_large_to_round_lists_the_problem_and_stores_nothing(
    client, cast, row, words
):
    client.force_login(cast.lead_x)
    content = f"staff_group_code,year,plan,target_fte,target_leaver_rate\n{row}\n".encode()
    response = client.post("/targets/QKK/import/", {"file": SimpleUploadedFile("t.csv", content)})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing was stored" in html and words in html
    assert not PlanTarget.objects.exists()
