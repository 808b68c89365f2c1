"""The projection model of docs/design.md section 3: pure numpy, no Django.

A series is one organisation x leaf staff group. Each year, for every series and draw d:

    S[t+1] = S[t] * (1 - l_d) + R + I_d + r * N_d(t+1) + B
    D[t+1] = D[t] * (1 + g_d - p_d) + C(t+1)

With one draw the assumptions are used as given. With more, each draw shocks l, g, p, a and I
by one standard-normal factor per staff group (shared by every organisation), optionally mixed
with a factor of the organisation's own. Organisation, ICS and national figures, and those of
each planning sector within an ICS and within the nation, are summed per draw before their
percentiles are taken.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from .arrays import (
    _ASSUMPTIONS,
    MAX_HORIZON,
    EngineInputs,
    EngineResult,
    LevelResult,
    SampledAssumptions,
    SectorResult,
    Spreads,
    validate_inputs,
)

__all__ = [
    "MAX_HORIZON",
    "EngineInputs",
    "EngineResult",
    "LevelResult",
    "SampledAssumptions",
    "SectorResult",
    "Spreads",
    "project",
    "validate_inputs",
]

QUANTILES = np.array([0.10, 0.50, 0.90])
# Series x draws per chunk: each float32 working array is then about 0.5 MB, so a chunk's
# working set stays in a core's cache and the whole draw matrix never exists at once.
CHUNK_ELEMENTS = 1 << 17
# Rows of the standard-normal factors, one per uncertain assumption.
LEAVER, GROWTH, PRODUCTIVITY, ATTRITION, INTERNATIONAL = range(5)


def _take(values: np.ndarray, index: np.ndarray, dtype: type[np.floating]) -> np.ndarray:
    """values[index] in dtype, converting only the rows taken."""
    return np.asarray(values)[index].astype(dtype, copy=False)


def _generator(seed: int, *key: int) -> np.random.Generator:
    # A stream per spawn key: a series' draws depend on the seed, its group and organisation,
    # never on which other series share its chunk, so any chunking gives the same numbers.
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(int(seed), spawn_key=key)))


def common_factors(inputs: EngineInputs) -> np.ndarray:
    """The factors every organisation shares: (n_groups, 5, M) standard normals."""
    shape = (inputs.n_groups, 5, inputs.draws)
    return _generator(inputs.seed, 0).standard_normal(shape, dtype=np.float32)


def standard_factors(
    inputs: EngineInputs, series: np.ndarray, common: np.ndarray | None = None
) -> np.ndarray:
    """Each series' standard-normal factor per assumption and draw: (5, series, M) float32."""
    common = common_factors(inputs) if common is None else common
    groups = np.asarray(inputs.series_group, np.intp)[series]
    factors = common[groups]
    share = float(inputs.spreads.organisation_share)
    if share > 0 and len(series):
        # One own factor per organisation, assumption and draw, shared by its staff groups:
        # local conditions (pay, housing, leadership) move an organisation's groups together.
        organisations, local = np.unique(
            np.asarray(inputs.series_organisation, np.intp)[series], return_inverse=True
        )
        generators = [_generator(inputs.seed, 1, int(o)) for o in organisations]
        own = np.stack([g.standard_normal((5, inputs.draws), np.float32) for g in generators])
        # Weights whose squares sum to one keep each series' factor standard normal.
        factors *= np.float32(np.sqrt(1.0 - share))
        factors += np.float32(np.sqrt(share)) * own[local]
    return factors.transpose(1, 0, 2)


def sample_assumptions(
    inputs: EngineInputs,
    series: np.ndarray,
    factors: np.ndarray | None = None,
    dtype: type[np.floating] = np.float64,
) -> SampledAssumptions:
    """The series' leaver rate, growth, productivity, attrition and international recruitment
    in each draw; with one draw, the assumptions exactly as given (in float64)."""
    if inputs.draws == 1:
        columns = (_take(getattr(inputs, x), series, np.float64)[:, None] for x in _ASSUMPTIONS)
        return SampledAssumptions(*columns)
    z = standard_factors(inputs, series) if factors is None else factors
    groups = np.asarray(inputs.series_group, np.intp)[series]

    def around(name: str, row: int) -> np.ndarray:
        mean = _take(getattr(inputs, name), series, dtype)[:, None]
        spread = _take(getattr(inputs.spreads, name), groups, dtype)[:, None]
        return mean + spread * z[row].astype(dtype, copy=False)

    # Rates stay rates; growth and productivity may be negative but not beyond -100%.
    relative = _take(inputs.spreads.international, groups, dtype)[:, None]
    international = _take(inputs.international, series, dtype)[:, None] * np.maximum(
        1 + relative * z[INTERNATIONAL].astype(dtype, copy=False), 0
    )
    return SampledAssumptions(
        leaver_rate=np.clip(around("leaver_rate", LEAVER), 0, 1),
        demand_growth=np.clip(around("demand_growth", GROWTH), -1, 1),
        productivity=np.clip(around("productivity", PRODUCTIVITY), -1, 1),
        attrition=np.clip(around("attrition", ATTRITION), 0, 1),
        international=international,
    )


def simulate(
    inputs: EngineInputs, series: np.ndarray, sampled: SampledAssumptions
) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
    """Yield (t, supply, demand) for t = 0..H, each (series, M) in the dtype of `sampled`.

    The arrays are updated in place from one year to the next: copy what must be kept."""
    dtype = sampled.leaver_rate.dtype

    def column(name: str) -> np.ndarray:
        return _take(getattr(inputs, name), series, dtype)[:, None]

    keep = 1 - sampled.leaver_rate
    inflow = column("recruitment") + column("return_to_practice") + sampled.international
    retained = np.broadcast_to(column("retention"), keep.shape).copy()
    if inputs.draws > 1:
        # A drawn attrition scales the newly qualified: N_d = N * (1 - a_d) / (1 - a).
        planned = 1 - column("attrition")
        scale = np.divide(1 - sampled.attrition, planned, where=planned > 0, out=np.ones_like(keep))
        retained *= scale
    growth = 1 + sampled.demand_growth - sampled.productivity
    if inputs.draws > 1:
        np.maximum(growth, 0, out=growth)  # a drawn demand never turns negative
    newly_qualified = _take(inputs.newly_qualified, series, dtype).T.copy()
    step_changes = _take(inputs.step_changes, series, dtype).T.copy()
    supply = np.repeat(column("supply0"), keep.shape[1], axis=1)
    demand = np.repeat(column("demand0"), keep.shape[1], axis=1)
    scratch = np.empty_like(supply)
    yield 0, supply, demand
    for t in range(1, inputs.horizon + 1):
        supply *= keep
        supply += inflow
        np.multiply(retained, newly_qualified[t][:, None], out=scratch)
        supply += scratch
        demand *= growth
        demand += step_changes[t][:, None]
        yield t, supply, demand


def default_chunk_series(draws: int) -> int:
    """How many series a chunk holds at most (whole organisations; at least one)."""
    return max(1, CHUNK_ELEMENTS // max(1, draws))


def percentiles(values: np.ndarray) -> np.ndarray:
    """P10, P50, P90 over the last axis, as numpy's default (linear) method; sorts in place."""
    m = values.shape[-1]
    if m == 1:
        return np.repeat(values.astype(np.float64), 3, axis=-1)
    values.sort(axis=-1)  # one vectorised sort beats numpy's partition several times over
    position = QUANTILES * (m - 1)
    low = np.floor(position).astype(np.intp)
    high = np.minimum(low + 1, m - 1)
    fraction = position - low
    a = values[..., low].astype(np.float64)
    b = values[..., high].astype(np.float64)
    # Interpolate from the nearer end, as numpy does.
    return np.where(fraction < 0.5, a + (b - a) * fraction, b - (b - a) * (1 - fraction))


@dataclass(frozen=True)
class _Plan:
    """What every chunk shares."""

    inputs: EngineInputs
    dtype: type[np.floating]
    parents: list[np.ndarray]  # the leaves of each output group that is not a single leaf
    source: np.ndarray  # (K,) output group k's row among the G leaves then the P parents
    organisations: np.ndarray  # (n,) organisation of each series
    groups: np.ndarray  # (n,) leaf group of each series
    common: np.ndarray | None  # common_factors(inputs), or None with one draw


@dataclass(frozen=True)
class _Chunk:
    organisations: np.ndarray  # (o,) the chunk's organisations, ascending
    percentiles: np.ndarray  # (o, H+1, supply/demand/gap, K, P)
    # The per-draw sums of the leaves the organisations have, for the ICS sums: row j is
    # leaf groups[j] of organisation owner[j] (the chunk's index), (H+1, supply/demand, M).
    # Only these: a practice has 1 leaf of some 30, and the zeros would be most of a chunk.
    leaves: np.ndarray  # (J, H+1, 2, M)
    owner: np.ndarray  # (J,) ascending
    groups: np.ndarray  # (J,)
    n_series: int

    def of(self, o: int) -> tuple[np.ndarray, np.ndarray]:
        """Organisation o's leaf groups and their (H+1, 2, k, M) per-draw sums."""
        start, stop = np.searchsorted(self.owner, [o, o + 1])
        return self.groups[start:stop], self.leaves[start:stop].transpose(1, 2, 0, 3)


def project(
    inputs: EngineInputs,
    progress: Callable[[int], None] | None = None,
    *,
    chunk_series: int | None = None,
    workers: int | None = None,
) -> EngineResult:
    """Run the projection. `chunk_series` caps the series per chunk (whole organisations) and
    `workers` the threads (default: the cores, up to 4); neither changes the numbers."""
    validate_inputs(inputs)
    report = progress or (lambda _: None)
    report(0)
    draws, horizon, n_groups = int(inputs.draws), int(inputs.horizon), int(inputs.n_groups)
    rollup = np.asarray(inputs.group_rollup, np.float64)
    # Output groups that are one leaf are that leaf's rows; only the others need adding up.
    single = rollup.sum(axis=1) == 1
    source = np.where(single, rollup.argmax(axis=1), n_groups + np.cumsum(~single) - 1)
    dtype = np.float64 if draws == 1 else np.float32  # float64 keeps M = 1 exact
    organisations = np.asarray(inputs.series_organisation, np.intp)
    groups = np.asarray(inputs.series_group, np.intp)
    common = common_factors(inputs) if draws > 1 else None
    parents = [np.flatnonzero(row) for row in rollup[~single]]
    plan = _Plan(inputs, dtype, parents, source, organisations, groups, common)
    ics_of = np.zeros(inputs.n_organisations, np.intp)
    ics_of[organisations] = inputs.series_ics
    sector_of = (
        np.zeros(inputs.n_organisations, np.intp)
        if inputs.organisation_sector is None
        else np.asarray(inputs.organisation_sector, np.intp)
    )
    # (ICS, sector, organisation) order: each ICS x sector block is contiguous, so its sum is
    # complete when the next block starts, and an ICS's sum is the sum of its sectors' sums.
    order = np.lexsort((groups, organisations, sector_of[organisations], ics_of[organisations]))
    bounds = chunk_bounds(organisations[order], chunk_series or default_chunk_series(draws))
    # Each organisation's place in that order: a chunk's organisations come sorted by index.
    sorted_organisations = organisations[order]
    first = np.ones(len(order), bool)
    first[1:] = sorted_organisations[1:] != sorted_organisations[:-1]
    rank = np.zeros(inputs.n_organisations, np.intp)
    rank[sorted_organisations[first]] = np.arange(int(first.sum()))

    by_organisation = np.zeros((inputs.n_organisations, horizon + 1, 3, len(rollup), 3))
    systems = _Systems(inputs, rollup, dtype)
    done = 0
    for chunk in _chunks(plan, order, bounds, workers or min(4, os.cpu_count() or 1)):
        by_organisation[chunk.organisations] = chunk.percentiles
        # One organisation at a time, in the run's order: float addition does not associate,
        # and this keeps the sums the same for any chunking.
        for o in np.argsort(rank[chunk.organisations]):
            organisation = chunk.organisations[o]
            groups, leaves = chunk.of(o)
            systems.add(int(ics_of[organisation]), int(sector_of[organisation]), leaves, groups)
        done += chunk.n_series
        report(min(99, 100 * done // len(order)))
    result = systems.result(by_organisation)
    report(100)
    return result


def _chunks(
    plan: _Plan, order: np.ndarray, bounds: list[tuple[int, int]], workers: int
) -> Iterator[_Chunk]:
    """The chunks' results, in order. Numpy releases the GIL in its loops and sorts, so
    threads overlap chunks; taking the results in order keeps the numbers the same."""
    if workers <= 1:
        yield from (_run_chunk(plan, order[start:stop]) for start, stop in bounds)
        return
    with ThreadPoolExecutor(workers) as pool:
        pending: deque[Future[_Chunk]] = deque()
        for start, stop in bounds:
            pending.append(pool.submit(_run_chunk, plan, order[start:stop]))
            if len(pending) > workers:  # bounded, so memory stays a few chunks' worth
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def _run_chunk(plan: _Plan, series: np.ndarray) -> _Chunk:
    inputs, dtype = plan.inputs, plan.dtype
    n_groups, n_parents, draws = int(inputs.n_groups), len(plan.parents), int(inputs.draws)
    chunk_organisations, local = np.unique(plan.organisations[series], return_inverse=True)
    n_local = len(chunk_organisations)
    # Group-major order within the chunk: when every organisation has every group, the
    # series rows are the leaf rows and are copied as one block.
    slots = plan.groups[series] * n_local + local
    ordering = np.argsort(slots, kind="stable")
    series, slots = series[ordering], slots[ordering]
    one_per_slot = bool((np.diff(slots) > 0).all())
    complete = one_per_slot and len(slots) == n_groups * n_local
    filled = np.zeros(n_groups * n_local, bool)
    filled[slots] = True
    filled = filled.reshape(n_groups, n_local)
    any_leaf = [filled[leaves].any(axis=0) for leaves in plan.parents]
    present = np.concatenate([filled, np.reshape(any_leaf, (n_parents, n_local))])
    factors = standard_factors(inputs, series, plan.common) if draws > 1 else None
    sampled = sample_assumptions(inputs, series, factors, dtype)
    out = np.zeros((n_local, inputs.horizon + 1, 3, len(plan.source), 3))
    # Organisation-major pairs (organisation, leaf) that have series.
    owner, leaf = np.nonzero(filled.T)
    leaves = np.empty((len(owner), inputs.horizon + 1, 2, draws), dtype)
    # Absent leaves stay zero from one year to the next, so the buffers are cleared once.
    buffers = {m: np.zeros((3, n_groups + n_parents, n_local, m), dtype) for m in {1, draws}}
    for t, supply, demand in simulate(inputs, series, sampled):
        m = 1 if t == 0 else draws  # year 0 is the same in every draw
        rows = buffers[m]
        for q, values in enumerate((supply[:, :m], demand[:, :m])):
            flat = rows[q, :n_groups].reshape(n_groups * n_local, m)
            if complete:
                flat[...] = values
            elif one_per_slot:
                flat[slots] = values
            else:
                flat[slots] = 0
                np.add.at(flat, slots, values)
            for p, members in enumerate(plan.parents):
                # Added leaf by leaf, in order, rather than by a matrix product whose kernel,
                # and so whose rounding, could change with the chunk's size.
                total = rows[q, n_groups + p]
                total[...] = 0
                for g in members:
                    total += rows[q, g]
            leaves[:, t, q] = rows[q, leaf, owner]
        np.subtract(rows[1], rows[0], out=rows[2])
        if present.all():
            block = percentiles(rows)
        else:  # sort only the rows an organisation has; the others are zero
            block = np.zeros((3, *present.shape, 3))
            block[:, present] = percentiles(rows[:, present])
        out[:, t] = block[:, plan.source].transpose(2, 0, 1, 3)
    return _Chunk(chunk_organisations, out, leaves, owner, leaf, len(series))


def chunk_bounds(sorted_organisations: np.ndarray, limit: int) -> list[tuple[int, int]]:
    """Contiguous ranges of whole organisations, each up to `limit` series where possible."""
    n = len(sorted_organisations)
    ends = np.flatnonzero(sorted_organisations[1:] != sorted_organisations[:-1]) + 1
    bounds, start, previous = [], 0, 0
    for end in [*ends.tolist(), n]:
        if end - start > limit and previous > start:
            bounds.append((start, previous))
            start = previous
        previous = end
    return [*bounds, (start, n)] if n else []


class _Systems:
    """The ICS and national figures, from the organisations' per-draw leaf sums.

    Organisations arrive in (ICS, sector) order, so the sum of one sector of one ICS is
    complete when an organisation of another block arrives. An ICS's sum is the sum of its
    sectors' sums, the nation's the sum of the ICSs', and a sector's nationally the sum of its
    blocks; percentiles are taken of each sum, never summed. Only the current ICS's blocks
    and the national sums are held, never every ICS's draws at once.
    """

    def __init__(self, inputs: EngineInputs, rollup: np.ndarray, dtype: type[np.floating]):
        self.inputs, self.rollup, self.dtype = inputs, rollup, dtype
        self.horizon, self.draws = int(inputs.horizon), int(inputs.draws)
        self.shape = (self.horizon + 1, 2, int(inputs.n_groups), self.draws)
        self.targets = np.asarray(inputs.targets, np.float64)
        self.probability = np.full(self.targets.shape, np.nan)
        self.ics = np.zeros((inputs.n_ics, self.horizon + 1, 3, len(rollup), 3))
        self.ics_done = np.zeros(inputs.n_ics, bool)
        self.sector_rows: list[tuple[int, int, np.ndarray]] = []  # (ICS, sector, figures)
        self.national = np.zeros(self.shape)
        # With one sector, the nation's sector is the nation: nothing more to add up.
        many = int(inputs.n_sectors) > 1
        self.national_sectors = np.zeros((int(inputs.n_sectors), *self.shape)) if many else None
        self.block: tuple[int, int] | None = None
        self.block_sum = np.zeros(self.shape, dtype)
        self.ics_blocks: list[tuple[int, np.ndarray]] = []  # the current ICS's (sector, sum)

    def add(self, ics: int, sector: int, leaves: np.ndarray, groups: np.ndarray) -> None:
        """Add one organisation's (H+1, 2, k, M) sums of its k leaf `groups`, in the run's
        order. The leaves it has no series in are zeros, and adding a zero changes no sum."""
        if self.block != (ics, sector):
            self._close_block()
            if self.block is not None and self.block[0] != ics:
                self._close_ics()
            self.block = (ics, sector)
        if len(groups) == self.block_sum.shape[2]:
            self.block_sum += leaves
        else:
            self.block_sum[:, :, groups] += leaves

    def _close_block(self) -> None:
        if self.block is not None:
            self.ics_blocks.append((self.block[1], self.block_sum))
            self.block_sum = np.zeros(self.shape, self.dtype)

    def _close_ics(self) -> None:
        ics = self.block[0]
        blocks, self.ics_blocks = self.ics_blocks, []
        total = blocks[0][1]
        for _sector, sums in blocks[1:]:
            total = total + sums
        self.ics[ics] = self._figures(total, self.targets[ics], self.probability[ics])
        self.ics_done[ics] = True
        self.national += total
        for sector, sums in blocks:
            # An ICS of one sector is that sector: its figures are the ICS's, not sorted again.
            figures = self.ics[ics] if len(blocks) == 1 else self._figures(sums)
            self.sector_rows.append((ics, sector, figures))
            if self.national_sectors is not None:
                self.national_sectors[sector] += sums

    def _figures(
        self,
        sums: np.ndarray,
        targets: np.ndarray | None = None,
        probability: np.ndarray | None = None,
    ) -> np.ndarray:
        """(H+1, supply/demand/gap, K, P) percentiles of one entity's (H+1, 2, G, M) leaf sums,
        rolled up to the output groups per draw; with `targets` (K, H+1), the share of draws
        meeting each is written into `probability` (K, H+1)."""
        out = np.zeros((self.horizon + 1, 3, len(self.rollup), 3))
        for t in range(self.horizon + 1):
            m = 1 if t == 0 else self.draws  # year 0 is the same in every draw
            values = np.empty((3, len(self.rollup), m))
            np.matmul(self.rollup, sums[t, :, :, :m].astype(np.float64), out=values[:2])
            np.subtract(values[1], values[0], out=values[2])
            if targets is not None:
                target = targets[:, t]
                has_target = ~np.isnan(target)
                meets = (values[0] >= np.where(has_target, target, 0)[:, None]).mean(axis=-1)
                probability[:, t] = np.where(has_target, meets, np.nan)
            # A group with no staff in this entity (a sector's block has only its own groups)
            # is zero in every draw: only the others are sorted. Sorts values in place, so the
            # probability comes first.
            staffed = values.any(axis=(0, 2))
            if staffed.all():
                out[t] = percentiles(values)
            else:
                out[t][:, staffed] = percentiles(values[:, staffed])
        return out

    def result(self, by_organisation: np.ndarray) -> EngineResult:
        self._close_block()
        if self.ics_blocks:
            self._close_ics()
        empty = np.zeros(self.shape, self.dtype)
        for ics in np.flatnonzero(~self.ics_done):  # an ICS with no series: zeros, targets unmet
            self.ics[ics] = self._figures(empty, self.targets[ics], self.probability[ics])
        national = self._figures(self.national)
        present = sorted({sector for _ics, sector, _figures in self.sector_rows})
        national_rows = [
            (
                0,
                sector,
                national if len(present) == 1 else self._figures(self.national_sectors[sector]),
            )
            for sector in present
        ]
        return EngineResult(
            organisation=_level(by_organisation),
            ics=_level(self.ics),
            national=_level(national[None]),
            probability_meets_target=self.probability,
            ics_sectors=_sectors(self.sector_rows, self.ics.shape[1:]),
            national_sectors=_sectors(national_rows, self.ics.shape[1:]),
        )


def _level(blocks: np.ndarray) -> LevelResult:
    # (entity, t, quantity, k, P) -> (entity, k, t, P) for each quantity
    parts = [np.ascontiguousarray(blocks[:, :, q].transpose(0, 2, 1, 3)) for q in range(3)]
    return LevelResult(supply=parts[0], demand=parts[1], gap=parts[2])


def _sectors(rows: list[tuple[int, int, np.ndarray]], shape: tuple[int, ...]) -> SectorResult:
    blocks = np.stack([figures for _e, _s, figures in rows]) if rows else np.zeros((0, *shape))
    return SectorResult(
        entity=np.array([e for e, _s, _f in rows], np.intp),
        sector=np.array([s for _e, s, _f in rows], np.intp),
        figures=_level(blocks),
    )
