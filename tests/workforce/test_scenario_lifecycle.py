"""A scenario is changed until it has runs (then 409: copy it to change it), archived after
(hidden from lists and choices, kept for its runs), and each system designates one central
scenario."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from core.errors import ApplicationError
from core.models import ICS, AuditEntry, StaffGroup
from workforce.demo import planning as demo
from workforce.models import ProjectionResult, ProjectionRun, Scenario, ScenarioAssumption
from workforce.selectors.dashboards_scenarios import scenarios_for_system
from workforce.selectors.planning import central_scenario
from workforce.services.scenario_status import (
    scenario_archive,
    scenario_make_central,
    scenario_unarchive,
)
from workforce.services.scenarios import HAS_RUNS, scenario_create, scenario_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(cast) -> Scenario:
    return scenario_create(
        user=cast.lead_x,
        ics=cast.ics_x,
        name="Retention push",
        assumptions=[{"staff_group": "NUR", "leaver_rate_change": "-0.01"}],
    )


def run_of(scenario: Scenario, ics: ICS) -> ProjectionRun:
    """A succeeded run of the scenario with one result: the system's nurses in 2027/28."""
    run = ProjectionRun.objects.create(
        scenario=scenario,
        ics=ics,
        baseline_period=datetime.date(2026, 2, 1),
        status=ProjectionRun.Status.SUCCEEDED,
        progress=100,
        draws=1,
        horizon=5,
        seed=7,
    )
    figures = [f"{m}_{p}" for m in ("supply", "demand", "gap") for p in ("p10", "p50", "p90")]
    ProjectionResult.objects.create(
        run=run,
        level=ProjectionResult.Level.ICS,
        entity_code=ics.code,
        staff_group=StaffGroup.objects.get(code="NUR"),
        year=2027,
        **dict.fromkeys(figures, 100.0),
    )
    return run


def nurses(scenario: Scenario) -> ScenarioAssumption:
    return scenario.assumptions.get(staff_group__code="NUR")


# Changing: until it has runs.


def test_the_edit_page_changes_a_scenario_without_runs_in_points(client, cast, draft):
    client.force_login(cast.lead_x)
    html = client.get(f"/scenarios/{draft.pk}/edit/").content.decode()
    assert 'name="g0-leaver_rate_change"' in html and 'value="-1"' in html
    response = client.post(
        f"/scenarios/{draft.pk}/edit/",
        {
            "name": "Retention push",
            "description": "Two points",
            "draws": "200",
            "horizon": "10",
            "g0-staff_group": "NUR",
            "g0-leaver_rate_change": "-2",
            "all-demand_growth": "3",
        },
    )
    assert response.status_code == 302 and response["Location"] == f"/scenarios/{draft.pk}/"
    draft.refresh_from_db()
    assert (draft.description, draft.draws) == ("Two points", 200)
    assert nurses(draft).leaver_rate_change == Decimal("-0.02000")
    assert draft.assumptions.get(staff_group=None).demand_growth == Decimal("0.03000")
    entry = AuditEntry.objects.filter(model="workforce.Scenario", action="update").get()
    assert entry.user == cast.lead_x and entry.changes["description"] == ["", "Two points"]


def test_the_api_changes_a_scenario_without_runs(api, cast, draft):
    response = api(cast.lead_x).patch(
        f"/api/v1/scenarios/{draft.pk}/", {"description": "Changed"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["editable"] is True and response.json()["description"] == "Changed"


def test_a_scenario_with_runs_is_not_changed_409_copy_it(api, client, cast, draft):
    run_of(draft, cast.ics_x)
    before = AuditEntry.objects.count()
    for method, body in (
        ("patch", {"description": "Changed"}),
        ("put", {"name": "Retention push", "ics": "QKK"}),
    ):
        response = getattr(api(cast.lead_x), method)(
            f"/api/v1/scenarios/{draft.pk}/", body, format="json"
        )
        assert response.status_code == 409
        assert response.json() == {"errors": [{"message": HAS_RUNS}]}
        assert "copy it to change it" in HAS_RUNS
    draft.refresh_from_db()
    assert draft.description == "" and nurses(draft).leaver_rate_change == Decimal("-0.01")
    assert AuditEntry.objects.count() == before
    assert api(cast.lead_x).get(f"/api/v1/scenarios/{draft.pk}/").json()["editable"] is False
    client.force_login(cast.lead_x)
    page = client.get(f"/scenarios/{draft.pk}/edit/")
    assert page.status_code == 409 and "copy it to change it" in page.content.decode()
    assert client.post(f"/scenarios/{draft.pk}/edit/", {"name": "X"}).status_code == 409
    detail = client.get(f"/scenarios/{draft.pk}/").content.decode()
    assert f'href="/scenarios/{draft.pk}/edit/"' not in detail and "Copy and change" in detail
    with pytest.raises(ApplicationError) as refused:
        scenario_update(user=cast.lead_x, scenario=draft, draws=5)
    assert refused.value.status_code == 409


def test_only_its_planner_opens_the_edit_page(client, cast, draft):
    client.force_login(cast.analyst_x)
    assert client.get(f"/scenarios/{draft.pk}/edit/").status_code == 403
    client.force_login(cast.lead_y)
    assert client.get(f"/scenarios/{draft.pk}/edit/").status_code == 404


# Archiving: hidden from lists and choices, kept for its runs.


def test_an_archived_scenario_leaves_the_lists_and_its_runs_still_work(api, client, cast, draft):
    run = run_of(draft, cast.ics_x)
    lead = api(cast.lead_x)
    response = lead.post(f"/api/v1/scenarios/{draft.pk}/archive/")
    assert response.status_code == 200 and response.json()["archived"] is True
    assert draft.pk not in [s["id"] for s in lead.get("/api/v1/scenarios/").json()["results"]]
    archived = lead.get("/api/v1/scenarios/?archived=true").json()["results"]
    assert [s["id"] for s in archived] == [draft.pk]
    assert lead.get(f"/api/v1/scenarios/{draft.pk}/").status_code == 200
    assert lead.get(f"/api/v1/runs/{run.pk}/").status_code == 200
    assert lead.get(f"/api/v1/runs/{run.pk}/results/").status_code == 200
    assert draft not in scenarios_for_system(user=cast.lead_x, ics=cast.ics_x)

    client.force_login(cast.lead_x)
    assert "Retention push" not in client.get("/scenarios/").content.decode()
    assert "Archived scenarios (1)" in client.get("/scenarios/").content.decode()
    assert "Retention push" in client.get("/scenarios/?archived=1").content.decode()
    detail = client.get(f"/scenarios/{draft.pk}/").content.decode()
    assert "Archived on" in detail and "Unarchive" in detail
    dashboard = client.get(f"/systems/QKK/dashboard/?run={run.pk}")
    assert dashboard.status_code == 200 and "Retention push" in dashboard.content.decode()

    # A new run of it is refused; unarchived, it is back.
    refused = lead.post(
        "/api/v1/runs/",
        {"scenario": draft.pk, "ics": "QKK", "baseline_period": "2026-02"},
        format="json",
    )
    assert refused.status_code == 409 and "unarchive it to run it" in str(refused.json())
    assert ProjectionRun.objects.count() == 1
    client.post(f"/scenarios/{draft.pk}/unarchive/")
    assert "Retention push" in client.get("/scenarios/").content.decode()


def test_archiving_is_recorded_and_for_the_planner_only(api, client, cast, draft):
    assert api(cast.analyst_x).post(f"/api/v1/scenarios/{draft.pk}/archive/").status_code == 403
    assert api(cast.lead_y).post(f"/api/v1/scenarios/{draft.pk}/archive/").status_code == 404
    client.force_login(cast.lead_x)
    assert client.post(f"/scenarios/{draft.pk}/archive/").status_code == 302
    entry = AuditEntry.objects.filter(model="workforce.Scenario", action="update").get()
    assert entry.changes["archived"] == [False, True] and entry.user == cast.lead_x
    scenario_archive(user=cast.lead_x, scenario=draft)  # again: nothing changes
    assert AuditEntry.objects.filter(action="update").count() == 1


# Central: one per system, and one national.


def test_each_system_has_one_central_scenario_designated_by_its_lead(api, cast, draft):
    first = scenario_create(user=cast.lead_x, ics=cast.ics_x, name="Central")
    scenario_make_central(user=cast.lead_x, scenario=first)
    response = api(cast.lead_x).post(f"/api/v1/scenarios/{draft.pk}/central/")
    assert response.status_code == 200 and response.json()["central"] is True
    first.refresh_from_db()
    assert not first.central
    assert list(Scenario.objects.filter(ics=cast.ics_x, central=True)) == [draft]
    assert central_scenario(cast.ics_x) == draft
    changed = AuditEntry.objects.filter(model="workforce.Scenario", action="update")
    assert sorted(e.changes["central"] for e in changed.filter(object_id=str(first.pk))) == [
        [False, True],
        [True, False],
    ]
    assert api(cast.analyst_x).post(f"/api/v1/scenarios/{first.pk}/central/").status_code == 403


def test_the_database_holds_one_central_per_system_and_never_an_archived_one(cast, draft):
    Scenario.objects.filter(pk=draft.pk).update(central=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Scenario.objects.create(ics=cast.ics_x, name="Another", central=True)
    Scenario.objects.create(ics=None, name="National", central=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Scenario.objects.create(ics=None, name="National 2", central=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Scenario.objects.filter(pk=draft.pk).update(archived_at=datetime.datetime.now(datetime.UTC))


def test_the_central_scenario_is_not_archived_nor_an_archived_one_central(api, cast, draft):
    scenario_make_central(user=cast.lead_x, scenario=draft)
    response = api(cast.lead_x).post(f"/api/v1/scenarios/{draft.pk}/archive/")
    assert response.status_code == 409 and "make another scenario central" in str(response.json())
    other = scenario_create(user=cast.lead_x, ics=cast.ics_x, name="Other")
    scenario_archive(user=cast.lead_x, scenario=other)
    assert api(cast.lead_x).post(f"/api/v1/scenarios/{other.pk}/central/").status_code == 409
    scenario_unarchive(user=cast.lead_x, scenario=other)
    assert api(cast.lead_x).post(f"/api/v1/scenarios/{other.pk}/central/").status_code == 200


def test_a_system_without_its_own_central_opens_on_the_national_one(cast, draft):
    assert central_scenario(cast.ics_x) is None
    national = scenario_create(user=cast.national, ics=None, name="Central (national)")
    scenario_make_central(user=cast.national, scenario=national)
    assert central_scenario(cast.ics_x) == national
    assert central_scenario(None) == national
    with pytest.raises(ApplicationError) as refused:
        scenario_make_central(user=cast.lead_x, scenario=national)
    assert refused.value.status_code == 403


def test_the_demo_marks_one_central_scenario_per_system_and_one_national(cast):
    systems = [cast.ics_x, cast.ics_y]
    demo._scenarios(systems, None)
    for ics in systems:
        assert central_scenario(ics).name == "Central" and central_scenario(ics).ics == ics
    assert central_scenario(None).name == demo.NATIONAL_NAME
    demo._scenarios(systems, None)  # again: nothing added, still one each
    assert Scenario.objects.filter(central=True).count() == 3


def test_the_scenario_page_shows_its_assumptions_in_words(client, cast, draft):
    client.force_login(cast.lead_x)
    html = client.get(f"/scenarios/{draft.pk}/").content.decode()
    words = (
        "Nurses &amp; health visitors: leaver rate 1 point lower than measured from the "
        "returns (where no return gives leavers: 9.5% to 8.5%)."
    )
    assert words in html
    listed = client.get("/scenarios/").content.decode()
    assert words in listed
    assert listed.count("<h1>") == 1 and "<title>Scenarios - " in listed  # a whole page
    assert f'href="/scenarios/{draft.pk}/edit/"' in html
