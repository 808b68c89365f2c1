"""A plain-Python reading of docs/design.md section 3, deterministic, to check the engine against.

Loops over series and years with lists and floats, and sums organisations, ICSs and the
nation one series at a time. Slow on purpose: it is meant to be obviously right.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the engine's input container, used here only to read the figures from
    from workforce.projection.engine import EngineInputs


@dataclass
class SeriesAssumptions:
    """One series' figures, as plain floats and lists."""

    supply0: float
    demand0: float
    leaver_rate: float
    recruitment: float
    international: float
    return_to_practice: float
    demand_growth: float
    productivity: float
    retention: float
    step_changes: list[float]  # C(t), t = 0..H; C(0) unused
    newly_qualified: list[float]  # N(t), t = 0..H


def project_series(series: SeriesAssumptions, horizon: int) -> tuple[list[float], list[float]]:
    """Supply and demand at the end of years t = 0..H.

    supply:  S[t+1] = S[t] * (1 - l) + R + I + r * N(t+1) + B
    demand:  D[t+1] = D[t] * (1 + g - p) + C(t+1)
    """
    supply = [series.supply0]
    demand = [series.demand0]
    for t in range(horizon):
        supply.append(
            supply[t] * (1 - series.leaver_rate)
            + series.recruitment
            + series.international
            + series.retention * series.newly_qualified[t + 1]
            + series.return_to_practice
        )
        demand.append(
            demand[t] * (1 + series.demand_growth - series.productivity)
            + series.step_changes[t + 1]
        )
    return supply, demand


def series_from_inputs(inputs: EngineInputs, i: int) -> SeriesAssumptions:
    """Series i of an EngineInputs, taken out as plain Python numbers."""

    def number(name: str) -> float:
        return float(getattr(inputs, name)[i])

    return SeriesAssumptions(
        supply0=number("supply0"),
        demand0=number("demand0"),
        leaver_rate=number("leaver_rate"),
        recruitment=number("recruitment"),
        international=number("international"),
        return_to_practice=number("return_to_practice"),
        demand_growth=number("demand_growth"),
        productivity=number("productivity"),
        retention=number("retention"),
        step_changes=[float(x) for x in inputs.step_changes[i]],
        newly_qualified=[float(x) for x in inputs.newly_qualified[i]],
    )


@dataclass
class ReferenceLevel:
    """[entity][k][t] lists of FTE."""

    supply: list[list[list[float]]]
    demand: list[list[list[float]]]
    gap: list[list[list[float]]]


@dataclass
class ReferenceResult:
    organisation: ReferenceLevel
    ics: ReferenceLevel
    national: ReferenceLevel
    meets_target: list[list[list[float]]]  # [ics][k][t]: 1.0, 0.0, or NaN without a target


def project_reference(inputs: EngineInputs) -> ReferenceResult:
    """Every series projected alone, then summed into each entity's output groups."""
    horizon = int(inputs.horizon)
    rollup = [[int(x) for x in row] for row in inputs.group_rollup]
    n_outputs = len(rollup)
    trajectories = [
        project_series(series_from_inputs(inputs, i), horizon) for i in range(len(inputs.supply0))
    ]

    def level(n_entities: int, entity_of: Callable[[int], int]) -> ReferenceLevel:
        supply = [[[0.0] * (horizon + 1) for _ in range(n_outputs)] for _ in range(n_entities)]
        demand = [[[0.0] * (horizon + 1) for _ in range(n_outputs)] for _ in range(n_entities)]
        for i, (series_supply, series_demand) in enumerate(trajectories):
            entity = entity_of(i)
            group = int(inputs.series_group[i])
            for k in range(n_outputs):
                if rollup[k][group] != 1:
                    continue
                for t in range(horizon + 1):
                    supply[entity][k][t] += series_supply[t]
                    demand[entity][k][t] += series_demand[t]
        gap = [
            [
                [demand[e][k][t] - supply[e][k][t] for t in range(horizon + 1)]
                for k in range(n_outputs)
            ]
            for e in range(n_entities)
        ]
        return ReferenceLevel(supply, demand, gap)

    ics = level(int(inputs.n_ics), lambda i: int(inputs.series_ics[i]))
    meets = [
        [
            [
                math.nan
                if math.isnan(float(inputs.targets[e][k][t]))
                else float(ics.supply[e][k][t] >= float(inputs.targets[e][k][t]))
                for t in range(horizon + 1)
            ]
            for k in range(n_outputs)
        ]
        for e in range(int(inputs.n_ics))
    ]
    return ReferenceResult(
        organisation=level(
            int(inputs.n_organisations), lambda i: int(inputs.series_organisation[i])
        ),
        ics=ics,
        national=level(1, lambda i: 0),
        meets_target=meets,
    )
