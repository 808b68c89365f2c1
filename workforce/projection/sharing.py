"""What a run shares out among its series: the planned intakes carried forward with the
scenario's change, the pipeline's newly qualified staff and the scenario's demand step changes,
each series taking its share of its ICS's and staff group's baseline FTE. Pure: numpy only."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from education import pipeline

from . import defaults
from .run_data import BaselineSeries, StepChange


def expanded_intakes(
    intakes: Sequence[pipeline.Intake],
    last_year: int,
    assumptions: Mapping[str, defaults.Assumptions],
    feeds: Mapping[str, str],
) -> list[pipeline.Intake]:
    """Planned intakes carried forward to `last_year`, with the scenario's intake change.

    A year with no plan takes the last planned places before it; the change (a relative
    change, from its academic year if it names one) applies to planned places of every year,
    never to actual starts, which the pipeline takes as they are.
    """
    plans: dict[tuple[str, str], dict[int, pipeline.Intake]] = defaultdict(dict)
    for intake in intakes:
        plans[(intake.ics, intake.programme)][intake.academic_year] = intake
    expanded = []
    for (ics, programme), by_year in plans.items():
        a = assumptions.get(feeds[programme])
        carried = None
        for year in range(min(by_year), max(last_year, max(by_year)) + 1):
            intake = by_year.get(year)
            if intake is not None:
                carried = intake.planned_places
            places = carried if intake is None else intake.planned_places
            if (
                a
                and a.intake_change
                and (a.intake_change_from is None or year >= a.intake_change_from)
            ):
                places = places * (1 + a.intake_change)
            expanded.append(
                pipeline.Intake(
                    ics=ics,
                    programme=programme,
                    academic_year=year,
                    planned_places=max(0.0, places),
                    actual_starts=intake.actual_starts if intake is not None else None,
                )
            )
    return expanded


def fte_shares(series: Sequence[BaselineSeries]) -> np.ndarray:
    """Each series' share of the baseline FTE of its ICS and staff group (0 when that is 0)."""
    totals: dict[tuple[str, str], float] = defaultdict(float)
    for s in series:
        totals[s.ics_code, s.staff_group_code] += s.fte
    return np.array(
        [
            s.fte / totals[s.ics_code, s.staff_group_code]
            if totals[s.ics_code, s.staff_group_code]
            else 0.0
            for s in series
        ]
    )


def shared_by_series(
    series: Sequence[BaselineSeries],
    share: np.ndarray,
    flow: pipeline.PipelineResult,
    horizon: int,
) -> np.ndarray:
    """The pipeline's N(t) per (ICS, group), shared among the series by baseline FTE."""
    out = np.zeros((len(series), horizon + 1))
    for i, s in enumerate(series):
        by_year = flow.newly_qualified.get((s.ics_code, s.staff_group_code))
        if by_year is not None:
            out[i] = np.asarray(by_year[: horizon + 1]) * share[i]
    return out


def shared_step_changes(
    series: Sequence[BaselineSeries],
    changes: Iterable[StepChange],
    baseline_year: int,
    horizon: int,
) -> np.ndarray:
    """(series, H+1): each change in years 1..H, shared among its group's series by baseline
    FTE; a change outside the horizon, or for a group with no FTE, is left out."""
    supply0 = np.array([s.fte for s in series])
    groups = np.array([s.staff_group_code for s in series])
    out = np.zeros((len(series), horizon + 1))
    for change in changes:
        t = change.year - baseline_year
        mask = groups == change.staff_group_code
        if 1 <= t <= horizon and mask.any():
            group_total = supply0[mask].sum()
            if group_total > 0:
                out[mask, t] += float(change.fte) * supply0[mask] / group_total
    return out
