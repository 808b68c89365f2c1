"""From the engine's arrays to stored results: one row per level, entity, sector, staff group
and year. An organisation's rows carry its planning sector; an ICS and the nation have one set
of rows for all sectors (sector "", with the targets and the probability of meeting them) and
one per sector present in it, each summed per draw before its percentiles were taken."""

from __future__ import annotations

import numpy as np
from django.db import transaction

from core.models import StaffGroup
from workforce.models import ProjectionResult, ProjectionRun

from .assembly import PreparedRun
from .engine import EngineResult, LevelResult, SectorResult

NATIONAL_CODE = "ENG"
ALL_SECTORS = ""
BATCH = 5000


def _sector_entities(
    result: SectorResult, codes: list[str], sectors: tuple[str, ...]
) -> list[tuple[str, str]]:
    return [(codes[e], sectors[s]) for e, s in zip(result.entity, result.sector, strict=True)]


def _rows(
    run: ProjectionRun,
    level: str,
    entities: list[tuple[str, str]],
    result: LevelResult,
    group_ids: list[int],
    prepared: PreparedRun,
    targets: np.ndarray | None = None,
    probability: np.ndarray | None = None,
):
    supply, demand, gap = result.supply, result.demand, result.gap
    for e, (code, sector) in enumerate(entities):
        for k, group_id in enumerate(group_ids):
            for t in range(supply.shape[2]):
                target = probability_value = None
                if targets is not None and not np.isnan(targets[e, k, t]):
                    target = float(targets[e, k, t])
                    probability_value = float(probability[e, k, t])
                s, d, g = supply[e, k, t], demand[e, k, t], gap[e, k, t]
                yield ProjectionResult(
                    run=run,
                    level=level,
                    entity_code=code,
                    sector=sector,
                    staff_group_id=group_id,
                    year=prepared.year(t),
                    supply_p10=float(s[0]),
                    supply_p50=float(s[1]),
                    supply_p90=float(s[2]),
                    demand_p10=float(d[0]),
                    demand_p50=float(d[1]),
                    demand_p90=float(d[2]),
                    gap_p10=float(g[0]),
                    gap_p50=float(g[1]),
                    gap_p90=float(g[2]),
                    target_fte=target,
                    probability_meets_target=probability_value,
                )


def results_store(*, run: ProjectionRun, prepared: PreparedRun, result: EngineResult) -> int:
    """Replace the run's results with the engine's, in one transaction; returns the row count."""
    ids = dict(StaffGroup.objects.filter(code__in=prepared.output_groups).values_list("code", "id"))
    group_ids = [ids[code] for code in prepared.output_groups]
    targets = np.asarray(prepared.inputs.targets)
    sectors, ics_codes = prepared.axes.sectors.codes, prepared.ics_codes
    Level = ProjectionResult.Level
    # Targets and the probability of meeting them are the whole system's, not a sector's.
    levels = [
        (
            Level.ORGANISATION,
            [
                (code, sectors[s])
                for code, s in zip(
                    prepared.organisations, prepared.inputs.organisation_sector, strict=True
                )
            ],
            result.organisation,
            None,
            None,
        ),
        (
            Level.ICS,
            [(code, ALL_SECTORS) for code in ics_codes],
            result.ics,
            targets,
            result.probability_meets_target,
        ),
        (
            Level.ICS,
            _sector_entities(result.ics_sectors, ics_codes, sectors),
            result.ics_sectors.figures,
            None,
            None,
        ),
    ]
    if run.ics_id is None:
        # The nation has no plan target of its own: JFP targets are per ICS.
        levels += [
            (Level.NATIONAL, [(NATIONAL_CODE, ALL_SECTORS)], result.national, None, None),
            (
                Level.NATIONAL,
                _sector_entities(result.national_sectors, [NATIONAL_CODE], sectors),
                result.national_sectors.figures,
                None,
                None,
            ),
        ]
    count = 0
    with transaction.atomic():
        ProjectionResult.objects.filter(run=run).delete()
        for level, entities, level_result, level_targets, probability in levels:
            batch = []
            for row in _rows(
                run, level, entities, level_result, group_ids, prepared, level_targets, probability
            ):
                batch.append(row)
                if len(batch) >= BATCH:
                    ProjectionResult.objects.bulk_create(batch)
                    count += len(batch)
                    batch = []
            ProjectionResult.objects.bulk_create(batch)
            count += len(batch)
    return count
