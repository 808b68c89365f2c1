"""Each baseline of a backtest projected with the planner's engine, beside what happened.

Pure, no Django. All the baselines go to the engine in one run, each as an organisation of
its own with a series per staff group: the engine's organisation-level P10, P50 and P90 are
then exactly each baseline's band, drawn from the scenario's spreads as a run draws them
(the common factors depend on the seed and the staff group alone).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from workforce.projection import defaults
from workforce.projection.arrays import EngineInputs, Spreads
from workforce.projection.engine import project
from workforce.projection.run_data import Labels

from .flows import SupplyFlows, supply_flows
from .history import LOOKBACK_YEARS, History, check_history, points

# The spreads that move supply. The others (demand growth, productivity, and training
# attrition, as the history has no pipeline) leave a backtest's supply bands as they are.
SUPPLY_SPREADS = ("leaver_rate_sd", "international_sd")
SPREAD_FIELDS = {
    "leaver_rate": "leaver_rate_sd",
    "demand_growth": "demand_growth_sd",
    "productivity": "productivity_sd",
    "attrition": "attrition_sd",
    "international": "international_sd",
}


@dataclass(frozen=True)
class BacktestSpec:
    """What to test: the baselines, the horizon, and the scenario's assumptions.

    `groups` are the leaf staff groups in the order of the output; `parents` the groups that
    add leaves up (code -> its leaf codes), scored like the leaves.
    """

    baselines: tuple[datetime.date, ...]
    horizon: int
    groups: tuple[str, ...]
    assumptions: Mapping[str, defaults.Assumptions] = field(default_factory=dict)
    parents: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    draws: int = 1000
    seed: int = 0
    lookback: int = LOOKBACK_YEARS

    def assumptions_of(self, code: str) -> defaults.Assumptions:
        return self.assumptions.get(code) or defaults.national_defaults(code)


@dataclass(frozen=True)
class Bands:
    """Each baseline's band and outcome: bands (B, K, H+1, 3) P10/P50/P90 and outcome
    (B, K, H+1), NaN where the group was not tested from that baseline."""

    baselines: tuple[datetime.date, ...]
    outputs: Labels  # the leaves, then the parents
    bands: np.ndarray
    outcome: np.ndarray
    flows: Mapping[tuple[int, str], SupplyFlows]  # (baseline index, leaf) -> its flows

    @property
    def horizon(self) -> int:
        return self.outcome.shape[2] - 1

    def tested(self) -> np.ndarray:
        """(B, K) True where the group was projected from that baseline."""
        return ~np.isnan(self.outcome[:, :, 0])


def project_baselines(history: History, spec: BacktestSpec) -> Bands:
    """Project every baseline of `spec` and put each band beside its outcome."""
    check_history(history, spec.baselines, spec.horizon, spec.lookback)
    leaves = Labels(tuple(spec.groups))
    parents = {p: tuple(c for c in members if c in leaves) for p, members in spec.parents.items()}
    parents = {p: members for p, members in parents.items() if members and p not in leaves}
    outputs = Labels(leaves.codes + tuple(parents))
    horizon, n_baselines = spec.horizon, len(spec.baselines)

    rows: list[tuple[int, int, SupplyFlows]] = []
    outcome = np.full((n_baselines, len(leaves), horizon + 1), np.nan)
    for b, baseline in enumerate(spec.baselines):
        for g, code in enumerate(leaves):
            values = points(history, code, baseline, horizon, spec.lookback)
            if values is None:
                continue
            known, later = values[: spec.lookback + 1], values[spec.lookback :]
            flows = supply_flows(
                known, spec.assumptions_of(code), staff_group=code, baseline=baseline
            )
            rows.append((b, g, flows))
            outcome[b, g] = later
    inputs = _engine_inputs(rows, spec, leaves, parents, n_baselines)
    result = project(inputs)
    # Organisations the engine saw: only baselines with a series. Their index is b itself.
    bands = np.full((n_baselines, len(outputs), horizon + 1, 3), np.nan)
    bands[:] = result.organisation.supply
    rollup = np.asarray(inputs.group_rollup)
    tested = ~np.isnan(outcome[:, :, 0])
    full_outcome = np.full((n_baselines, len(outputs), horizon + 1), np.nan)
    for k in range(len(outputs)):
        members = rollup[k] > 0
        # A parent is scored from a baseline only when all its leaves were tested there, so
        # its outcome and its band add up the same groups.
        complete = tested[:, members].all(axis=1)
        full_outcome[complete, k] = np.nansum(outcome[complete][:, members], axis=1)
    bands[np.isnan(full_outcome)] = np.nan
    return Bands(
        baselines=tuple(spec.baselines),
        outputs=outputs,
        bands=bands,
        outcome=full_outcome,
        flows={(b, leaves.codes[g]): flows for b, g, flows in rows},
    )


def _engine_inputs(
    rows: Sequence[tuple[int, int, SupplyFlows]],
    spec: BacktestSpec,
    leaves: Labels,
    parents: Mapping[str, tuple[str, ...]],
    n_baselines: int,
) -> EngineInputs:
    n, horizon = len(rows), spec.horizon
    rollup = np.zeros((len(leaves) + len(parents), len(leaves)))
    rollup[: len(leaves)] = np.eye(len(leaves))
    for k, members in enumerate(parents.values(), start=len(leaves)):
        rollup[k, [leaves.position(c) for c in members]] = 1

    def column(name: str) -> np.ndarray:
        return np.array([getattr(flows, name) for _, _, flows in rows], np.float64)

    def spread(name: str) -> np.ndarray:
        return np.array([getattr(spec.assumptions_of(c), SPREAD_FIELDS[name]) for c in leaves])

    supply0 = column("supply0")
    return EngineInputs(
        series_ics=np.zeros(n, np.intp),
        series_group=np.array([g for _, g, _ in rows], np.intp),
        series_organisation=np.array([b for b, _, _ in rows], np.intp),
        n_ics=1,
        n_groups=len(leaves),
        n_organisations=n_baselines,
        supply0=supply0,
        demand0=supply0.copy(),  # demand is not tested: it stays at the baseline FTE
        leaver_rate=column("leaver_rate"),
        recruitment=column("recruitment"),
        international=column("international"),
        return_to_practice=column("return_to_practice"),
        demand_growth=np.zeros(n),
        productivity=np.zeros(n),
        step_changes=np.zeros((n, horizon + 1)),
        newly_qualified=np.zeros((n, horizon + 1)),
        attrition=np.zeros(n),
        retention=np.zeros(n),
        horizon=horizon,
        draws=spec.draws,
        seed=spec.seed,
        spreads=Spreads(**{name: spread(name) for name in SPREAD_FIELDS}),
        group_rollup=rollup,
        targets=np.full((1, len(rollup), horizon + 1), np.nan),
    )
