"""Organisations shared across systems: projected once, counted in each system they serve by
their share of every draw, and wholly in the nation. Pure: no database."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from tests.unit.projection.engine_data import assert_identical, make_inputs, reference_per_draw
from workforce.projection.engine import EngineInputs, project

QUANTITIES = ("supply", "demand", "gap")


def three_systems(draws: int = 1, parts=((0, 0.25), (1, 0.75)), **options) -> EngineInputs:
    """ICS 0: organisation 0; ICS 1: organisation 1; ICS 2: organisation 3. Organisation 2
    (an ambulance trust hosted in ICS 0) is shared by `parts` (ICS, weight)."""
    keys = [(0, 0, 0), (0, 0, 1), (1, 1, 0), (0, 2, 0), (0, 2, 1), (2, 3, 1)]
    inputs = make_inputs(
        keys,
        horizon=5,
        draws=draws,
        seed=5,
        spread=2.0,
        supply0=[400.0, 120.0, 300.0, 90.0, 60.0, 80.0],
        demand0=[430.0, 130.0, 320.0, 100.0, 70.0, 85.0],
        **options,
    )
    return replace(
        inputs,
        share_organisation=np.array([2] * len(parts), np.intp),
        share_ics=np.array([ics for ics, _w in parts], np.intp),
        share_weight=np.array([w for _ics, w in parts]),
    )


def unshared(inputs: EngineInputs) -> EngineInputs:
    return replace(
        inputs,
        share_organisation=np.zeros(0, np.intp),
        share_ics=np.zeros(0, np.intp),
        share_weight=np.zeros(0),
    )


def test_with_one_draw_each_system_counts_its_share_of_the_shared_organisation() -> None:
    shared = project(three_systems())
    alone = project(unshared(three_systems()))
    org = shared.organisation
    for quantity in QUANTITIES:
        by_org, ics = getattr(org, quantity), getattr(shared.ics, quantity)
        np.testing.assert_allclose(ics[0], by_org[0] + 0.25 * by_org[2])
        np.testing.assert_allclose(ics[1], by_org[1] + 0.75 * by_org[2])
        np.testing.assert_allclose(ics[2], by_org[3])
        # The organisation is projected the same, and the nation holds all of it once.
        np.testing.assert_array_equal(by_org, getattr(alone.organisation, quantity))
        np.testing.assert_allclose(
            getattr(shared.national, quantity), getattr(alone.national, quantity)
        )
    # Without shares the host (ICS 0) holds all of it.
    np.testing.assert_allclose(alone.ics.supply[0], org.supply[0] + org.supply[2])


def test_the_shares_weight_every_draw_before_the_percentiles() -> None:
    inputs = three_systems(draws=300, organisation_share=0.5)
    result = project(inputs)
    supply, _demand = reference_per_draw(inputs)  # (series, M) at the horizon
    of = np.asarray(inputs.series_organisation)
    group = np.asarray(inputs.series_group)
    for ics, own, weight in ((0, 0, 0.25), (1, 1, 0.75)):
        in_group = group == 0
        per_draw = supply[(of == own) & in_group].sum(axis=0) + weight * supply[
            (of == 2) & in_group
        ].sum(axis=0)
        expected = np.percentile(per_draw, [10, 50, 90])
        found = result.ics.supply[ics, 0, -1]
        np.testing.assert_allclose(found, expected, rtol=1e-5, atol=1e-3)


def test_a_system_only_a_shared_organisation_counts_in_has_its_part_and_sector_rows() -> None:
    parts = ((0, 0.5), (1, 0.3), (3, 0.2))  # ICS 3 hosts no one
    inputs = replace(three_systems(parts=parts), n_ics=4, targets=np.full((4, 3, 6), np.nan))
    result = project(inputs)
    np.testing.assert_allclose(result.ics.supply[3], 0.2 * result.organisation.supply[2])
    entities = set(result.ics_sectors.entity.tolist())
    assert entities == {0, 1, 2, 3}


def test_chunking_and_threads_never_change_the_shared_figures() -> None:
    inputs = three_systems(draws=200, organisation_share=0.4)
    whole = project(inputs, workers=1)
    for chunk_series in (1, 2, 4):
        for workers in (1, 2):
            other = project(inputs, chunk_series=chunk_series, workers=workers)
            assert_identical(whole, other)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"share_weight": np.array([0.25, 0.0])}, "more than 0 and at most 1"),
        ({"share_ics": np.array([0, 7])}, "share_ics must hold whole numbers from 0 to 2"),
        ({"share_organisation": np.array([2, 9])}, "share_organisation must hold"),
        ({"share_ics": np.array([1, 1])}, "at most one share in each ICS"),
        ({"share_weight": np.array([0.25])}, r"must be \(s,\) alike"),
    ],
)
def test_bad_shares_are_refused_with_a_clear_message(change: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        project(replace(three_systems(), **change))
