"""A scenario's money assumptions and pay awards by year, through the API and the services."""

from decimal import Decimal

import pytest

from core.errors import ApplicationError
from core.models import AuditEntry
from workforce.models import PayAward, Scenario, ScenarioAssumption
from workforce.projection.inputs import run_data_for
from workforce.projection.run_data import PayAwardValue
from workforce.services.scenarios import scenario_copy, scenario_create, scenario_update

from .planning_data import queued_run
from .returns_data import month, store_return

pytestmark = pytest.mark.django_db

MONEY = {
    "pay_award": 0.036,
    "on_cost_change": -0.01,
    "temporary_share": 0.9,
    "bank_share": 0.75,
    "agency_premium": 0.55,
    "training_place_cost": 27150.0,
    "international_recruit_cost": 9500.5,
    "retention_point_cost": 120.0,
}
PAY_AWARDS = [
    {"staff_group": None, "year": 2026, "rate": 0.03},
    {"staff_group": "NUR", "year": 2026, "rate": 0.045},
    {"staff_group": None, "year": 2027, "rate": 0.025},
]
NEW = {
    "name": "Pay and agency",
    "ics": "QKK",
    "assumptions": [{"staff_group": None, **MONEY}, {"staff_group": "DOC", "pay_award": 0.05}],
    "pay_awards": PAY_AWARDS,
}


def created(api, cast, **changes):
    response = api(cast.lead_x).post("/api/v1/scenarios/", NEW | changes, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def errors_of(response) -> dict[str, str]:
    assert response.status_code == 400, response.json()
    return {e.get("field"): e["message"] for e in response.json()["errors"]}


def test_every_money_assumption_and_pay_award_goes_in_and_comes_back(api, cast):
    body = created(api, cast)
    general = body["assumptions"][0]
    assert {name: general[name] for name in MONEY} == MONEY
    assert body["assumptions"][1]["pay_award"] == 0.05
    assert body["pay_awards"] == PAY_AWARDS
    again = api(cast.lead_x).get(f"/api/v1/scenarios/{body['id']}/").json()
    assert again["pay_awards"] == PAY_AWARDS and again["assumptions"] == body["assumptions"]


def test_costs_are_stored_to_the_penny_and_rates_to_five_places(api, cast):
    body = created(
        api,
        cast,
        assumptions=[
            {"staff_group": None, "training_place_cost": "27150.456", "pay_award": "0.0312345"}
        ],
    )
    row = ScenarioAssumption.objects.get(scenario_id=body["id"])
    assert row.training_place_cost == Decimal("27150.46")
    assert row.pay_award == Decimal("0.03123")


def test_patch_replaces_the_pay_awards_and_put_without_them_removes_them(api, cast):
    body = created(api, cast)
    url = f"/api/v1/scenarios/{body['id']}/"
    client = api(cast.lead_x)
    awards = [{"staff_group": "MID", "year": "2028/29", "rate": "0.04"}]
    response = client.patch(url, {"pay_awards": awards}, format="json")
    assert response.json()["pay_awards"] == [{"staff_group": "MID", "year": 2028, "rate": 0.04}]
    response = client.patch(url, {"horizon": 5}, format="json")
    assert len(response.json()["pay_awards"]) == 1  # PATCH without them keeps them
    response = client.put(url, {"name": "Pay and agency", "ics": "QKK"}, format="json")
    assert response.json()["pay_awards"] == []


def test_a_copy_keeps_the_money_and_pay_awards_unless_changed(api, cast):
    source = created(api, cast)
    client = api(cast.lead_x)
    response = client.post(
        f"/api/v1/scenarios/{source['id']}/copy/",
        {
            "name": "Higher agency premium",
            "ics": "QKK",
            "changes": {"assumptions": [{"staff_group": None, "agency_premium": 0.8}]},
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    copy = response.json()
    assert copy["pay_awards"] == PAY_AWARDS
    assert copy["assumptions"][0] == source["assumptions"][0] | {"agency_premium": 0.8}
    response = client.post(
        f"/api/v1/scenarios/{source['id']}/copy/",
        {"name": "One award", "ics": "QKK", "changes": {"pay_awards": PAY_AWARDS[:1]}},
        format="json",
    )
    assert response.json()["pay_awards"] == PAY_AWARDS[:1]
    assert PayAward.objects.filter(scenario_id=source["id"]).count() == 3  # source untouched


def test_money_out_of_range_is_refused_in_words_and_nothing_is_stored(api, cast):
    response = api(cast.lead_x).post(
        "/api/v1/scenarios/",
        NEW
        | {
            "assumptions": [
                {
                    "staff_group": None,
                    "pay_award": 3.6,
                    "bank_share": 1.2,
                    "agency_premium": -0.1,
                    "training_place_cost": 20_000_000,
                }
            ]
        },
        format="json",
    )
    errors = errors_of(response)
    assert errors == {
        "assumptions[0].pay_award": "pay_award must be from -0.05 to 0.2 (-5% to +20%); 3.6 "
        "is not: fractions are asked for, and 3.6% is 0.036.",
        "assumptions[0].bank_share": "bank_share must be from 0 to 1 (0% to 100%); 1.2 is "
        "not: fractions are asked for, and 1.2% is 0.012.",
        "assumptions[0].agency_premium": "agency_premium must be from 0 to 3 (0% to 300%); "
        "-0.1 is not.",
        "assumptions[0].training_place_cost": "training_place_cost must be from £0 to "
        "£10,000,000, in pounds; 20,000,000 is not.",
    }
    assert not Scenario.objects.filter(name=NEW["name"]).exists()


def test_bad_pay_awards_are_refused_each_naming_its_field(api, cast):
    response = api(cast.lead_x).post(
        "/api/v1/scenarios/",
        NEW
        | {
            "pay_awards": [
                {"staff_group": None, "year": 2026, "rate": 0.03},
                {"staff_group": None, "year": "2026/27", "rate": 0.04},
                {"staff_group": "XYZ", "year": 2026, "rate": 0.04},
                {"staff_group": "NUR", "year": 1990, "rate": 3.6},
            ]
        },
        format="json",
    )
    errors = errors_of(response)
    assert set(errors) == {
        "pay_awards[1].year",
        "pay_awards[2].staff_group",
        "pay_awards[3].year",
        "pay_awards[3].rate",
    }
    assert errors["pay_awards[1].year"] == (
        "There is already a pay award for every staff group in 2026/27."
    )
    assert errors["pay_awards[3].rate"].startswith("rate must be from -0.05 to 0.2")
    assert errors["pay_awards[3].rate"].endswith("and 3.6% is 0.036.")
    assert not Scenario.objects.filter(name=NEW["name"]).exists()


def test_unknown_fields_and_too_many_pay_awards_are_refused(api, cast):
    client = api(cast.lead_x)
    response = client.post(
        "/api/v1/scenarios/",
        NEW | {"pay_awards": [{"year": 2026, "rate": 0.03, "grade": "5"}]},
        format="json",
    )
    assert "pay_awards[0].grade" in errors_of(response)
    many = [{"year": 2026, "rate": 0.01}] * 201
    response = client.post("/api/v1/scenarios/", NEW | {"pay_awards": many}, format="json")
    assert errors_of(response) == {
        "pay_awards": "A scenario has at most 200 pay awards: one a year for every staff group "
        "and one a year per staff group."
    }


def test_a_scenario_with_runs_refuses_new_pay_awards(api, cast):
    body = created(api, cast)
    scenario = Scenario.objects.get(pk=body["id"])
    queued_run(scenario, cast.ics_x)
    response = api(cast.lead_x).patch(
        f"/api/v1/scenarios/{body['id']}/", {"pay_awards": []}, format="json"
    )
    assert response.status_code == 409
    assert PayAward.objects.filter(scenario=scenario).count() == 3


def test_the_services_take_money_as_text_and_report_every_problem_at_once(cast):
    scenario = scenario_create(
        user=cast.lead_x,
        ics=cast.ics_x,
        name="Text",
        assumptions=[{"staff_group": None, "retention_point_cost": "120.5"}],
        pay_awards=[{"staff_group": "nur", "year": "2026/27", "rate": "0.036"}],
    )
    award = scenario.pay_awards.get()
    assert (award.staff_group.code, award.year, award.rate) == ("NUR", 2026, Decimal("0.036"))
    with pytest.raises(ApplicationError) as raised:
        scenario_update(
            user=cast.lead_x,
            scenario=scenario,
            assumptions=[{"staff_group": None, "retention_point_cost": "£120"}],
            pay_awards=[{"year": 2026, "rate": "lots"}],
        )
    assert {e["field"] for e in raised.value.errors} == {
        "assumptions[0].retention_point_cost",
        "pay_awards[0].rate",
    }
    copy = scenario_copy(user=cast.lead_x, source=scenario, ics=cast.ics_x, name="Copied")
    assert [(a.staff_group.code, a.rate) for a in copy.pay_awards.all()] == [
        ("NUR", Decimal("0.036"))
    ]


def test_a_run_reads_the_money_assumptions_and_pay_awards_of_its_scenario(api, cast):
    body = created(api, cast)
    store_return(cast.trust_a, month(2026, 2), {"NUR": {"fte": "100"}})
    data = run_data_for(
        scenario=Scenario.objects.get(pk=body["id"]),
        ics=cast.ics_x,
        baseline_period=month(2026, 2),
    )
    assert data.pay_awards == (
        PayAwardValue(None, 2026, 0.03),
        PayAwardValue("NUR", 2026, 0.045),
        PayAwardValue(None, 2027, 0.025),
    )
    assert {name: data.assumption_rows[None][name] for name in MONEY} == MONEY


def test_the_audit_trail_keeps_the_money_and_pay_awards_before_and_after(cast):
    scenario = scenario_create(
        user=cast.lead_x,
        ics=cast.ics_x,
        name="Audited",
        assumptions=[{"staff_group": None, "training_place_cost": "27150"}],
        pay_awards=[{"year": 2026, "rate": "0.03"}],
    )
    scenario_update(user=cast.lead_x, scenario=scenario, pay_awards=[])
    entry = AuditEntry.objects.filter(model="workforce.Scenario").first()
    assert entry.changes["pay_awards"] == [
        [{"staff_group": None, "year": 2026, "rate": "0.03000"}],
        [],
    ]
    created_entry = AuditEntry.objects.filter(model="workforce.Scenario").last()
    assert created_entry.changes["assumptions"][1][0]["training_place_cost"] == "27150.00"
