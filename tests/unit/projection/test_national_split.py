"""A national run split by system gives the whole run's figures bit for bit. Pure: no
database."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from tests.unit.projection.engine_data import make_inputs
from tests.unit.projection.test_engine_shares import three_systems
from workforce.projection import national_split as split
from workforce.projection.engine import EngineInputs, project, project_with_sums

QUANTITIES = ("supply", "demand", "gap")


def with_sectors(inputs: EngineInputs, sectors: list[int]) -> EngineInputs:
    return replace(
        inputs, organisation_sector=np.array(sectors, np.intp), n_sectors=max(sectors) + 1
    )


def many_systems(draws: int) -> EngineInputs:
    """Five systems (the fourth with no one), eight organisations in two sectors, one of them
    shared by systems 1 and 4."""
    keys = [(0, 0, 0), (0, 0, 1), (0, 1, 2), (1, 2, 0), (1, 3, 1), (1, 3, 2), (2, 4, 0)]
    keys += [(2, 5, 2), (4, 6, 1), (1, 7, 0), (1, 7, 1)]
    rng = np.random.default_rng(3)
    inputs = make_inputs(
        keys,
        horizon=6,
        draws=draws,
        seed=11,
        spread=1.5,
        organisation_share=0.3,
        n_ics=5,
        supply0=rng.uniform(10, 900, len(keys)),
        demand0=rng.uniform(10, 950, len(keys)),
        leaver_rate=rng.uniform(0.05, 0.15, len(keys)),
    )
    inputs = with_sectors(inputs, [0, 1, 0, 1, 0, 0, 1, 0])
    return replace(
        inputs,
        share_organisation=np.array([7, 7], np.intp),
        share_ics=np.array([1, 4], np.intp),
        share_weight=np.array([0.6, 0.4]),
    )


def split_run(inputs: EngineInputs, chunks: int):
    """Each chunk's systems run alone, their sums packed and unpacked as a chunk stores them."""
    organisations = {}
    systems = {}
    packed = []
    for chunk in split.chunk_systems(inputs, chunks):
        sums = []
        for ics in chunk:
            alone = split.system_inputs(inputs, ics)
            result, national, sectors = project_with_sums(alone)
            for o in split.stored_organisations(inputs, ics):
                organisations[int(o)] = [getattr(result.organisation, q)[o] for q in QUANTITIES]
            systems[ics] = [getattr(result.ics, q)[ics] for q in QUANTITIES]
            systems[ics].append(result.probability_meets_target[ics])
            sums.append(split.system_sums(alone, result, national, sectors, ics))
        packed.append(split.pack(sums))
    every = [system for data in packed for system in split.unpack(data)]
    national, national_sectors = split.national_figures(inputs, every)
    return organisations, systems, national, national_sectors


@pytest.mark.parametrize("draws", [1, 200])
@pytest.mark.parametrize("chunks", [1, 2, 5])
@pytest.mark.parametrize("build", [many_systems, lambda d: three_systems(d)])
def test_a_run_split_by_system_is_the_whole_run_bit_for_bit(build, chunks, draws) -> None:
    inputs = build(draws)
    whole = project(inputs)
    organisations, systems, national, national_sectors = split_run(inputs, chunks)
    assert sorted(organisations) == sorted(set(np.asarray(inputs.series_organisation).tolist()))
    for o, figures in organisations.items():
        for q, values in zip(QUANTITIES, figures, strict=False):
            np.testing.assert_array_equal(values, getattr(whole.organisation, q)[o])
    assert sorted(systems) == list(range(inputs.n_ics))
    for ics, figures in systems.items():
        for q, values in zip(QUANTITIES, figures, strict=False):
            np.testing.assert_array_equal(values, getattr(whole.ics, q)[ics])
        np.testing.assert_array_equal(figures[3], whole.probability_meets_target[ics])
    for q in QUANTITIES:
        np.testing.assert_array_equal(getattr(national, q), getattr(whole.national, q))
        np.testing.assert_array_equal(
            getattr(national_sectors.figures, q), getattr(whole.national_sectors.figures, q)
        )
    np.testing.assert_array_equal(national_sectors.sector, whole.national_sectors.sector)


def test_chunks_are_contiguous_ranges_of_every_system_once() -> None:
    inputs = many_systems(1)
    for chunks in range(1, 8):
        ranges = split.chunk_systems(inputs, chunks)
        assert [ics for chunk in ranges for ics in chunk] == list(range(inputs.n_ics))
        assert 1 <= len(ranges) <= min(chunks, inputs.n_ics)
        assert all(ranges)


def test_a_systems_cost_counts_what_its_own_run_projects_and_ranks() -> None:
    inputs = many_systems(1)
    rollup = np.asarray(inputs.group_rollup) != 0
    expected = []
    for ics in range(inputs.n_ics):
        alone = split.system_inputs(inputs, ics)
        cost = len(alone.supply0)
        for o in set(alone.series_organisation.tolist()):
            leaves = alone.series_group[alone.series_organisation == o]
            cost += int(rollup[:, leaves].any(axis=1).sum())
        expected.append(cost + split.SYSTEM_COST if cost else 0)
    assert np.asarray(inputs.share_organisation).size  # shared organisations count in each part
    costs = split.system_costs(inputs)
    assert costs.tolist() == expected
    for chunks in (2, 3):
        for chunk in split.chunk_systems(inputs, chunks):
            assert costs[chunk].sum() <= costs.sum() / chunks + costs.max() + len(chunk)


def test_sums_must_come_in_system_order() -> None:
    inputs = many_systems(1)
    sums = []
    for ics in (1, 0):
        alone = split.system_inputs(inputs, ics)
        result, national, sectors = project_with_sums(alone)
        sums.append(split.system_sums(alone, result, national, sectors, ics))
    with pytest.raises(ValueError, match="system order"):
        split.national_figures(inputs, sums)
