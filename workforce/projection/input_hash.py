"""The identity of a run's inputs: identical inputs give the identical hash, so a run can
reuse the results of an earlier one. Pure: numpy only."""

from __future__ import annotations

import hashlib

import numpy as np

from .arrays import EngineInputs, MoneyInputs, Spreads
from .run_data import RunAxes

# 1.1: results by planning sector within each ICS and the nation.
# 1.2: organisations shared across systems counted in each by their share.
# 1.3: futures and sums in float64, only an organisation's ranking in float32.
# 1.4: the pay bill, bank and agency spend.
ENGINE_VERSION = "1.4"


def inputs_hash(inputs: EngineInputs, axes: RunAxes) -> str:
    """SHA-256 of everything the engine's answer depends on, and of the engine's version:
    identical inputs give the identical hash, so a run can reuse results already stored."""
    digest = hashlib.sha256(f"engine {ENGINE_VERSION}".encode())
    for name in EngineInputs.__dataclass_fields__:
        value = getattr(inputs, name)
        if isinstance(value, Spreads | MoneyInputs):
            for part in type(value).__dataclass_fields__:
                digest.update(
                    np.ascontiguousarray(getattr(value, part), dtype=np.float64).tobytes()
                )
        elif isinstance(value, np.ndarray):
            digest.update(name.encode() + np.ascontiguousarray(value, dtype=np.float64).tobytes())
        else:
            digest.update(f"{name}={value}".encode())
    for labels in (axes.organisations, axes.ics, axes.output_groups, axes.sectors):
        digest.update("|".join(labels).encode())
    digest.update(str(axes.baseline_year).encode())
    return digest.hexdigest()
