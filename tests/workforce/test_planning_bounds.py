"""What one request may ask of a scenario is capped, refused in the one error shape with
nothing stored; every assumption the pages list is settable; the schema states the caps."""

import re

import pytest

from core.errors import ApplicationError
from core.models import AuditEntry
from workforce.models import Scenario, ScenarioAssumption
from workforce.projection.inputs import prepare_run
from workforce.services.scenarios import scenario_create, scenario_update

from .planning_data import national_scenario
from .returns_data import month, store_return

pytestmark = pytest.mark.django_db

TOO_LONG = "description must be at most 2,000 characters."
TOO_MANY = "A scenario has at most 200 step changes: combine those of one staff group and year."


def step_changes(count: int) -> list[dict]:
    return [{"staff_group": "NUR", "year": 2028, "fte": 1} for _ in range(count)]


def test_a_description_over_the_cap_is_refused_and_nothing_is_stored(api, cast):
    before = AuditEntry.objects.count()
    response = api(cast.lead_x).post(
        "/api/v1/scenarios/",
        {"name": "Long", "ics": "QKK", "description": "x" * 2001},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"errors": [{"field": "description", "message": TOO_LONG}]}
    assert not Scenario.objects.filter(name="Long").exists()
    assert AuditEntry.objects.count() == before


def test_a_description_at_the_cap_is_stored(api, cast):
    response = api(cast.lead_x).post(
        "/api/v1/scenarios/",
        {"name": "Long", "ics": "QKK", "description": "x" * 2000},
        format="json",
    )
    assert response.status_code == 201
    assert len(Scenario.objects.get(name="Long").description) == 2000


def test_the_service_refuses_a_description_over_the_cap_with_the_same_message(cast):
    scenario = scenario_create(user=cast.lead_x, ics=cast.ics_x, name="Central")
    with pytest.raises(ApplicationError) as refused:
        scenario_update(user=cast.lead_x, scenario=scenario, description="x" * 2001)
    assert refused.value.errors == [{"field": "description", "message": TOO_LONG}]
    scenario.refresh_from_db()
    assert scenario.description == ""


def test_the_copy_page_refuses_a_description_over_the_cap_beside_the_field(client, cast):
    source = national_scenario(cast.national)
    client.force_login(cast.lead_x)
    response = client.post(
        f"/scenarios/{source.pk}/copy/",
        {"name": "Copy", "description": "x" * 2001, "draws": "500", "horizon": "10"},
    )
    assert response.status_code == 200
    assert 'id="id_description-error"' in response.content.decode()
    assert "Description must be at most 2,000 characters." in response.content.decode()
    assert not Scenario.objects.filter(name="Copy").exists()


@pytest.mark.parametrize("path", ["/api/v1/scenarios/", "copy"])
def test_too_many_step_changes_are_refused_before_any_is_read(api, cast, path):
    source = national_scenario(cast.national)
    if path == "copy":
        url = f"/api/v1/scenarios/{source.pk}/copy/"
        body = {"name": "Many", "ics": "QKK", "changes": {"step_changes": step_changes(201)}}
        field = "changes.step_changes"
    else:
        url, body, field = (
            path,
            {"name": "Many", "ics": "QKK", "step_changes": step_changes(201)},
            "step_changes",
        )
    response = api(cast.lead_x).post(url, body, format="json")
    assert response.status_code == 400
    assert response.json() == {"errors": [{"field": field, "message": TOO_MANY}]}
    assert not Scenario.objects.filter(name="Many").exists()


def test_two_hundred_step_changes_are_stored(api, cast):
    response = api(cast.lead_x).post(
        "/api/v1/scenarios/",
        {"name": "Many", "ics": "QKK", "step_changes": step_changes(200)},
        format="json",
    )
    assert response.status_code == 201
    assert Scenario.objects.get(name="Many").step_changes.count() == 200


def test_the_service_refuses_too_many_step_changes(cast):
    with pytest.raises(ApplicationError) as refused:
        scenario_create(
            user=cast.lead_x, ics=cast.ics_x, name="Many", step_changes=step_changes(201)
        )
    assert refused.value.errors == [{"field": "step_changes", "message": TOO_MANY}]
    assert not Scenario.objects.filter(name="Many").exists()


def test_more_assumption_rows_than_staff_groups_are_refused_at_once(cast):
    rows = [{"staff_group": "NUR", "demand_growth": "0.01"}] * 500
    with pytest.raises(ApplicationError) as refused:
        scenario_create(user=cast.lead_x, ics=cast.ics_x, name="Rows", assumptions=rows)
    [problem] = refused.value.errors
    assert problem["field"] == "assumptions"
    assert "one for every staff group and one per staff group; 500 were given" in problem["message"]
    assert not Scenario.objects.filter(name="Rows").exists()


def test_a_second_row_for_one_staff_group_is_refused(api, cast):
    response = api(cast.lead_x).post(
        "/api/v1/scenarios/",
        {
            "name": "Twice",
            "ics": "QKK",
            "assumptions": [
                {"staff_group": "NUR", "vacancy_rate": 0.1},
                {"staff_group": "nur", "fallback_leaver_rate": 0.1},
            ],
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "assumptions[1].staff_group",
            "message": "There is already a row for staff group NUR.",
        }
    ]


def test_vacancy_and_fallback_leaver_rates_set_by_the_api_are_the_runs_assumptions(api, cast):
    response = api(cast.lead_x).post(
        "/api/v1/scenarios/",
        {
            "name": "Vacancies",
            "ics": "QKK",
            "assumptions": [
                {"staff_group": None, "vacancy_rate": 0.2, "fallback_leaver_rate": 0.15},
                {"staff_group": "NUR", "vacancy_rate": 0.12},
            ],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    rows = {row["staff_group"]: row for row in response.json()["assumptions"]}
    assert (rows[None]["vacancy_rate"], rows[None]["fallback_leaver_rate"]) == (0.2, 0.15)
    for period in (month(2025, 12), month(2026, 1), month(2026, 2)):
        store_return(cast.trust_a, period, {"NUR": {"fte": "100"}, "DOC": {"fte": "50"}})
    prepared = prepare_run(
        scenario=Scenario.objects.get(name="Vacancies"),
        ics=cast.ics_x,
        baseline_period=month(2026, 2),
    )
    assert prepared.assumptions["NUR"].vacancy_rate == pytest.approx(0.12)
    assert prepared.assumptions["DOC"].vacancy_rate == pytest.approx(0.2)
    assert prepared.assumptions["NUR"].fallback_leaver_rate == pytest.approx(0.15)


def test_the_scenario_page_shows_a_vacancy_rate_set_by_the_api_as_the_scenarios(api, client, cast):
    api(cast.lead_x).post(
        "/api/v1/scenarios/",
        {"name": "Vacancies", "ics": "QKK", "assumptions": [{"vacancy_rate": 0.2}]},
        format="json",
    )
    client.force_login(cast.lead_x)
    html = client.get(f"/scenarios/{Scenario.objects.get(name='Vacancies').pk}/").content.decode()
    # The scenario's own rows: the one for every staff group, with the value set.
    assert re.search(
        r"Every staff group</td>\s*<td[^>]*>Vacancy rate where no return gives vacancies</td>"
        r"\s*<td[^>]*>20%</td>",
        html,
    )


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("vacancy_rate", 0.6, "vacancy_rate must be from 0 to 0.5 (0% to 50%); 0.6 is not."),
        (
            "fallback_leaver_rate",
            0.6,
            "fallback_leaver_rate must be from 0 to 0.5 (0% to 50%); 0.6 is not.",
        ),
    ],
)
def test_a_vacancy_or_fallback_leaver_rate_out_of_range_is_refused(api, cast, name, value, message):
    response = api(cast.lead_x).post(
        "/api/v1/scenarios/",
        {"name": "Bad", "ics": "QKK", "assumptions": [{name: value}]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": f"assumptions[0].{name}", "message": message}]
    assert not ScenarioAssumption.objects.filter(scenario__name="Bad").exists()


def test_the_schema_states_the_scenario_caps_and_ranges(api, cast):
    schema = api(cast.analyst_x).get("/api/v1/schema/?format=json").json()["components"]["schemas"]
    settings = schema["ScenarioInputRequest"]["properties"]
    assert settings["description"]["maxLength"] == 2000
    assert settings["step_changes"]["maxItems"] == 200
    assert (settings["draws"]["minimum"], settings["draws"]["maximum"]) == (1, 10_000)
    assumption = schema["AssumptionInputRequest"]["properties"]
    assert (assumption["vacancy_rate"]["minimum"], assumption["vacancy_rate"]["maximum"]) == (
        0,
        0.5,
    )
    assert assumption["fallback_leaver_rate"]["maximum"] == 0.5
