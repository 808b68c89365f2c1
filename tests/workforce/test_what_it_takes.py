"""The "what it takes" answers of a run: the model's numbers as computed, places rounded up."""

import math

import pytest

from core.models import StaffGroup
from workforce.models import PlanTarget
from workforce.projection import what_it_takes
from workforce.projection.inputs import prepare_run
from workforce.selectors.what_it_takes import what_it_takes_for
from workforce.services.runs import projection_run_start

from .projection_data import BASELINE, nursing_degree, scenario, small_system

pytestmark = pytest.mark.django_db

YEAR = 2030


def test_answers_are_not_rounded_except_places_which_are_rounded_up_and_say_so(
    cast, django_capture_on_commit_callbacks
):
    system = small_system("QKK")
    nurses = StaffGroup.objects.get(code="NUR")
    nursing_degree(system)
    PlanTarget.objects.create(ics=system, staff_group=nurses, year=YEAR, target_fte=4000)
    with django_capture_on_commit_callbacks(execute=True):
        run = projection_run_start(
            user=cast.lead_x,
            scenario=scenario(system, draws=20),
            ics=system,
            baseline_period=BASELINE,
        )
    run.refresh_from_db()
    assert run.status == "succeeded", run.error

    answer = what_it_takes_for(run=run, staff_group="NUR", year=YEAR, probability=0.8)

    prepared = prepare_run(scenario=run.scenario, ics=system, baseline_period=BASELINE)
    i, k = prepared.axes.ics.position("QKK"), prepared.axes.output_groups.position("NUR")
    t = YEAR - prepared.baseline_year
    joiners = what_it_takes.extra_joiners_needed(prepared.inputs, i, k, t, 0.8)
    cut = what_it_takes.leaver_rate_reduction_needed(prepared.inputs, i, k, t, 0.8)
    assert joiners != round(joiners, 1) and cut is not None  # so rounding would show
    assert answer["extra_joiners_a_year"] == joiners
    assert answer["leaver_rate_reduction_points"] == cut * 100
    assert answer["intake_programme"] == "T-NUR"
    places = answer["extra_intake_places_a_year"]
    assert isinstance(places, int) and places > 0
    per_place = prepared.newly_qualified_by_series(
        prepared.training.newly_qualified(
            extra_places={("QKK", "T-NUR"): 1.0},
            extra_from_year=answer["intake_from_academic_year"],
        )
    ) - prepared.newly_qualified_by_series(prepared.training.newly_qualified())
    needed = what_it_takes.extra_intake_needed(prepared.inputs, i, k, t, 0.8, per_place)
    assert places == math.ceil(needed)
    assert "not rounded" in answer["notes"] and "rounded up" in answer["notes"]
