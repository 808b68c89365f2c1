"""The board pack's sentences from known numbers: no database."""

import pytest

from workforce.boardpack.narrative import (
    Outlook,
    Range,
    chance,
    file_name,
    narrative,
    rounded,
    supply_sentence,
)

NURSES = Outlook(
    group="Nurses & health visitors",
    year=2028,
    supply=Range(12_412.3, 12_873.9, 13_268.0),
    demand=Range(13_950.0, 14_120.4, 14_300.0),
    gap=Range(700.2, 1_246.5, 1_690.0),
    target=13_600,
    probability=0.151,
)


@pytest.mark.parametrize(
    ("value", "shown"),
    [(12_873.9, "12,900"), (58_581, "58,600"), (453.2, "453"), (7.4, "7"), (-1_246.5, "-1,250")],
)
def test_figures_are_rounded_as_a_board_reads_them(value, shown):
    assert rounded(value) == shown


def test_the_narrative_says_supply_demand_target_and_the_groups():
    counts = {"red": 2, "amber": 1, "green": 3}
    shortfalls = [("Nurses & health visitors", 1_246.5), ("HCHS doctors", 310.0), ("AHPs", -20)]
    assert narrative(NURSES, counts, shortfalls) == [
        "Nurses & health visitors: supply reaches 12,900 FTE by 2028/29 (likely 12,400 to "
        "13,300) against a target of 13,600: a 15% chance of meeting it.",
        "Demand reaches 14,100 FTE, a shortfall of 1,250 FTE against demand (likely 700 to 1,690).",
        "Median supply falls 726 FTE short of the plan target.",
        "Of the 6 staff groups with a plan target in 2028/29, 2 are red, 1 amber and 3 green.",
        "The largest shortfall in 2028/29 is in Nurses & health visitors: 1,250 FTE.",
    ]


def test_one_draw_has_no_likely_range_and_a_surplus_is_said_so():
    one_draw = Outlook(
        group="HCHS doctors",
        year=2027,
        supply=Range(930.0, 930.0, 930.0),
        demand=Range(900.0, 900.0, 900.0),
        gap=Range(-30.0, -30.0, -30.0),
        target=None,
        probability=None,
    )
    assert narrative(one_draw, {}, [("HCHS doctors", -30.0)]) == [
        "HCHS doctors: supply reaches 930 FTE by 2027/28; there is no plan target for that year.",
        "Demand reaches 900 FTE: supply exceeds it by 30 FTE.",
        "No staff group has a plan target in 2027/28.",
    ]


def test_a_met_target_reads_as_met():
    met = Outlook(
        group="Midwives",
        year=2029,
        supply=Range(1_000.0, 1_100.0, 1_200.0),
        demand=Range(1_100.0, 1_100.0, 1_100.0),
        gap=Range(-100.0, 0.2, 100.0),
        target=1_050,
        probability=0.84,
    )
    assert supply_sentence(met) == (
        "Midwives: supply reaches 1,100 FTE by 2029/30 (likely 1,000 to 1,200) against a "
        "target of 1,050: an 84% chance of meeting it."
    )
    assert narrative(met, {"green": 1}, [])[1:3] == [
        "Demand reaches 1,100 FTE, in line with supply.",
        "Median supply exceeds the plan target by 50 FTE.",
    ]


@pytest.mark.parametrize(
    ("probability", "words"),
    [(0.151, "a 15% chance"), (0.8, "an 80% chance"), (0.08, "an 8% chance"), (1, "a 100% chance")],
)
def test_the_chance_takes_its_article(probability, words):
    assert chance(probability) == words


def test_the_file_name_carries_system_scenario_group_and_year():
    assert (
        file_name("South East London", "Central", "Nurses", 2028, "pdf")
        == "board-pack_south-east-london_central_nurses_2028-29.pdf"
    )
    assert (
        file_name(
            "Guy's & St Thomas'", "Leavers -1 point!", "Nurses & health visitors", 2031, "pptx"
        )
        == "board-pack_guys-st-thomas_leavers-1-point_nurses-health-visitors_2031-32.pptx"
    )
