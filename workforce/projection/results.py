"""From the engine's arrays to stored results: one row per level, entity, sector, staff group
and year. An organisation's rows carry its planning sector; an ICS and the nation have one set
of rows for all sectors (sector "", with the targets and the probability of meeting them) and
one per sector present in it, each summed per draw before its percentiles were taken."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from django.db import transaction
from django.db.models import Q

from core.models import StaffGroup
from core.services.bulk_rows import rows_insert
from workforce.models import ProjectionResult, ProjectionRun

from .arrays import LIMIT_NAMES
from .assembly import PreparedRun
from .engine import EngineResult, LevelResult, SectorResult, shared_parts

NATIONAL_CODE = "ENG"
# Figures are stored to the precision of the FTE they come from (a return's 0.01 FTE), and a
# probability to the hundredth of a point: the engine's float32 draws would otherwise show as
# 6702.8701171875 for 6702.87 in every API answer and download. Spend is stored to the £100:
# an organisation's draws are ranked in float32, whose step is at most £128 below £2bn a year.
FTE_PLACES = 2
PROBABILITY_PLACES = 4
MONEY_PLACES = -2
ALL_SECTORS = ""
SPEND = ("pay_bill", "bank_spend", "agency_spend", "total_spend")  # LevelResult's, as stored
# The stored columns, in the order `_rows` gives them.
RESULT_COLUMNS = ("run", "level", "entity_code", "sector", "staff_group", "year",
                  "supply_p10", "supply_p50", "supply_p90", "demand_p10", "demand_p50",
                  "demand_p90", "gap_p10", "gap_p50", "gap_p90", "target_fte",
                  "probability_meets_target",
                  *(f"{name}_p{p}" for name in SPEND for p in (10, 50, 90)),
                  "pay_budget", "probability_within_pay_budget",
                  "bank_spend_limit", "probability_within_bank_limit",
                  "agency_spend_limit", "probability_within_agency_limit")  # fmt: skip
SPEND_COLUMNS = tuple(f"{name}_p{p}" for name in SPEND for p in (10, 50, 90))
LIMIT_COLUMNS = LIMIT_NAMES
# The money columns of a result, in RESULT_COLUMNS' order: those in GBP, and the chances.
MONEY_COLUMNS = RESULT_COLUMNS[RESULT_COLUMNS.index(SPEND_COLUMNS[0]) :]
NO_SPEND = (None,) * len(SPEND_COLUMNS)
NO_LIMITS = (None,) * 6


def employed_groups(
    entity: np.ndarray,
    n_entities: int,
    prepared: PreparedRun,
    group: np.ndarray | None = None,
    series: np.ndarray | None = None,
) -> np.ndarray:
    """(n_entities, K) bool: whether entity e (each series' entry in `entity`, of the leaf
    in `group`, by default the series') has a series in a leaf that output group k sums;
    with `series` (bool, like `entity`), only those series count. Rows of a group an entity
    employs no one in would be zeros, and an organisation employs few of the groups: a
    practice its GPs (and their roll-ups), not the other 40."""
    inputs = prepared.inputs
    group = np.asarray(inputs.series_group if group is None else group)
    entity = np.asarray(entity)
    if series is not None:
        entity, group = entity[series], group[series]
    has = np.zeros((n_entities, inputs.n_groups), dtype=bool)
    has[entity, group] = True
    return (has.astype(np.int64) @ np.asarray(inputs.group_rollup, dtype=np.int64).T) > 0


def _sector_entities(
    result: SectorResult, codes: list[str], sectors: tuple[str, ...]
) -> list[tuple[str, str]]:
    return [(codes[e], sectors[s]) for e, s in zip(result.entity, result.sector, strict=True)]


@dataclass(frozen=True)
class _Level:
    """One level's rows to store: `kept` (entities x K, bool) leaves out the others, `codes`
    the entities not in it, and `priced` (entities x K) the spend of groups with no cost."""

    level: str
    entities: list[tuple[str, str]]
    figures: LevelResult
    targets: np.ndarray | None = None  # (entities, K, H+1) target FTE, NaN where none
    probability: np.ndarray | None = None
    limits: np.ndarray | None = None  # (entities, 3, K, H+1) money limits, NaN where none
    within: np.ndarray | None = None
    kept: np.ndarray | None = None
    priced: np.ndarray | None = None
    codes: frozenset[str] | None = None


def _fte(value: float) -> float:
    return round(float(value), FTE_PLACES)


def _bound(bounds: np.ndarray | None, shares: np.ndarray | None, at: tuple) -> tuple:
    """A target or limit and the share of draws meeting it, or (None, None) where none."""
    if bounds is None or np.isnan(bounds[at]):
        return None, None
    return float(bounds[at]), round(float(shares[at]), PROBABILITY_PLACES)


def _rows(run: ProjectionRun, level: _Level, group_ids: list[int], prepared: PreparedRun):
    """The rows of one level, as RESULT_COLUMNS' values."""
    figures = level.figures
    supply, demand, gap = figures.supply, figures.demand, figures.gap
    spend = None if figures.pay_bill is None else [getattr(figures, name) for name in SPEND]
    for e, (code, sector) in enumerate(level.entities):
        if level.codes is not None and code not in level.codes:
            continue
        for k, group_id in enumerate(group_ids):
            if level.kept is not None and not level.kept[e, k]:
                continue
            priced = spend is not None and (level.priced is None or level.priced[e, k])
            for t in range(supply.shape[2]):
                target, probability = _bound(level.targets, level.probability, (e, k, t))
                if target is not None:
                    target = _fte(target)
                limits = NO_LIMITS
                if level.limits is not None:
                    limits = sum(
                        (_bound(level.limits[e], level.within[e], (i, k, t)) for i in range(3)),
                        (),
                    )
                money = NO_SPEND
                if priced:
                    money = tuple(
                        round(float(x), MONEY_PLACES) for values in spend for x in values[e, k, t]
                    )
                yield (run.pk, level.level, code, sector, group_id, prepared.year(t),
                       *(_fte(x) for x in supply[e, k, t]), *(_fte(x) for x in demand[e, k, t]),
                       *(_fte(x) for x in gap[e, k, t]), target, probability, *money,
                       *limits)  # fmt: skip


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
    levels = [
        replace(level, codes=wanted[level.level]) for level in _entity_levels(prepared, result)
    ]
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


def _national_levels(
    national: LevelResult, sectors: SectorResult, prepared: PreparedRun
) -> list[_Level]:
    # The nation has no plan target of its own: JFP targets are per ICS.
    Level = ProjectionResult.Level
    inputs = prepared.inputs
    codes = prepared.axes.sectors.codes
    priced = by_sector = None
    if inputs.money is not None:
        costed = np.asarray(inputs.money.costed, bool)
        n = len(costed)
        priced = employed_groups(np.zeros(n, np.intp), 1, prepared, series=costed)
        sector_of = inputs.organisation_sector
        series_sector = (
            np.zeros(n, np.intp)
            if sector_of is None
            else np.asarray(sector_of, np.intp)[inputs.series_organisation]
        )
        row_of = np.zeros(max(int(inputs.n_sectors), 1), np.intp)
        row_of[np.asarray(sectors.sector, np.intp)] = np.arange(len(sectors.sector))
        by_sector = employed_groups(
            row_of[series_sector], len(sectors.sector), prepared, series=costed
        )
    return [
        _Level(Level.NATIONAL, [(NATIONAL_CODE, ALL_SECTORS)], national, priced=priced),
        _Level(
            Level.NATIONAL,
            _sector_entities(sectors, [NATIONAL_CODE], codes),
            sectors.figures,
            priced=by_sector,
        ),
    ]


def _entity_levels(prepared: PreparedRun, result: EngineResult) -> list[_Level]:
    """The organisation and ICS levels."""
    inputs = prepared.inputs
    targets = np.asarray(inputs.targets)
    sectors, ics_codes = prepared.axes.sectors.codes, prepared.ics_codes
    costed = None if inputs.money is None else np.asarray(inputs.money.costed, bool)

    def groups_of(entity: np.ndarray, n: int, group: np.ndarray | None = None):
        """Whose groups have series, and whose of them have a cost."""
        priced = None if costed is None else employed_groups(entity, n, prepared, group, costed)
        return employed_groups(entity, n, prepared, group), priced

    by_organisation, organisation_priced = groups_of(
        inputs.series_organisation, inputs.n_organisations
    )
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
    series_block, series_group, series_ics, series_index = [], [], [], []
    for i, (organisation, ics, sector, group) in enumerate(
        zip(
            inputs.series_organisation,
            inputs.series_ics,
            organisation_sector,
            inputs.series_group,
            strict=True,
        )
    ):
        for system in systems_of.get(int(organisation), [ics]):
            series_block.append(block[int(system), int(sector)])
            series_group.append(group)
            series_ics.append(system)
            series_index.append(i)
    series_group = np.array(series_group, np.intp)
    if costed is not None:
        costed = costed[np.array(series_index, np.intp)]
    by_block, block_priced = groups_of(np.array(series_block, np.intp), len(block), series_group)
    _ics_kept, ics_priced = groups_of(np.array(series_ics, np.intp), len(ics_codes), series_group)
    Level = ProjectionResult.Level
    organisations = [
        (code, sectors[s])
        for code, s in zip(prepared.organisations, inputs.organisation_sector, strict=True)
    ]
    within = result.probability_within_limits
    # Targets and the probability of meeting them are the whole system's, not a sector's.
    return [
        _Level(
            Level.ORGANISATION,
            organisations,
            result.organisation,
            kept=by_organisation,
            priced=organisation_priced,
        ),
        _Level(
            Level.ICS,
            [(code, ALL_SECTORS) for code in ics_codes],
            result.ics,
            targets=targets,
            probability=result.probability_meets_target,
            limits=None if within is None else np.asarray(inputs.money.limits),
            within=within,
            priced=ics_priced,
        ),
        _Level(
            Level.ICS,
            _sector_entities(result.ics_sectors, ics_codes, sectors),
            result.ics_sectors.figures,
            kept=by_block,
            priced=block_priced,
        ),
    ]


def _all_rows(run: ProjectionRun, prepared: PreparedRun, levels: list[_Level]):
    ids = dict(StaffGroup.objects.filter(code__in=prepared.output_groups).values_list("code", "id"))
    group_ids = [ids[code] for code in prepared.output_groups]
    for level in levels:
        yield from _rows(run, level, group_ids, prepared)


def _replace(stale, rows) -> int:
    with transaction.atomic():
        stale.delete()
        return rows_insert(ProjectionResult, RESULT_COLUMNS, rows)
