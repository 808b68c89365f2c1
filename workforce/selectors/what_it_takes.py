""" "What it takes" to meet a plan target, for a run's system, staff group and target year.

The answer is computed again from the run's recorded inputs: if the figures, targets or
assumptions have changed since the run (its input hash differs), the question is refused
rather than answered for inputs the run did not use.
"""

from __future__ import annotations

import numpy as np

from core.calendar import year_label
from core.errors import ApplicationError
from education import pipeline
from workforce.models import ProjectionRun
from workforce.projection import what_it_takes
from workforce.projection.assembly import PreparedRun
from workforce.projection.inputs import prepare_run

NOTES = (
    "Extra joiners start in year 1 and are shared by baseline FTE. The leaver-rate answer "
    "lowers every organisation's rate by the same points. The intake answer adds places to the "
    "programme named, after placement and educator caps; none means no course that starts in "
    "time can close the gap. Extra joiners and leaver-rate points are not rounded; places are "
    "whole places, rounded up so that the answer still meets the target."
)


def _feeding_programme(prepared: PreparedRun, ics_code: str, group: str) -> str | None:
    """The programme feeding `group` with the most planned places in the system."""
    training = prepared.training
    feeds = {p.code for p in training.programmes if p.staff_group_code == group}
    places: dict[str, float] = {}
    for intake in training.intakes:
        if intake.ics == ics_code and intake.programme in feeds:
            places[intake.programme] = places.get(intake.programme, 0.0) + intake.planned_places
    return max(places, key=places.get) if places else None


def _per_place(prepared: PreparedRun, ics_code: str, programme: str) -> np.ndarray:
    """Newly qualified FTE per series that one extra place a year adds, from the first
    academic year that can still change, after capacity caps."""
    first = pipeline.first_changeable_academic_year(prepared.baseline_year)
    base = prepared.training.newly_qualified()
    more = prepared.training.newly_qualified(
        extra_places={(ics_code, programme): 1.0}, extra_from_year=first
    )
    return prepared.newly_qualified_by_series(more) - prepared.newly_qualified_by_series(base)


def what_it_takes_for(
    *,
    run: ProjectionRun,
    staff_group: str,
    year: int,
    probability: float,
    ics_code: str | None = None,
) -> dict:
    if run.status != ProjectionRun.Status.SUCCEEDED:
        raise ApplicationError(
            f"The run is {run.status}: ask again when it has succeeded.", status_code=409
        )
    if not 0 < probability < 1:
        raise ApplicationError(
            [{"field": "probability", "message": "Give a probability between 0 and 1, e.g. 0.8."}]
        )
    prepared = prepare_run(scenario=run.scenario, ics=run.ics, baseline_period=run.baseline_period)
    if prepared.input_hash != run.input_hash:
        raise ApplicationError(
            "The figures, targets or assumptions have changed since this run: start a new run "
            "to ask what it takes.",
            status_code=409,
        )
    ics_code = ics_code or (run.ics.code if run.ics else None)
    if ics_code not in prepared.axes.ics:
        raise ApplicationError(
            [{"field": "ics", "message": "Name a system of this run (ics=CODE)."}]
        )
    if staff_group not in prepared.axes.output_groups:
        raise ApplicationError(
            [{"field": "staff_group", "message": f"The run has no staff group '{staff_group}'."}]
        )
    t = year - prepared.baseline_year
    if not 1 <= t <= prepared.inputs.horizon:
        last = prepared.baseline_year + prepared.inputs.horizon
        raise ApplicationError(
            [
                {
                    "field": "year",
                    "message": f"Choose a year from {prepared.baseline_year + 1} to {last}.",
                }
            ]
        )
    i = prepared.axes.ics.position(ics_code)
    k = prepared.axes.output_groups.position(staff_group)
    target = prepared.inputs.targets[i, k, t]
    if np.isnan(target):
        raise ApplicationError(
            [
                {
                    "field": "year",
                    "message": f"{ics_code} has no {staff_group} target for {year_label(year)}.",
                }
            ]
        )
    inputs = prepared.inputs
    joiners = what_it_takes.extra_joiners_needed(inputs, i, k, t, probability)
    leaver_points = what_it_takes.leaver_rate_reduction_needed(inputs, i, k, t, probability)
    programme = _feeding_programme(prepared, ics_code, staff_group)
    places = None
    if programme is not None:
        per_place = _per_place(prepared, ics_code, programme)
        if per_place.any():
            places = what_it_takes.extra_intake_needed(inputs, i, k, t, probability, per_place)
    return {
        "ics": ics_code,
        "staff_group": staff_group,
        "year": year,
        "probability": probability,
        "target_fte": float(target),
        "extra_joiners_a_year": joiners,
        "leaver_rate_reduction_points": None if leaver_points is None else leaver_points * 100,
        "extra_intake_places_a_year": None if places is None else int(np.ceil(places)),
        "intake_programme": programme,
        "intake_from_academic_year": pipeline.first_changeable_academic_year(
            prepared.baseline_year
        ),
        "notes": NOTES,
    }


__all__ = ["what_it_takes_for"]
