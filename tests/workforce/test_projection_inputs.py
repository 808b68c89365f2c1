"""From stored returns, scenarios and the pipeline to the engine's inputs."""

import numpy as np
import pytest

from core.calendar import financial_year
from core.models import StaffGroup
from education.models import CommissionedIntake, Programme
from workforce.models import ScenarioAssumption
from workforce.projection.engine import project
from workforce.projection.inputs import prepare_run

from .projection_data import scenario
from .returns_data import month, store_return

pytestmark = pytest.mark.django_db

BASELINE = month(2026, 2)


def twelve_months(organisation, figures):
    for m in range(12):
        period = month(2025 + (m + 2) // 12, (m + 2) % 12 + 1)  # 2025-03 .. 2026-02
        store_return(organisation, period, figures)


def test_the_financial_year_holds_april_to_march():
    assert financial_year(month(2026, 3)) == 2025
    assert financial_year(month(2026, 4)) == 2026


def test_a_joiner_is_never_counted_twice(cast):
    """Joiners already include international recruits, returners and the newly qualified:
    with all three assumed, supply after one year is still S0 (1 - l) + joiners."""
    twelve_months(
        cast.trust_a,
        {"NUR": {"fte": "1000", "vacancies_fte": "80", "joiners_fte": "10", "leavers_fte": "8"}},
    )
    nurses = StaffGroup.objects.get(code="NUR")
    degree = Programme.objects.create(
        code="T-NUR",
        name="Nursing",
        route="degree",
        staff_group=nurses,
        course_years=3,
        attrition="0.2",
        graduate_fte="1",
        placement_weeks_per_year=20,
    )
    for year in range(2020, 2027):
        CommissionedIntake.objects.create(
            ics=cast.ics_x, programme=degree, academic_year=year, planned_places=50
        )
    plan = scenario(cast.ics_x, horizon=3)
    ScenarioAssumption.objects.create(
        scenario=plan,
        staff_group=nurses,
        international_rate="0.03",
        return_to_practice_rate="0.005",
        retention_share="0.5",
    )
    prepared = prepare_run(scenario=plan, ics=cast.ics_x, baseline_period=BASELINE)
    i = next(k for k, s in enumerate(prepared.series) if s.organisation_code == "RJ1")
    inputs = prepared.inputs
    assert inputs.international[i] == pytest.approx(30)
    assert inputs.return_to_practice[i] == pytest.approx(5)
    newly_qualified = inputs.newly_qualified[i]
    assert newly_qualified[0] > 0 and newly_qualified[1] == pytest.approx(newly_qualified[0])
    # R is what is left of the 120 joiners a year.
    expected_r = 120 - 30 - 5 - 0.5 * newly_qualified[0]
    assert inputs.recruitment[i] == pytest.approx(expected_r)
    result = project(inputs)
    org = prepared.organisations.index("RJ1")
    k = prepared.output_groups.index("NUR")
    leaver_rate = 96 / 1000
    assert result.organisation.supply[org, k, 1, 1] == pytest.approx(1000 * (1 - leaver_rate) + 120)


def test_recruitment_never_goes_below_zero(cast):
    twelve_months(cast.trust_a, {"NUR": {"fte": "1000", "joiners_fte": "1", "leavers_fte": "8"}})
    plan = scenario(cast.ics_x)
    ScenarioAssumption.objects.create(
        scenario=plan, staff_group=StaffGroup.objects.get(code="NUR"), international_rate="0.10"
    )
    prepared = prepare_run(scenario=plan, ics=cast.ics_x, baseline_period=BASELINE)
    assert (prepared.inputs.recruitment >= 0).all()
    assert prepared.inputs.recruitment[0] == 0


def test_assumptions_resolve_group_then_scenario_then_national(cast):
    twelve_months(cast.trust_a, {"NUR": {"fte": "100"}, "DOC": {"fte": "50"}})
    plan = scenario(cast.ics_x)
    ScenarioAssumption.objects.create(
        scenario=plan, staff_group=None, demand_growth="0.04", productivity="0.01"
    )
    ScenarioAssumption.objects.create(
        scenario=plan, staff_group=StaffGroup.objects.get(code="NUR"), demand_growth="0.01"
    )
    prepared = prepare_run(scenario=plan, ics=cast.ics_x, baseline_period=BASELINE)
    growth = {
        s.staff_group_code: g
        for s, g in zip(prepared.series, prepared.inputs.demand_growth, strict=True)
    }
    assert growth == {"NUR": pytest.approx(0.01), "DOC": pytest.approx(0.04)}
    assert np.allclose(prepared.inputs.productivity, 0.01)


def test_roll_ups_include_every_parent_of_the_series_groups(cast):
    twelve_months(cast.trust_a, {"NUR": {"fte": "100"}, "SUP-DNM": {"fte": "50"}})
    prepared = prepare_run(scenario=scenario(cast.ics_x), ics=cast.ics_x, baseline_period=BASELINE)
    assert prepared.output_groups[:2] == ["NUR", "SUP-DNM"]
    assert set(prepared.output_groups[2:]) == {"ALL", "PQC", "SCS"}
    all_row = prepared.inputs.group_rollup[prepared.output_groups.index("ALL")]
    assert all_row.tolist() == [1, 1]


@pytest.mark.parametrize("route", ["international", "return_to_practice"])
def test_intakes_on_the_international_and_return_routes_count_as_newly_qualified(cast, route):
    """Commissioned places on those routes are supply the system pays for: they are in N(t),
    and the scenario's international recruits and returners are what it recruits beyond them."""
    twelve_months(cast.trust_a, {"NUR": {"fte": "1000"}})
    plan = scenario(cast.ics_x, horizon=3)
    without = prepare_run(scenario=plan, ics=cast.ics_x, baseline_period=BASELINE)
    route_programme = Programme.objects.create(
        code="T-ROUTE",
        name="Nurses recruited on the route",
        route=route,
        staff_group=StaffGroup.objects.get(code="NUR"),
        course_years=1,
        attrition="0.1",
        graduate_fte="1",
        placement_weeks_per_year=0,
    )
    for year in range(2025, 2029):  # arriving from year 1: N(0), and so R, stay as they were
        CommissionedIntake.objects.create(
            ics=cast.ics_x, programme=route_programme, academic_year=year, planned_places=40
        )
    counted = prepare_run(scenario=plan, ics=cast.ics_x, baseline_period=BASELINE)
    flow = counted.training.newly_qualified()
    assert flow.newly_qualified["QKK", "NUR"] == pytest.approx([0, 36, 36, 36])
    i = next(k for k, s in enumerate(counted.series) if s.organisation_code == "RJ1")
    assert counted.inputs.newly_qualified[i].tolist() == pytest.approx([0, 36, 36, 36])
    assert counted.inputs.recruitment[i] == pytest.approx(without.inputs.recruitment[i])
    assert counted.input_hash != without.input_hash
    k = counted.output_groups.index("NUR")
    gained = (
        project(counted.inputs).ics.supply[0, k, 1, 1]
        - project(without.inputs).ics.supply[0, k, 1, 1]
    )
    assert gained == pytest.approx(counted.inputs.retention[i] * 36)
