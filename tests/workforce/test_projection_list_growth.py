"""General practice demand growth from the patients registered at the system's practices."""

from __future__ import annotations

import pytest

from core.models import Organisation, RegisteredPatients, StaffGroup
from workforce.models import ScenarioAssumption
from workforce.projection import defaults
from workforce.projection.inputs import prepare_run
from workforce.selectors.run_coverage import registered_patients_by_ics

from .projection_data import BASELINE, publish, scenario

pytestmark = pytest.mark.django_db


def practices(ics, count: int) -> list[Organisation]:
    return list(
        Organisation.objects.filter(
            memberships__ics=ics, kind=Organisation.Kind.GP_PRACTICE
        ).order_by("code")[:count]
    )


def registered(practice: Organisation, by_year: dict[int, int]) -> None:
    for year, patients in by_year.items():
        RegisteredPatients.objects.create(
            organisation=practice, financial_year=year, patients=patients, source="test"
        )


@pytest.fixture
def lists(cast):
    """Two South East London practices growing from 15,000 to 16,500 patients from 2018/19
    to 2023/24, and a Greater Manchester practice that must not count."""
    RegisteredPatients.objects.all().delete()  # only the figures the test knows
    first, second = practices(cast.ics_x, 2)
    registered(first, {2017: 9_000, 2018: 10_000, 2023: 11_000})
    registered(second, {2018: 5_000, 2023: 5_500})
    registered(practices(cast.ics_y, 1)[0], {2018: 1_000, 2023: 9_000})
    publish(first, {"PC-GP": 6, "PC-DPC": 3})
    publish(cast.trust_a, {"NUR": 1000})
    return first


def growth_of(prepared, organisation: str, group: str) -> float:
    index = next(
        i
        for i, s in enumerate(prepared.series)
        if s.organisation_code == organisation and s.staff_group_code == group
    )
    return float(prepared.inputs.demand_growth[index])


def test_the_loader_sums_the_patients_of_the_systems_member_practices(cast, lists):
    totals = registered_patients_by_ics(ics=cast.ics_x, period=BASELINE)
    assert totals == {"QKK": {2017: 9_000, 2018: 15_000, 2023: 16_500}}
    assert registered_patients_by_ics(ics=None, period=BASELINE)["QOP"] == {
        2018: 1_000,
        2023: 9_000,
    }


def test_general_practice_demand_grows_with_the_registered_list_and_the_notes_say_so(cast, lists):
    prepared = prepare_run(scenario=scenario(cast.ics_x), ics=cast.ics_x, baseline_period=BASELINE)
    expected = 1.1 ** (1 / 5) - 1
    assert growth_of(prepared, lists.code, "PC-GP") == pytest.approx(expected)
    assert growth_of(prepared, lists.code, "PC-DPC") == pytest.approx(expected)
    assert (
        growth_of(prepared, cast.trust_a.code, "NUR")
        == defaults.national_defaults("NUR").demand_growth
    )
    notes = prepared.notes["general_practice_demand_growth"]
    assert notes["by_ics"]["QKK"] == {
        "rate": pytest.approx(expected),
        "from_year": 2018,
        "to_year": 2023,
        "patients_from": 15_000,
        "patients_to": 16_500,
    }
    assert notes["groups_following_registered_lists"] == ["PC-DPC", "PC-GP"]


def test_a_scenarios_own_demand_growth_for_the_group_overrides_the_list(cast, lists):
    plan = scenario(cast.ics_x)
    ScenarioAssumption.objects.create(
        scenario=plan, staff_group_id=_group_id("PC-GP"), demand_growth="0.005"
    )
    prepared = prepare_run(scenario=plan, ics=cast.ics_x, baseline_period=BASELINE)
    assert growth_of(prepared, lists.code, "PC-GP") == pytest.approx(0.005)
    assert growth_of(prepared, lists.code, "PC-DPC") == pytest.approx(1.1 ** (1 / 5) - 1)
    notes = prepared.notes["general_practice_demand_growth"]
    assert notes["groups_set_by_scenario"] == ["PC-GP"]
    assert notes["groups_following_registered_lists"] == ["PC-DPC"]


def _group_id(code: str) -> int:
    return StaffGroup.objects.get(code=code).pk
