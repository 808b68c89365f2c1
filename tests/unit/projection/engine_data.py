"""Engine inputs built from a few figures, for the engine's tests, and how two results or a
result and the reference are compared."""

from __future__ import annotations

import numpy as np

from workforce.projection.engine import EngineInputs, EngineResult, Spreads, sample_assumptions

from .reference import SeriesAssumptions, project_series, series_from_inputs

DEFAULTS = {
    "supply0": 100.0,
    "demand0": 110.0,
    "leaver_rate": 0.1,
    "recruitment": 8.0,
    "international": 2.0,
    "return_to_practice": 0.5,
    "demand_growth": 0.02,
    "productivity": 0.005,
    "attrition": 0.2,
    "retention": 0.8,
    "step_changes": 0.0,
    "newly_qualified": 1.0,
}
LEVELS = ("organisation", "ics", "national")
QUANTITIES = ("supply", "demand", "gap")


def make_inputs(
    keys: list[tuple[int, int, int]],
    *,
    horizon: int = 5,
    draws: int = 1,
    seed: int = 1,
    rollup: np.ndarray | None = None,
    targets: np.ndarray | None = None,
    spread: float = 1.0,
    organisation_share: float = 0.0,
    **values: object,
) -> EngineInputs:
    """Inputs for series keyed (ics, organisation, group); unnamed figures take DEFAULTS.

    `spread` scales the standard deviations (1.0: a leaver rate +-1 point, growth and
    productivity +-0.5 points, attrition +-3 points, international recruitment +-20%)."""
    n = len(keys)
    ics, organisation, group = (np.array([k[i] for k in keys], np.intp) for i in range(3))
    n_groups = int(group.max()) + 1 if n else 1
    figures = {}
    for name, default in DEFAULTS.items():
        shape = (n, horizon + 1) if name in ("step_changes", "newly_qualified") else (n,)
        figures[name] = np.broadcast_to(np.asarray(values.pop(name, default), float), shape).copy()
    n_ics = int(values.pop("n_ics", ics.max() + 1 if n else 1))
    n_organisations = int(values.pop("n_organisations", organisation.max() + 1 if n else 1))
    n_groups = int(values.pop("n_groups", n_groups))
    if values:
        raise TypeError(f"unknown figures: {sorted(values)}")
    if rollup is None:
        rollup = np.vstack([np.eye(n_groups), np.ones((1, n_groups))])
    if targets is None:
        targets = np.full((n_ics, len(rollup), horizon + 1), np.nan)
    return EngineInputs(
        series_ics=ics,
        series_group=group,
        series_organisation=organisation,
        n_ics=n_ics,
        n_groups=n_groups,
        n_organisations=n_organisations,
        horizon=horizon,
        draws=draws,
        seed=seed,
        spreads=Spreads(
            leaver_rate=np.full(n_groups, 0.01 * spread),
            demand_growth=np.full(n_groups, 0.005 * spread),
            productivity=np.full(n_groups, 0.005 * spread),
            attrition=np.full(n_groups, 0.03 * spread),
            international=np.full(n_groups, 0.2 * spread),
            organisation_share=organisation_share,
        ),
        group_rollup=rollup,
        targets=targets,
        **figures,
    )


def values_of(result: EngineResult) -> dict[str, np.ndarray]:
    arrays = {
        f"{level}.{quantity}": getattr(getattr(result, level), quantity)
        for level in LEVELS
        for quantity in QUANTITIES
    }
    return arrays | {"probability": result.probability_meets_target}


def assert_identical(a: EngineResult, b: EngineResult) -> None:
    for name, value in values_of(a).items():
        np.testing.assert_array_equal(value, values_of(b)[name], err_msg=name)


def reference_per_draw(inputs: EngineInputs) -> tuple[np.ndarray, np.ndarray]:
    """Each series' supply and demand at the horizon in each draw, by the reference run one
    draw at a time on the engine's sampled assumptions."""
    series = np.arange(len(inputs.supply0))
    sampled = sample_assumptions(inputs, series, dtype=np.float32)
    supply = np.zeros((len(series), inputs.draws))
    demand = np.zeros((len(series), inputs.draws))
    for i in series:
        base = series_from_inputs(inputs, i)
        for d in range(inputs.draws):
            scale = (1 - float(sampled.attrition[i, d])) / (1 - float(inputs.attrition[i]))
            drawn = {
                "leaver_rate": float(sampled.leaver_rate[i, d]),
                "demand_growth": float(sampled.demand_growth[i, d]),
                "productivity": float(sampled.productivity[i, d]),
                "international": float(sampled.international[i, d]),
                "newly_qualified": [x * scale for x in base.newly_qualified],
            }
            series_supply, series_demand = project_series(
                SeriesAssumptions(**(vars(base) | drawn)), inputs.horizon
            )
            supply[i, d], demand[i, d] = series_supply[-1], series_demand[-1]
    return supply, demand
