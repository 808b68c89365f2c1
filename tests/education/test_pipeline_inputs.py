"""The pipeline's inputs from the database: the shapes it takes, in a constant number of queries."""

import datetime
from decimal import Decimal

import pytest

from core.models import ICS, Organisation
from education import pipeline
from education.models import CommissionedIntake, EducatorCapacity, PlacementCapacity
from education.selectors import pipeline_inputs_for, pipeline_inputs_without_planned_change

from .data import figures, programme

pytestmark = pytest.mark.django_db


def test_inputs_of_a_system_are_the_pipelines_dataclasses_summed_over_its_organisations(cast):
    figures(cast)
    programmes, intakes, placements, educators = pipeline_inputs_for(ics=cast.ics_x)

    adult = next(p for p in programmes if p.code == "NUR-ADULT-BSC")
    assert adult == pipeline.Programme("NUR-ADULT-BSC", "NUR", 3, 0.2, 0.9, 20.0)
    assert intakes == [pipeline.Intake("QKK", "NUR-ADULT-BSC", 2027, 100.0, None)]
    # Trusts A (60) and B (30) of system X; trust C belongs to Y.
    assert placements == [pipeline.PlacementCapacity("QKK", "NUR-ADULT-BSC", 2027, 90.0, "acute")]
    assert educators == [pipeline.EducatorCapacity("QKK", 2027, 10.0, 5.0)]


def test_the_national_inputs_hold_every_system_apart(cast):
    figures(cast)
    _, intakes, placements, educators = pipeline_inputs_for(ics=None)
    assert {(i.ics, i.planned_places) for i in intakes} == {("QKK", 100.0), ("QOP", 200.0)}
    assert {(p.ics, p.places) for p in placements} == {("QKK", 90.0), ("QOP", 250.0)}
    assert {e.ics for e in educators} == {"QKK", "QOP"}


def test_an_organisations_figure_carries_forward_before_the_sum(cast):
    adult = programme()
    for organisation, year, places in [
        (cast.trust_a, 2027, 60),
        (cast.trust_a, 2029, 70),
        (cast.trust_b, 2027, 30),
    ]:
        PlacementCapacity.objects.create(
            organisation=organisation, programme=adult, academic_year=year, places=places
        )
    _, _, placements, _ = pipeline_inputs_for(ics=cast.ics_x)
    # Trust B recorded 2027 only: its 30 places still count in 2029.
    assert [(p.academic_year, p.places) for p in placements] == [(2027, 90.0), (2029, 100.0)]


def test_educators_sum_their_fte_and_keep_the_students_they_support(cast):
    for organisation, fte, per in [(cast.trust_a, "10", "5"), (cast.trust_b, "5", "2")]:
        EducatorCapacity.objects.create(
            organisation=organisation,
            academic_year=2027,
            educator_fte=Decimal(fte),
            students_per_educator=Decimal(per),
        )
    _, _, _, [educators] = pipeline_inputs_for(ics=cast.ics_x)
    assert educators.educator_fte == 15.0
    assert educators.educator_fte * educators.students_per_educator == pytest.approx(60.0)


def test_an_organisation_counts_for_the_system_it_belongs_to_on_the_day(cast):
    # RAL moved from QMJ to Z9B2Z when the ICBs merged on 1 April 2026.
    PlacementCapacity.objects.create(
        organisation=Organisation.objects.get(code="RAL"),
        programme=programme(),
        academic_year=2027,
        places=40,
    )
    old, new = ICS.objects.get(code="QMJ"), ICS.objects.get(code="Z9B2Z")
    _, _, before, _ = pipeline_inputs_for(ics=old, on=datetime.date(2025, 6, 1))
    _, _, after, _ = pipeline_inputs_for(ics=new, on=datetime.date(2026, 7, 1))
    _, _, nowhere, _ = pipeline_inputs_for(ics=old, on=datetime.date(2026, 7, 1))
    assert [p.ics for p in before] == ["QMJ"]
    assert [p.ics for p in after] == ["Z9B2Z"]
    assert nowhere == []


@pytest.mark.parametrize("national", [False, True])
def test_the_inputs_take_five_queries_whatever_the_scope(cast, django_assert_num_queries, national):
    figures(cast)
    for year in range(2028, 2035):
        figures(cast, year)
    with django_assert_num_queries(5):
        pipeline_inputs_for(ics=None if national else cast.ics_x)


def test_the_inputs_feed_the_pipeline_which_caps_the_intake_at_the_educators(cast):
    figures(cast)
    programmes, intakes, placements, educators = pipeline_inputs_for(ics=cast.ics_x)
    result = pipeline.newly_qualified_supply(
        programmes=programmes,
        intakes=intakes,
        placements=placements,
        educators=educators,
        baseline_year=2026,
        horizon=5,
    )
    # 100 planned, 90 placement places, but 10 educators x 5 students = 50 supervised.
    [cap] = [c for c in result.caps if c.academic_year == 2027]
    assert (cap.capacity, cap.bound) == (50.0, pipeline.EDUCATORS)
    # Starts September 2027, a three-year course: joins in 2030/31, t = 4.
    assert result.newly_qualified["QKK", "NUR"][3:5] == pytest.approx([0.0, 50 * 0.8 * 0.9])


def test_without_the_planned_change_later_intakes_stay_at_this_years_level(cast):
    adult = programme()
    for year, places in [(2026, 100), (2027, 150), (2028, 180)]:
        CommissionedIntake.objects.create(
            ics=cast.ics_x, programme=adult, academic_year=year, planned_places=places
        )
    _, planned, _, _ = pipeline_inputs_for(ics=cast.ics_x)
    _, held, _, _ = pipeline_inputs_without_planned_change(ics=cast.ics_x, baseline_year=2026)
    assert [(i.academic_year, i.planned_places) for i in planned] == [
        (2026, 100.0),
        (2027, 150.0),
        (2028, 180.0),
    ]
    assert [(i.academic_year, i.planned_places) for i in held] == [(2026, 100.0), (2027, 100.0)]
