"""The cheapest plan that meets a run's plan target with a probability (docs/model.md, "The
cheapest plan"): the question checked as "what it takes" checks it, the scenario's lever
costs, the training places within the placement and educator capacity, then the pure solver.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from core.errors import ApplicationError
from education import pipeline
from workforce.projection import lever_costs
from workforce.projection.assembly import PreparedRun
from workforce.projection.chance_lp import SolverStopped
from workforce.projection.cheapest_plan import PlaceCohort, UnitCosts, cheapest_plan
from workforce.selectors.what_it_takes import Question

# Far more places than any capacity: what is left of it shows as the effective intake.
_UNLIMITED = 1e9
# The mixed-integer programme's limit, seconds; stopped by it, sampling and discarding stands.
TIME_LIMIT = 1.0

NO_COST = (
    "No lever has a cost: set training_place_cost, international_recruit_cost or "
    "retention_point_cost in the scenario to find the cheapest plan."
)
NOT_REACHABLE = (
    "Not reachable with these levers: even every costed lever at its limit (places within "
    "capacity, the leaver rate down to zero) does not meet the target that often."
)
SOLVER_STOPPED = (
    "The solver stopped before it found the plan (its time limit): ask again, or ask for a "
    "run with fewer draws."
)
NOTES = (
    "International recruits a year and the leaver-rate cut run from year 1 to the target year; "
    "places are extra students starting in each academic year named, within the placement and "
    "educator capacity left, rounded up to whole places. Costs are the levers' own, not the pay "
    "of the staff they add. The probability achieved is the share of the run's draws that meet "
    "the target with the plan applied. Domestic joiners have no cost assumption and take no "
    "part."
)


def _cohorts(prepared: PreparedRun, ics_code: str, group: str, t: int) -> list[PlaceCohort]:
    """A cohort for each programme feeding `group` (or one of its sub-groups) that the system
    plans places on and each academic year, from the first that can change, whose students
    qualify by year t."""
    training = prepared.training
    k = prepared.axes.output_groups.position(group)
    rollup = np.asarray(prepared.inputs.group_rollup)[k]
    fed = {group} | {leaf for g, leaf in enumerate(prepared.leaf_groups) if rollup[g] == 1}
    planned = {i.programme for i in training.intakes if i.ics == ics_code}
    feeding = [p for p in training.programmes if p.staff_group_code in fed and p.code in planned]
    if not feeding:
        return []
    opens = pipeline.first_changeable_academic_year(prepared.baseline_year)
    base = training.newly_qualified()
    # The caps of a programme do not move with another's plan (education/pipeline.py), so
    # each programme's headroom is found on its own.
    uncapped = replace(training, placements=(), educators=())
    cohorts = []
    for programme in feeding:
        key = (ics_code, programme.code)
        most = training.newly_qualified(extra_places={key: _UNLIMITED}, extra_from_year=opens)
        last = prepared.baseline_year + t - programme.course_years
        # One place a year more from each year on: consecutive differences are one cohort's.
        from_year = [
            prepared.newly_qualified_by_series(
                uncapped.newly_qualified(extra_places={key: 1.0}, extra_from_year=year)
            )
            for year in range(opens, last + 2)
        ]
        effective = base.effective_intake.get(key, {})
        for j, year in enumerate(range(opens, last + 1)):
            headroom = most.effective_intake[key].get(year, 0.0) - effective.get(year, 0.0)
            cohorts.append(
                PlaceCohort(
                    programme=programme.code,
                    academic_year=year,
                    course_years=programme.course_years,
                    newly_qualified=from_year[j] - from_year[j + 1],
                    headroom=math.inf if headroom > _UNLIMITED / 2 else max(headroom, 0.0),
                )
            )
    return sorted(cohorts, key=lambda c: (c.programme, c.academic_year))


def _unit_costs(q: Question) -> UnitCosts:
    money = q.money()
    return UnitCosts(
        training_place=money.training_place_cost,
        international_recruit=money.international_recruit_cost,
        retention_point=money.retention_point_cost,
    )


def cheapest_plan_for(q: Question) -> dict:
    """The cheapest plan for a question checked by `question_for`; ApplicationError (400)
    when no lever can take part."""
    staff_group, probability = q.staff_group, q.probability
    costs = _unit_costs(q)
    cohorts = _cohorts(q.prepared, q.ics_code, staff_group, q.t) if costs.training_place else []
    if costs.international_recruit is None and costs.retention_point is None and not cohorts:
        raise ApplicationError(NO_COST if costs.training_place is None else NO_COST_OR_PLACES)
    try:
        answer = cheapest_plan(
            q.prepared.inputs,
            q.i,
            q.k,
            q.t,
            probability,
            costs=costs,
            cohorts=cohorts,
            time_limit=TIME_LIMIT,
        )
    except SolverStopped:
        raise ApplicationError(SOLVER_STOPPED, status_code=503) from None
    except ValueError as error:  # the system has no staff in the group, say
        raise ApplicationError(f"No plan for this question: {error}.") from None
    baseline_year = q.prepared.baseline_year
    plan = answer.plan
    by_lever = answer.cost_by_year(costs, cohorts, baseline_year, q.t)
    by_year: dict[int, float] = {}
    for cost in by_lever.values():
        for y, gbp in cost.by_year.items():
            by_year[y] = by_year.get(y, 0.0) + gbp
    return {
        **q.heading(),
        "reachable": plan is not None,
        "message": None if plan is not None else NOT_REACHABLE,
        "levers": list(answer.levers),
        "not_costed": [
            {"lever": lever, "message": lever_costs.NOT_SET[lever]} for lever in answer.not_costed
        ],
        "plan": None
        if plan is None
        else {
            "international_recruits_a_year": plan.international_a_year,
            "leaver_rate_reduction_points": plan.leaver_points,
            "from_year": baseline_year + 1,
            "extra_places": [
                {
                    "programme": c.programme,
                    "academic_year": c.academic_year,
                    "places": places,
                    "qualify_in_year": c.academic_year + c.course_years,
                    "capacity_left": None if math.isinf(c.headroom) else c.headroom,
                }
                for c, places in zip(cohorts, plan.places, strict=True)
                if places > 0
            ],
        },
        "cost": None
        if plan is None
        else {
            "total_gbp": plan.cost,
            "by_lever": {lever: cost.as_dict() for lever, cost in by_lever.items()},
            "by_year": [{"year": y, "gbp": gbp} for y, gbp in sorted(by_year.items())],
        },
        "probability_achieved": answer.probability_achieved,
        "meets_probability": (
            answer.probability_achieved is not None and answer.probability_achieved >= probability
        ),
        "method": answer.method,
        "leaver_rate_corrected": answer.corrected,
        "fte_in_post": answer.fte_in_post,
        "draws": int(np.asarray(q.prepared.inputs.draws)),
        "notes": NOTES,
    }


NO_COST_OR_PLACES = (
    "No lever can take part: training places have a cost but the system plans no places on a "
    "course for this staff group, and international recruits and a lower leaver rate have "
    "none. Set international_recruit_cost or retention_point_cost in the scenario."
)

__all__ = ["cheapest_plan_for"]
