"""A scenario's assumptions in words, against the national defaults."""

from workforce.plans.wording import EVERY_GROUP, scenario_in_words

NURSES = ("NUR", "Nurses & health visitors")
DOCTORS = ("DOC", "HCHS doctors")
MANAGERS = ("INF-SM", "Senior managers")
GROUPS = [NURSES, DOCTORS, MANAGERS]


def texts(rows, groups=GROUPS) -> list[str]:
    return [s.text for s in scenario_in_words(groups, rows)]


def test_a_leaver_rate_change_reads_in_points_against_the_rate_measured():
    # The nurses' default where no return gives leavers is 9.5% (projection defaults).
    assert texts({"NUR": {"leaver_rate_change": -0.01}}) == [
        "Nurses & health visitors: leaver rate 1 point lower than measured from the returns "
        "(where no return gives leavers: 9.5% to 8.5%)."
    ]


def test_a_leaver_rate_change_on_a_rate_the_scenario_sets_reads_against_that_rate():
    (text,) = texts({"DOC": {"leaver_rate": 0.1, "leaver_rate_change": 0.005}})[1:]
    assert text == (
        "HCHS doctors: leaver rate 0.5 points higher than this scenario's 10% a year "
        "(10% to 10.5%)."
    )


def test_a_row_for_every_group_says_the_defaults_it_replaces():
    found = texts({None: {"demand_growth": 0.02, "international_change": -0.3}})
    assert found == [
        f"{EVERY_GROUP}: demand growth 2% a year (the defaults: 0% to 2.5% by staff group).",
        f"{EVERY_GROUP}: international recruitment 30% lower than the default.",
    ]


def test_one_groups_change_names_the_figures_it_moves():
    assert texts({None: {"international_change": -0.3}}, [NURSES]) == [
        f"{EVERY_GROUP}: international recruitment 30% lower than the default "
        "(2.5% to 1.75% of FTE a year)."
    ]


def test_an_override_reads_against_the_scenarios_value_for_every_group():
    rows = {None: {"demand_growth": 0.02}, "NUR": {"demand_growth": 0.03}}
    found = texts(rows, [NURSES, DOCTORS])
    assert (
        found[0]
        == f"{EVERY_GROUP}: demand growth 2% a year, 0.5 points lower than the default (2.5%)."
    )
    assert found[1] == (
        "Nurses & health visitors: demand growth 3% a year, 1 point higher than this "
        "scenario's value for every staff group (2%)."
    )


def test_intake_changes_read_with_their_first_year():
    assert texts({"NUR": {"intake_change": 0.1, "intake_change_from": 2026}}, [NURSES]) == [
        "Nurses & health visitors: training intake 10% higher than planned from 2026/27."
    ]


def test_a_value_every_group_overrides_is_not_said_for_every_group():
    rows = {None: {"productivity": 0.01}, "NUR": {"productivity": 0.02}}
    assert [s.staff_group_code for s in scenario_in_words([NURSES], rows)] == ["NUR"]


def test_a_scenario_of_national_defaults_says_nothing():
    assert texts({}) == []
    assert texts({None: {"leaver_rate_change": None}}) == []


def test_money_assumptions_in_the_rows_leave_the_words_of_the_rest_alone():
    rows = {None: {"pay_award": 0.03, "demand_growth": 0.04}, "NUR": {"agency_premium": 0.6}}
    assert [s.assumption for s in scenario_in_words([NURSES], rows)] == ["demand_growth"]
