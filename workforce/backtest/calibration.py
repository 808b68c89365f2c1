"""Spreads from history: per staff group, the spreads that would have given 80% coverage.

Pure, no Django. For each leaf group, the spreads that move supply (leaver rate and
international recruitment) are scaled by one factor, each kept within the range a scenario
may set (`workforce.plans.rules.ASSUMPTION_LIMITS`), and the factor is found by bisection:
the smallest at which the share of outcomes inside P10-P90, over every baseline and horizon
1..H, reaches the target. Coverage grows with the factor, as wider spreads widen every band.
All groups are bisected together, one engine run a step. The other spreads are not tested
here (the history has no demand to compare with) and are left as they are.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from workforce.plans.rules import ASSUMPTION_LIMITS

from .history import History
from .projecting import SUPPLY_SPREADS, BacktestSpec, project_baselines
from .scoring import inside

TARGET_COVERAGE = 0.8
STEPS = 24


@dataclass(frozen=True)
class SpreadProposal:
    """One staff group's spreads now and those that would have reached the target."""

    staff_group: str
    factor: float
    coverage_now: float
    coverage_proposed: float
    reached: bool  # False: even the widest spreads a scenario may set fell short
    current: dict[str, float]
    proposed: dict[str, float]

    def as_row(self) -> dict:
        return {
            "staff_group": self.staff_group,
            "factor": round(self.factor, 4),
            "coverage_now": round(self.coverage_now, 4),
            "coverage_proposed": round(self.coverage_proposed, 4),
            "reached": self.reached,
            "current": self.current,
            "proposed": self.proposed,
        }


def scaled(current: dict[str, float], factor: float) -> dict[str, float]:
    """The spreads times `factor`, each within its limit, to five places as stored."""
    return {
        name: round(min(value * factor, float(ASSUMPTION_LIMITS[name][1])), 5)
        for name, value in current.items()
    }


def widest_factor(current: dict[str, float]) -> float:
    """The factor beyond which every spread is at its limit."""
    return max(
        (float(ASSUMPTION_LIMITS[name][1]) / value for name, value in current.items() if value),
        default=1.0,
    )


def pooled_coverage(
    history: History, spec: BacktestSpec, spreads: list[dict[str, float]]
) -> np.ndarray:
    """(G,) each leaf group's share of outcomes inside the band, over baselines and 1..H,
    with `spreads` (one per leaf group) in place of the scenario's."""
    assumptions = {
        code: replace(spec.assumptions_of(code), **values)
        for code, values in zip(spec.groups, spreads, strict=True)
    }
    bands = project_baselines(history, replace(spec, assumptions=assumptions))
    groups = len(spec.groups)
    held = inside(bands)[:, :groups, 1:]
    tested = ~np.isnan(bands.outcome[:, :groups, 1:])
    counts = tested.sum(axis=(0, 2))
    return np.divide(held.sum(axis=(0, 2)), counts, out=np.full(groups, np.nan), where=counts > 0)


def calibrate(
    history: History, spec: BacktestSpec, target: float = TARGET_COVERAGE
) -> list[SpreadProposal]:
    """A proposal per leaf group tested, in the order of `spec.groups`."""
    if not 0 < target < 1:
        raise ValueError(f"the target coverage must be between 0 and 1, got {target}")
    current = [
        {name: float(getattr(spec.assumptions_of(code), name)) for name in SUPPLY_SPREADS}
        for code in spec.groups
    ]

    def coverage(factors: np.ndarray) -> np.ndarray:
        spreads = [scaled(c, float(f)) for c, f in zip(current, factors, strict=True)]
        return pooled_coverage(history, spec, spreads)

    now = coverage(np.ones(len(current)))
    low = np.zeros(len(current))
    high = np.array([widest_factor(c) for c in current])
    reached = coverage(high) >= target
    for _ in range(STEPS):
        middle = (low + high) / 2
        enough = coverage(middle) >= target
        high = np.where(enough, middle, high)
        low = np.where(enough, low, middle)
    proposed_coverage = coverage(high)
    return [
        SpreadProposal(
            staff_group=code,
            factor=float(high[g]),
            coverage_now=float(now[g]),
            coverage_proposed=float(proposed_coverage[g]),
            reached=bool(reached[g]),
            current=current[g],
            proposed=scaled(current[g], float(high[g])),
        )
        for g, code in enumerate(spec.groups)
        if not np.isnan(now[g])
    ]
