"""The cheapest plan of a run, and what it takes in pounds: costs from the scenario, places
within capacity, the plan checked against the run's own draws, and clear refusals."""

import numpy as np
import pytest

from core.models import StaffGroup
from education.models import PlacementCapacity
from workforce.models import PlanTarget, ProjectionResult, ScenarioAssumption
from workforce.projection.inputs import prepare_run
from workforce.selectors.cheapest_plan import _cohorts

from .projection_data import BASELINE, nursing_degree, run_once, scenario, small_system

pytestmark = pytest.mark.django_db

YEAR = 2030
COSTS = {"training_place_cost": 1000, "international_recruit_cost": 12000}


def a_run(cast, capture, target: float = 4000, **costs):
    system = small_system("QKK")
    nurses = StaffGroup.objects.get(code="NUR")
    degree = nursing_degree(system)
    # 100 places from 2026 on: 40 a year more than the plan of 60.
    PlacementCapacity.objects.create(
        organisation=cast.trust_a, programme=degree, academic_year=2026, places=100
    )
    PlanTarget.objects.create(ics=system, staff_group=nurses, year=YEAR, target_fte=target)
    plan = scenario(system, draws=50)
    ScenarioAssumption.objects.create(scenario=plan, **costs)
    return run_once(cast, system, plan, capture)


def url(run, name="cheapest-plan"):
    return f"/api/v1/runs/{run.pk}/{name}/"


ASK = {"staff_group": "NUR", "year": YEAR, "probability": 0.8}


def test_the_cheapest_plan_takes_cheap_places_up_to_capacity_and_meets_the_probability(
    api, cast, django_capture_on_commit_callbacks
):
    run = a_run(cast, django_capture_on_commit_callbacks, **COSTS)
    response = api(cast.analyst_x).get(url(run), ASK)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["reachable"] and body["meets_probability"]
    assert body["probability_achieved"] >= 0.8
    assert body["levers"] == ["international_recruits", "training_places"]
    assert {n["lever"] for n in body["not_costed"]} == {"leaver_rate_reduction", "extra_joiners"}
    places = body["plan"]["extra_places"]
    # Places at 3,000 a place for about 0.56 FTE beat recruits at 12,000 for 1 FTE: every
    # cohort that qualifies by 2030 (2026 and 2027) is filled to the capacity left, 40.
    assert [(p["academic_year"], p["places"], p["capacity_left"]) for p in places] == [
        (2026, 40.0, 40.0),
        (2027, 40.0, 40.0),
    ]
    assert body["plan"]["international_recruits_a_year"] > 0
    cost = body["cost"]
    assert cost["total_gbp"] == pytest.approx(sum(y["gbp"] for y in cost["by_year"]))
    assert cost["by_lever"]["training_places"]["total_gbp"] == pytest.approx(80 * 3 * 1000)
    assert [y["year"] for y in cost["by_year"]] == list(range(2026, 2031))
    assert body["method"] in {"exact", "discarding"} and body["draws"] == 50


def test_what_it_takes_says_what_each_lever_costs_or_that_no_cost_is_set(
    api, cast, django_capture_on_commit_callbacks
):
    run = a_run(cast, django_capture_on_commit_callbacks, **COSTS)
    body = api(cast.analyst_x).get(url(run, "what-it-takes"), ASK).json()
    costs = body["costs"]
    recruits = costs["international_recruits"]
    assert recruits["total_gbp"] == pytest.approx(
        body["extra_international_recruits_a_year"] * 12000 * 5
    )
    assert [y["year"] for y in recruits["by_year"]] == list(range(2026, 2031))
    assert costs["leaver_rate_reduction"]["total_gbp"] is None
    assert "set retention_point_cost" in costs["leaver_rate_reduction"]["not_set"]
    assert costs["extra_joiners"]["not_set"].startswith("No cost assumption for domestic joiners")
    # 40 places a year are left: the places alone would need more than that.
    assert body["extra_intake_places_a_year"] is None and not body["intake_within_capacity"]
    assert costs["training_places"]["total_gbp"] is None


def test_places_within_capacity_are_costed_for_every_year_of_every_course_running(
    api, cast, django_capture_on_commit_callbacks
):
    run = a_run(cast, django_capture_on_commit_callbacks, **COSTS)
    p50 = ProjectionResult.objects.get(
        run=run, level="ics", staff_group__code="NUR", year=YEAR, sector=""
    ).supply_p50
    # 10 FTE above the median: within what 80 more students (about 0.56 FTE each) can add.
    PlanTarget.objects.filter(ics=run.ics).update(target_fte=p50 + 10)
    run = run_once(cast, run.ics, run.scenario, django_capture_on_commit_callbacks)
    body = api(cast.analyst_x).get(url(run, "what-it-takes"), {**ASK, "probability": 0.5}).json()
    places = body["extra_intake_places_a_year"]
    assert body["intake_within_capacity"] and 0 < places <= 40
    # Places a year from 2026: to 2030 the students in training are 1, 2, 3, 3, 3 cohorts.
    assert body["costs"]["training_places"]["total_gbp"] == pytest.approx(places * 1000 * 12)


def test_no_lever_with_a_cost_is_a_clear_400(api, cast, django_capture_on_commit_callbacks):
    run = a_run(cast, django_capture_on_commit_callbacks, pay_award="0.03")
    response = api(cast.analyst_x).get(url(run), ASK)
    assert response.status_code == 400
    assert "No lever has a cost" in response.json()["errors"][0]["message"]


def test_a_target_out_of_reach_of_the_costed_levers_says_so(
    api, cast, django_capture_on_commit_callbacks
):
    run = a_run(cast, django_capture_on_commit_callbacks, target=9000, training_place_cost=1000)
    response = api(cast.analyst_x).get(url(run), ASK)
    assert response.status_code == 200
    body = response.json()
    assert not body["reachable"] and body["plan"] is None and body["cost"] is None
    assert body["message"].startswith("Not reachable with these levers")


def test_bad_questions_are_400s_and_other_systems_get_404(
    api, cast, django_capture_on_commit_callbacks
):
    run = a_run(cast, django_capture_on_commit_callbacks, **COSTS)
    client = api(cast.analyst_x)
    assert client.get(url(run), {"staff_group": "NUR"}).status_code == 400  # no year
    assert client.get(url(run), {"year": YEAR}).status_code == 400  # no staff group
    assert client.get(url(run), {**ASK, "year": 2029}).status_code == 400  # no target
    assert client.get(url(run), {**ASK, "probability": 1}).status_code == 400
    assert client.get(url(run), {**ASK, "probability": "most"}).status_code == 400
    assert api(cast.lead_y).get(url(run), ASK).status_code == 404


def test_the_page_shows_the_plan_and_its_cost_each_year(
    client, cast, django_capture_on_commit_callbacks
):
    run = a_run(cast, django_capture_on_commit_callbacks, **COSTS)
    client.force_login(cast.analyst_x)
    page = client.get("/systems/QKK/dashboard/cheapest-plan/", {"run": run.pk, **ASK})
    assert page.status_code == 200
    text = page.content.decode()
    assert "The cheapest plan" in text and "What the plan costs each year" in text
    assert "No cost assumption for domestic joiners" in text
    dashboard = client.get(
        "/systems/QKK/dashboard/", {"run": run.pk, "staff_group": "NUR", "year": YEAR}
    )
    assert "/systems/QKK/dashboard/cheapest-plan/?run=" in dashboard.content.decode()


def test_the_page_says_why_there_is_no_plan(client, cast, django_capture_on_commit_callbacks):
    run = a_run(cast, django_capture_on_commit_callbacks, pay_award="0.03")
    client.force_login(cast.analyst_x)
    page = client.get("/systems/QKK/dashboard/cheapest-plan/", {"run": run.pk, **ASK})
    assert page.status_code == 400 and "No lever has a cost" in page.content.decode()


def test_the_what_it_takes_panel_gives_each_lever_its_cost_or_says_it_has_none(
    client, cast, django_capture_on_commit_callbacks
):
    run = a_run(cast, django_capture_on_commit_callbacks, **COSTS)
    client.force_login(cast.analyst_x)
    panel = client.get("/systems/QKK/dashboard/what-it-takes/", {"run": run.pk, **ASK})
    text = panel.content.decode()
    assert "Or international recruits" in text and "&pound;" in text
    assert "set retention_point_cost in the scenario" in text


def test_a_cohorts_places_add_what_the_pipeline_adds_through_its_caps_up_to_the_headroom(
    cast, django_capture_on_commit_callbacks
):
    run = a_run(cast, django_capture_on_commit_callbacks, **COSTS)
    prepared = prepare_run(scenario=run.scenario, ics=run.ics, baseline_period=BASELINE)
    cohorts = _cohorts(prepared, "QKK", "NUR", YEAR - prepared.baseline_year)
    assert [(c.academic_year, c.headroom) for c in cohorts] == [(2026, 40.0), (2027, 40.0)]
    training, key = prepared.training, ("QKK", "T-NUR")

    def through_caps(places: float, year: int) -> np.ndarray:
        """What `places` more in academic year `year` alone add, after the pipeline's caps."""
        from_year = training.newly_qualified(extra_places={key: places}, extra_from_year=year)
        after = training.newly_qualified(extra_places={key: places}, extra_from_year=year + 1)
        by_series = prepared.newly_qualified_by_series
        return by_series(from_year) - by_series(after)

    first = cohorts[0]
    assert np.allclose(40 * first.newly_qualified, through_caps(40, 2026))
    # Past the headroom the caps bite: the linear effect would overstate it.
    assert through_caps(50, 2026).sum() < 50 * first.newly_qualified.sum() - 1e-9


def test_places_for_a_sub_group_are_a_lever_for_all_staff(cast, django_capture_on_commit_callbacks):
    run = a_run(cast, django_capture_on_commit_callbacks, **COSTS)
    prepared = prepare_run(scenario=run.scenario, ics=run.ics, baseline_period=BASELINE)
    cohorts = _cohorts(prepared, "QKK", "ALL", YEAR - prepared.baseline_year)
    assert [(c.programme, c.academic_year) for c in cohorts] == [("T-NUR", 2026), ("T-NUR", 2027)]
