"""Backtests: projections from past baselines with a scenario's assumptions, set against what
happened, and the spreads that would have made their bands hold. Pure, no Django.

`history` reads and checks the figures, `flows` sets each baseline's supply flows from them,
`projecting` runs the engine on every baseline, `scoring` counts coverage and error, and
`calibration` proposes spreads.
"""

from __future__ import annotations

from dataclasses import dataclass

from .calibration import SpreadProposal, calibrate
from .history import BacktestError, History, check_history, national_history, yearly_baselines
from .projecting import BacktestSpec, Bands, project_baselines
from .scoring import Score, band_rows, scores

__all__ = [
    "BacktestError",
    "BacktestOutcome",
    "BacktestSpec",
    "Bands",
    "History",
    "Score",
    "SpreadProposal",
    "backtest_run",
    "band_rows",
    "calibrate",
    "check_history",
    "national_history",
    "project_baselines",
    "scores",
    "yearly_baselines",
]


@dataclass(frozen=True)
class BacktestOutcome:
    scores: list[Score]
    bands: Bands


def backtest_run(history: History, spec: BacktestSpec) -> BacktestOutcome:
    """Project every baseline and score the bands."""
    bands = project_baselines(history, spec)
    return BacktestOutcome(scores=scores(bands), bands=bands)
