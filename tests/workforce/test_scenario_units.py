"""Scenarios in the units a lead types (percent and points), ranges refused with the field
and the range, numbers with thousands separators, and targets only for projected groups."""

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import AuditEntry
from workforce.models import PlanTarget, Scenario, ScenarioAssumption

from .planning_data import national_scenario

pytestmark = pytest.mark.django_db


@pytest.fixture
def national(cast) -> Scenario:
    return national_scenario(cast.national)


def rows_of(scenario: Scenario) -> dict:
    return {
        (r.staff_group.code if r.staff_group_id else None): r
        for r in ScenarioAssumption.objects.filter(scenario=scenario).select_related("staff_group")
    }


def copy(client, source: Scenario, **fields):
    form = {"name": "Retention push", "description": "", "draws": "500", "horizon": "10"}
    return client.post(f"/scenarios/{source.pk}/copy/", form | fields)


def test_minus_one_typed_in_the_points_box_stores_one_point_lower(client, cast, national):
    client.force_login(cast.lead_x)
    response = copy(client, national, **{"g0-staff_group": "NUR", "g0-leaver_rate_change": "-1"})
    assert response.status_code == 302
    made = Scenario.objects.get(name="Retention push")
    assert rows_of(made)["NUR"].leaver_rate_change == Decimal("-0.01000")  # never -1 (-100)


def test_percent_boxes_take_percent_and_a_percent_sign(client, cast, national):
    client.force_login(cast.lead_x)
    copy(
        client,
        national,
        **{
            "all-international_change": "-30%",
            "all-demand_growth": "2.5",
            "all-productivity": "1",
            "all-intake_change": "+10",
        },
    )
    general = rows_of(Scenario.objects.get(name="Retention push"))[None]
    assert general.international_change == Decimal("-0.30000")
    assert general.demand_growth == Decimal("0.02500")
    assert general.productivity == Decimal("0.01000")
    assert general.intake_change == Decimal("0.10000")


def test_a_percent_sign_in_the_points_box_is_refused_as_ambiguous(client, cast, national):
    client.force_login(cast.lead_x)
    html = copy(
        client, national, **{"g0-staff_group": "NUR", "g0-leaver_rate_change": "-1%"}
    ).content.decode()
    assert "Give the change in percentage points, without %" in html
    assert not Scenario.objects.filter(name="Retention push").exists()


def test_a_change_out_of_range_on_the_page_is_said_in_points_with_the_other_problems(
    client, cast, national
):
    client.force_login(cast.lead_x)
    response = copy(
        client,
        national,
        name="",
        **{"g0-staff_group": "NUR", "g0-leaver_rate_change": "-100", "all-demand_growth": "30"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(
        r'id="id_g0-leaver_rate_change-error">.*Give a number from -20 to \+20 points; '
        r"-100 points is not",
        html,
    )
    assert re.search(
        r'id="id_all-demand_growth-error">.*Give a number from -20% to \+20%; 30% is not', html
    )
    assert re.search(r'id="id_name-error">.*Name[a-z ]* is required', html)  # all at once
    assert not Scenario.objects.filter(name="").exists()


def test_the_form_shows_stored_fractions_in_the_units_typed(client, cast, national):
    client.force_login(cast.lead_x)
    html = client.get(f"/scenarios/{national.pk}/copy/").content.decode()
    # The national scenario: NUR leaver rate -0.005 (its second override, after DOC) and
    # demand growth 0.02 for every group.
    assert re.search(r'name="g1-leaver_rate_change"[^>]*value="-0.5"', html)
    assert re.search(r'name="all-demand_growth"[^>]*value="2"', html)
    assert 'class="nhsuk-input__suffix" aria-hidden="true">points<' in html
    assert "From -20 to +20 points." in html


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "leaver_rate_change",
            -1,
            "leaver_rate_change must be from -0.2 to 0.2 (-20 to +20 points); -1 is not: "
            "fractions are asked for, and -1 point is -0.01.",
        ),
        (
            "demand_growth",
            0.3,
            "demand_growth must be from -0.2 to 0.2 (-20% to +20%); 0.3 is not.",
        ),
        (
            "international_change",
            -1.5,
            "international_change must be from -1 to 2 (-100% to +200%); -1.5 is not.",
        ),
    ],
)
def test_the_api_refuses_an_out_of_range_change_naming_the_field_and_range(
    api, cast, field, value, message
):
    before = AuditEntry.objects.count()
    response = api(cast.lead_x).post(
        "/api/v1/scenarios/",
        {"name": "Typo", "ics": "QKK", "assumptions": [{"staff_group": "NUR", field: value}]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"errors": [{"field": f"assumptions[0].{field}", "message": message}]}
    assert not Scenario.objects.filter(name="Typo").exists()
    assert AuditEntry.objects.count() == before


def test_the_api_keeps_fractions_and_its_schema_says_so(api, cast):
    response = api(cast.lead_x).post(
        "/api/v1/scenarios/",
        {"name": "Fractions", "ics": "QKK", "assumptions": [{"leaver_rate_change": -0.01}]},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["assumptions"][0]["leaver_rate_change"] == -0.01
    schema = api(cast.analyst_x).get("/api/v1/schema/?format=json").json()
    change = schema["components"]["schemas"]["AssumptionInputRequest"]["properties"][
        "leaver_rate_change"
    ]
    assert (change["minimum"], change["maximum"]) == (-0.2, 0.2)
    assert "A fraction, from -0.2 to 0.2 (-20 to +20 points)" in change["description"]
    assert "-0.01 = one point lower" in change["description"]


# Targets


def test_the_target_form_takes_thousands_separators_and_rates_in_percent(client, cast):
    client.force_login(cast.lead_x)
    form = {
        "staff_group": "NUR",
        "year": "2028/29",
        "plan": "scp",
        "target_fte": "1,480",
        "target_leaver_rate": "9.4",
        "target_vacancy_rate": "6%",
        "target_agency_fte": "1,200.5",
    }
    assert client.post("/targets/QKK/add/", form).status_code == 302
    made = PlanTarget.objects.get()
    assert made.target_fte == Decimal("1480.00")
    assert made.target_leaver_rate == Decimal("0.09400")
    assert made.target_vacancy_rate == Decimal("0.06000")
    assert made.target_agency_fte == Decimal("1200.50")
    html = client.get(f"/targets/QKK/{made.pk}/").content.decode()
    assert re.search(r'name="target_leaver_rate"[^>]*value="9.4"', html)
    assert re.search(r'name="target_fte"[^>]*value="1480"', html)


def test_the_target_form_refuses_what_could_mean_two_numbers(client, cast):
    client.force_login(cast.lead_x)
    form = {"staff_group": "NUR", "year": "2028", "plan": "scp", "target_fte": "1,48"}
    html = client.post("/targets/QKK/add/", form | {"target_leaver_rate": "140"}).content.decode()
    assert re.search(r'id="id_target_fte-error">.*is not a number', html)
    assert re.search(r'id="id_target_leaver_rate-error">.*from 0% to 100%; 140% is not', html)
    assert not PlanTarget.objects.exists()


def test_targets_are_only_for_groups_the_model_projects(api, client, cast):
    client.force_login(cast.lead_x)
    html = client.get("/targets/QKK/add/").content.decode()
    assert 'value="NUR"' in html and 'value="ALL"' in html and 'value="SCS"' in html
    assert 'value="DOC-CON"' not in html
    response = api(cast.lead_x).post(
        "/api/v1/targets/",
        {"ics": "QKK", "staff_group": "DOC-CON", "year": 2028, "target_fte": 100},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "staff_group",
            "message": "Consultant (DOC-CON) is not a staff group the model projects, so a "
            "target for it would never be compared with a projection: set it for HCHS "
            "doctors (DOC).",
        }
    ]
    content = b"staff_group_code,year,plan,target_fte\nNUR,2028,scp,10\nDOC-CON,2028,scp,5\n"
    html = client.post(
        "/targets/QKK/import/", {"file": SimpleUploadedFile("t.csv", content)}
    ).content.decode()
    assert 'id="row-3"' in html and "is not a staff group the model projects" in html
    assert not PlanTarget.objects.exists()
