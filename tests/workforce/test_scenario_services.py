from decimal import Decimal

import pytest
from django.db.models import F

from core.errors import ApplicationError, OutOfScope
from core.models import AuditEntry, StaffGroup
from workforce.models import ASSUMPTION_FIELDS, DemandStepChange, ScenarioAssumption
from workforce.selectors.planning import scenario_effective_assumptions
from workforce.services.scenarios import scenario_copy, scenario_create, scenario_update

from .planning_data import errors_of, national_scenario

pytestmark = pytest.mark.django_db


def rows_of(scenario) -> list[dict]:
    return list(
        ScenarioAssumption.objects.filter(scenario=scenario)
        .order_by(F("staff_group__sort_order").asc(nulls_first=True))
        .values(
            "staff_group__code",
            "leaver_rate_change",
            "international_change",
            "demand_growth",
            "international_rate",
            "intake_change_from",
        )
    )


def steps_of(scenario) -> list[tuple]:
    return list(
        DemandStepChange.objects.filter(scenario=scenario)
        .order_by("year")
        .values_list("staff_group__code", "year", "fte", "description")
    )


def test_a_national_scenario_is_written_by_national_administrators_only(cast):
    scenario = national_scenario(cast.national)
    assert scenario.ics is None and scenario.draws == 500
    assert len(rows_of(scenario)) == 3
    assert steps_of(scenario) == [
        ("NUR", 2027, Decimal("25.00"), "New ward"),
        ("DOC", 2028, Decimal("-4.00"), "Closure"),
    ]
    for who in ("lead_x", "analyst_x"):
        with pytest.raises(OutOfScope, match="Only national administrators"):
            scenario_create(user=getattr(cast, who), ics=None, name="Mine")
        with pytest.raises(OutOfScope):
            scenario_update(user=getattr(cast, who), scenario=scenario, name="Renamed")


def test_a_scenarios_problems_are_all_given_naming_each_field(cast):
    with pytest.raises(ApplicationError) as excinfo:
        scenario_create(
            user=cast.lead_x,
            ics=cast.ics_x,
            name="  ",
            draws=0,
            horizon=21,
            organisation_share="1.5",
            assumptions=[
                {"staff_group": "NUR", "leaver_rate": "2", "leaver_rate_chnage": "-0.01"},
                {"staff_group": "nur", "intake_change_from": "2026/28"},
                {"staff_group": "SCS", "demand_growth": "x"},
            ],
            step_changes=[{"staff_group": "NUR", "year": 1990, "fte": "ten"}],
        )
    found = errors_of(excinfo)
    assert found["name"] == "name is required: say what the scenario assumes."
    assert found["draws"] == "draws must be a whole number from 1 to 10,000; 0 is not."
    assert found["horizon"] == "horizon must be a whole number from 1 to 20; 21 is not."
    assert found["organisation_share"].startswith("organisation_share must be a fraction")
    assert found["assumptions[0].leaver_rate"] == (
        "leaver_rate must be from 0 to 0.5 (0% to 50%); 2 is not: fractions are asked for, "
        "and 2% is 0.02."
    )
    assert found["assumptions[0].leaver_rate_chnage"] == (
        "leaver_rate_chnage is not an assumption of a scenario."
    )
    assert found["assumptions[1].staff_group"] == "There is already a row for staff group NUR."
    assert "2026/27" in found["assumptions[1].intake_change_from"]
    assert (
        "is not the code of a staff group that is projected" in found["assumptions[2].staff_group"]
    )
    assert found["assumptions[2].demand_growth"] == ("demand_growth must be a number; 'x' is not.")
    assert found["step_changes[0].year"] == "year must be a year from 2000 to 2100; 1990 is not."
    assert found["step_changes[0].fte"] == "fte must be a number; 'ten' is not."


def test_a_name_is_unique_within_a_system(cast):
    scenario_create(user=cast.lead_x, ics=cast.ics_x, name="Central")
    with pytest.raises(ApplicationError, match="QKK already has a scenario named 'central'"):
        scenario_create(user=cast.lead_x, ics=cast.ics_x, name="central")
    scenario_create(user=cast.lead_y, ics=cast.ics_y, name="Central")


def test_a_copy_keeps_every_row_and_step_change_and_changes_only_what_is_asked(cast):
    source = national_scenario(cast.national)
    copy = scenario_copy(
        user=cast.lead_x,
        source=source,
        ics=cast.ics_x,
        name="Retention push",
        changes={
            "draws": 1000,
            "assumptions": [
                {"staff_group": "NUR", "leaver_rate_change": "-0.01"},
                {"staff_group": "SUP-DNM", "leaver_rate_change": "-0.01"},
                {"staff_group": None, "international_change": None},
            ],
        },
    )
    assert (copy.ics, copy.based_on, copy.draws, copy.horizon) == (cast.ics_x, source, 1000, 10)
    assert copy.description == source.description
    assert rows_of(copy) == [
        {
            "staff_group__code": None,
            "leaver_rate_change": None,
            "international_change": None,
            "demand_growth": Decimal("0.02000"),
            "international_rate": None,
            "intake_change_from": None,
        },
        {
            "staff_group__code": "DOC",
            "leaver_rate_change": None,
            "international_change": None,
            "demand_growth": None,
            "international_rate": Decimal("0.05000"),
            "intake_change_from": None,
        },
        {
            "staff_group__code": "NUR",
            "leaver_rate_change": Decimal("-0.01000"),
            "international_change": None,
            "demand_growth": None,
            "international_rate": None,
            "intake_change_from": 2027,
        },
        {
            "staff_group__code": "SUP-DNM",
            "leaver_rate_change": Decimal("-0.01000"),
            "international_change": None,
            "demand_growth": None,
            "international_rate": None,
            "intake_change_from": None,
        },
    ]
    assert steps_of(copy) == steps_of(source)
    assert len(rows_of(source)) == 3  # the source is untouched
    assert rows_of(source)[0]["international_change"] == Decimal("-0.10000")


def test_a_copy_of_every_field_keeps_each_value(cast):
    source = national_scenario(cast.national)
    ScenarioAssumption.objects.filter(scenario=source, staff_group=None).update(
        **{name: Decimal("0.01") for name in ASSUMPTION_FIELDS if name != "intake_change_from"},
        intake_change_from=2030,
    )
    copy = scenario_copy(user=cast.lead_x, source=source, ics=cast.ics_x, name="Copy")
    fields = [f.name for f in ScenarioAssumption._meta.fields if f.name not in ("id", "scenario")]
    original = list(
        ScenarioAssumption.objects.filter(scenario=source)
        .order_by(F("staff_group__sort_order").asc(nulls_first=True))
        .values(*fields)
    )
    copied = list(
        ScenarioAssumption.objects.filter(scenario=copy)
        .order_by(F("staff_group__sort_order").asc(nulls_first=True))
        .values(*fields)
    )
    assert copied == original


def test_a_copy_needs_a_visible_source_and_a_system_the_user_plans_for(cast):
    theirs = scenario_create(user=cast.lead_y, ics=cast.ics_y, name="Theirs")
    with pytest.raises(ApplicationError) as excinfo:
        scenario_copy(user=cast.lead_x, source=theirs, ics=cast.ics_x, name="Mine")
    assert excinfo.value.status_code == 404
    national = national_scenario(cast.national)
    with pytest.raises(OutOfScope):
        scenario_copy(user=cast.lead_x, source=national, ics=cast.ics_y, name="Mine")
    with pytest.raises(OutOfScope):
        scenario_copy(user=cast.analyst_x, source=national, ics=cast.ics_x, name="Mine")
    with pytest.raises(ApplicationError) as excinfo:
        scenario_copy(user=cast.uploader_a, source=national, ics=cast.ics_x, name="Mine")
    assert excinfo.value.status_code == 404


def test_an_update_replaces_rows_and_settings_together_or_not_at_all(cast, monkeypatch):
    scenario = national_scenario(cast.national)
    old_rows, old_steps = rows_of(scenario), steps_of(scenario)

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    def rename() -> None:
        scenario_update(
            user=cast.national,
            scenario=scenario,
            name="Renamed",
            assumptions=[{"staff_group": None, "demand_growth": "0.03"}],
            step_changes=[],
        )

    monkeypatch.setattr(DemandStepChange.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        rename()
    scenario.refresh_from_db()
    assert scenario.name == "Central (national)"
    assert (rows_of(scenario), steps_of(scenario)) == (old_rows, old_steps)
    monkeypatch.undo()
    rename()
    scenario.refresh_from_db()
    assert scenario.name == "Renamed"
    assert [r["demand_growth"] for r in rows_of(scenario)] == [Decimal("0.03000")]
    assert steps_of(scenario) == []
    entry = AuditEntry.objects.filter(action="update").get()
    assert entry.changes["name"] == ["Central (national)", "Renamed"]
    assert len(entry.changes["assumptions"][0]) == 3 and len(entry.changes["assumptions"][1]) == 1


def test_an_update_without_rows_keeps_them(cast):
    scenario = national_scenario(cast.national)
    rows = rows_of(scenario)
    scenario_update(user=cast.national, scenario=scenario, horizon=15)
    assert rows_of(scenario) == rows
    scenario.refresh_from_db()
    assert scenario.horizon == 15


def test_effective_assumptions_say_where_each_value_comes_from(cast):
    scenario = national_scenario(cast.national)
    effective = {g.staff_group_code: g for g in scenario_effective_assumptions(scenario=scenario)}
    assert len(effective) == StaffGroup.objects.filter(reportable=True).count()
    nurses, midwives = effective["NUR"], effective["MID"]
    assert nurses.assumptions.leaver_rate_change == -0.005
    assert nurses.source_of("leaver_rate_change") == "group override"
    assert nurses.source_of("demand_growth") == "scenario"
    assert nurses.assumptions.demand_growth == 0.02
    assert midwives.source_of("leaver_rate_change") == "national default"
    assert midwives.assumptions.intake_change_from is None
    assert nurses.assumptions.intake_change_from == 2027
