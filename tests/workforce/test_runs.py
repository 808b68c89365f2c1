import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.models import StaffGroup
from workforce.models import PlanTarget, ProjectionResult, ProjectionRun
from workforce.services.runs import (
    NOT_SENT,
    STALE_AFTER,
    Outcome,
    projection_run_execute,
    projection_run_start,
    projection_runs_reap,
)
from workforce.tasks import reap_stuck_runs, resend_saved_runs

from .projection_data import BASELINE, scenario, small_system

pytestmark = pytest.mark.django_db


@pytest.fixture
def system(cast):
    return small_system("QKK")


def post_run(client, scenario_id, ics="QKK", period="2026-02"):
    return client.post(
        "/api/v1/runs/",
        {"scenario": scenario_id, "ics": ics, "baseline_period": period},
        format="json",
    )


def test_a_run_is_accepted_with_202_and_carried_out_to_results(
    api, cast, system, django_capture_on_commit_callbacks
):
    plan = scenario(system)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_run(api(cast.lead_x), plan.pk)
    assert response.status_code == 202
    assert response.json()["status"] == "queued"
    run = ProjectionRun.objects.get(pk=response.json()["id"])
    assert run.status == "succeeded", run.error
    assert run.progress == 100 and len(run.input_hash) == 64
    body = api(cast.lead_x).get(f"/api/v1/runs/{run.pk}/").json()
    assert body["status"] == "succeeded" and body["input_hash"] == run.input_hash
    ics_rows = ProjectionResult.objects.filter(run=run, level="ics", entity_code="QKK", sector="")
    assert set(ics_rows.values_list("staff_group__code", flat=True)) >= {"NUR", "DOC", "PQC", "ALL"}
    year0 = ics_rows.get(staff_group__code="NUR", year=2025)
    assert year0.supply_p50 == pytest.approx(1000 + 1100 + 1200)
    assert set(ProjectionResult.objects.filter(run=run).values_list("level", flat=True)) == {
        "organisation",
        "ics",
    }
    assert run.notes["filled_from_published"]


def test_results_come_as_json_or_csv_with_filters(
    api, cast, system, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run_id = post_run(api(cast.lead_x), scenario(system).pk).json()["id"]
    client = api(cast.analyst_x)
    body = client.get(f"/api/v1/runs/{run_id}/results/?level=ics&staff_group=NUR").json()
    assert [r["year"] for r in body["results"]] == list(range(2025, 2031))
    assert {r["staff_group"] for r in body["results"]} == {"NUR"}
    csv = client.get(f"/api/v1/runs/{run_id}/results/?level=ics&staff_group=NUR&format=csv")
    assert csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode().splitlines()
    assert lines[0].startswith("level,entity_code,staff_group,year,supply_p10")
    assert len(lines) == 7
    assert client.get(f"/api/v1/runs/{run_id}/results/?level=planet").status_code == 400


def test_targets_give_a_probability_of_meeting_them(
    api, cast, system, django_capture_on_commit_callbacks
):
    nurses = StaffGroup.objects.get(code="NUR")
    PlanTarget.objects.create(ics=system, staff_group=nurses, year=2027, target_fte=1)
    PlanTarget.objects.create(ics=system, staff_group=nurses, year=2028, target_fte=10**6)
    with django_capture_on_commit_callbacks(execute=True):
        run_id = post_run(api(cast.lead_x), scenario(system).pk).json()["id"]
    rows = {
        r.year: r
        for r in ProjectionResult.objects.filter(
            run_id=run_id, level="ics", sector="", staff_group=nurses
        )
    }
    assert rows[2027].probability_meets_target == 1.0 and rows[2027].target_fte == 1
    assert rows[2028].probability_meets_target == 0.0
    assert rows[2029].probability_meets_target is None


def test_identical_inputs_reuse_the_stored_results(
    cast, system, django_capture_on_commit_callbacks
):
    plan = scenario(system)
    with django_capture_on_commit_callbacks(execute=True):
        first = projection_run_start(
            user=cast.lead_x, scenario=plan, ics=system, baseline_period=BASELINE
        )
    with django_capture_on_commit_callbacks(execute=True):
        second = projection_run_start(
            user=cast.lead_x, scenario=plan, ics=system, baseline_period=BASELINE
        )
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.status == "succeeded"
    assert second.results_from_id == first.pk
    assert second.input_hash == first.input_hash
    assert not ProjectionResult.objects.filter(run=second).exists()
    plan.seed = 8
    plan.save()
    with django_capture_on_commit_callbacks(execute=True):
        third = projection_run_start(
            user=cast.lead_x, scenario=plan, ics=system, baseline_period=BASELINE
        )
    third.refresh_from_db()
    assert third.results_from_id is None and third.input_hash != first.input_hash


def test_a_national_run_never_reuses_a_system_run_of_the_same_inputs(
    cast, system, django_capture_on_commit_callbacks
):
    plan = scenario(None)  # a national scenario runs for any system and for England
    with django_capture_on_commit_callbacks(execute=True):
        system_run = projection_run_start(
            user=cast.national, scenario=plan, ics=system, baseline_period=BASELINE
        )
    with django_capture_on_commit_callbacks(execute=True):
        national_run = projection_run_start(
            user=cast.national, scenario=plan, ics=None, baseline_period=BASELINE
        )
    system_run.refresh_from_db()
    national_run.refresh_from_db()
    assert national_run.status == "succeeded", national_run.error
    # Only QKK has figures, so the engine's inputs are the same; the stored levels are not.
    assert national_run.input_hash == system_run.input_hash
    assert national_run.results_from_id is None
    assert ProjectionResult.objects.filter(run=national_run, level="national").exists()


def test_a_run_with_no_figures_fails_with_a_reason(cast, django_capture_on_commit_callbacks):
    plan = scenario(cast.ics_y)
    with django_capture_on_commit_callbacks(execute=True):
        run = projection_run_start(
            user=cast.lead_y, scenario=plan, ics=cast.ics_y, baseline_period=BASELINE
        )
    run.refresh_from_db()
    assert run.status == "failed"
    assert "no figures" in run.error and "upload returns" in run.error


def test_a_second_delivery_of_a_finished_run_does_nothing(
    cast, system, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run = projection_run_start(
            user=cast.lead_x, scenario=scenario(system), ics=system, baseline_period=BASELINE
        )
    count = ProjectionResult.objects.filter(run=run).count()
    assert projection_run_execute(run_id=run.pk) is Outcome.NOTHING_TO_DO
    assert ProjectionResult.objects.filter(run=run).count() == count


def test_a_delivery_while_another_works_is_told_to_wait(cast, system):
    run = ProjectionRun.objects.create(
        scenario=scenario(system),
        ics=system,
        baseline_period=BASELINE,
        status="running",
        heartbeat_at=timezone.now(),
        attempts=1,
    )
    assert projection_run_execute(run_id=run.pk) is Outcome.BUSY
    run.refresh_from_db()
    assert run.status == "running"


def test_a_redelivery_takes_over_a_run_whose_worker_went_silent(cast, system):
    run = ProjectionRun.objects.create(
        scenario=scenario(system),
        ics=system,
        baseline_period=BASELINE,
        status="running",
        attempts=1,
        heartbeat_at=timezone.now() - STALE_AFTER - datetime.timedelta(seconds=1),
    )
    assert projection_run_execute(run_id=run.pk) is Outcome.DONE
    run.refresh_from_db()
    assert (run.status, run.attempts) == ("succeeded", 2)


def running_run(system, *, silent_for: datetime.timedelta, name: str = "A") -> ProjectionRun:
    return ProjectionRun.objects.create(
        scenario=scenario(system, name=name),
        ics=system,
        baseline_period=BASELINE,
        status="running",
        heartbeat_at=timezone.now() - silent_for,
        attempts=1,
    )


def dead_for(settings) -> datetime.timedelta:
    """Silent for longer than any worker could be: its run will not be delivered again."""
    return datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT) + STALE_AFTER * 2


def test_reading_runs_writes_nothing_even_for_stuck_and_unsent_runs(
    api, client, cast, system, settings
):
    dead = running_run(system, silent_for=dead_for(settings))
    unsent = ProjectionRun.objects.create(
        scenario=scenario(system, name="B"),
        ics=system,
        baseline_period=BASELINE,
        status="queued",
        error=NOT_SENT,
    )
    reader = api(cast.lead_x)
    client.force_login(cast.lead_x)
    reads = []
    with CaptureQueriesContext(connection) as queries:
        for run in (dead, unsent):
            reads += [
                reader.get(f"/api/v1/runs/{run.pk}/"),
                reader.get(f"/api/v1/runs/{run.pk}/results/"),
                reader.get("/api/v1/runs/"),
                client.get(f"/systems/QKK/runs/{run.pk}/progress/"),
                client.get(f"/systems/QKK/runs/{run.pk}/progress/", headers={"HX-Request": "true"}),
                client.get(f"/systems/QKK/dashboard/?run={run.pk}"),
            ]

    # The results of a run that has not finished are a 409, like any run still at work.
    assert [r.status_code for r in reads] == [200, 409, 200, 200, 200, 200] * 2
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE", "REPLACE"))
    ]
    assert writes == []
    assert reader.get(f"/api/v1/runs/{dead.pk}/").json()["status"] == "running"
    unsent.refresh_from_db()
    assert (unsent.status, unsent.error) == ("queued", NOT_SENT)


def test_the_upkeep_task_fails_a_run_left_running_by_a_dead_worker(api, cast, system, settings):
    dead = running_run(system, silent_for=dead_for(settings))
    alive = running_run(system, silent_for=datetime.timedelta(0), name="B")

    assert reap_stuck_runs() == 1

    body = api(cast.lead_x).get(f"/api/v1/runs/{dead.pk}/").json()
    assert body["status"] == "failed" and "Start the run again" in body["error"]
    alive.refresh_from_db()
    assert alive.status == "running"
    assert projection_runs_reap() == 0


def test_the_upkeep_task_sends_the_runs_saved_while_the_broker_was_down(cast, system):
    unsent = ProjectionRun.objects.create(
        scenario=scenario(system),
        ics=system,
        baseline_period=BASELINE,
        status="queued",
        error=NOT_SENT,
    )
    waiting = ProjectionRun.objects.create(
        scenario=scenario(system, name="B"), ics=system, baseline_period=BASELINE
    )

    assert resend_saved_runs() == 1

    unsent.refresh_from_db()
    assert (unsent.status, unsent.error, unsent.attempts) == ("succeeded", "", 1)
    waiting.refresh_from_db()
    assert waiting.status == "queued"  # already with the broker: not sent twice


def test_runs_are_refused_outside_the_users_scope(
    api, cast, system, django_capture_on_commit_callbacks
):
    plan = scenario(system)
    assert post_run(api(cast.uploader_a), plan.pk).status_code in (403, 404)
    assert post_run(api(cast.lead_y), plan.pk).status_code == 404  # another system's scenario
    national = scenario(None, name="National")
    assert post_run(api(cast.lead_y), national.pk, ics="QKK").status_code == 403
    assert post_run(api(cast.analyst_x), national.pk, ics=None).status_code == 403
    assert post_run(api(), plan.pk).status_code == 401
    with django_capture_on_commit_callbacks(execute=True):
        run_id = post_run(api(cast.analyst_x), plan.pk).json()["id"]
    assert api(cast.lead_y).get(f"/api/v1/runs/{run_id}/").status_code == 404
    assert api(cast.lead_y).get(f"/api/v1/runs/{run_id}/results/").status_code == 404
    assert api(cast.lead_y).get("/api/v1/runs/").json()["count"] == 0
    assert api(cast.lead_x).get("/api/v1/runs/").json()["count"] == 1


def test_bad_run_requests_are_clear_400s(api, cast, system):
    client = api(cast.lead_x)
    plan = scenario(system)
    response = post_run(client, plan.pk, period="2026-13")
    assert (
        response.status_code == 400 and response.json()["errors"][0]["field"] == "baseline_period"
    )
    assert (
        post_run(client, plan.pk, ics="NOPE").json()["errors"][0]["message"]
        == "Unknown ICS code 'NOPE'."
    )
    assert (
        post_run(client, plan.pk, period="2099-01").json()["errors"][0]["message"]
        == "The baseline month cannot be in the future."
    )
    assert not ProjectionRun.objects.exists()


def test_what_it_takes_answers_for_a_target_and_refuses_what_it_cannot(
    api, cast, system, django_capture_on_commit_callbacks
):
    nurses = StaffGroup.objects.get(code="NUR")
    PlanTarget.objects.create(ics=system, staff_group=nurses, year=2028, target_fte=4000)
    with django_capture_on_commit_callbacks(execute=True):
        run_id = post_run(api(cast.lead_x), scenario(system).pk).json()["id"]
    client = api(cast.analyst_x)
    url = f"/api/v1/runs/{run_id}/what-it-takes/"
    body = client.get(url, {"staff_group": "NUR", "year": 2028, "probability": 0.8}).json()
    assert body["target_fte"] == 4000
    assert body["extra_joiners_a_year"] > 0
    assert body["leaver_rate_reduction_points"] is None or body["leaver_rate_reduction_points"] > 0
    met = client.get(url, {"staff_group": "NUR", "year": 2028, "probability": 0.8})
    assert met.status_code == 200
    assert client.get(url, {"staff_group": "NUR", "year": 2029}).status_code == 400  # no target
    assert client.get(url, {"staff_group": "XYZ", "year": 2028}).status_code == 400
    assert (
        client.get(url, {"staff_group": "NUR", "year": 2028, "probability": 2}).status_code == 400
    )
    assert api(cast.lead_y).get(url, {"staff_group": "NUR", "year": 2028}).status_code == 404
    PlanTarget.objects.filter(ics=system).update(target_fte=5000)
    changed = client.get(url, {"staff_group": "NUR", "year": 2028})
    assert (
        changed.status_code == 409
        and "changed since this run" in changed.json()["errors"][0]["message"]
    )


def test_results_are_stored_to_a_hundredth_of_an_fte_not_as_float32_noise(
    api, cast, system, django_capture_on_commit_callbacks
):
    nurses = StaffGroup.objects.get(code="NUR")
    PlanTarget.objects.create(ics=system, staff_group=nurses, year=2027, target_fte=3333)
    with django_capture_on_commit_callbacks(execute=True):
        run_id = post_run(api(cast.lead_x), scenario(system, draws=200).pk).json()["id"]
    figures = ProjectionResult.objects.filter(run_id=run_id).values_list(
        "supply_p10", "supply_p50", "demand_p90", "gap_p50", "probability_meets_target"
    )
    assert figures
    for *fte, probability in figures:
        assert all(value == round(value, 2) for value in fte)
        assert probability is None or probability == round(probability, 4)
    csv = api(cast.analyst_x).get(f"/api/v1/runs/{run_id}/results/?format=csv&level=ics")
    for line in csv.content.decode().splitlines()[1:]:
        for cell in line.split(",")[4:13]:
            assert len(cell.partition(".")[2]) <= 2, line
