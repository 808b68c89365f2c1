import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from workforce.models import PlanTarget, Scenario, ScenarioAssumption

from .planning_data import national_scenario, target

pytestmark = pytest.mark.django_db


@pytest.fixture
def national(cast) -> Scenario:
    return national_scenario(cast.national)


def page(client, url: str, code: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == code
    return response.content.decode()


def signed_in(client, user):
    client.force_login(user)
    return client


def test_a_lead_sees_the_national_scenarios_and_its_own(client, cast, national):
    Scenario.objects.create(ics=cast.ics_x, name="Our central")
    Scenario.objects.create(ics=cast.ics_y, name="Manchester central")
    html = page(signed_in(client, cast.lead_x), "/scenarios/")
    assert "Central (national)" in html and "Our central" in html
    assert "Manchester central" not in html
    assert "<caption" in html


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/scenarios/", 403),
        ("/targets/", 403),
        # An object outside the scope is not found, as everywhere (docs/design.md section 5).
        ("/scenarios/{pk}/", 404),
        ("/scenarios/{pk}/copy/", 404),
        ("/targets/QKK/", 404),
    ],
)
def test_a_trust_uploader_is_refused(client, cast, national, url, status):
    page(signed_in(client, cast.uploader_a), url.format(pk=national.pk), status)


def test_the_scenario_page_shows_each_value_and_where_it_comes_from(client, cast, national):
    html = page(signed_in(client, cast.lead_x), f"/scenarios/{national.pk}/")
    changes = html.split("What this scenario changes")[1].split("Step changes in demand")[0]
    assert re.search(
        r"Nurses &amp; health visitors</td>\s*<td[^>]*>Change to the leaver rate"
        r"</td>\s*<td[^>]*>-0.5 points</td>",
        changes,
    )
    assert re.search(
        r"Every staff group</td>\s*<td[^>]*>Demand growth a year</td>\s*<td[^>]*>2.0% a year",
        changes,
    )
    assert changes.count("Demand growth a year") == 1  # once, not once per staff group
    by_group = html.split("Assumptions by staff group")[1]
    assert re.search(
        r"Productivity gain a year</td>\s*<td[^>]*>1.5% a year</td>\s*"
        r"<td[^>]*>national default",
        by_group,
    )
    assert "New ward" in html
    assert "Copy and change" in html
    assert "<script>" not in html


def test_an_analyst_reads_a_scenario_but_may_not_copy_it(client, cast, national):
    client = signed_in(client, cast.analyst_x)
    assert "Copy and change" not in page(client, f"/scenarios/{national.pk}/")
    page(client, f"/scenarios/{national.pk}/copy/", 403)


def copy_form(**changes) -> dict:
    form = {
        "name": "Retention push",
        "description": "",
        "draws": "500",
        "horizon": "10",
        # In the units a lead types: percent, and points for the leaver rate's change.
        "all-demand_growth": "2",
        "all-international_change": "-30",
        "g0-staff_group": "DOC",
        "g1-staff_group": "NUR",
        "g1-leaver_rate_change": "-1",
        "g1-intake_change": "10",
        "g1-intake_change_from": "2026/27",
        "g2-staff_group": "SUP-DNM",
        "g2-leaver_rate_change": "-1",
    }
    return {**form, **changes}


def test_the_copy_form_starts_from_the_source(client, cast, national):
    html = page(signed_in(client, cast.lead_x), f"/scenarios/{national.pk}/copy/")
    assert 'value="Central (national) (copy)"' in html
    assert re.search(r'name="all-international_change"[^>]*value="-10"', html)  # percent
    assert re.search(r'name="g1-intake_change_from"[^>]*value="2027/28"', html)
    assert "NHS SOUTH EAST LONDON INTEGRATED CARE BOARD (QKK)" in html


def test_the_copy_form_creates_a_scenario_based_on_the_source_with_the_changed_numbers(
    client, cast, national
):
    response = signed_in(client, cast.lead_x).post(f"/scenarios/{national.pk}/copy/", copy_form())
    copy = Scenario.objects.get(name="Retention push")
    assert response.status_code == 302 and response["Location"] == f"/scenarios/{copy.pk}/"
    assert (copy.ics, copy.based_on, copy.draws, copy.created_by) == (
        cast.ics_x,
        national,
        500,
        cast.lead_x,
    )
    rows = {
        (r.staff_group.code if r.staff_group_id else None): r
        for r in ScenarioAssumption.objects.filter(scenario=copy).select_related("staff_group")
    }
    assert set(rows) == {None, "DOC", "NUR", "SUP-DNM"}
    assert rows[None].international_change == Decimal("-0.30000")
    assert rows[None].demand_growth == Decimal("0.02000")
    assert rows["DOC"].international_rate == Decimal("0.05000")  # kept: not on the form
    assert rows["NUR"].leaver_rate_change == Decimal("-0.01000")
    assert rows["NUR"].intake_change == Decimal("0.10000")
    assert rows["NUR"].intake_change_from == 2026
    assert rows["SUP-DNM"].leaver_rate_change == Decimal("-0.01000")
    assert copy.step_changes.count() == 2


def test_the_copy_forms_errors_are_shown_beside_the_fields(client, cast, national):
    response = signed_in(client, cast.lead_x).post(
        f"/scenarios/{national.pk}/copy/",
        copy_form(**{"draws": "0", "g1-leaver_rate_change": "-25", "g3-intake_change": "10"}),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert re.search(
        r'id="id_g3-staff_group-error">.*Choose the staff group these numbers are for', html
    )
    assert not Scenario.objects.filter(name="Retention push").exists()
    response = signed_in(client, cast.lead_x).post(
        f"/scenarios/{national.pk}/copy/",
        copy_form(**{"name": "", "draws": "0", "g1-leaver_rate_change": "-25"}),
    )
    html = response.content.decode()
    assert re.search(r'id="id_name-error">.*Name of the new scenario is required', html)
    assert re.search(r'id="id_draws-error">.*Draws must be a whole number from 1 to 10,000', html)
    assert re.search(
        r'id="id_g1-leaver_rate_change-error">.*Give a number from -20 to \+20 points; '
        r"-25 points is not",
        html,
    )
    assert not Scenario.objects.filter(name="Retention push").exists()


def test_a_national_administrator_chooses_who_owns_the_copy(client, cast, national):
    client = signed_in(client, cast.national)
    assert 'name="ics"' in page(client, f"/scenarios/{national.pk}/copy/")
    client.post(f"/scenarios/{national.pk}/copy/", copy_form(ics="QOP"))
    assert Scenario.objects.get(name="Retention push").ics == cast.ics_y


# Targets


def test_the_targets_page_shows_a_table_by_group_and_year_naming_the_plan(client, cast):
    target(cast.ics_x, "NUR", 2027, "1500")
    target(cast.ics_x, "NUR", 2025, "1400")
    target(cast.ics_x, "DOC", 2027, "800")
    target(cast.ics_y, "MID", 2027, "90")
    client = signed_in(client, cast.lead_x)
    assert client.get("/targets/")["Location"] == "/targets/QKK/"
    html = page(client, "/targets/QKK/")
    assert "<caption" in html
    assert re.search(r"2025/26</th>\s*<th[^>]*>2027/28</th>", html)
    assert "1,500" in html and ">SCP</abbr>" in html and ">JFP</abbr>" in html
    assert "Midwives" not in html
    assert "Add a target" in html and "/targets/QKK/import/" in html
    page(client, "/targets/QOP/", 404)
    analyst_html = page(signed_in(client, cast.analyst_x), "/targets/QKK/")
    assert "1,500" in analyst_html and "Add a target" not in analyst_html
    page(client, "/targets/QKK/add/", 403)


def test_a_lead_adds_and_changes_a_target_with_errors_beside_the_fields(client, cast):
    client = signed_in(client, cast.lead_x)
    form = {"staff_group": "NUR", "year": "1999", "plan": "scp", "target_fte": "-1"}
    html = client.post("/targets/QKK/add/", form).content.decode()
    assert re.search(r'id="id_year-error">.*year must be a year from 2000 to 2100', html)
    assert re.search(r'id="id_target_fte-error">.*Target FTE cannot be negative', html)
    assert not PlanTarget.objects.exists()
    response = client.post("/targets/QKK/add/", {**form, "year": "2028/29", "target_fte": "1600"})
    assert response.status_code == 302
    made = PlanTarget.objects.get()
    assert (made.ics, made.year, made.target_fte, made.updated_by) == (
        cast.ics_x,
        2028,
        Decimal("1600.00"),
        cast.lead_x,
    )
    assert 'value="2028/29"' in page(client, f"/targets/QKK/{made.pk}/")
    client.post(f"/targets/QKK/{made.pk}/", {**form, "year": "2028", "target_fte": "1650"})
    made.refresh_from_db()
    assert made.target_fte == Decimal("1650.00")
    client.post(f"/targets/QKK/{made.pk}/delete/")
    assert not PlanTarget.objects.exists()


def test_a_pay_budget_typed_with_a_pound_sign_and_commas_is_pounds(client, cast):
    client = signed_in(client, cast.lead_x)
    form = {"staff_group": "NUR", "year": "2028", "plan": "scp", "target_fte": "1600"}
    html = client.post("/targets/QKK/add/", {**form, "agency_spend_limit": "-£5"}).content
    assert re.search(
        r'id="id_agency_spend_limit-error">.*Agency spend limit cannot be negative', html.decode()
    )
    assert "agency_spend_limit" not in re.sub(r"<[^>]*>", "", html.decode())  # in words
    assert 'href="#id_agency_spend_limit">Agency spend limit cannot be negative' in html.decode()
    assert not PlanTarget.objects.exists()
    response = client.post(
        "/targets/QKK/add/",
        {**form, "pay_budget": "£1,250,000", "bank_spend_limit": "80000.5",
         "agency_spend_limit": "£2.5m"},
    )  # fmt: skip
    assert response.status_code == 302
    made = PlanTarget.objects.get()
    assert made.pay_budget == Decimal("1250000.00")
    assert made.bank_spend_limit == Decimal("80000.50")
    assert made.agency_spend_limit == Decimal("2500000.00")
    assert 'value="1,250,000"' in page(client, f"/targets/QKK/{made.pk}/")
    assert "pay budget £1.25m" in page(client, "/targets/QKK/")


def test_an_import_lists_every_problem_by_row_and_stores_nothing(client, cast):
    client = signed_in(client, cast.lead_x)
    content = b"staff_group_code,year,plan,target_fte\nNUR,2028,scp,10\nXYZ,2028,scp,-1\n"
    response = client.post("/targets/QKK/import/", {"file": SimpleUploadedFile("t.csv", content)})
    html = response.content.decode()
    assert "Nothing was stored. Correct these 2 problems" in html
    assert 'id="row-3"' in html and "is not a staff group code" in html
    assert "target_fte cannot be negative" in html
    assert not PlanTarget.objects.exists()
    good = b"staff_group_code,year,plan,target_fte\nNUR,2028,scp,10\nDOC,2028/29,scp,5\n"
    response = client.post("/targets/QKK/import/", {"file": SimpleUploadedFile("t.csv", good)})
    assert response.status_code == 302
    assert PlanTarget.objects.filter(ics=cast.ics_x).count() == 2
    html = page(client, "/targets/QKK/")
    assert "Targets for 2028/29 imported: 2 added, 0 changed, 0 removed." in html


def test_the_export_is_a_csv_download(client, cast):
    target(cast.ics_x, "NUR", 2028, "1500")
    response = signed_in(client, cast.analyst_x).get("/targets/QKK/export.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="targets-QKK.csv"' in response["Content-Disposition"]
    assert b"NUR,Nurses & health visitors,2028/29,scp,1500.00" in response.content
    page(signed_in(client, cast.lead_y), "/targets/QKK/export.csv", 404)
