"""The engine's figures by planning sector: each sector of an ICS and of the nation is summed
per draw before its percentiles are taken, and the ICS is the sum of its sectors. Pure: no
database."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from tests.unit.projection.engine_data import assert_identical, make_inputs, reference_per_draw
from workforce.projection.engine import EngineInputs, EngineResult, project

QUANTITIES = ("supply", "demand", "gap")


def two_sectors(draws: int = 1, organisation_share: float = 0.0, **options) -> EngineInputs:
    """ICS 0: organisations 0 and 2 in sector 1, organisation 1 in sector 0 (so that the run's
    order is not the organisations' own); ICS 1: organisation 3 alone, in sector 1."""
    keys = [(0, 0, 0), (0, 0, 1), (0, 1, 0), (0, 2, 1), (1, 3, 0)]
    inputs = make_inputs(
        keys,
        horizon=6,
        draws=draws,
        seed=11,
        spread=2.0,
        organisation_share=organisation_share,
        supply0=[400.0, 120.0, 90.0, 35.0, 250.0],
        demand0=[430.0, 130.0, 100.0, 40.0, 260.0],
        **options,
    )
    return replace(inputs, organisation_sector=np.array([1, 0, 1, 1]), n_sectors=2)


def sector_rows(result: EngineResult, level: str = "ics") -> dict[tuple[int, int], int]:
    rows = getattr(result, f"{level}_sectors")
    pairs = zip(rows.entity, rows.sector, strict=True)
    return {(int(e), int(s)): b for b, (e, s) in enumerate(pairs)}


def test_each_ics_and_the_nation_get_one_row_per_sector_present() -> None:
    result = project(two_sectors())
    assert sector_rows(result) == {(0, 0): 0, (0, 1): 1, (1, 1): 2}
    assert sector_rows(result, "national") == {(0, 0): 0, (0, 1): 1}
    assert result.ics_sectors.figures.supply.shape == (3, *result.ics.supply.shape[1:])
    assert result.national_sectors.figures.supply.shape == (2, *result.national.supply.shape[1:])


def test_with_one_draw_the_sectors_add_up_to_the_system_exactly() -> None:
    result = project(two_sectors())
    rows = sector_rows(result)
    national = sector_rows(result, "national")
    for quantity in QUANTITIES:
        by_sector = getattr(result.ics_sectors.figures, quantity)
        ics = getattr(result.ics, quantity)
        np.testing.assert_allclose(by_sector[rows[0, 0]] + by_sector[rows[0, 1]], ics[0])
        np.testing.assert_allclose(by_sector[rows[1, 1]], ics[1])
        nation = getattr(result.national_sectors.figures, quantity)
        np.testing.assert_allclose(
            nation[national[0, 0]] + nation[national[0, 1]], getattr(result.national, quantity)[0]
        )
    # Sector 0 of ICS 0 is organisation 1 alone: its rows are that organisation's.
    np.testing.assert_allclose(
        result.ics_sectors.figures.supply[rows[0, 0]], result.organisation.supply[1]
    )


def test_sector_percentiles_come_from_sums_per_draw_and_are_not_summed() -> None:
    inputs = two_sectors(draws=400, organisation_share=0.7)
    result = project(inputs)
    supply, demand = reference_per_draw(inputs)  # (series, M) at the horizon
    series_sector = np.asarray(inputs.organisation_sector)[inputs.series_organisation]
    in_ics0 = np.asarray(inputs.series_ics) == 0
    rows = sector_rows(result)
    for sector in (0, 1):
        members = in_ics0 & (series_sector == sector)
        for quantity, per_draw in (("supply", supply), ("gap", demand - supply)):
            expected = np.percentile(per_draw[members].sum(axis=0), [10, 50, 90])
            found = getattr(result.ics_sectors.figures, quantity)[rows[0, sector], -1, -1]
            np.testing.assert_allclose(found, expected, rtol=1e-5, atol=1e-3, err_msg=quantity)
    # The system's median is the median of the sums, which the sum of the sectors' medians is
    # not once the organisations move apart.
    total = result.ics.supply[0, -1, -1]  # the last output group: all staff
    sectors = result.ics_sectors.figures.supply
    sum_of_medians = sectors[rows[0, 0], -1, -1, 1] + sectors[rows[0, 1], -1, -1, 1]
    expected = np.percentile(supply[in_ics0].sum(axis=0), [10, 50, 90])
    np.testing.assert_allclose(total, expected, rtol=1e-5, atol=1e-3)
    assert abs(sum_of_medians - total[1]) > 1e-3 * total[1]
    sum_of_p90s = sectors[rows[0, 0], -1, -1, 2] + sectors[rows[0, 1], -1, -1, 2]
    assert sum_of_p90s > total[2]


def test_an_ics_of_one_sector_has_that_sectors_figures_and_targets_stay_with_the_ics() -> None:
    targets = np.full((2, 3, 7), np.nan)
    targets[1, 2, 6] = 200.0
    result = project(two_sectors(draws=200, targets=targets))
    rows = sector_rows(result)
    for quantity in QUANTITIES:
        np.testing.assert_array_equal(
            getattr(result.ics_sectors.figures, quantity)[rows[1, 1]],
            getattr(result.ics, quantity)[1],
        )
    assert not np.isnan(result.probability_meets_target[1, 2, 6])


def test_chunking_and_threads_never_change_the_sector_figures() -> None:
    inputs = two_sectors(draws=300, organisation_share=0.4)
    whole = project(inputs, workers=1)
    for chunk_series in (1, 2, 3):
        for workers in (1, 3):
            other = project(inputs, chunk_series=chunk_series, workers=workers)
            assert_identical(whole, other)
            for level in ("ics_sectors", "national_sectors"):
                for quantity in QUANTITIES:
                    np.testing.assert_array_equal(
                        getattr(getattr(whole, level).figures, quantity),
                        getattr(getattr(other, level).figures, quantity),
                    )


def test_without_sectors_every_organisation_is_in_one() -> None:
    inputs = replace(two_sectors(), organisation_sector=None, n_sectors=1)
    result = project(inputs)
    assert sector_rows(result) == {(0, 0): 0, (1, 0): 1}
    np.testing.assert_array_equal(result.ics_sectors.figures.supply, result.ics.supply)
    np.testing.assert_array_equal(result.national_sectors.figures.supply, result.national.supply)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"organisation_sector": np.array([0, 1])}, r"organisation_sector must have shape \(4,\)"),
        ({"organisation_sector": np.array([0, 1, 2, 0])}, "whole numbers from 0 to 1"),
        ({"n_sectors": 0}, "n_sectors must be at least 1"),
    ],
)
def test_bad_sectors_are_refused_with_a_clear_message(change: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        project(replace(two_sectors(), **change))
