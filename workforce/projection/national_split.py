"""A national run split by system: pure numpy, no Django.

Each system's figures depend only on its own organisations and the parts of the shared
organisations it has, so a system projected alone (`system_inputs`) gives its organisations'
and its own figures bit for bit as the whole nation's run does: an organisation's draws come
from the seed, its staff group and its index, which the split keeps. The nation's per-draw
sums are its systems' sums added in system order, which is the order the whole run adds them
in, so `national_figures` adds each system's sums (`SystemSums`) in that order and gives the
national percentiles bit for bit as well. A chunk of a run is a range of systems.
"""

from __future__ import annotations

import dataclasses
import io
import itertools
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from .arrays import EngineInputs, EngineResult, LevelResult, SectorResult
from .systems import Systems, _level, _sectors

_SERIES = (
    "series_ics",
    "series_group",
    "series_organisation",
    "supply0",
    "demand0",
    "leaver_rate",
    "recruitment",
    "international",
    "return_to_practice",
    "demand_growth",
    "productivity",
    "step_changes",
    "newly_qualified",
    "attrition",
    "retention",
)


def _shares(inputs: EngineInputs) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return (
        np.asarray(inputs.share_organisation, np.intp),
        np.asarray(inputs.share_ics, np.intp),
        np.asarray(inputs.share_weight, np.float64),
    )


def system_series(inputs: EngineInputs, ics: int) -> np.ndarray:
    """The series of system `ics`'s own run: its organisations that are not shared, and every
    shared organisation with a part in it."""
    share_organisation, share_ics, _weight = _shares(inputs)
    organisations = np.asarray(inputs.series_organisation, np.intp)
    shared = np.isin(organisations, share_organisation)
    with_part = np.isin(organisations, share_organisation[share_ics == ics])
    own = (np.asarray(inputs.series_ics, np.intp) == ics) & ~shared
    return np.flatnonzero(own | with_part)


def system_inputs(inputs: EngineInputs, ics: int) -> EngineInputs:
    """The inputs of system `ics` alone, every index (organisation, group, system) unchanged;
    a shared organisation keeps only its part in this system."""
    series = system_series(inputs, ics)
    share_organisation, share_ics, weight = _shares(inputs)
    mine = share_ics == ics
    fields = {name: np.asarray(getattr(inputs, name))[series] for name in _SERIES}
    return dataclasses.replace(
        inputs,
        **fields,
        share_organisation=share_organisation[mine],
        share_ics=share_ics[mine],
        share_weight=weight[mine],
        money=None if inputs.money is None else inputs.money.of(series),
    )


def stored_organisations(inputs: EngineInputs, ics: int) -> np.ndarray:
    """The organisations whose rows system `ics`'s run stores, each organisation in exactly
    one system: its own, or for a shared organisation the first system it has a part in."""
    share_organisation, share_ics, _weight = _shares(inputs)
    owner = np.full(int(inputs.n_organisations), -1, np.intp)
    owner[np.asarray(inputs.series_organisation, np.intp)] = inputs.series_ics
    first = np.full(int(inputs.n_organisations), np.iinfo(np.intp).max, np.intp)
    np.minimum.at(first, share_organisation, share_ics)
    shared = first < np.iinfo(np.intp).max
    owner[shared] = first[shared]
    return np.flatnonzero(owner == ics)


# What a system's own run costs beyond its organisations (setting up, its own sums and ranks,
# its rows and packing its sums), in the units of `system_costs`: measured on the demo's
# England, where chunks of 6 and of 12 systems otherwise costing the same took 19.2 s and
# 26.4 s (docs/decisions.md, "A national run's chunks").
SYSTEM_COST = 1300


def system_costs(inputs: EngineInputs) -> np.ndarray:
    """(n_ics,) what each system's own run costs, roughly: its series, which it projects, its
    organisations' output groups (the leaves they have and the groups adding them up), each
    of which it ranks every year, and SYSTEM_COST for a system with series. A shared
    organisation counts in every system it has a part in, as each of their runs projects it."""
    n_ics, n_organisations = int(inputs.n_ics), int(inputs.n_organisations)
    organisations = np.asarray(inputs.series_organisation, np.intp)
    has = np.zeros((n_organisations, int(inputs.n_groups)), bool)
    has[organisations, np.asarray(inputs.series_group, np.intp)] = True
    outputs = ((has @ (np.asarray(inputs.group_rollup) != 0).T) > 0).sum(axis=1)
    weight = np.bincount(organisations, minlength=n_organisations) + outputs
    owner = np.full(n_organisations, -1, np.intp)
    owner[organisations] = inputs.series_ics
    share_organisation, share_ics, _weight = _shares(inputs)
    owner[share_organisation] = -1
    own = owner >= 0
    cost = np.bincount(owner[own], weights=weight[own], minlength=n_ics)
    np.add.at(cost, share_ics, weight[share_organisation])
    return np.where(cost > 0, cost + SYSTEM_COST, 0.0)


def chunk_systems(inputs: EngineInputs, chunks: int) -> list[list[int]]:
    """Systems 0..n_ics-1 in `chunks` contiguous ranges (fewer when there are fewer systems),
    each of about the same `system_costs`."""
    n_ics = int(inputs.n_ics)
    chunks = max(1, min(int(chunks), n_ics))
    # + 1: a system with no series has rows too. Each boundary falls where the running cost
    # is nearest its share of the whole.
    ends = np.concatenate([[0.0], np.cumsum(system_costs(inputs) + 1)])
    targets = ends[-1] * np.arange(1, chunks) / chunks
    after = np.searchsorted(ends, targets, side="left")  # ends[after - 1] < target <= ends[after]
    nearer_before = targets - ends[after - 1] < ends[after] - targets
    edges = after - nearer_before
    bounds = [0, *sorted(set(int(e) for e in edges if 0 < e < n_ics)), n_ics]
    return [list(range(a, b)) for a, b in itertools.pairwise(bounds) if b > a]


@dataclass(frozen=True)
class SectorSums:
    """One sector's per-draw leaf sums in one system: only the leaf groups it has staff in
    (the others are zeros, which add nothing)."""

    sector: int
    groups: np.ndarray  # (g,) leaf groups, ascending
    sums: np.ndarray  # (H+1, summed, g, M)


@dataclass(frozen=True)
class SystemSums:
    """One system's per-draw leaf sums, as its run handed them to the nation: with several
    sectors, each sector's (sectors ascending), else the system's total as its one sector."""

    ics: int
    blocks: tuple[SectorSums, ...]

    @property
    def sectors(self) -> tuple[int, ...]:
        return tuple(block.sector for block in self.blocks)


def _block(sector: int, sums: np.ndarray) -> SectorSums:
    """`sums` (H+1, summed, G, M) without its groups that are zero throughout."""
    groups = np.flatnonzero(sums.any(axis=(0, 1, 3)))
    return SectorSums(sector, groups, np.ascontiguousarray(sums[:, :, groups]))


def system_sums(
    inputs: EngineInputs,
    result: EngineResult,
    national: np.ndarray,
    national_sectors: np.ndarray | None,
    ics: int,
) -> SystemSums:
    """What system `ics`'s own run (`system_inputs`, with `project_with_sums`) adds to the
    nation: in that run the nation is the system alone, each sum started from zero."""
    blocks = result.ics_sectors
    sectors = tuple(int(s) for e, s in zip(blocks.entity, blocks.sector, strict=True) if e == ics)
    if national_sectors is None:
        return SystemSums(ics, tuple(_block(sector, national) for sector in sectors))
    return SystemSums(ics, tuple(_block(s, national_sectors[s]) for s in sectors))


def national_figures(
    inputs: EngineInputs, systems: Iterable[SystemSums]
) -> tuple[LevelResult, SectorResult]:
    """The nation's and its sectors' percentiles from its systems' sums, taken in system order;
    as `Systems.result` takes them. A group a block leaves out is zero in it: adding a zero
    changes no sum (a sum that starts from zero is never -0.0), so only its groups are added."""
    rollup = np.asarray(inputs.group_rollup, np.float64)
    accumulator = Systems(inputs, rollup, np.float64)
    national = accumulator.national
    by_sector = accumulator.national_sectors
    present: set[int] = set()
    previous = -1
    for system in systems:
        if system.ics <= previous:
            raise ValueError("systems' sums must come in system order, each once")
        previous = system.ics
        present.update(system.sectors)
        if by_sector is None or len(system.blocks) == 1:
            # The system's total is its one block: added as the whole run adds it.
            for block in system.blocks:
                national[:, :, block.groups] += block.sums
        elif system.blocks:
            total = np.zeros_like(national)
            for block in system.blocks:
                total[:, :, block.groups] += block.sums
            national += total
        if by_sector is not None:
            for block in system.blocks:
                by_sector[block.sector][:, :, block.groups] += block.sums
    figures = accumulator._figures(national)
    ordered = sorted(present)
    rows = [
        (0, sector, figures if len(ordered) == 1 else accumulator._figures(by_sector[sector]))
        for sector in ordered
    ]
    return _level(figures[None]), _sectors(rows, figures.shape)


def pack(systems: Iterable[SystemSums]) -> bytes:
    """Systems' sums as bytes, float64 so that adding them back is exact; compressed at
    zlib's fastest level, which on these sums saves about as much as its default level and
    is quicker."""
    arrays: dict[str, np.ndarray] = {}
    for i, system in enumerate(systems):
        arrays[f"ics_{i}"] = np.array(system.ics)
        arrays[f"sectors_{i}"] = np.array(system.sectors, np.intp)
        for j, block in enumerate(system.blocks):
            arrays[f"groups_{i}_{j}"] = np.asarray(block.groups, np.intp)
            arrays[f"sums_{i}_{j}"] = np.asarray(block.sums, np.float64)
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return zlib.compress(buffer.getbuffer(), 1)


def unpack(data: bytes) -> list[SystemSums]:
    systems = []
    with np.load(io.BytesIO(zlib.decompress(data)), allow_pickle=False) as stored:
        count = sum(1 for name in stored.files if name.startswith("ics_"))
        for i in range(count):
            blocks = tuple(
                SectorSums(int(sector), stored[f"groups_{i}_{j}"], stored[f"sums_{i}_{j}"])
                for j, sector in enumerate(stored[f"sectors_{i}"])
            )
            systems.append(SystemSums(int(stored[f"ics_{i}"]), blocks))
    return systems
