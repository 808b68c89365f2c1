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
    AGENCY,
    BANK,
    DEMAND,
    GAP,
    MAX_HORIZON,
    PAY,
    SUPPLY,
    TOTAL,
    EngineInputs,
    EngineResult,
    LevelResult,
    SampledAssumptions,
    SectorResult,
    Spreads,
    validate_inputs,
)
from .draws import common_factors, sample_assumptions, simulate, standard_factors
from .organisation_figures import year_figures
from .rollups import distinct_rows, parent_sums
from .spend import Rates, rates, spend_of
from .systems import Systems

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

# Series x draws per chunk: each float64 working array is then about 1 MB, so a chunk's
# working set stays near a core's cache and the whole draw matrix never exists at once.
CHUNK_ELEMENTS = 1 << 17


def default_chunk_series(draws: int) -> int:
    """How many series a chunk holds at most (whole organisations; at least one)."""
    return max(1, CHUNK_ELEMENTS // max(1, draws))


@dataclass(frozen=True)
class _Plan:
    """What every chunk shares."""

    inputs: EngineInputs
    ranked: type[np.floating]  # the float type in which the organisations' draws are ranked
    parents: list[np.ndarray]  # the leaves of each output group that is not a single leaf
    source: np.ndarray  # (K,) output group k's row among the G leaves then the P parents
    organisations: np.ndarray  # (n,) organisation of each series
    groups: np.ndarray  # (n,) leaf group of each series
    common: np.ndarray | None  # common_factors(inputs), or None with one draw


@dataclass(frozen=True)
class _Chunk:
    organisations: np.ndarray  # (o,) the chunk's organisations, ascending
    percentiles: np.ndarray  # (o, H+1, quantity, K, P): supply, demand, gap (and the spend)
    # The per-draw sums of the leaves the organisations have, for the ICS sums: column j is
    # leaf groups[j] of organisation owner[j] (the chunk's index), (H+1, summed, J, M), the
    # rows summed being EngineInputs.summed.
    # Only these: a practice has 1 leaf of some 30, and the zeros would be most of a chunk.
    leaves: np.ndarray  # (H+1, summed, J, M)
    owner: np.ndarray  # (J,) ascending
    groups: np.ndarray  # (J,)
    n_series: int

    def of(self, o: int) -> tuple[np.ndarray, np.ndarray]:
        """Organisation o's leaf groups and their (H+1, summed, k, M) per-draw sums."""
        start, stop = np.searchsorted(self.owner, [o, o + 1])
        return self.groups[start:stop], self.leaves[:, :, start:stop]


def project(
    inputs: EngineInputs,
    progress: Callable[[int], None] | None = None,
    *,
    chunk_series: int | None = None,
    workers: int | None = None,
    ranked: type[np.floating] | None = None,
) -> EngineResult:
    """Run the projection. `chunk_series` caps the series per chunk (whole organisations) and
    `workers` the threads (default: the cores, up to 4); neither changes the numbers. The draws
    and every sum are float64; `ranked` is the float type of the copies of an organisation's
    draws whose percentiles are taken: by default float32 with more than one draw, which
    changes no stored figure (docs/model.md, "Uncertainty"), and float64 with one."""
    return _project(inputs, progress, chunk_series, workers, ranked)[0]


def project_with_sums(
    inputs: EngineInputs,
    progress: Callable[[int], None] | None = None,
    *,
    workers: int | None = None,
) -> tuple[EngineResult, np.ndarray, np.ndarray | None]:
    """`project`, with the nation's per-draw sums that its national percentiles were taken
    of, (H+1, summed, G, M), and its sectors', (sectors, H+1, summed, G, M) or None with one
    sector."""
    result, systems = _project(inputs, progress, workers=workers)
    return result, systems.national, systems.national_sectors


def _project(
    inputs: EngineInputs,
    progress: Callable[[int], None] | None = None,
    chunk_series: int | None = None,
    workers: int | None = None,
    ranked: type[np.floating] | None = None,
) -> tuple[EngineResult, Systems]:
    validate_inputs(inputs)
    report = progress or (lambda _: None)
    report(0)
    draws, horizon, n_groups = int(inputs.draws), int(inputs.horizon), int(inputs.n_groups)
    rollup = np.asarray(inputs.group_rollup, np.float64)
    # Output groups that are one leaf are that leaf's rows; only the others need adding up.
    single = rollup.sum(axis=1) == 1
    source = np.where(single, rollup.argmax(axis=1), n_groups + np.cumsum(~single) - 1)
    if ranked is None:
        ranked = np.float64 if draws == 1 else np.float32
    organisations = np.asarray(inputs.series_organisation, np.intp)
    groups = np.asarray(inputs.series_group, np.intp)
    common = common_factors(inputs) if draws > 1 else None
    parents = [np.flatnonzero(row) for row in rollup[~single]]
    plan = _Plan(inputs, ranked, parents, source, organisations, groups, common)
    ics_of = np.zeros(inputs.n_organisations, np.intp)
    ics_of[organisations] = inputs.series_ics
    sector_of = (
        np.zeros(inputs.n_organisations, np.intp)
        if inputs.organisation_sector is None
        else np.asarray(inputs.organisation_sector, np.intp)
    )
    parts = shared_parts(inputs)
    shared = np.zeros(inputs.n_organisations, bool)
    shared[list(parts)] = True
    # The shared organisations first, then (ICS, sector, organisation) order: each ICS x
    # sector block is contiguous, so its sum is complete when the next block starts, and an
    # ICS's sum is the sum of its sectors' sums.
    order = np.lexsort(
        (
            groups,
            organisations,
            sector_of[organisations],
            ics_of[organisations],
            ~shared[organisations],
        )
    )
    bounds = chunk_bounds(organisations[order], chunk_series or default_chunk_series(draws))
    # Each organisation's place in that order: a chunk's organisations come sorted by index.
    sorted_organisations = organisations[order]
    first = np.ones(len(order), bool)
    first[1:] = sorted_organisations[1:] != sorted_organisations[:-1]
    rank = np.zeros(inputs.n_organisations, np.intp)
    rank[sorted_organisations[first]] = np.arange(int(first.sum()))

    by_organisation = np.zeros(
        (inputs.n_organisations, horizon + 1, inputs.quantities, len(rollup), 3)
    )
    systems = Systems(inputs, rollup, np.float64)
    done = 0
    for chunk in _chunks(plan, order, bounds, workers or min(4, os.cpu_count() or 1)):
        by_organisation[chunk.organisations] = chunk.percentiles
        # One organisation at a time, in the run's order: float addition does not associate,
        # and this keeps the sums the same for any chunking.
        for o in np.argsort(rank[chunk.organisations]):
            organisation = chunk.organisations[o]
            groups, leaves = chunk.of(o)
            sector = int(sector_of[organisation])
            if shared[organisation]:
                systems.add_shared(parts[organisation], sector, leaves, groups)
            else:
                systems.add(int(ics_of[organisation]), sector, leaves, groups)
        done += chunk.n_series
        report(min(99, 100 * done // len(order)))
    result = systems.result(by_organisation)
    report(100)
    return result, systems


def shared_parts(inputs: EngineInputs) -> dict[int, list[tuple[int, float]]]:
    """organisation index -> [(ICS index, weight), ...] of the organisations shared across
    systems, in ICS order."""
    parts: dict[int, list[tuple[int, float]]] = {}
    for organisation, ics, weight in sorted(
        zip(
            np.asarray(inputs.share_organisation).tolist(),
            np.asarray(inputs.share_ics).tolist(),
            np.asarray(inputs.share_weight, np.float64).tolist(),
            strict=True,
        )
    ):
        parts.setdefault(int(organisation), []).append((int(ics), float(weight)))
    return parts


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
    inputs = plan.inputs
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
    present = np.concatenate([filled, np.reshape(np.array(any_leaf, bool), (n_parents, n_local))])
    computed, copies = distinct_rows(plan.parents, filled, present)
    sums = parent_sums(plan.parents, filled, computed[n_groups:])
    factors = standard_factors(inputs, series, plan.common) if draws > 1 else None
    sampled = sample_assumptions(inputs, series, factors, np.float64)
    quantities, summed = inputs.quantities, inputs.summed
    money = None if inputs.money is None else inputs.money.of(series)
    out = np.zeros((n_local, inputs.horizon + 1, quantities, len(plan.source), 3))
    # Organisation-major pairs (organisation, leaf) that have series.
    owner, leaf = np.nonzero(filled.T)
    leaf_rows = leaf * n_local + owner  # their rows among a quantity's (G + P) x o
    leaves = np.empty((inputs.horizon + 1, len(summed), len(owner), draws))
    # Absent leaves stay zero from one year to the next, so the buffers are cleared once.
    buffers = {m: np.zeros((quantities, n_groups + n_parents, n_local, m)) for m in {1, draws}}
    # The rows parent groups add up: supply and demand, and with money every quantity (the gap
    # and the total, added needlessly, are then set from the others), at once.
    added = slice(None) if money is not None else slice(SUPPLY, GAP)
    for t, supply, demand in simulate(inputs, series, sampled):
        m = 1 if t == 0 else draws  # year 0 is the same in every draw
        rows = buffers[m]
        values_of = [supply[:, :m], demand[:, :m]]
        slot_rates = None
        if money is not None:
            year_rates = rates(money, t)
            if one_per_slot:  # each leaf row is one series: its spend is found in place below
                slot_rates = Rates(*(_by_slot(r, slots, n_groups, n_local) for r in year_rates))
            else:
                values_of += spend_of(year_rates, supply[:, :m], demand[:, :m] - supply[:, :m])
        for q, values in zip(summed, values_of, strict=False):
            flat = rows[q, :n_groups].reshape(n_groups * n_local, m)
            if complete:
                flat[...] = values
            elif one_per_slot:
                flat[slots] = values
            else:
                flat[slots] = 0
                np.add.at(flat, slots, values)
        if slot_rates is not None:
            at = rows[:, :n_groups]
            np.subtract(at[DEMAND], at[SUPPLY], out=at[GAP])
            spend_of(slot_rates, at[SUPPLY], at[GAP], out=(at[PAY], at[BANK], at[AGENCY]))
        for p, (columns, members) in enumerate(sums):
            # Added leaf by leaf, in order, rather than by a matrix product whose kernel, and
            # so whose rounding, could change with the chunk's size.
            if columns is None:
                total = rows[added, n_groups + p]
                total[...] = 0
                for g in members:
                    total += rows[added, g]
            elif len(columns):
                total = np.zeros((len(rows[added]), len(columns), m))
                for g in members:
                    total += rows[added, g, columns]
                rows[added, n_groups + p, columns] = total
        np.subtract(rows[DEMAND], rows[SUPPLY], out=rows[GAP])
        if money is not None:
            np.add(rows[PAY], rows[BANK], out=rows[TOTAL])
            rows[TOTAL] += rows[AGENCY]
        for j, q in enumerate(summed):
            if m == draws:  # take copies whole rows (unbuffered: mode="clip"), faster than pairs
                np.take(rows[q].reshape(-1, m), leaf_rows, axis=0, out=leaves[t, j], mode="clip")
            else:
                leaves[t, j] = rows[q, leaf, owner]
        # Float32 copies of a year's draws are each rounded once, by at most half a float32
        # step (at most 0.002 FTE for an organisation of up to 65,536 FTE), and their ranks are
        # found several times faster than in float64. Year 0 is one exact value.
        kind = plan.ranked if m > 1 else np.float64
        block = year_figures(rows, kind, computed, copies, slot_rates)
        out[:, t] = block[:, plan.source].transpose(2, 0, 1, 3)
    return _Chunk(chunk_organisations, out, leaves, owner, leaf, len(series))


def _by_slot(values: np.ndarray, slots: np.ndarray, n_groups: int, n_local: int) -> np.ndarray:
    """(G, o, 1) each (leaf, organisation)'s value of its one series' (n, 1) `values`; zero
    where it has none."""
    out = np.zeros((n_groups * n_local, 1))
    out[slots] = values
    return out.reshape(n_groups, n_local, 1)


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
