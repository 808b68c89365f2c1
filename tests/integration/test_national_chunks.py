"""A national run in chunks of systems on a real worker over Redis and PostgreSQL: the chord's
chunks and callback run there, and the stored rows are those of the run in one task."""

from __future__ import annotations

import pytest
from django.test import override_settings

from workforce.models import ProjectionResult, ProjectionRun
from workforce.services.runs import projection_run_execute

from ..workforce.projection_data import scenario, small_system
from .test_projection_worker import wait_for

pytestmark = pytest.mark.integration
FIELDS = [
    f.name
    for f in ProjectionResult._meta.get_fields()
    if f.concrete and f.name not in ("id", "run")
]


@pytest.fixture
def three_chunks(monkeypatch):
    # Read by the worker's settings when it starts (the celery_worker fixture, after this one).
    monkeypatch.setenv("PROJECTION_RUN_CHUNKS", "3")


def rows(run: ProjectionRun) -> list[tuple]:
    return sorted(
        ProjectionResult.objects.filter(run=run).values_list(*FIELDS),
        key=lambda row: tuple("" if v is None else str(v) for v in row),
    )


def test_a_chunked_national_run_on_a_worker_stores_the_rows_of_one_task(
    three_chunks, celery_worker, api, cast
):
    from core.models import ICS

    for code in [
        "QKK",
        *ICS.objects.exclude(code="QKK").order_by("code")[:4].values_list("code", flat=True),
    ]:
        small_system(code)
    plan = scenario(None, draws=200, horizon=6)
    response = api(cast.national).post(
        "/api/v1/runs/", {"scenario": plan.pk, "baseline_period": "2026-02"}, format="json"
    )
    assert response.status_code == 202
    run = wait_for(response.json()["id"], {"succeeded", "failed"})
    assert run.status == "succeeded", run.error + celery_worker.log()[-3000:]
    assert run.progress == 100
    assert run.chunks.count() == 3 and not run.chunks.filter(done=False).exists()
    log = celery_worker.log()
    assert log.count("run_projection_chunk[") >= 3 and "finish_national_run[" in log
    # The same run in this process, in one task, for comparison.
    ProjectionRun.objects.filter(pk=run.pk).update(input_hash="")
    single = ProjectionRun.objects.create(
        scenario=plan,
        baseline_period=run.baseline_period,
        seed=run.seed,
        draws=run.draws,
        horizon=run.horizon,
    )
    with override_settings(PROJECTION_RUN_CHUNKS=1):
        projection_run_execute(run_id=single.pk)
    single.refresh_from_db()
    assert single.status == "succeeded", single.error
    expected = rows(single)
    assert {r[0] for r in expected} == {"organisation", "ics", "national"}
    assert rows(run) == expected
