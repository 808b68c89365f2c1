"""The engine's sums above the organisation: each planning sector of each ICS, each ICS, the
nation and its sectors, per draw, and their percentiles. Pure numpy, no Django."""

from __future__ import annotations

import numpy as np

from .arrays import (
    AGENCY,
    BANK,
    DEMAND,
    GAP,
    LIMITED,
    PAY,
    SUPPLY,
    TOTAL,
    EngineInputs,
    EngineResult,
    LevelResult,
    SectorResult,
)

QUANTILES = np.array([0.10, 0.50, 0.90])
# How the ranks are found, by the row's length M (measured: docs/decisions.md). Up to 256 values
# numpy sorts in registers, so a row is sorted whole; longer rows are sorted in two halves and
# the ranks found in the two sorted runs (two half-rows of 500 float32 sort about four times as
# fast as one row of 1,000); float64 rows longer than PARTITION_FROM_FLOAT64 are partitioned
# once on all the ranks, which is then the faster.
WHOLE_SORT = 256
PARTITION_FROM_FLOAT64 = 2500


def percentiles(values: np.ndarray) -> np.ndarray:
    """P10, P50, P90 over the last axis, as numpy's default (linear) method; reorders values in
    place."""
    return interpolate(*order_statistics(values), values.shape[-1])


def order_statistics(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The values either side of P10, P50 and P90 over the last axis of M values (ranks
    floor(q(M-1)) and the next), float64, each shaped (..., 3); reorders values in place."""
    m = values.shape[-1]
    if m == 1:
        one = np.repeat(values.astype(np.float64), 3, axis=-1)
        return one, one
    low, high, _fraction = _positions(m)
    if m <= WHOLE_SORT or (values.itemsize == 8 and m > PARTITION_FROM_FLOAT64):
        if m <= WHOLE_SORT:
            values.sort(axis=-1)
        else:
            values.partition(np.union1d(low, high), axis=-1)
        return values[..., low].astype(np.float64), values[..., high].astype(np.float64)
    return _ranks_of_halves(values, low)


def interpolate(a: np.ndarray, b: np.ndarray, m: int) -> np.ndarray:
    """P10, P50, P90 of M values from their `order_statistics`."""
    if m == 1:
        return a
    fraction = _positions(m)[2]
    # Interpolate from the nearer end, as numpy does.
    return np.where(fraction < 0.5, a + (b - a) * fraction, b - (b - a) * (1 - fraction))


def _positions(m: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    position = QUANTILES * (m - 1)
    low = np.floor(position).astype(np.intp)
    return low, np.minimum(low + 1, m - 1), position - low


def _ranks_of_halves(values: np.ndarray, ranks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The values of rank r and r + 1 (0-based, r + 1 < M) over the last axis for each r of
    `ranks`, in float64, shaped (..., len(ranks)): each half of every row is sorted, then the
    split of the r + 1 smallest between the halves is found by bisection."""
    shape, m = values.shape[:-1], values.shape[-1]
    rows = values.reshape(-1, m)
    h = (m + 1) // 2
    rows[:, :h].sort(axis=-1)
    rows[:, h:].sort(axis=-1)
    flat = rows.reshape(-1)
    first = np.arange(len(rows)) * m  # row r's A is flat[first[r]:][:h], its B what follows
    below, above = np.empty((2, len(rows), len(ranks)))
    for j, rank in enumerate(ranks.tolist()):
        c = rank + 1  # the split takes i from A and c - i from B, i in [start, stop]
        start, stop = max(0, c - (m - h)), min(c, h)
        # The first i in [start, stop) with A[i] >= B[c - i - 1], else stop, by branch-free
        # bisection, every row taking the same steps. A[i] is flat[at] and B[c - i - 1]
        # flat[mirror - at], with at = first + i.
        at = first + start
        mirror = 2 * first + h + c - 1
        n = stop - start
        if n > 0:
            while n > 1:
                half = n // 2
                probe = at + half
                at += half * (flat[probe] < flat[mirror - probe])
                n -= half
            at += flat[at] < flat[mirror - at]
        i = at - first
        from_b = c - i
        # Rank c - 1 is the larger of the last taken from each half, rank c the smaller of the
        # next in each; an empty side takes no part.
        a_last = np.where(i > 0, flat[np.maximum(at - 1, first)], -np.inf)
        b_last = np.where(from_b > 0, flat[first + h + np.maximum(from_b - 1, 0)], -np.inf)
        a_next = np.where(i < h, flat[np.minimum(at, first + h - 1)], np.inf)
        b_next = np.where(from_b < m - h, flat[first + h + np.minimum(from_b, m - h - 1)], np.inf)
        below[:, j] = np.maximum(a_last, b_last)
        above[:, j] = np.minimum(a_next, b_next)
    out_shape = (*shape, len(ranks))
    return below.reshape(out_shape), above.reshape(out_shape)


class Systems:
    """The ICS and national figures, from the organisations' per-draw leaf sums.

    Organisations arrive in (ICS, sector) order, so the sum of one sector of one ICS is
    complete when an organisation of another block arrives. An ICS's sum is the sum of its
    sectors' sums, the nation's the sum of the ICSs', and a sector's nationally the sum of its
    blocks; percentiles are taken of each sum, never summed. Only the current ICS's blocks,
    the national sums and the parts of the organisations shared across systems are held,
    never every ICS's draws at once. The shared organisations arrive first: each adds its
    weighted part to the blocks it has a share of, which start from those parts.
    """

    def __init__(self, inputs: EngineInputs, rollup: np.ndarray, dtype: type[np.floating]):
        self.inputs, self.rollup, self.dtype = inputs, rollup, dtype
        self.horizon, self.draws = int(inputs.horizon), int(inputs.draws)
        self.quantities, self.summed = inputs.quantities, len(inputs.summed)
        self.shape = (self.horizon + 1, self.summed, int(inputs.n_groups), self.draws)
        self.targets = np.asarray(inputs.targets, np.float64)
        self.probability = np.full(self.targets.shape, np.nan)
        self.limits = None if inputs.money is None else np.asarray(inputs.money.limits, float)
        self.within = None if self.limits is None else np.full(self.limits.shape, np.nan)
        self.ics = np.zeros((inputs.n_ics, self.horizon + 1, self.quantities, len(rollup), 3))
        self.ics_done = np.zeros(inputs.n_ics, bool)
        self.sector_rows: list[tuple[int, int, np.ndarray]] = []  # (ICS, sector, figures)
        self.national = np.zeros(self.shape)
        # With one sector, the nation's sector is the nation: nothing more to add up.
        many = int(inputs.n_sectors) > 1
        self.national_sectors = np.zeros((int(inputs.n_sectors), *self.shape)) if many else None
        self.block: tuple[int, int] | None = None
        self.block_sum = np.zeros(self.shape, dtype)
        self.ics_blocks: list[tuple[int, np.ndarray]] = []  # the current ICS's (sector, sum)
        self.parts: dict[tuple[int, int], np.ndarray] = {}  # (ICS, sector) -> shared parts

    def add_shared(
        self, parts: list[tuple[int, float]], sector: int, leaves: np.ndarray, groups: np.ndarray
    ) -> None:
        """Add one shared organisation's sums, `weight` of them to each (ICS, weight) of
        `parts`; before any organisation that is not shared."""
        if self.block is not None:
            raise ValueError("shared organisations come before the others")
        for ics, weight in parts:
            part = self.parts.get((ics, sector))
            if part is None:
                part = self.parts[ics, sector] = np.zeros(self.shape, self.dtype)
            part[:, :, groups] += leaves * self.dtype(weight)

    def add(self, ics: int, sector: int, leaves: np.ndarray, groups: np.ndarray) -> None:
        """Add one organisation's (H+1, 2, k, M) sums of its k leaf `groups`, in the run's
        order. The leaves it has no series in are zeros, and adding a zero changes no sum."""
        if self.block != (ics, sector):
            self._close_block()
            if self.block is None or self.block[0] != ics:
                if self.block is not None:
                    self._close_ics()
                self._close_parts_before(ics)
            self.block = (ics, sector)
            if (ics, sector) in self.parts:
                self.block_sum = self.parts.pop((ics, sector))
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
        self._close_system(ics, blocks)

    def _close_parts_before(self, ics: float) -> None:
        """Close the ICSs before `ics` that only shared organisations have a part in."""
        for system in sorted({i for i, _sector in self.parts if i < ics}):
            self._close_system(system, [])

    def _close_system(self, ics: int, blocks: list[tuple[int, np.ndarray]]) -> None:
        # Sectors of this ICS that only shared organisations have a part in.
        for key in sorted(key for key in self.parts if key[0] == ics):
            blocks.append((key[1], self.parts.pop(key)))
        blocks.sort(key=lambda block: block[0])
        total = blocks[0][1]
        for _sector, sums in blocks[1:]:
            total = total + sums
        self.ics[ics] = self._figures(total, ics)
        self.ics_done[ics] = True
        self.national += total
        for sector, sums in blocks:
            # An ICS of one sector is that sector: its figures are the ICS's, not sorted again.
            figures = self.ics[ics] if len(blocks) == 1 else self._figures(sums)
            self.sector_rows.append((ics, sector, figures))
            if self.national_sectors is not None:
                self.national_sectors[sector] += sums

    def _figures(self, sums: np.ndarray, ics: int | None = None) -> np.ndarray:
        """(H+1, quantity, K, P) percentiles of one entity's (H+1, summed, G, M) leaf sums,
        rolled up to the output groups per draw; for an ICS, the share of draws meeting each
        of its targets is written into `probability` (and within each money limit into
        `within`)."""
        out = np.zeros((self.horizon + 1, self.quantities, len(self.rollup), 3))
        for t in range(self.horizon + 1):
            m = 1 if t == 0 else self.draws  # year 0 is the same in every draw
            values = np.empty((self.quantities, len(self.rollup), m))
            # einsum's own loop, not a BLAS product: BLAS threads would contend with the
            # engine's (measured: a national run took 2.8 times as long on two cores).
            np.einsum("kg,qgm->qkm", self.rollup, sums[t, :2, :, :m], out=values[:GAP])
            np.subtract(values[DEMAND], values[SUPPLY], out=values[GAP])
            if self.quantities > GAP + 1:
                np.einsum("kg,qgm->qkm", self.rollup, sums[t, 2:, :, :m], out=values[PAY:TOTAL])
                np.add(values[PAY], values[BANK], out=values[TOTAL])
                values[TOTAL] += values[AGENCY]
            if ics is not None:
                self._probabilities(ics, t, values)
            # A group with no staff in this entity (a sector's block has only its own groups)
            # is zero in every draw: only the others are sorted. Reorders values in place, so
            # the probabilities come first.
            staffed = values.any(axis=(0, 2))
            if staffed.all():
                out[t] = percentiles(values)
            else:
                out[t][:, staffed] = percentiles(values[:, staffed])
        return out

    def _probabilities(self, ics: int, t: int, values: np.ndarray) -> None:
        """The shares of year t's draws meeting ICS `ics`'s FTE targets and within its money
        limits; NaN where it has none."""
        pairs = [(self.targets[ics], self.probability[ics], SUPPLY, np.greater_equal)]
        if self.limits is not None:
            pairs += [
                (self.limits[ics, i], self.within[ics, i], row, np.less_equal)
                for i, row in enumerate(LIMITED)
            ]
        for bounds, shares, row, holds in pairs:
            bound = bounds[:, t]
            given = ~np.isnan(bound)
            share = holds(values[row], np.where(given, bound, 0)[:, None]).mean(axis=-1)
            shares[:, t] = np.where(given, share, np.nan)

    def result(self, by_organisation: np.ndarray) -> EngineResult:
        self._close_block()
        if self.ics_blocks:
            self._close_ics()
        self._close_parts_before(np.inf)
        empty = np.zeros(self.shape, self.dtype)
        for ics in np.flatnonzero(~self.ics_done):  # an ICS with no series: zeros, targets unmet
            self.ics[ics] = self._figures(empty, ics)
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
            probability_within_limits=self.within,
            ics_sectors=_sectors(self.sector_rows, self.ics.shape[1:]),
            national_sectors=_sectors(national_rows, self.ics.shape[1:]),
        )


def _level(blocks: np.ndarray) -> LevelResult:
    """(entity, t, quantity, k, P) -> (entity, k, t, P) for each quantity, as views of
    `blocks`, not copies: a system's own run has a row for every organisation of the nation,
    and the rows of those it does not hold are zeros never written, so never made resident
    (measured: docs/decisions.md, "A national chunk's memory")."""
    return LevelResult(*(blocks[:, :, q].transpose(0, 2, 1, 3) for q in range(blocks.shape[2])))


def _sectors(rows: list[tuple[int, int, np.ndarray]], shape: tuple[int, ...]) -> SectorResult:
    blocks = np.stack([figures for _e, _s, figures in rows]) if rows else np.zeros((0, *shape))
    return SectorResult(
        entity=np.array([e for e, _s, _f in rows], np.intp),
        sector=np.array([s for _e, s, _f in rows], np.intp),
        figures=_level(blocks),
    )
