from workforce.plans.assumptions import (
    GROUP_OVERRIDE,
    NATIONAL_DEFAULT,
    SCENARIO,
    describe,
    differences,
    effective_assumptions,
)
from workforce.projection.defaults import national_defaults

GROUPS = [("NUR", "Nurses"), ("DOC", "Doctors")]


def test_a_value_comes_from_the_group_row_then_the_scenario_row_then_the_national_default():
    rows = {
        None: {"leaver_rate_change": -0.005, "international_change": -0.3},
        "NUR": {"leaver_rate_change": -0.01, "intake_change": 0.1, "intake_change_from": 2026},
    }
    nurses, doctors = effective_assumptions(GROUPS, rows)
    assert nurses.assumptions.leaver_rate_change == -0.01
    assert nurses.source_of("leaver_rate_change") == GROUP_OVERRIDE
    assert nurses.source_of("international_change") == SCENARIO
    assert nurses.source_of("demand_growth") == NATIONAL_DEFAULT
    assert nurses.assumptions.international_rate == national_defaults("NUR").international_rate
    assert doctors.assumptions.leaver_rate_change == -0.005
    assert doctors.source_of("leaver_rate_change") == SCENARIO
    assert doctors.source_of("intake_change") == NATIONAL_DEFAULT
    assert doctors.assumptions.intake_change == 0.0


def test_an_empty_value_in_a_row_does_not_override():
    (nurses,) = effective_assumptions(GROUPS[:1], {"NUR": {"demand_growth": None}})
    assert nurses.source_of("demand_growth") == NATIONAL_DEFAULT
    assert nurses.assumptions.demand_growth == national_defaults("NUR").demand_growth


def test_values_read_as_a_workforce_lead_reads_them():
    assert describe("leaver_rate_change", -0.01) == "-1.0 points"
    assert describe("international_change", -0.3) == "-30%"
    assert describe("intake_change", 0.1) == "+10%"
    assert describe("intake_change_from", 2026) == "from 2026/27"
    assert describe("demand_growth", 0.025) == "2.5% a year"
    assert describe("retention_share", 0.7) == "70%"
    assert describe("leaver_rate", None) == "measured from the returns"
    assert describe("leaver_rate_sd", 0.01) == "1.0 points"


def test_differences_name_the_group_and_both_values():
    central = effective_assumptions(GROUPS, {})
    push = effective_assumptions(GROUPS, {"NUR": {"leaver_rate_change": -0.01}})
    (difference,) = differences(central, push)
    assert difference.staff_group_code == "NUR"
    assert difference.name == "leaver_rate_change"
    assert (difference.left, difference.right) == ("+0.0 points", "-1.0 points")
    assert differences(central, central) == []


def test_money_assumptions_resolve_through_the_money_defaults_with_their_sources():
    rows = {
        None: {"pay_award": 0.03, "training_place_cost": 27150.0, "leaver_rate_change": -0.01},
        "NUR": {"pay_award": 0.045, "agency_premium": 0.6},
    }
    nurses, doctors = effective_assumptions(GROUPS, rows)
    assert (nurses.money.pay_award, nurses.source_of("pay_award")) == (0.045, GROUP_OVERRIDE)
    assert (doctors.money.pay_award, doctors.source_of("pay_award")) == (0.03, SCENARIO)
    assert doctors.source_of("training_place_cost") == SCENARIO
    assert doctors.source_of("agency_premium") == NATIONAL_DEFAULT
    assert doctors.money.agency_premium is None
    assert nurses.assumptions.leaver_rate_change == -0.01  # the rest resolve as before
    (plain,) = effective_assumptions(GROUPS[:1], {})
    assert plain.money.pay_award == 0.02 and plain.source_of("pay_award") == NATIONAL_DEFAULT


def test_money_values_read_in_percent_and_pounds():
    assert describe("pay_award", 0.036) == "3.6% a year"
    assert describe("on_cost_change", 0.01) == "+1.0%"
    assert describe("agency_premium", 0.55) == "55%"
    assert describe("agency_premium", None) == "measured from the returns"
    assert describe("training_place_cost", 27150.0) == "£27,150"
    assert describe("retention_point_cost", None) == "not costed"


def test_a_difference_in_money_between_two_scenarios_is_found():
    left = effective_assumptions(GROUPS[:1], {None: {"pay_award": 0.03}})
    right = effective_assumptions(GROUPS[:1], {})
    (found,) = differences(left, right)
    assert (found.name, found.left, found.right) == ("pay_award", "3.0% a year", "2.0% a year")
