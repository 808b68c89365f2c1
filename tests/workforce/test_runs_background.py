"""Runs in the embedded mode's background (core.background): the request that starts a run
answers before the run ends, the run still ends succeeded or failed with its reason, and a
run lost with a stopped process is sent again by the upkeep."""

import datetime
import threading

import pytest
from django.utils import timezone

from core.background import background_wait, in_background, task_send
from workforce.models import ProjectionRun
from workforce.projection import engine
from workforce.services import runs
from workforce.services.runs import FORGOTTEN_AFTER, projection_run_start, projection_runs_resend
from workforce.tasks import run_projection

from .projection_data import BASELINE, scenario, small_system

# The background thread opens its own database connection: it must see committed rows.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


@pytest.fixture
def background(settings):
    settings.RUNS_IN_BACKGROUND = True
    yield
    background_wait()


@pytest.fixture
def system(cast):
    return small_system("QKK")


def start(cast, system, django_capture_on_commit_callbacks) -> ProjectionRun:
    with django_capture_on_commit_callbacks(execute=True):
        return projection_run_start(
            user=cast.lead_x, scenario=scenario(system), ics=system, baseline_period=BASELINE
        )


def test_starting_a_run_answers_before_the_run_ends(
    background, cast, system, monkeypatch, django_capture_on_commit_callbacks
):
    assert in_background(run_projection)
    release, entered = threading.Event(), threading.Event()
    project = engine.project
    threads = []

    def held(inputs, progress, **options):
        threads.append(threading.current_thread().name)
        entered.set()
        assert release.wait(30)
        return project(inputs, progress, **options)

    monkeypatch.setattr(runs.engine, "project", held)
    run = start(cast, system, django_capture_on_commit_callbacks)
    assert entered.wait(30)  # the engine works on another thread while this one goes on
    run.refresh_from_db()
    assert run.status == "running"
    assert threads[0].startswith("background-task")
    release.set()
    background_wait()
    run.refresh_from_db()
    assert (run.status, run.progress) == ("succeeded", 100), run.error


def test_a_run_that_fails_in_the_background_ends_failed_with_its_reason(
    background, cast, system, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(inputs, progress, **options):
        raise MemoryError("out of memory")

    monkeypatch.setattr(runs.engine, "project", broken)
    run = start(cast, system, django_capture_on_commit_callbacks)
    background_wait()
    run.refresh_from_db()
    assert run.status == "failed"
    assert "MemoryError: out of memory" in run.error


def queued(system, *, waited: datetime.timedelta, name: str) -> ProjectionRun:
    run = ProjectionRun.objects.create(
        scenario=scenario(system, name=name), ics=system, baseline_period=BASELINE
    )
    ProjectionRun.objects.filter(pk=run.pk).update(created_at=timezone.now() - waited)
    return run


def test_the_upkeep_sends_again_a_run_lost_with_a_stopped_process(background, cast, system):
    lost = queued(system, waited=FORGOTTEN_AFTER + datetime.timedelta(minutes=1), name="A")
    waiting = queued(system, waited=datetime.timedelta(minutes=1), name="B")
    assert projection_runs_resend() == 1
    background_wait()
    lost.refresh_from_db()
    waiting.refresh_from_db()
    assert (lost.status, lost.attempts) == ("succeeded", 1), lost.error
    assert waiting.status == "queued"  # still in a live process's pool: left to it


def test_with_a_broker_a_queued_run_is_the_brokers_and_never_sent_again(settings, cast, system):
    settings.RUNS_IN_BACKGROUND = False  # as where a broker holds the message
    lost = queued(system, waited=FORGOTTEN_AFTER * 3, name="A")
    assert projection_runs_resend() == 0
    lost.refresh_from_db()
    assert lost.status == "queued"


def test_without_the_setting_a_task_runs_before_the_send_returns(settings, cast, system):
    settings.RUNS_IN_BACKGROUND = False
    run = queued(system, waited=datetime.timedelta(0), name="A")
    assert task_send(run_projection, (run.pk,)) is None
    run.refresh_from_db()
    assert run.status == "succeeded", run.error
