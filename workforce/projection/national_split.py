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


def chunk_systems(inputs: EngineInputs, chunks: int) -> list[list[int]]:
    """Systems 0..n_ics-1 in `chunks` contiguous ranges (fewer when there are fewer systems),
    each with about the same number of series."""
    n_ics = int(inputs.n_ics)
    size = np.bincount(np.asarray(inputs.series_ics, np.intp), minlength=n_ics).astype(float)
    for o, i in zip(*_shares(inputs)[:2], strict=True):
        size[i] += np.count_nonzero(np.asarray(inputs.series_organisation) == o)
    chunks = max(1, min(int(chunks), n_ics))
    ends = np.cumsum(size + 1)  # + 1: a system with no series still has rows to store
    edges = np.searchsorted(ends, ends[-1] * np.arange(1, chunks) / chunks, side="left") + 1
    bounds = [0, *sorted(set(int(e) for e in edges if 0 < e < n_ics)), n_ics]
    return [list(range(a, b)) for a, b in itertools.pairwise(bounds) if b > a]


@dataclass(frozen=True)
class SystemSums:
    """One system's per-draw leaf sums, as its run handed them to the nation: with several
    sectors, each sector's block (sectors ascending), else the system's total."""

    ics: int
    sectors: tuple[int, ...]  # the sectors the system has, ascending
    sums: np.ndarray  # (len(sectors), H+1, 2, G, M), or (1, ...) the total with one sector


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
    if not sectors:
        empty = np.zeros((0, *national.shape))
        return SystemSums(ics, (), empty)
    if national_sectors is None:
        return SystemSums(ics, sectors, national[None])
    return SystemSums(ics, sectors, np.stack([national_sectors[s] for s in sectors]))


def national_figures(
    inputs: EngineInputs, systems: Iterable[SystemSums]
) -> tuple[LevelResult, SectorResult]:
    """The nation's and its sectors' percentiles from its systems' sums, taken in system order;
    as `Systems.result` takes them."""
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
        if not system.sectors:
            continue
        present.update(system.sectors)
        if by_sector is None:
            national += system.sums[0]
            continue
        total = system.sums[0]
        for sums in system.sums[1:]:
            total = total + sums
        national += total
        for sector, sums in zip(system.sectors, system.sums, strict=True):
            by_sector[sector] += sums
    figures = accumulator._figures(national)
    ordered = sorted(present)
    rows = [
        (0, sector, figures if len(ordered) == 1 else accumulator._figures(by_sector[sector]))
        for sector in ordered
    ]
    return _level(figures[None]), _sectors(rows, figures.shape)


def pack(systems: Iterable[SystemSums]) -> bytes:
    """Systems' sums as bytes, float64 so that adding them back is exact; only the leaf
    groups a system has are kept (a zero added changes no sum). Compressed as a zip stream,
    written array by array: a growing buffer of the raw bytes would double the peak memory."""
    arrays: dict[str, np.ndarray] = {}
    for i, system in enumerate(systems):
        sums = np.asarray(system.sums, np.float64)
        used = np.flatnonzero(sums.any(axis=(0, 1, 2, 4))) if sums.size else np.zeros(0, np.intp)
        arrays[f"ics_{i}"] = np.array(system.ics)
        arrays[f"sectors_{i}"] = np.array(system.sectors, np.intp)
        arrays[f"shape_{i}"] = np.array(sums.shape, np.intp)
        arrays[f"groups_{i}"] = used
        arrays[f"sums_{i}"] = np.ascontiguousarray(sums[:, :, :, used])
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    return buffer.getvalue()


def unpack(data: bytes) -> list[SystemSums]:
    systems = []
    with np.load(io.BytesIO(data), allow_pickle=False) as stored:
        count = sum(1 for name in stored.files if name.startswith("ics_"))
        for i in range(count):
            sums = np.zeros(tuple(stored[f"shape_{i}"]))
            sums[:, :, :, stored[f"groups_{i}"]] = stored[f"sums_{i}"]
            sectors = tuple(int(s) for s in stored[f"sectors_{i}"])
            systems.append(SystemSums(int(stored[f"ics_{i}"]), sectors, sums))
    return systems
