""" "What it takes" to meet a plan target, for a run's system, staff group and target year.

The answer is computed again from the run's recorded inputs: if the figures, targets or
assumptions have changed since the run (its input hash differs), the question is refused
rather than answered for inputs the run did not use.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from core.calendar import year_label
from core.errors import ApplicationError
from education import pipeline
from workforce.models import ProjectionRun, Scenario
from workforce.projection import lever_costs, what_it_takes
from workforce.projection.assembly import PreparedRun
from workforce.projection.costs import MoneyAssumptions, money_assumptions
from workforce.projection.inputs import assumption_rows, prepare_run

NOTES = (
    "Extra joiners and international recruits start in year 1 and are shared by baseline FTE; "
    "recruits are drawn as the run's international recruitment is. The leaver-rate answer "
    "lowers every organisation's rate by the same points. The intake answer adds places to the "
    "programme named, after placement and educator caps; none means no course that starts in "
    "time can close the gap, or that the places it would take are beyond the placement and "
    "educator capacity (intake_within_capacity). Extra joiners and leaver-rate points are not "
    "rounded; places are whole places, rounded up so that the answer still meets the target. "
    "Costs run from year "
    "1 to the target year: places a year started every year from the first that can change, "
    "each student paid for each year of the course; recruits once each; a lower leaver rate "
    "on the baseline FTE in post. Domestic joiners have no cost assumption."
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


def _within_capacity(q: Question, programme: str, places: int) -> bool:
    """Whether `places` a year more, put through the pipeline's placement and educator caps
    (the answer's search adds them in proportion, as if uncapped), still meet the target."""
    prepared = q.prepared
    capped = prepared.training.newly_qualified(
        extra_places={(q.ics_code, programme): float(places)},
        extra_from_year=pipeline.first_changeable_academic_year(prepared.baseline_year),
    )
    changed = replace(prepared.inputs, newly_qualified=prepared.newly_qualified_by_series(capped))
    met = what_it_takes.probability_of_meeting(changed, q.series, q.t, q.target, None)
    return met >= q.probability


@dataclass(frozen=True)
class Question:
    """A checked question about a run: the run's inputs again, and where in them it points."""

    prepared: PreparedRun
    ics_code: str
    staff_group: str
    year: int
    probability: float
    i: int  # the system's row
    k: int  # the output staff group's row
    t: int  # the target year, in years from the baseline
    target: float
    scenario: Scenario

    @property
    def series(self) -> np.ndarray:
        """The series of the system in the staff group (sub-groups included)."""
        inputs = self.prepared.inputs
        rollup = np.asarray(inputs.group_rollup)
        in_group = rollup[self.k, np.asarray(inputs.series_group, np.intp)] == 1
        return np.flatnonzero((np.asarray(inputs.series_ics) == self.i) & in_group)

    @property
    def fte_in_post(self) -> float:
        """The system's baseline FTE in the staff group, that retention is costed on."""
        return float(np.asarray(self.prepared.inputs.supply0, np.float64)[self.series].sum())

    def heading(self) -> dict:
        """What every answer starts with: the question and the target."""
        return {
            "ics": self.ics_code,
            "staff_group": self.staff_group,
            "year": self.year,
            "probability": self.probability,
            "target_fte": self.target,
        }

    def money(self) -> MoneyAssumptions:
        """The scenario's money assumptions for the staff group asked about (its own row, else
        the row for every group)."""
        rows = assumption_rows(self.scenario)
        return money_assumptions(rows.get(None, {}), rows.get(self.staff_group, {}))


def question_for(
    *,
    run: ProjectionRun,
    staff_group: str,
    year: int,
    probability: float,
    ics_code: str | None = None,
) -> Question:
    """Check a question about a run; ApplicationError (400, or 409 for a run that has not
    succeeded or whose inputs have changed) says what is wrong."""
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
    return Question(
        prepared, ics_code, staff_group, year, probability, i, k, t, float(target), run.scenario
    )


def course_years(prepared: PreparedRun, programme: str) -> int:
    return next(p.course_years for p in prepared.training.programmes if p.code == programme)


def _costs(
    q: Question,
    recruits: float | None,
    points: float | None,
    places: int | None,
    programme: str | None,
) -> dict:
    """Each answer's cost by year to the target year, or why there is none."""
    money = q.money()
    first, last = q.prepared.baseline_year + 1, q.year
    unanswered = {"total_gbp": None, "by_year": [], "not_set": None}

    def priced(amount: float | None, cost: Callable[[float], lever_costs.LeverCost]) -> dict:
        return unanswered if amount is None else cost(amount).as_dict()

    opens = pipeline.first_changeable_academic_year(q.prepared.baseline_year)
    return {
        lever_costs.EXTRA_JOINERS: lever_costs.not_costed(lever_costs.EXTRA_JOINERS).as_dict(),
        lever_costs.INTERNATIONAL_RECRUITS: priced(
            recruits,
            lambda x: lever_costs.international_recruits_cost(
                x, money.international_recruit_cost, first, last
            ),
        ),
        lever_costs.RETENTION: priced(
            points,
            lambda x: lever_costs.retention_cost(
                x, money.retention_point_cost, q.fte_in_post, first, last
            ),
        ),
        # The places a year start every academic year from the first that can change.
        lever_costs.TRAINING_PLACES: priced(
            places,
            lambda x: lever_costs.training_places_cost(
                dict.fromkeys(range(opens, last + 1), float(x)),
                course_years(q.prepared, programme),
                money.training_place_cost,
                last,
            ),
        ),
    }


def what_it_takes_for(
    *,
    run: ProjectionRun,
    staff_group: str,
    year: int,
    probability: float,
    ics_code: str | None = None,
) -> dict:
    q = question_for(
        run=run, staff_group=staff_group, year=year, probability=probability, ics_code=ics_code
    )
    prepared, i, k, t = q.prepared, q.i, q.k, q.t
    inputs = prepared.inputs
    joiners = what_it_takes.extra_joiners_needed(inputs, i, k, t, probability)
    recruits = what_it_takes.extra_international_needed(inputs, i, k, t, probability)
    leaver_points = what_it_takes.leaver_rate_reduction_needed(inputs, i, k, t, probability)
    programme = _feeding_programme(prepared, q.ics_code, staff_group)
    places = None
    if programme is not None:
        per_place = _per_place(prepared, q.ics_code, programme)
        if per_place.any():
            places = what_it_takes.extra_intake_needed(inputs, i, k, t, probability, per_place)
    points = None if leaver_points is None else leaver_points * 100
    whole_places = None if places is None else int(np.ceil(places))
    within = whole_places is None or _within_capacity(q, programme, whole_places)
    if not within:
        whole_places = None
    return {
        **q.heading(),
        "extra_joiners_a_year": joiners,
        "extra_international_recruits_a_year": recruits,
        "leaver_rate_reduction_points": points,
        "extra_intake_places_a_year": whole_places,
        "intake_programme": programme,
        "intake_within_capacity": within,
        "intake_from_academic_year": pipeline.first_changeable_academic_year(
            prepared.baseline_year
        ),
        "costs": _costs(q, recruits, points, whole_places, programme),
        "fte_in_post": q.fte_in_post,
        "notes": NOTES,
    }


__all__ = ["Question", "question_for", "what_it_takes_for"]
