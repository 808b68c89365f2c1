"""Placement weeks split across sectors: capacity checked, capped and reported per sector."""

import pytest

from education.pipeline import (
    EDUCATORS,
    PLACEMENTS,
    CapApplied,
    EducatorCapacity,
    Intake,
    PlacementCapacity,
    PlacementPart,
    Programme,
    newly_qualified_supply,
)

BASELINE = 2026
# 14 weeks acute, 3 community, 3 in primary care or social care: an illustrative split.
SPLIT = (
    PlacementPart(("acute",), 14.0),
    PlacementPart(("community",), 3.0),
    PlacementPart(("primary_care", "social_care"), 3.0),
)
ADULT = Programme("ADULT", "NURSE", 3, 0.2, 0.9, 20.0, SPLIT)
UNSPLIT = Programme("ADULT", "NURSE", 3, 0.2, 0.9, 20.0)


def run(placements, *, programme=ADULT, planned=100.0, educators=(), **kwargs):
    return newly_qualified_supply(
        programmes=[programme],
        intakes=[Intake("QWE", "ADULT", 2027, planned), Intake("QWE", "ADULT", 2028, 0.0)],
        placements=placements,
        educators=educators,
        baseline_year=BASELINE,
        horizon=6,
        **kwargs,
    )


def places(sector, n, year=2027, programme="ADULT"):
    return PlacementCapacity("QWE", programme, year, n, sector)


EVERY_PART = [places("acute", 120.0), places("community", 90.0), places("primary_care", 30.0)]


def test_the_intake_is_capped_by_the_tightest_sector_and_the_cap_names_it():
    result = run([*EVERY_PART, places("social_care", 40.0)])

    # Primary or social care: 30 + 40 = 70 places, fewer than community's 90 or acute's 120.
    assert result.effective_intake["QWE", "ADULT"][2027] == 70.0
    assert result.caps == (
        CapApplied("QWE", "ADULT", 2027, 100.0, 70.0, 30.0, PLACEMENTS, SPLIT[2].sectors),
    )
    assert result.newly_qualified["QWE", "NURSE"][4] == pytest.approx(70.0 * 0.8 * 0.9)


def test_each_sector_reports_its_demand_for_weeks_against_its_capacity():
    result = run([*EVERY_PART, places("social_care", 40.0)])

    acute, community, primary = result.placement_use["QWE", "ADULT"][2027]
    assert (acute.demand_weeks, acute.capacity_weeks, acute.short) == (1400.0, 1680.0, False)
    assert (community.demand_weeks, community.capacity_weeks) == (300.0, 270.0)
    assert community.short and not community.binding  # short, but not the tightest
    assert (primary.places, primary.demand_weeks, primary.capacity_weeks) == (70.0, 300.0, 210.0)
    assert primary.binding and primary.short_by == 30.0


def test_weeks_in_one_sector_cannot_be_made_up_in_another():
    # Far more acute places than students do not help the community part.
    result = run([places("acute", 1000.0), places("community", 40.0)])

    assert result.effective_intake["QWE", "ADULT"][2027] == 40.0
    assert result.caps[0].sectors == ("community",)


def test_a_sector_with_nothing_recorded_sets_no_cap_and_is_reported_unknown():
    result = run([places("acute", 120.0), places("community", 110.0)])

    assert result.caps == ()
    assert result.effective_intake["QWE", "ADULT"][2027] == 100.0
    assert result.placement_use["QWE", "ADULT"][2027][2].places is None


def test_a_zero_recorded_is_a_cap_of_zero_not_unknown():
    result = run([*EVERY_PART[:2], places("primary_care", 0.0)])

    assert result.effective_intake["QWE", "ADULT"][2027] == 0.0


def test_places_outside_the_split_or_in_no_sector_do_not_count_for_it():
    result = run([*EVERY_PART, places("mental_health", 500.0), places(None, 500.0)])

    assert result.placement_use["QWE", "ADULT"][2027][2].places == 30.0
    assert result.effective_intake["QWE", "ADULT"][2027] == 30.0


def test_weeks_that_are_not_split_count_every_sector_together_as_one_total():
    by_sector = run([*EVERY_PART, places(None, 10.0)], programme=UNSPLIT, planned=300.0)
    one_total = run([places(None, 250.0)], programme=UNSPLIT, planned=300.0)

    assert by_sector.effective_intake == one_total.effective_intake
    assert by_sector.newly_qualified == one_total.newly_qualified
    assert (
        by_sector.caps
        == one_total.caps
        == (CapApplied("QWE", "ADULT", 2027, 300.0, 250.0, 50.0, PLACEMENTS),)
    )
    [part] = by_sector.placement_use["QWE", "ADULT"][2027]
    assert (part.sectors, part.weeks, part.places, part.binding) == ((), 20.0, 250.0, True)


def test_each_sector_carries_its_latest_figure_forward():
    result = newly_qualified_supply(
        programmes=[ADULT],
        intakes=[Intake("QWE", "ADULT", 2027, 100.0)],
        placements=[*EVERY_PART, places("primary_care", 60.0, year=2029)],
        educators=[],
        baseline_year=BASELINE,
        horizon=6,
    )
    # 2028 keeps 2027's figures; from 2029 primary care offers 60 and binds at 60.
    intake = result.effective_intake["QWE", "ADULT"]
    assert [intake[y] for y in (2027, 2028, 2029, 2030)] == [30.0, 30.0, 60.0, 60.0]


def test_educators_share_out_the_places_of_each_programmes_tightest_sector():
    # The programme offers 70 students (its tightest part), not 120 + 90 + 70; 35 supervised.
    result = run(
        [*EVERY_PART, places("social_care", 40.0)],
        educators=[EducatorCapacity("QWE", 2027, 7.0, 5.0)],
    )

    [cap] = result.caps
    assert (cap.capacity, cap.bound, cap.sectors) == (35.0, EDUCATORS, ())


@pytest.mark.parametrize(
    ("split", "message"),
    [
        ((PlacementPart(("acute",), 14.0),), "add up to 14, not 20"),
        ((PlacementPart(("acute",), 10.0), PlacementPart(("acute",), 10.0)), "two parts"),
        ((PlacementPart((), 20.0),), "names no sector"),
        ((PlacementPart(("acute",), 20.0), PlacementPart(("community",), 0.0)), "weeks > 0"),
    ],
)
def test_a_split_that_does_not_hold_is_refused(split, message):
    with pytest.raises(ValueError, match=message):
        run([], programme=Programme("ADULT", "NURSE", 3, 0.2, 0.9, 20.0, split))


def test_the_same_sector_and_year_recorded_twice_is_refused():
    with pytest.raises(ValueError, match="placement capacity QWE ADULT acute 2027: recorded"):
        run([places("acute", 1.0), places("acute", 2.0)])
