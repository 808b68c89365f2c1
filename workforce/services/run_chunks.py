"""A national run in chunks of systems, one Celery task each, then the nation's figures.

`national_run_split` (on the worker that claimed the run) records the chunks and sends a chord:
each chunk task (`projection_chunk_execute`) projects its systems one by one
(workforce.projection.national_split), stores their organisations' and systems' rows and its
per-draw sums in one transaction, and the chord's callback (`projection_national_finish`) adds
the sums in system order and stores the national rows. The database, not the result backend, is
what counts: a chunk is done once, whatever the deliveries, and the callback waits for every
chunk to be done. A run whose chunk fails ends failed with the reason and no rows.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Iterator

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.errors import ApplicationError
from workforce.models import (
    ProjectionResult,
    ProjectionRun,
    ProjectionRunChunk,
    ProjectionRunChunkPart,
)
from workforce.projection import national_split
from workforce.projection.engine import project_with_sums
from workforce.projection.inputs import PreparedRun, prepare_run
from workforce.projection.results import chunk_replace, chunk_rows, national_store

logger = logging.getLogger(__name__)
HEARTBEAT_EVERY_SECONDS = 1.0
# A system's packed sums are stored in parts of at most this: PostgreSQL refuses a value of
# 1 GB, and one system of a national run of 10,000 draws sums several hundred megabytes.
PART_BYTES = 64 << 20
# The progress a run shows while its national figures are being added up, whatever its chunks.
BEFORE_NATIONAL = 99
INPUTS_CHANGED = (
    "The run's inputs changed while it ran (a return, a published figure or the scenario was "
    "changed): start the run again."
)


class ChunksPending(Exception):
    """Not every chunk of the run is done yet: the callback looks again later."""


def engine_threads() -> int | None:
    """The threads a projection's engine is given (PROJECTION_ENGINE_THREADS), or None for its
    default."""
    return int(settings.PROJECTION_ENGINE_THREADS) or None


def chunked(run: ProjectionRun) -> bool:
    """Whether the run is carried out in chunks: a national run, when more than one is set."""
    return run.ics_id is None and int(settings.PROJECTION_RUN_CHUNKS) > 1


def national_run_split(*, run: ProjectionRun, prepared: PreparedRun) -> int:
    """Record the run's chunks and send them with the callback; returns how many.

    A run taken over from a dead worker keeps the chunks already done when they are the same
    systems."""
    from workforce.tasks import finish_national_run, run_projection_chunk

    inputs = prepared.inputs
    codes = prepared.ics_codes
    planned = [
        [codes[i] for i in chunk]
        for chunk in national_split.chunk_systems(inputs, settings.PROJECTION_RUN_CHUNKS)
    ]
    with transaction.atomic():
        existing = list(run.chunks.order_by("index").values_list("systems", flat=True))
        if existing != planned:
            run.chunks.all().delete()
            ProjectionResult.objects.filter(run=run).delete()
            ProjectionRunChunk.objects.bulk_create(
                ProjectionRunChunk(run=run, index=i, systems=systems)
                for i, systems in enumerate(planned)
            )
        ProjectionRun.objects.filter(pk=run.pk).update(
            input_hash=prepared.input_hash,
            notes=prepared.notes,
            prices=prepared.prices,
            completeness=prepared.completeness,
            heartbeat_at=timezone.now(),
        )
        _progress(run.pk)
    from celery import chord

    header = [run_projection_chunk.si(run.pk, i) for i in range(len(planned))]
    transaction.on_commit(lambda: chord(header)(finish_national_run.si(run.pk)))
    return len(planned)


def _progress(run_id: int) -> None:
    chunks = ProjectionRunChunk.objects.filter(run_id=run_id)
    total, done = chunks.count(), chunks.filter(done=True).count()
    ProjectionRun.objects.filter(pk=run_id, status=ProjectionRun.Status.RUNNING).update(
        progress=min(BEFORE_NATIONAL, 100 * done // max(1, total)), heartbeat_at=timezone.now()
    )


def _beat(run_id: int) -> None:
    ProjectionRun.objects.filter(pk=run_id, status=ProjectionRun.Status.RUNNING).update(
        heartbeat_at=timezone.now()
    )


def _fail(run_id: int, error: str) -> None:
    """End the run failed with the reason, with none of its rows: no partial result stays."""
    with transaction.atomic():
        run = ProjectionRun.objects.select_for_update().get(pk=run_id)
        if run.status != ProjectionRun.Status.RUNNING:
            return
        ProjectionResult.objects.filter(run=run).delete()
        _clear_sums(run_id)
        ProjectionRun.objects.filter(pk=run_id).update(
            status=ProjectionRun.Status.FAILED, error=error, finished_at=timezone.now()
        )


def _pieces(data: bytes) -> list[bytes]:
    return [data[at : at + PART_BYTES] for at in range(0, len(data), PART_BYTES)] or [b""]


def _stored_sums(run_id: int) -> Iterator[national_split.SystemSums]:
    """The chunks' systems' sums, in chunk then system order, one system's parts at a time."""
    parts = (
        ProjectionRunChunkPart.objects.filter(chunk__run_id=run_id)
        .order_by("chunk__index", "system", "part")
        .values_list("chunk__index", "system", "data")
    )
    current, pieces = None, []
    for index, system, data in parts.iterator(chunk_size=1):
        if (index, system) != current and pieces:
            yield from national_split.unpack(b"".join(pieces))
            pieces = []
        current = (index, system)
        pieces.append(bytes(data))
    if pieces:
        yield from national_split.unpack(b"".join(pieces))


def _clear_sums(run_id: int) -> None:
    ProjectionRunChunkPart.objects.filter(chunk__run_id=run_id).delete()


def _unexpected(error: Exception) -> str:
    return (
        f"The projection failed unexpectedly ({type(error).__name__}: {error}). "
        "Try again; if it fails again, tell your administrator."
    )


def _prepared(run: ProjectionRun) -> PreparedRun:
    """The run's inputs, read again: the same as when the run was split, or refused."""
    prepared = prepare_run(scenario=run.scenario, ics=None, baseline_period=run.baseline_period)
    if prepared.input_hash != run.input_hash:
        raise ApplicationError(INPUTS_CHANGED)
    return prepared


def projection_chunk_execute(*, run_id: int, index: int) -> bool:
    """Carry out one chunk; returns whether this delivery stored it. Safe to deliver twice."""
    run = ProjectionRun.objects.select_related("scenario").get(pk=run_id)
    chunk = ProjectionRunChunk.objects.filter(run_id=run_id, index=index).first()
    if run.status != ProjectionRun.Status.RUNNING or chunk is None or chunk.done:
        return False
    try:
        _beat(run_id)
        started = time.monotonic()
        prepared = _prepared(run)
        read = time.monotonic() - started
        last_beat = [time.monotonic()]

        def progress(_percent: int) -> None:
            if time.monotonic() - last_beat[0] >= HEARTBEAT_EVERY_SECONDS:
                last_beat[0] = time.monotonic()
                _beat(run_id)

        # Each system's sums are packed as soon as they are found: unpacked, a chunk of a dozen
        # systems would hold 150 MB of them each (five sectors, 1,000 draws) at once.
        rows, organisations, packed = [], set(), []
        for code in chunk.systems:
            ics = prepared.axes.ics.position(code)
            alone = national_split.system_inputs(prepared.inputs, ics)
            result, national, sectors = project_with_sums(alone, progress, workers=engine_threads())
            stored = frozenset(
                prepared.organisations[o]
                for o in national_split.stored_organisations(prepared.inputs, ics)
            )
            rows += chunk_rows(
                run=run,
                prepared=dataclasses.replace(prepared, inputs=alone),
                result=result,
                organisations=stored,
                systems=frozenset({code}),
            )
            organisations |= stored
            sums = national_split.system_sums(alone, result, national, sectors, ics)
            del result, national, sectors
            packed.append(_pieces(national_split.pack([sums])))
            del sums
        parts = [
            ProjectionRunChunkPart(chunk_id=chunk.pk, system=i, part=j, data=piece)
            for i, pieces in enumerate(packed)
            for j, piece in enumerate(pieces)
        ]
        projected = time.monotonic() - started - read
        with transaction.atomic():
            locked = ProjectionRun.objects.select_for_update().get(pk=run_id)
            if locked.status != ProjectionRun.Status.RUNNING:
                return False
            chunk_replace(
                run=run,
                organisations=frozenset(organisations),
                systems=frozenset(chunk.systems),
                rows=rows,
            )
            ProjectionRunChunkPart.objects.filter(chunk_id=chunk.pk).delete()
            # One part a statement: each stays one value well below the database's largest.
            ProjectionRunChunkPart.objects.bulk_create(parts, batch_size=1)
            ProjectionRunChunk.objects.filter(pk=chunk.pk).update(
                done=True, finished_at=timezone.now()
            )
            _progress(run_id)
        logger.info(
            "run %s chunk %s (%s): inputs %.1f s, engine %.1f s, stored %s rows in %.1f s",
            *(run_id, index, len(chunk.systems), read, projected, len(rows)),
            time.monotonic() - started - read - projected,
        )
        return True
    except (ApplicationError, ValueError) as error:
        # ValueError: the engine refused the chunk's inputs (arrays.validate_inputs).
        _fail(run_id, f"Chunk {index + 1} ({', '.join(chunk.systems)}): {error}")
    except Exception as error:  # the run must end failed with a reason, never stay running
        logger.exception("run %s chunk %s failed", run_id, index)
        _fail(run_id, _unexpected(error))
    return False


def projection_national_finish(*, run_id: int) -> bool:
    """Add the chunks' sums in system order and store the national rows; the run succeeds.
    Raises ChunksPending while a chunk is not done; returns whether this call finished it."""
    run = ProjectionRun.objects.select_related("scenario").get(pk=run_id)
    if run.status != ProjectionRun.Status.RUNNING:
        _clear_sums(run_id)
        return False
    chunks = ProjectionRunChunk.objects.filter(run_id=run_id).order_by("index")
    if not chunks.exists() or chunks.filter(done=False).exists():
        raise ChunksPending(f"run {run_id} has chunks still to do")
    try:
        started = time.monotonic()
        prepared = _prepared(run)
        read = time.monotonic() - started
        national, sectors = national_split.national_figures(prepared.inputs, _stored_sums(run_id))
        added = time.monotonic() - started - read
        with transaction.atomic():
            locked = ProjectionRun.objects.select_for_update().get(pk=run_id)
            if locked.status != ProjectionRun.Status.RUNNING:
                return False
            national_store(run=run, prepared=prepared, national=national, sectors=sectors)
            _clear_sums(run_id)
            ProjectionRun.objects.filter(pk=run_id).update(
                status=ProjectionRun.Status.SUCCEEDED,
                progress=100,
                finished_at=timezone.now(),
                notes=prepared.notes,
                prices=prepared.prices,
                completeness=prepared.completeness,
            )
        logger.info(
            "run %s national figures: inputs %.1f s, the chunks' sums added %.1f s, stored %.1f s",
            *(run_id, read, added, time.monotonic() - started - read - added),
        )
        return True
    except ApplicationError as error:
        _fail(run_id, str(error))
    except Exception as error:
        logger.exception("run %s: the national figures failed", run_id)
        _fail(run_id, _unexpected(error))
    return False
