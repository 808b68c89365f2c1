"""From the engine's arrays to stored results: one row per level, entity, sector, staff group
and year. An organisation's rows carry its planning sector; an ICS and the nation have one set
of rows for all sectors (sector "", with the targets and the probability of meeting them) and
one per sector present in it, each summed per draw before its percentiles were taken."""

from __future__ import annotations

import numpy as np
from django.db import transaction
from django.db.models import Q

from core.models import StaffGroup
from core.services.bulk_rows import rows_insert
from workforce.models import ProjectionResult, ProjectionRun

from .assembly import PreparedRun
from .engine import EngineResult, LevelResult, SectorResult, shared_parts

NATIONAL_CODE = "ENG"
# Figures are stored to the precision of the FTE they come from (a return's 0.01 FTE), and a
# probability to the hundredth of a point: the engine's float32 draws would otherwise show as
# 6702.8701171875 for 6702.87 in every API answer and download.
FTE_PLACES = 2
PROBABILITY_PLACES = 4
ALL_SECTORS = ""
# The stored columns, in the order `_rows` gives them.
RESULT_COLUMNS = ("run", "level", "entity_code", "sector", "staff_group", "year",
                  "supply_p10", "supply_p50", "supply_p90", "demand_p10", "demand_p50",
                  "demand_p90", "gap_p10", "gap_p50", "gap_p90", "target_fte",
                  "probability_meets_target")  # fmt: skip


def employed_groups(
    entity: np.ndarray, n_entities: int, prepared: PreparedRun, group: np.ndarray | None = None
) -> np.ndarray:
    """(n_entities, K) bool: whether entity e (each series' entry in `entity`, of the leaf
    in `group`, by default the series') has a series in a leaf that output group k sums.
    Rows of a group an entity employs no one in would be zeros, and an organisation employs
    few of the groups: a practice its GPs (and their roll-ups), not the other 40."""
    inputs = prepared.inputs
    group = np.asarray(inputs.series_group if group is None else group)
    has = np.zeros((n_entities, inputs.n_groups), dtype=bool)
    has[np.asarray(entity), group] = True
    return (has.astype(np.int64) @ np.asarray(inputs.group_rollup, dtype=np.int64).T) > 0


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
    kept: np.ndarray | None = None,
    codes: frozenset[str] | None = None,
):
    """The rows of one level, as RESULT_COLUMNS' values; `kept` (entities x groups, bool)
    leaves out the others, and `codes` the entities not in it."""
    supply, demand, gap = result.supply, result.demand, result.gap
    for e, (code, sector) in enumerate(entities):
        if codes is not None and code not in codes:
            continue
        for k, group_id in enumerate(group_ids):
            if kept is not None and not kept[e, k]:
                continue
            for t in range(supply.shape[2]):
                target = probability_value = None
                if targets is not None and not np.isnan(targets[e, k, t]):
                    target = round(float(targets[e, k, t]), FTE_PLACES)
                    probability_value = round(float(probability[e, k, t]), PROBABILITY_PLACES)
                s, d, g = (
                    [round(float(x), FTE_PLACES) for x in figures[e, k, t]]
                    for figures in (supply, demand, gap)
                )
                yield (run.pk, level, code, sector, group_id, prepared.year(t),
                       *s, *d, *g, target, probability_value)  # fmt: skip


def results_store(*, run: ProjectionRun, prepared: PreparedRun, result: EngineResult) -> int:
    """Replace the run's results with the engine's, in one transaction; returns the row count."""
    levels = _entity_levels(prepared, result)
    if run.ics_id is None:
        levels += _national_levels(result.national, result.national_sectors, prepared)
    rows = _all_rows(run, prepared, levels)
    return _replace(ProjectionResult.objects.filter(run=run), rows)


def chunk_rows(
    *,
    run: ProjectionRun,
    prepared: PreparedRun,
    result: EngineResult,
    organisations: frozenset[str],
    systems: frozenset[str],
) -> list[tuple]:
    """The rows (not yet stored; RESULT_COLUMNS' values) of some organisations and systems
    of a national run, from the result of a run that holds them
    (workforce.projection.national_split)."""
    Level = ProjectionResult.Level
    wanted = {Level.ORGANISATION: organisations, Level.ICS: systems}
    levels = [(*level[:6], wanted[level[0]]) for level in _entity_levels(prepared, result)]
    return list(_all_rows(run, prepared, levels))


def chunk_replace(
    *,
    run: ProjectionRun,
    organisations: frozenset[str],
    systems: frozenset[str],
    rows: list[tuple],
) -> int:
    """Replace those organisations' and systems' rows of the run with `rows`, in one
    transaction, so that a chunk stored twice is stored once."""
    Level = ProjectionResult.Level
    stale = ProjectionResult.objects.filter(run=run).filter(
        Q(level=Level.ORGANISATION, entity_code__in=organisations)
        | Q(level=Level.ICS, entity_code__in=systems)
    )
    return _replace(stale, rows)


def national_store(
    *, run: ProjectionRun, prepared: PreparedRun, national: LevelResult, sectors: SectorResult
) -> int:
    """Replace a national run's national rows, in one transaction; returns the row count."""
    stale = ProjectionResult.objects.filter(run=run, level=ProjectionResult.Level.NATIONAL)
    levels = _national_levels(national, sectors, prepared)
    return _replace(stale, _all_rows(run, prepared, levels))


def _national_levels(national: LevelResult, sectors: SectorResult, prepared: PreparedRun):
    # The nation has no plan target of its own: JFP targets are per ICS.
    Level = ProjectionResult.Level
    codes = prepared.axes.sectors.codes
    return [
        (Level.NATIONAL, [(NATIONAL_CODE, ALL_SECTORS)], national, None, None, None, None),
        (
            Level.NATIONAL,
            _sector_entities(sectors, [NATIONAL_CODE], codes),
            sectors.figures,
            None,
            None,
            None,
            None,
        ),
    ]


def _entity_levels(prepared: PreparedRun, result: EngineResult):
    """The organisation and ICS levels: (level, entities, figures, targets, probability, kept,
    codes to store or None for all)."""
    targets = np.asarray(prepared.inputs.targets)
    sectors, ics_codes = prepared.axes.sectors.codes, prepared.ics_codes
    inputs = prepared.inputs
    by_organisation = employed_groups(inputs.series_organisation, inputs.n_organisations, prepared)
    # Each series' block (ICS, sector); a block is kept for the groups its organisations employ.
    sector_of = inputs.organisation_sector
    if sector_of is None:
        sector_of = np.zeros(inputs.n_organisations, dtype=np.intp)
    organisation_sector = np.asarray(sector_of)[inputs.series_organisation]
    blocks = result.ics_sectors
    block = {
        (int(e), int(b)): i
        for i, (e, b) in enumerate(zip(blocks.entity, blocks.sector, strict=True))
    }
    # A shared organisation's series are in the block of each system it has a share of.
    systems_of = {o: [ics for ics, _weight in parts] for o, parts in shared_parts(inputs).items()}
    series_block, series_group = [], []
    for organisation, ics, sector, group in zip(
        inputs.series_organisation,
        inputs.series_ics,
        organisation_sector,
        inputs.series_group,
        strict=True,
    ):
        for system in systems_of.get(int(organisation), [ics]):
            series_block.append(block[int(system), int(sector)])
            series_group.append(group)
    by_block = employed_groups(
        np.array(series_block, np.intp), len(block), prepared, np.array(series_group, np.intp)
    )
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
            by_organisation,
            None,
        ),
        (
            Level.ICS,
            [(code, ALL_SECTORS) for code in ics_codes],
            result.ics,
            targets,
            result.probability_meets_target,
            None,
            None,
        ),
        (
            Level.ICS,
            _sector_entities(result.ics_sectors, ics_codes, sectors),
            result.ics_sectors.figures,
            None,
            None,
            by_block,
            None,
        ),
    ]
    return levels


def _all_rows(run: ProjectionRun, prepared: PreparedRun, levels):
    ids = dict(StaffGroup.objects.filter(code__in=prepared.output_groups).values_list("code", "id"))
    group_ids = [ids[code] for code in prepared.output_groups]
    for level, entities, level_result, level_targets, probability, kept, codes in levels:
        yield from _rows(
            run,
            level,
            entities,
            level_result,
            group_ids,
            prepared,
            level_targets,
            probability,
            kept,
            codes,
        )


def _replace(stale, rows) -> int:
    with transaction.atomic():
        stale.delete()
        return rows_insert(ProjectionResult, RESULT_COLUMNS, rows)
