"""The draws of a run and the yearly update of the model (docs/design.md section 3): pure numpy.

Each draw shocks the leaver rate, demand growth, productivity, training attrition and
international recruitment by one standard-normal factor per staff group (shared by every
organisation), optionally mixed with a factor of the organisation's own; `simulate` carries
supply and demand forward from those draws year by year.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from .arrays import _ASSUMPTIONS, EngineInputs, SampledAssumptions

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
