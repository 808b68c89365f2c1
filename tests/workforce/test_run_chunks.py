"""A national run in chunks of systems (a chord of tasks; eager here): the same rows as one
task, progress by chunks, a chunk stored once whatever its deliveries, and a failing chunk
failing the run with the reason and no rows."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from core.models import ICS
from workforce.models import ProjectionResult, ProjectionRun, ProjectionRunChunk
from workforce.projection import engine, national_split
from workforce.services import run_chunks
from workforce.services.run_chunks import (
    projection_chunk_execute,
    projection_national_finish,
)
from workforce.services.runs import projection_run_start

from .projection_data import BASELINE, scenario, small_system

pytestmark = pytest.mark.django_db
FIELDS = [
    f.name
    for f in ProjectionResult._meta.get_fields()
    if f.concrete and f.name not in ("id", "run")
]


@pytest.fixture
def systems(cast):
    codes = [
        "QKK",
        *ICS.objects.exclude(code="QKK").order_by("code").values_list("code", flat=True)[:3],
    ]
    return [small_system(code) for code in codes]


def national_run(cast, plan, capture, *, execute: bool = True) -> ProjectionRun:
    with capture(execute=execute):
        run = projection_run_start(
            user=cast.national, scenario=plan, ics=None, baseline_period=BASELINE
        )
    run.refresh_from_db()
    return run


def rows(run: ProjectionRun) -> list[tuple]:
    return sorted(
        ProjectionResult.objects.filter(run=run).values_list(*FIELDS),
        key=lambda row: tuple("" if v is None else str(v) for v in row),
    )


@pytest.mark.parametrize("part_bytes", [run_chunks.PART_BYTES, 997])
def test_a_chunked_national_run_stores_every_row_as_one_task_does(
    cast, systems, settings, django_capture_on_commit_callbacks, monkeypatch, part_bytes
):
    # With parts of 997 bytes every system's sums are stored in many parts and read back.
    monkeypatch.setattr(run_chunks, "PART_BYTES", part_bytes)
    pieces = []
    split = run_chunks._pieces
    monkeypatch.setattr(
        run_chunks, "_pieces", lambda data: pieces.append(split(data)) or pieces[-1]
    )
    plan = scenario(None, draws=300, horizon=6)
    settings.PROJECTION_RUN_CHUNKS = 1
    single = national_run(cast, plan, django_capture_on_commit_callbacks)
    assert single.status == "succeeded", single.error
    assert not single.chunks.exists()
    expected = rows(single)
    # The same inputs would reuse the single run's rows: it is made not to count as a source.
    ProjectionRun.objects.filter(pk=single.pk).update(input_hash="")
    settings.PROJECTION_RUN_CHUNKS = 3
    run = national_run(cast, plan, django_capture_on_commit_callbacks)
    assert run.status == "succeeded", run.error
    assert run.progress == 100 and run.results_from_id is None
    chunks = list(run.chunks.order_by("index"))
    assert len(chunks) == 3 and all(c.done and not c.parts.exists() for c in chunks)
    every = [code for c in chunks for code in c.systems]
    assert len(every) == len(set(every)) >= 4
    assert len(expected) > 100
    assert {r[0] for r in expected} == {"organisation", "ics", "national"}
    assert rows(run) == expected
    counts = [len(p) for p in pieces]
    assert len(counts) == len(every)  # one system at a time
    assert min(counts) > 1 if part_bytes == 997 else max(counts) == 1
    # What the run was built on is stated as for one task.
    single.refresh_from_db()
    assert run.completeness["counts"]["organisations"] > 0
    assert run.completeness == single.completeness


def test_progress_counts_chunks_and_a_chunk_delivered_twice_is_stored_once(
    cast, systems, settings, django_capture_on_commit_callbacks
):
    settings.PROJECTION_RUN_CHUNKS = 2
    plan = scenario(None, draws=50)
    # The start's callbacks run (the run is claimed and split), the chord's are held back.
    with django_capture_on_commit_callbacks(execute=False) as sent:
        run = projection_run_start(
            user=cast.national, scenario=plan, ics=None, baseline_period=BASELINE
        )
    sent[0]()  # _send: the run is claimed, split, and the chord would go on commit
    run.refresh_from_db()
    assert run.status == "running" and run.progress == 0
    assert run.chunks.count() == 2
    assert projection_chunk_execute(run_id=run.pk, index=0)
    run.refresh_from_db()
    assert run.progress == 50
    first = ProjectionResult.objects.filter(run=run).count()
    assert first > 0
    # Delivered again after it was stored: nothing more. Again as if it died before marking
    # itself done: its rows are replaced, not added.
    assert not projection_chunk_execute(run_id=run.pk, index=0)
    ProjectionRunChunk.objects.filter(run=run, index=0).update(done=False)
    assert projection_chunk_execute(run_id=run.pk, index=0)
    assert ProjectionResult.objects.filter(run=run).count() == first
    with pytest.raises(Exception, match="chunks still to do"):
        projection_national_finish(run_id=run.pk)
    assert projection_chunk_execute(run_id=run.pk, index=1)
    assert projection_national_finish(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == "succeeded" and run.progress == 100
    assert ProjectionResult.objects.filter(run=run, level="national").exists()
    assert not projection_national_finish(run_id=run.pk)  # a second callback does nothing


def test_a_chunk_whose_inputs_fail_validation_fails_the_run_with_no_rows(
    cast, systems, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.PROJECTION_RUN_CHUNKS = 2
    bad_system = systems[-1].code
    real = national_split.system_inputs

    def broken(inputs, ics):
        alone = real(inputs, ics)
        if ics == inputs_codes.index(bad_system):
            return dataclasses.replace(alone, leaver_rate=np.full(len(alone.leaver_rate), 1.5))
        return alone

    from workforce.projection.inputs import prepare_run

    inputs_codes = prepare_run(
        scenario=scenario(None, name="probe"), ics=None, baseline_period=BASELINE
    ).ics_codes
    monkeypatch.setattr(national_split, "system_inputs", broken)
    run = national_run(cast, scenario(None, draws=20), django_capture_on_commit_callbacks)
    assert run.status == "failed"
    assert run.error.startswith("Chunk ") and bad_system in run.error
    assert "leaver_rate must be a fraction" in run.error
    assert not ProjectionResult.objects.filter(run=run).exists()
    assert run.progress < 100


def test_a_chunk_failing_unexpectedly_fails_the_run_with_the_reason(
    cast, systems, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.PROJECTION_RUN_CHUNKS = 3

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(national_split, "pack", explode)
    run = national_run(cast, scenario(None, draws=20), django_capture_on_commit_callbacks)
    assert run.status == "failed"
    assert "RuntimeError: disk full" in run.error
    assert not ProjectionResult.objects.filter(run=run).exists()


@pytest.mark.parametrize("threads, expected", [(1, 1), (3, 3), (0, None)])
def test_the_engine_runs_on_the_threads_the_setting_gives(
    cast, systems, settings, django_capture_on_commit_callbacks, monkeypatch, threads, expected
):
    given = []
    chunks = engine._chunks
    monkeypatch.setattr(
        engine,
        "_chunks",
        lambda plan, order, bounds, workers: (
            given.append(workers) or chunks(plan, order, bounds, workers)
        ),
    )
    default = min(4, engine.os.cpu_count() or 1)
    settings.PROJECTION_ENGINE_THREADS = threads
    settings.PROJECTION_RUN_CHUNKS = 2
    run = national_run(
        cast, scenario(None, draws=20, horizon=3), django_capture_on_commit_callbacks
    )
    assert run.status == "succeeded", run.error
    # One engine call for each system of the chunks, each on the threads set.
    assert len(given) > 1
    assert set(given) == {expected or default}
    given.clear()
    settings.PROJECTION_RUN_CHUNKS = 1
    ProjectionRun.objects.filter(pk=run.pk).update(input_hash="")
    run = national_run(
        cast, scenario(None, draws=20, horizon=3, name="Again"), django_capture_on_commit_callbacks
    )
    assert run.status == "succeeded", run.error
    assert given == [expected or default]
