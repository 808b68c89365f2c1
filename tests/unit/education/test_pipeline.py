"""The education pipeline: intakes in, newly qualified FTE out, with every cap reported."""

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from education.pipeline import (
    EDUCATORS,
    PLACEMENTS,
    CapApplied,
    EducatorCapacity,
    Intake,
    PlacementCapacity,
    Programme,
    first_changeable_academic_year,
    newly_qualified_supply,
)

BASELINE = 2026
ADULT = Programme("ADULT", "NURSE", 3, 0.2, 0.9, 20.0)
MENTAL = Programme("MH", "NURSE", 3, 0.1, 1.0, 20.0)
MIDWIFE = Programme("MIDW", "MIDWIFE", 3, 0.25, 0.8, 25.0)
MSC = Programme("MSC", "NURSE", 2, 0.0, 1.0, 20.0)


def run(
    intakes,
    programmes=(ADULT, MENTAL, MIDWIFE, MSC),
    placements=(),
    educators=(),
    horizon=8,
    **kwargs,
):
    return newly_qualified_supply(
        programmes=programmes,
        intakes=intakes,
        placements=placements,
        educators=educators,
        baseline_year=BASELINE,
        horizon=horizon,
        **kwargs,
    )


def one_cohort(programme, year, places, ics="QWE"):
    """Places in one academic year only: the next year's plan is zero, so nothing carries."""
    return [Intake(ics, programme, year, places), Intake(ics, programme, year + 1, 0.0)]


def test_an_intake_arrives_after_its_course_length_reduced_by_attrition_and_fte():
    result = run(one_cohort("ADULT", 2027, 100.0))

    # Starts September 2027, qualifies summer 2030, joins in 2030/31: t = 2030 - 2026.
    expected = [0.0] * 9
    expected[4] = 100.0 * (1 - 0.2) * 0.9
    assert result.newly_qualified[("QWE", "NURSE")] == pytest.approx(expected)


@pytest.mark.parametrize("course_years", [1, 2, 5])
def test_the_arrival_year_moves_with_the_course_length(course_years):
    programme = Programme("P", "G", course_years, 0.0, 1.0, 10.0)
    result = run(one_cohort("P", 2026, 10.0), programmes=[programme])

    series = result.newly_qualified[("QWE", "G")]
    assert [t for t, fte in enumerate(series) if fte] == [course_years]


def test_the_first_changeable_intake_is_the_september_after_the_baseline_year_starts():
    assert first_changeable_academic_year(2026) == 2027


def test_planned_intake_above_placement_capacity_is_capped_and_reported():
    result = run(
        one_cohort("ADULT", 2027, 120.0),
        placements=[PlacementCapacity("QWE", "ADULT", 2027, 100.0)],
    )

    assert result.effective_intake[("QWE", "ADULT")][2027] == 100.0
    assert result.caps == (CapApplied("QWE", "ADULT", 2027, 120.0, 100.0, 20.0, PLACEMENTS),)
    assert result.newly_qualified[("QWE", "NURSE")][4] == pytest.approx(100.0 * 0.8 * 0.9)


def test_educators_share_out_by_placements_and_cap_the_programme_over_its_share():
    # 90 students' worth of educators for 150 places offered: each programme can use 60%.
    result = run(
        one_cohort("ADULT", 2027, 80.0) + one_cohort("MIDW", 2027, 20.0),
        placements=[
            PlacementCapacity("QWE", "ADULT", 2027, 100.0),
            PlacementCapacity("QWE", "MIDW", 2027, 50.0),
        ],
        educators=[EducatorCapacity("QWE", 2027, 10.0, 9.0)],
    )

    assert result.caps == (CapApplied("QWE", "ADULT", 2027, 80.0, 60.0, 20.0, EDUCATORS),)
    assert result.effective_intake[("QWE", "ADULT")][2027] == pytest.approx(60.0)
    assert result.effective_intake[("QWE", "MIDW")][2027] == 20.0


def test_educator_records_of_one_system_and_year_add_up():
    # Two organisations' educators: 40 + 60 students for 100 places, so nothing is capped.
    result = run(
        one_cohort("ADULT", 2027, 100.0),
        placements=[PlacementCapacity("QWE", "ADULT", 2027, 100.0)],
        educators=[
            EducatorCapacity("QWE", 2027, 4.0, 10.0),
            EducatorCapacity("QWE", 2027, 6.0, 10.0),
        ],
    )

    assert result.caps == ()


def test_nothing_is_capped_within_capacity():
    result = run(
        one_cohort("ADULT", 2027, 100.0),
        placements=[PlacementCapacity("QWE", "ADULT", 2027, 100.0)],
        educators=[EducatorCapacity("QWE", 2027, 20.0, 5.0)],
    )

    assert result.caps == ()
    assert result.effective_intake[("QWE", "ADULT")][2027] == 100.0


def test_nothing_is_capped_where_no_capacity_is_recorded():
    result = run(
        one_cohort("ADULT", 2027, 500.0),
        # Capacity for another programme, a later year and another system does not apply.
        placements=[
            PlacementCapacity("QWE", "MH", 2027, 10.0),
            PlacementCapacity("QWE", "ADULT", 2028, 10.0),
            PlacementCapacity("QOX", "ADULT", 2027, 10.0),
        ],
    )

    assert [c for c in result.caps if c.academic_year == 2027] == []
    assert result.effective_intake[("QWE", "ADULT")][2027] == 500.0


def test_capacity_carries_forward_from_its_last_recorded_year():
    result = run(
        [Intake("QWE", "ADULT", 2027, 150.0)],
        placements=[PlacementCapacity("QWE", "ADULT", 2027, 100.0)],
    )

    assert result.effective_intake[("QWE", "ADULT")][2030] == 100.0
    assert {c.academic_year for c in result.caps} == set(range(2027, BASELINE + 8 + 1))


def test_intakes_beyond_the_plan_carry_the_last_planned_value_forward():
    result = run([Intake("QWE", "ADULT", 2025, 50.0), Intake("QWE", "ADULT", 2027, 60.0)])

    intake = result.effective_intake[("QWE", "ADULT")]
    # Years before the first recorded intake are unknown, not zero-filled.
    assert 2023 not in intake and 2024 not in intake
    assert [intake[y] for y in range(2025, 2035)] == [50.0, 50.0] + [60.0] * 8


def test_actual_starts_replace_planned_places_and_are_not_capped():
    result = run(
        [Intake("QWE", "ADULT", 2025, 120.0, actual_starts=130.0)],
        placements=[PlacementCapacity("QWE", "ADULT", 2025, 110.0)],
    )

    intake = result.effective_intake[("QWE", "ADULT")]
    assert intake[2025] == 130.0
    # The plan, not what happened in one year, is what carries forward (and is capped).
    assert intake[2026] == 110.0
    assert result.caps[0].academic_year == 2026
    assert result.newly_qualified[("QWE", "NURSE")][2] == pytest.approx(130.0 * 0.8 * 0.9)


def test_extra_places_raise_supply_only_once_their_first_cohort_qualifies():
    intakes = [Intake("QWE", "ADULT", 2020, 100.0)]
    before = run(intakes).newly_qualified[("QWE", "NURSE")]
    after = run(
        intakes, extra_places={("QWE", "ADULT"): 10.0}, extra_from_year=2028
    ).newly_qualified[("QWE", "NURSE")]

    gain = [a - b for a, b in zip(after, before, strict=True)]
    first = 2028 + 3 - BASELINE
    assert gain[:first] == [0.0] * first
    assert gain[first:] == pytest.approx([10.0 * 0.8 * 0.9] * (9 - first))


def test_extra_places_start_at_the_first_changeable_year_by_default():
    result = run([], extra_places={("QWE", "ADULT"): 10.0})

    assert min(result.effective_intake[("QWE", "ADULT")]) == first_changeable_academic_year(
        BASELINE
    )


def test_extra_places_are_capped_with_the_plan():
    result = run(
        [Intake("QWE", "ADULT", 2027, 95.0)],
        placements=[PlacementCapacity("QWE", "ADULT", 2027, 100.0)],
        extra_places={("QWE", "ADULT"): 10.0},
    )

    assert result.caps[0] == CapApplied("QWE", "ADULT", 2027, 105.0, 100.0, 5.0, PLACEMENTS)


def test_programmes_feeding_one_staff_group_add_up():
    result = run(one_cohort("ADULT", 2027, 100.0) + one_cohort("MH", 2027, 50.0))

    assert result.newly_qualified[("QWE", "NURSE")][4] == pytest.approx(
        100.0 * 0.8 * 0.9 + 50.0 * 0.9 * 1.0
    )
    # Attrition weighted by graduates' FTE: 72 of them at 20%, 50 at 10%.
    assert result.attrition_by_group[("QWE", "NURSE")] == pytest.approx(
        (90.0 * 0.2 + 50.0 * 0.1) / (90.0 + 50.0)
    )


def test_systems_are_kept_apart():
    result = run(
        one_cohort("ADULT", 2027, 100.0, ics="QWE") + one_cohort("ADULT", 2027, 40.0, "QOX")
    )

    assert result.newly_qualified[("QWE", "NURSE")][4] == pytest.approx(72.0)
    assert result.newly_qualified[("QOX", "NURSE")][4] == pytest.approx(40.0 * 0.72)


@pytest.mark.parametrize(
    ("programme", "intake", "capacity", "message"),
    [
        (Programme("P", "G", 0, 0.1, 1.0, 10.0), None, None, "programme P: course"),
        (Programme("P", "G", 3, 1.5, 1.0, 10.0), None, None, "programme P: attrition"),
        (Programme("P", "G", 3, float("nan"), 1.0, 10.0), None, None, "programme P: attrition"),
        (None, Intake("QWE", "P", 2027, -1.0), None, "intake QWE P 2027: planned"),
        (None, Intake("QWE", "P", 2027, 1.0, -2.0), None, "intake QWE P 2027: actual"),
        (None, Intake("QWE", "X", 2027, 1.0), None, "intake QWE X 2027: unknown"),
        (None, None, PlacementCapacity("QWE", "P", 2028, -5.0), "capacity QWE P 2028"),
        (None, None, EducatorCapacity("QWE", 2028, -1.0, 2.0), "capacity QWE 2028"),
    ],
)
def test_it_refuses_bad_inputs_naming_the_programme_and_year(programme, intake, capacity, message):
    with pytest.raises(ValueError, match=message):
        newly_qualified_supply(
            programmes=[programme or Programme("P", "G", 3, 0.1, 1.0, 10.0)],
            intakes=[intake] if intake else [],
            placements=[capacity] if isinstance(capacity, PlacementCapacity) else [],
            educators=[capacity] if isinstance(capacity, EducatorCapacity) else [],
            baseline_year=BASELINE,
            horizon=5,
        )


PROGRAMMES = (ADULT, MIDWIFE, MSC, Programme("RTP", "MIDWIFE", 1, 0.05, 0.6, 5.0))
YEARS = st.integers(2020, 2032)
places = st.floats(0, 500, allow_nan=False)
codes = st.sampled_from([p.code for p in PROGRAMMES])


def dedupe(records, key):
    return list({key(r): r for r in records}.values())


@st.composite
def pipelines(draw):
    intakes = dedupe(
        draw(
            st.lists(
                st.builds(
                    Intake,
                    st.just("QWE"),
                    codes,
                    YEARS,
                    places,
                    st.none() | places,
                ),
                min_size=1,
                max_size=12,
            )
        ),
        key=lambda i: (i.programme, i.academic_year),
    )
    placements = dedupe(
        draw(st.lists(st.builds(PlacementCapacity, st.just("QWE"), codes, YEARS, places))),
        key=lambda c: (c.programme, c.academic_year),
    )
    educators = draw(
        st.lists(
            st.builds(
                EducatorCapacity,
                st.just("QWE"),
                YEARS,
                st.floats(0, 50, allow_nan=False),
                st.floats(0, 10, allow_nan=False),
            )
        )
    )
    return intakes, placements, educators


@given(pipelines(), st.data(), st.floats(0, 300, allow_nan=False))
def test_supply_never_falls_as_an_intake_rises_and_never_exceeds_the_uncapped(pipeline, data, rise):
    intakes, placements, educators = pipeline
    n = data.draw(st.integers(0, len(intakes) - 1))
    raised = list(intakes)
    raised[n] = replace(intakes[n], planned_places=intakes[n].planned_places + rise)

    def supply(intakes, placements=placements, educators=educators):
        return run(intakes, PROGRAMMES, placements, educators, horizon=10).newly_qualified

    low, high, uncapped = supply(intakes), supply(raised), supply(intakes, (), ())
    for group, series in low.items():
        assert all(a <= b for a, b in zip(series, high[group], strict=True))
        assert all(a <= b for a, b in zip(series, uncapped[group], strict=True))
