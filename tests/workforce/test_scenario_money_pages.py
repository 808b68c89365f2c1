"""The money assumptions and pay awards of a scenario on its pages, typed as a lead types
them: rates in percent, costs in pounds with or without "£" and separators."""

from decimal import Decimal

import pytest

from workforce.models import PayAward, Scenario, ScenarioAssumption
from workforce.selectors.planning import pay_award_rows
from workforce.services.scenarios import scenario_create

from .planning_data import queued_run

pytestmark = pytest.mark.django_db

FORM = {"name": "Pay and agency", "description": "", "draws": "500", "horizon": "10"}


@pytest.fixture
def scenario(cast) -> Scenario:
    return scenario_create(
        user=cast.lead_x,
        ics=cast.ics_x,
        name="Pay and agency",
        assumptions=[
            {"staff_group": None, "pay_award": "0.036", "training_place_cost": "27150"},
            {"staff_group": "NUR", "agency_premium": "0.55"},
        ],
        pay_awards=[
            {"staff_group": None, "year": 2026, "rate": "0.03"},
            {"staff_group": "NUR", "year": 2027, "rate": "0.045"},
        ],
    )


def general_row(scenario: Scenario) -> ScenarioAssumption:
    return ScenarioAssumption.objects.get(scenario=scenario, staff_group=None)


def test_the_scenario_page_shows_the_money_assumptions_and_pay_awards(client, cast, scenario):
    client.force_login(cast.analyst_x)
    html = client.get(f"/scenarios/{scenario.pk}/").content.decode()
    assert "Pay awards by year" in html
    assert "2026/27" in html and "3%" in html and "4.5%" in html
    assert "Pay award a year, where no award by year is set" in html and "3.6% a year" in html
    assert "Cost of a training place a year" in html and "£27,150" in html
    assert "Agency cost over substantive cost" in html and "55%" in html


def test_the_edit_page_shows_them_as_a_lead_types_them(client, cast, scenario):
    client.force_login(cast.lead_x)
    html = client.get(f"/scenarios/{scenario.pk}/edit/").content.decode()
    assert 'name="all-pay_award"' in html and 'value="3.6"' in html
    assert 'name="all-training_place_cost"' in html and 'value="27,150"' in html
    assert 'name="pay0-year"' in html and 'value="2026/27"' in html
    assert 'name="pay1-rate"' in html and 'value="4.5"' in html


def test_percent_and_pounds_typed_on_the_edit_page_are_stored_as_fractions_and_pounds(
    client, cast, scenario
):
    client.force_login(cast.lead_x)
    response = client.post(
        f"/scenarios/{scenario.pk}/edit/",
        FORM
        | {
            "all-pay_award": "3.6",
            "all-bank_share": "80%",
            "all-international_recruit_cost": "£9,500",
            "all-retention_point_cost": "120.555",
            "pay0-year": "2028/29",
            "pay0-rate": "2.8",
            "pay1-staff_group": "MID",
            "pay1-year": "2028",
            "pay1-rate": "5",
        },
    )
    assert response.status_code == 302, response.content.decode()
    row = general_row(scenario)
    assert row.pay_award == Decimal("0.03600") and row.bank_share == Decimal("0.80000")
    assert row.international_recruit_cost == Decimal("9500.00")
    assert row.retention_point_cost == Decimal("120.56")  # to the penny
    assert row.training_place_cost is None  # its box was left empty
    awards = [
        (a.staff_group.code if a.staff_group else None, a.year, a.rate)
        for a in pay_award_rows(scenario)
    ]
    assert awards == [(None, 2028, Decimal("0.02800")), ("MID", 2028, Decimal("0.05000"))]


def test_bad_money_on_the_page_is_said_beside_its_box_and_nothing_changes(client, cast, scenario):
    client.force_login(cast.lead_x)
    url = f"/scenarios/{scenario.pk}/edit/"
    html = client.post(url, FORM | {"all-training_place_cost": "£27,15"}).content.decode()
    assert "is not a sum of pounds: write it as 1250000, £1,250,000 or £1.25m." in html
    response = client.post(
        url,
        FORM
        | {
            "all-pay_award": "36",
            "pay0-year": "2026",
            "pay0-rate": "3",
            "pay1-year": "2026/27",
            "pay1-rate": "4",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Give a number from -5% to +20%; 36% is not." in html
    assert "There is already a pay award for every staff group in 2026/27." in html
    assert general_row(scenario).pay_award == Decimal("0.03600")
    assert general_row(scenario).training_place_cost == Decimal("27150.00")
    assert PayAward.objects.filter(scenario=scenario).count() == 2


def test_a_copy_keeps_the_pay_awards_the_form_shows(client, cast, scenario):
    client.force_login(cast.lead_x)
    form = client.get(f"/scenarios/{scenario.pk}/copy/").context["form"]
    posted = {name: form[name].value() for name in form.fields}
    posted = {k: ("" if v is None else v) for k, v in posted.items()}
    posted["name"] = "Pay and agency (copy)"
    response = client.post(f"/scenarios/{scenario.pk}/copy/", posted)
    assert response.status_code == 302, response.content.decode()
    copy = Scenario.objects.get(name="Pay and agency (copy)")
    assert PayAward.objects.filter(scenario=copy).count() == 2
    assert general_row(copy).training_place_cost == Decimal("27150.00")
    assert general_row(copy).pay_award == Decimal("0.03600")


def test_a_scenario_with_runs_shows_its_pay_awards_and_offers_no_change(client, cast, scenario):
    queued_run(scenario, cast.ics_x)
    client.force_login(cast.lead_x)
    html = client.get(f"/scenarios/{scenario.pk}/").content.decode()
    assert "4.5%" in html and f'href="/scenarios/{scenario.pk}/edit/"' not in html
    assert client.post(f"/scenarios/{scenario.pk}/edit/", FORM).status_code == 409


def test_a_pay_award_with_a_year_and_no_rate_asks_for_the_rate(client, cast, scenario):
    client.force_login(cast.lead_x)
    html = client.post(
        f"/scenarios/{scenario.pk}/edit/", FORM | {"pay0-year": "2029", "pay1-rate": "3"}
    ).content.decode()
    assert "Pay award is required: the pay award in that year." in html
    assert "year is required: the financial year of the award." in html
    assert PayAward.objects.filter(scenario=scenario).count() == 2
