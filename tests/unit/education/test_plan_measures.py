"""What a plan changes, and its apprenticeship share: pure, no database."""

from education.pipeline import Intake, Programme, newly_qualified_supply
from education.plan_measures import ambition_for, apprenticeship_share, intakes_held_at_year


def test_later_intakes_are_held_at_the_years_planned_places():
    intakes = [
        Intake("QWE", "ADULT", 2025, 90.0, 88.0),
        Intake("QWE", "ADULT", 2026, 100.0),
        Intake("QWE", "ADULT", 2027, 150.0),
        Intake("QWE", "ADULT", 2029, 200.0),
    ]
    assert intakes_held_at_year(intakes, academic_year=2026) == [
        Intake("QWE", "ADULT", 2025, 90.0, 88.0),
        Intake("QWE", "ADULT", 2026, 100.0),
        Intake("QWE", "ADULT", 2027, 100.0),
    ]


def test_the_held_level_is_the_years_actual_starts_where_recorded():
    intakes = [Intake("QWE", "MH", 2026, 100.0, 93.0), Intake("QWE", "MH", 2027, 120.0)]
    held = intakes_held_at_year(intakes, academic_year=2026)
    assert held[-1] == Intake("QWE", "MH", 2027, 93.0)


def test_the_held_level_is_the_plan_carried_from_an_earlier_year():
    intakes = [Intake("QWE", "MH", 2024, 80.0, 70.0), Intake("QWE", "MH", 2028, 120.0)]
    # The pipeline carries plans, not starts: 2026 takes the 80 planned in 2024.
    assert intakes_held_at_year(intakes, academic_year=2026)[-1] == Intake("QWE", "MH", 2027, 80.0)


def test_a_programme_that_starts_later_has_no_intake_without_the_change():
    intakes = [Intake("QWE", "NEW", 2028, 50.0), Intake("QOP", "ADULT", 2026, 10.0)]
    assert intakes_held_at_year(intakes, academic_year=2026) == [
        Intake("QOP", "ADULT", 2026, 10.0),
        Intake("QOP", "ADULT", 2027, 10.0),
    ]


def test_held_intakes_give_the_supply_of_this_years_level_in_the_pipeline():
    programme = Programme("ADULT", "NUR", 3, 0.0, 1.0, 20.0)
    intakes = [Intake("QWE", "ADULT", 2026, 100.0), Intake("QWE", "ADULT", 2027, 160.0)]

    def supply(given):
        return newly_qualified_supply(
            programmes=[programme],
            intakes=given,
            placements=[],
            educators=[],
            baseline_year=2026,
            horizon=5,
        ).newly_qualified["QWE", "NUR"]

    assert supply(intakes) == [0, 0, 0, 100, 160, 160]
    assert supply(intakes_held_at_year(intakes, academic_year=2026)) == [0, 0, 0, 100, 100, 100]


def test_the_apprenticeship_share_counts_the_programmes_given():
    share = apprenticeship_share(
        {"ADULT": {2028: 90.0}, "RNDA": {2028: 10.0, 2029: 20.0}},
        apprenticeships={"RNDA"},
        years=[2028, 2029, 2030],
    )
    assert share == {2028: (10.0, 100.0), 2029: (20.0, 20.0), 2030: (0.0, 0.0)}


def test_the_ambition_is_the_last_milestone_reached():
    assert ambition_for(2027) is None
    assert ambition_for(2028) == 0.16
    assert ambition_for(2030) == 0.16
    assert ambition_for(2031) == 0.22
    assert ambition_for(2035) == 0.22
