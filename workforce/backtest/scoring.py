"""How the bands fared: coverage, and the error of P50, per staff group and horizon.

Pure, no Django. For a staff group and a horizon h, over the baselines it was tested from:

- coverage: the share of them whose outcome h years on fell inside P10-P90 (0.8 when the
  band is calibrated);
- mape: the mean of |P50 - outcome| / outcome;
- bias: the mean of (P50 - outcome) / outcome: above zero, the model projected too many.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from .projecting import Bands

P10, P50, P90 = range(3)
# An outcome on the band's edge to within rounding is inside it (with one draw the band is
# a line, and an outcome that follows the model exactly lies on it).
EDGE = 1e-9


@dataclass(frozen=True)
class Score:
    staff_group: str
    horizon: int
    coverage: float
    mape: float
    bias: float
    baselines: int

    def as_row(self) -> dict:
        return asdict(self)


def inside(bands: Bands) -> np.ndarray:
    """(B, K, H+1) True where the outcome fell inside P10-P90; False where not tested."""
    low, high = bands.bands[..., P10], bands.bands[..., P90]
    margin = EDGE * np.abs(bands.outcome)
    with np.errstate(invalid="ignore"):
        return (bands.outcome >= low - margin) & (bands.outcome <= high + margin)


def relative_error(bands: Bands) -> np.ndarray:
    """(B, K, H+1) (P50 - outcome) / outcome; NaN where not tested or the outcome is 0."""
    outcome = bands.outcome
    with np.errstate(invalid="ignore", divide="ignore"):
        error = (bands.bands[..., P50] - outcome) / outcome
    error[~np.isfinite(error)] = np.nan
    return error


def scores(bands: Bands) -> list[Score]:
    """One score per staff group and horizon 1..H, for the groups tested from a baseline."""
    held, error = inside(bands), relative_error(bands)
    tested = ~np.isnan(bands.outcome)
    out = []
    for k, code in enumerate(bands.outputs):
        for h in range(1, bands.horizon + 1):
            count = int(tested[:, k, h].sum())
            if not count:
                continue
            errors = error[tested[:, k, h], k, h]
            errors = errors[~np.isnan(errors)]
            out.append(
                Score(
                    staff_group=code,
                    horizon=h,
                    coverage=float(held[:, k, h].sum() / count),
                    mape=float(np.abs(errors).mean()) if errors.size else float("nan"),
                    bias=float(errors.mean()) if errors.size else float("nan"),
                    baselines=count,
                )
            )
    return out


def band_rows(bands: Bands) -> list[dict]:
    """Every tested baseline, group and year 0..H: its P10, P50, P90 and outcome, to chart."""
    rows = []
    tested = bands.tested()
    for b, baseline in enumerate(bands.baselines):
        for k, code in enumerate(bands.outputs):
            if not tested[b, k]:
                continue
            for t in range(bands.horizon + 1):
                p10, p50, p90 = (round(float(v), 2) for v in bands.bands[b, k, t])
                rows.append(
                    {
                        "baseline": baseline.isoformat()[:7],
                        "staff_group": code,
                        "horizon": t,
                        "p10": p10,
                        "p50": p50,
                        "p90": p90,
                        "outcome": round(float(bands.outcome[b, k, t]), 2),
                    }
                )
    return rows
