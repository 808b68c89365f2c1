"""Organisations shared across systems in the engine's arrays: each counts in the systems
it serves by its share, its projection made once. Pure: numpy only."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from .run_data import BaselineSeries, Labels

Shares = Mapping[str, tuple[tuple[str, float], ...]]


def ics_axis(series: Sequence[BaselineSeries], shares: Shares) -> Labels:
    """The systems a run counts organisations in: those of the series of organisations not
    shared, and those the shared ones have a share of."""
    hosts = {s.ics_code for s in series if s.organisation_code not in shares}
    served = {code for parts in shares.values() for code, _share in parts}
    return Labels(tuple(sorted(hosts | served)))


def series_ics(s: BaselineSeries, ics: Labels, shares: Shares) -> int:
    """A series' ICS: its host's, or for a shared organisation whose host the run does not
    count (a run of another system it serves), the first system it is counted in."""
    if s.ics_code in ics:
        return ics.position(s.ics_code)
    return ics.position(shares[s.organisation_code][0][0])


def share_arrays(shares: Shares, organisations: Labels, ics: Labels) -> dict[str, np.ndarray]:
    """EngineInputs' share_organisation, share_ics and share_weight."""
    parts = [
        (organisations.position(code), ics.position(system), share)
        for code, organisation_parts in sorted(shares.items())
        for system, share in organisation_parts
    ]
    return {
        "share_organisation": np.array([p[0] for p in parts], np.intp),
        "share_ics": np.array([p[1] for p in parts], np.intp),
        "share_weight": np.array([p[2] for p in parts], np.float64),
    }
