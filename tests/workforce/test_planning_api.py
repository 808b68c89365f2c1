import pytest

from core.models import AuditEntry
from workforce.models import PlanTarget, Scenario

from .planning_data import national_scenario, target

pytestmark = pytest.mark.django_db

NEW_TARGET = {"ics": "QKK", "staff_group": "NUR", "year": "2028/29", "target_fte": 1500.5}


@pytest.fixture
def targets(cast):
    return {
        "x_nur": target(cast.ics_x, "NUR", 2028),
        "x_doc": target(cast.ics_x, "DOC", 2029),
        "y_nur": target(cast.ics_y, "NUR", 2028),
    }


@pytest.fixture
def scenarios(cast):
    return {
        "national": national_scenario(cast.national),
        "x": Scenario.objects.create(ics=cast.ics_x, name="Central"),
        "y": Scenario.objects.create(ics=cast.ics_y, name="Central"),
    }


# Who sees what: targets of the systems in scope; scenarios of those and the national ones.
SEES_TARGETS = {
    "national": {"x_nur", "x_doc", "y_nur"},
    "lead_x": {"x_nur", "x_doc"},
    "analyst_x": {"x_nur", "x_doc"},
    "lead_y": {"y_nur"},
    "uploader_a": set(),
    "uploader_b": set(),
}
SEES_SCENARIOS = {
    "national": {"national", "x", "y"},
    "lead_x": {"national", "x"},
    "analyst_x": {"national", "x"},
    "lead_y": {"national", "y"},
    "uploader_a": set(),
    "uploader_b": set(),
}


@pytest.mark.parametrize("who", SEES_TARGETS)
def test_targets_list_only_what_is_in_scope_and_the_rest_is_not_found(api, cast, targets, who):
    client = api(getattr(cast, who))
    body = client.get("/api/v1/targets/").json()
    assert {r["id"] for r in body["results"]} == {targets[k].pk for k in SEES_TARGETS[who]}
    for key, made in targets.items():
        code = 200 if key in SEES_TARGETS[who] else 404
        assert client.get(f"/api/v1/targets/{made.pk}/").status_code == code


@pytest.mark.parametrize("who", SEES_SCENARIOS)
def test_scenarios_list_only_what_is_in_scope_and_the_rest_is_not_found(api, cast, scenarios, who):
    client = api(getattr(cast, who))
    body = client.get("/api/v1/scenarios/").json()
    assert {r["id"] for r in body["results"]} == {scenarios[k].pk for k in SEES_SCENARIOS[who]}
    for key, made in scenarios.items():
        code = 200 if key in SEES_SCENARIOS[who] else 404
        assert client.get(f"/api/v1/scenarios/{made.pk}/").status_code == code


@pytest.mark.parametrize(
    "url",
    ["/api/v1/targets/", "/api/v1/scenarios/"],
)
def test_anonymous_users_are_refused(api, cast, url):
    assert api().get(url).status_code == 401
    assert api().post(url, {}, format="json").status_code == 401


def test_a_target_shows_codes_numbers_and_its_plan(api, cast, targets):
    body = api(cast.lead_x).get(f"/api/v1/targets/{targets['x_nur'].pk}/").json()
    assert body["ics"] == "QKK" and body["staff_group"] == "NUR"
    assert body["year"] == 2028 and body["year_label"] == "2028/29"
    assert body["plan"] == "scp" and body["target_fte"] == 1000.0
    assert body["target_vacancy_rate"] is None


def test_targets_filter_by_system_group_year_and_plan(api, cast, targets):
    client = api(cast.national)

    def ids(query: str) -> set[int]:
        return {r["id"] for r in client.get(f"/api/v1/targets/?{query}").json()["results"]}

    assert ids("ics=qkk") == {targets["x_nur"].pk, targets["x_doc"].pk}
    assert ids("staff_group=NUR") == {targets["x_nur"].pk, targets["y_nur"].pk}
    assert ids("year=2029/30") == {targets["x_doc"].pk}
    assert ids("year=2029") == {targets["x_doc"].pk}
    assert ids("plan=jfp") == set()
    response = client.get("/api/v1/targets/?year=soon")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "year"


def test_the_lead_creates_updates_and_deletes_a_target_of_its_system(api, cast):
    client = api(cast.lead_x)
    response = client.post("/api/v1/targets/", NEW_TARGET, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["year"], body["plan"], body["target_fte"]) == (2028, "scp", 1500.5)
    assert body["updated_by"] == "icb-qkk"
    url = f"/api/v1/targets/{body['id']}/"
    response = client.patch(url, {"target_agency_fte": 12}, format="json")
    assert response.json()["target_agency_fte"] == 12.0
    assert response.json()["target_fte"] == 1500.5
    response = client.put(url, {**NEW_TARGET, "target_fte": 1600}, format="json")
    assert response.status_code == 200
    assert response.json()["target_agency_fte"] is None  # PUT replaces: left out is cleared
    assert client.delete(url).status_code == 204
    assert not PlanTarget.objects.exists()
    assert AuditEntry.objects.filter(model="workforce.PlanTarget").count() == 4


def test_a_target_with_problems_is_a_400_naming_each_field(api, cast):
    response = api(cast.lead_x).post(
        "/api/v1/targets/",
        {**NEW_TARGET, "year": 1999, "target_fte": -1, "target_leaver_rate": 1.5},
        format="json",
    )
    assert response.status_code == 400
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"year", "target_fte", "target_leaver_rate"}
    response = api(cast.lead_x).post(
        "/api/v1/targets/",
        {**NEW_TARGET, "staff_group": "XYZ", "colour": "red", "target_fte": "many"},
        format="json",
    )
    assert response.status_code == 400
    assert {e["field"]: e["message"] for e in response.json()["errors"]} == {
        "colour": "This is not a field of the request.",
    }
    response = api(cast.lead_x).post(
        "/api/v1/targets/",
        {**NEW_TARGET, "staff_group": "XYZ", "target_fte": "many"},
        format="json",
    )
    assert {e["field"]: e["message"] for e in response.json()["errors"]} == {
        "staff_group": "No staff group has the code 'XYZ'.",
        "target_fte": "A valid number is required.",
    }


@pytest.mark.parametrize("who", ["lead_y", "analyst_x", "uploader_a"])
def test_nobody_but_the_lead_writes_a_systems_targets(api, cast, targets, who):
    client = api(getattr(cast, who))
    assert client.post("/api/v1/targets/", NEW_TARGET, format="json").status_code == 403
    url = f"/api/v1/targets/{targets['x_nur'].pk}/"
    # The analyst reads the target and may not change it; the others do not see it at all.
    expected = 403 if who == "analyst_x" else 404
    assert client.patch(url, {"target_fte": 1}, format="json").status_code == expected
    assert client.delete(url).status_code == expected
    assert PlanTarget.objects.count() == 3


def test_a_targets_system_cannot_change(api, cast, targets):
    response = api(cast.national).patch(
        f"/api/v1/targets/{targets['x_nur'].pk}/", {"ics": "QOP"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "ics"


# Scenarios

NEW_SCENARIO = {
    "name": "Retention push",
    "ics": "QKK",
    "draws": 500,
    "assumptions": [
        {"staff_group": None, "international_change": -0.3},
        {"staff_group": "NUR", "leaver_rate_change": -0.01},
    ],
    "step_changes": [{"staff_group": "NUR", "year": "2027/28", "fte": 40, "description": "Ward"}],
}


def test_a_scenario_shows_its_rows_with_codes_and_numbers(api, cast, scenarios):
    body = api(cast.lead_x).get(f"/api/v1/scenarios/{scenarios['national'].pk}/").json()
    assert body["ics"] is None and body["draws"] == 500
    assert [row["staff_group"] for row in body["assumptions"]] == [None, "DOC", "NUR"]
    assert body["assumptions"][0]["demand_growth"] == 0.02
    assert body["assumptions"][0]["leaver_rate"] is None
    assert body["step_changes"][0] == {
        "staff_group": "NUR",
        "year": 2027,
        "fte": 25.0,
        "description": "New ward",
    }


def test_the_lead_creates_and_changes_a_scenario_of_its_system(api, cast):
    client = api(cast.lead_x)
    response = client.post("/api/v1/scenarios/", NEW_SCENARIO, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["ics"] == "QKK" and body["created_by"] == "icb-qkk"
    assert body["assumptions"][1] == {**body["assumptions"][1], "leaver_rate_change": -0.01}
    url = f"/api/v1/scenarios/{body['id']}/"
    response = client.patch(url, {"horizon": 15}, format="json")
    assert response.json()["horizon"] == 15
    assert len(response.json()["assumptions"]) == 2  # PATCH without rows keeps them
    response = client.put(url, {"name": "Retention push", "ics": "QKK"}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert (body["horizon"], body["draws"], body["assumptions"]) == (10, 1000, [])
    assert client.delete(url).status_code == 405  # runs keep pointing at their scenario


def test_a_scenario_with_problems_is_a_400_naming_each_nested_field(api, cast):
    response = api(cast.lead_x).post(
        "/api/v1/scenarios/",
        {
            **NEW_SCENARIO,
            "draws": 0,
            "assumptions": [{"staff_group": "NUR", "leaver_rate": "high"}, {"staff_group": "NUR"}],
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "assumptions[0].leaver_rate", "message": "A valid number is required."}
    ]
    response = api(cast.lead_x).post(
        "/api/v1/scenarios/",
        {**NEW_SCENARIO, "draws": 0, "assumptions": [{"staff_group": "NUR"}] * 2},
        format="json",
    )
    assert {e["field"] for e in response.json()["errors"]} == {
        "draws",
        "assumptions[1].staff_group",
    }


@pytest.mark.parametrize("who", ["lead_y", "analyst_x", "uploader_a"])
def test_nobody_but_the_lead_writes_a_systems_scenarios(api, cast, scenarios, who):
    client = api(getattr(cast, who))
    assert client.post("/api/v1/scenarios/", NEW_SCENARIO, format="json").status_code == 403
    url = f"/api/v1/scenarios/{scenarios['x'].pk}/"
    expected = 403 if who == "analyst_x" else 404
    assert client.patch(url, {"horizon": 5}, format="json").status_code == expected
    scenarios["x"].refresh_from_db()
    assert scenarios["x"].horizon == 10


def test_a_national_scenario_is_read_by_leads_and_written_by_national_administrators(
    api, cast, scenarios
):
    url = f"/api/v1/scenarios/{scenarios['national'].pk}/"
    for who in ("lead_x", "lead_y", "analyst_x"):
        client = api(getattr(cast, who))
        assert client.get(url).status_code == 200
        assert client.patch(url, {"horizon": 5}, format="json").status_code == 403
        response = client.post("/api/v1/scenarios/", {**NEW_SCENARIO, "ics": None}, format="json")
        assert response.status_code == 403
    assert api(cast.national).patch(url, {"horizon": 5}, format="json").json()["horizon"] == 5
    response = api(cast.national).post(
        "/api/v1/scenarios/", {**NEW_SCENARIO, "ics": None, "name": "Low"}, format="json"
    )
    assert response.status_code == 201 and response.json()["ics"] is None


def test_a_lead_copies_the_national_scenario_to_its_system_with_changes(api, cast, scenarios):
    source = scenarios["national"]
    response = api(cast.lead_x).post(
        f"/api/v1/scenarios/{source.pk}/copy/",
        {
            "name": "Lower international recruitment",
            "ics": "QKK",
            "changes": {"assumptions": [{"staff_group": None, "international_change": -0.3}]},
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["ics"], body["based_on"], body["based_on_name"]) == (
        "QKK",
        source.pk,
        "Central (national)",
    )
    general = body["assumptions"][0]
    assert (general["staff_group"], general["international_change"]) == (None, -0.3)
    assert general["demand_growth"] == 0.02  # kept from the source
    assert len(body["assumptions"]) == 3 and len(body["step_changes"]) == 2


def test_a_copy_is_refused_outside_scope(api, cast, scenarios):
    copy = {"name": "Mine", "ics": "QKK"}
    client = api(cast.lead_x)
    assert client.post(f"/api/v1/scenarios/{scenarios['y'].pk}/copy/", copy).status_code == 404
    response = client.post(
        f"/api/v1/scenarios/{scenarios['x'].pk}/copy/", {**copy, "ics": "QOP"}, format="json"
    )
    assert response.status_code == 403
    response = api(cast.analyst_x).post(
        f"/api/v1/scenarios/{scenarios['x'].pk}/copy/", copy, format="json"
    )
    assert response.status_code == 403
    response = api(cast.uploader_a).post(
        f"/api/v1/scenarios/{scenarios['national'].pk}/copy/", copy, format="json"
    )
    assert response.status_code == 404
    assert Scenario.objects.count() == 3


def test_the_schema_documents_the_requests_and_the_error_shapes(api, cast):
    schema = api(cast.analyst_x).get("/api/v1/schema/?format=json").json()
    paths = schema["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/targets/"])
    assert {"get", "put", "patch", "delete"} <= set(paths["/api/v1/targets/{id}/"])
    assert "delete" not in paths["/api/v1/scenarios/{id}/"]
    copy = paths["/api/v1/scenarios/{id}/copy/"]["post"]
    assert copy["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "ScenarioCopyRequest"
    )
    for code in ("400", "403", "404"):
        error = copy["responses"][code]["content"]["application/json"]["schema"]
        assert error["$ref"].endswith("/ErrorResponse")
    parameters = {p["name"] for p in paths["/api/v1/targets/"]["get"]["parameters"]}
    assert {"ics", "staff_group", "year", "plan"} <= parameters


MONEY = {"pay_budget": 61250000.5, "bank_spend_limit": 2400000, "agency_spend_limit": 900000}


def test_a_target_carries_the_financial_plan_in_pounds(api, cast):
    client = api(cast.lead_x)
    response = client.post("/api/v1/targets/", {**NEW_TARGET, **MONEY}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert {name: body[name] for name in MONEY} == MONEY
    url = f"/api/v1/targets/{body['id']}/"
    response = client.patch(url, {"agency_spend_limit": "850000.25"}, format="json")
    assert response.json()["agency_spend_limit"] == 850000.25
    assert response.json()["pay_budget"] == 61250000.5
    made = PlanTarget.objects.get()
    assert str(made.pay_budget) == "61250000.50"
    assert (
        client.get("/api/v1/targets/?format=csv")
        .content.decode()
        .splitlines()[0]
        .endswith("pay_budget,bank_spend_limit,agency_spend_limit,updated_by,updated_at")
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("pay_budget", -1, "pay_budget cannot be negative; -1 is."),
        ("bank_spend_limit", "lots", "A valid number is required."),
        ("agency_spend_limit", "£1,250,000", "A valid number is required."),
    ],
)
def test_a_negative_or_non_numeric_sum_of_money_is_a_400_naming_it_and_changes_nothing(
    api, cast, targets, field, value, message
):
    client = api(cast.lead_x)
    url = f"/api/v1/targets/{targets['x_nur'].pk}/"
    for response in (
        client.post("/api/v1/targets/", {**NEW_TARGET, "year": 2030, field: value}, format="json"),
        client.patch(url, {field: value}, format="json"),
    ):
        assert response.status_code == 400
        assert response.json()["errors"] == [{"field": field, "message": message}]
    assert PlanTarget.objects.count() == 3
    assert getattr(PlanTarget.objects.get(pk=targets["x_nur"].pk), field) is None
