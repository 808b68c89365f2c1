"""A run's money: the pay bill and temporary staffing spend it stores, from the returns' costs
or the published defaults, the financial plan's limits, and the prices it states."""

from __future__ import annotations

import pytest

from core.models import StaffGroup
from workforce.models import PayAward, PlanTarget, ProjectionResult, ScenarioAssumption
from workforce.projection.costs import default_cost_per_fte
from workforce.services.runs import projection_run_execute, projection_run_start

from .projection_data import BASELINE, publish, scenario
from .returns_data import month, store_return

pytestmark = pytest.mark.django_db

NUR = {"fte": "100", "vacancies_fte": "8", "bank_fte": "5", "agency_fte": "2",
       "pay_cost": "460000", "bank_cost": "25000", "agency_cost": "16000"}  # fmt: skip


def run_of(cast, plan, ics):
    run = projection_run_start(user=cast.lead_x, scenario=plan, ics=ics, baseline_period=BASELINE)
    projection_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == "succeeded", run.error
    return run


def rows(run, level, code, group):
    found = ProjectionResult.objects.filter(
        run=run, level=level, entity_code=code, staff_group__code=group
    )
    if level != "organisation":  # an organisation's rows carry its own sector
        found = found.filter(sector="")
    return {r.year: r for r in found}


def test_the_pay_bill_and_spend_follow_the_returns_costs_and_the_scenarios_prices(cast):
    store_return(cast.trust_a, month(2026, 2), {"NUR": NUR})
    plan = scenario(cast.ics_x, horizon=3)
    ScenarioAssumption.objects.create(scenario=plan, pay_award="0.03", on_cost_change="0.01")
    PayAward.objects.create(scenario=plan, year=2026, rate="0.05")
    run = run_of(cast, plan, cast.ics_x)

    nurses = rows(run, "organisation", "RJ1", "NUR")
    pay, bank, agency = 460000 / 100 * 12, 25000 / 5 * 12, 16000 / 2 * 12
    # The baseline month: the measured costs; 7 temporary FTE of 8 vacancies, 5 of them bank.
    first = nurses[2025]
    assert first.pay_bill_p50 == round(100 * pay, -2)
    assert first.bank_spend_p50 == pytest.approx(8 * (7 / 8) * (5 / 7) * bank, abs=50)
    assert first.agency_spend_p50 == pytest.approx(8 * (7 / 8) * (2 / 7) * agency, abs=50)
    assert first.total_spend_p50 == pytest.approx(
        first.pay_bill_p50 + first.bank_spend_p50 + first.agency_spend_p50, abs=150
    )
    assert first.pay_bill_p10 == first.pay_bill_p50 == first.pay_bill_p90  # one draw
    # 2026/27 takes the award of that year (5%) and the on-cost change; 2027/28 adds 3%.
    second, third = nurses[2026], nurses[2027]
    assert second.pay_bill_p50 == pytest.approx(second.supply_p50 * pay * 1.05 * 1.01, abs=60)
    assert third.pay_bill_p50 == pytest.approx(third.supply_p50 * pay * 1.05 * 1.03 * 1.01, abs=60)
    assert run.prices == {"2025": 1.0, "2026": 1.05, "2027": pytest.approx(1.05 * 1.03),
                          "2028": pytest.approx(1.05 * 1.03**2)}  # fmt: skip
    # The system's rows sum its organisations' per draw (one draw: the sum).
    system = rows(run, "ics", "QKK", "NUR")[2025]
    assert system.pay_bill_p50 == first.pay_bill_p50


def test_published_figures_take_the_defaults_and_a_group_with_no_cost_stores_none(cast):
    publish(cast.trust_a, {"NUR": 1000, "PC-GP": 10})
    run = run_of(cast, scenario(cast.ics_x, horizon=2), cast.ics_x)

    default = default_cost_per_fte("NUR", "nhs_trust").pay * 12
    nurses = rows(run, "organisation", "RJ1", "NUR")[2025]
    assert nurses.pay_bill_p50 == round(1000 * default, -2)
    general_practice = rows(run, "organisation", "RJ1", "PC-GP")[2025]
    assert general_practice.supply_p50 == 10
    assert general_practice.pay_bill_p50 is None and general_practice.total_spend_p90 is None
    assert run.notes["groups_without_cost"] == ["PC-GP"]
    assert rows(run, "ics", "QKK", "ALL")[2025].pay_bill_p50 == nurses.pay_bill_p50


def test_a_target_with_a_pay_budget_states_the_chance_of_keeping_within_it(cast):
    publish(cast.trust_a, {"NUR": 1000})
    plan = scenario(cast.ics_x, horizon=2, draws=200)
    default = default_cost_per_fte("NUR", "nhs_trust").pay * 12
    nurses = StaffGroup.objects.get(code="NUR")
    PlanTarget.objects.create(ics=cast.ics_x, staff_group=nurses, year=2027, target_fte=900,
                              pay_budget=1e12, agency_spend_limit=0)  # fmt: skip
    PlanTarget.objects.create(ics=cast.ics_x, staff_group=nurses, year=2026, target_fte=900,
                              pay_budget=round(500 * default))  # fmt: skip
    run = run_of(cast, plan, cast.ics_x)

    system = rows(run, "ics", "QKK", "NUR")
    assert system[2027].pay_budget == 1e12 and system[2027].probability_within_pay_budget == 1
    assert system[2027].agency_spend_limit == 0
    # Vacancies are filled in part by agency staff in most draws: fewer than one in ten
    # (P10 is above the limit) spend nothing on agency.
    assert system[2027].agency_spend_p10 > 0
    assert 0 <= system[2027].probability_within_agency_limit < 0.1
    assert system[2027].bank_spend_limit is None
    assert system[2027].probability_within_bank_limit is None
    assert system[2026].probability_within_pay_budget == 0  # half the staff's pay
    assert system[2025].pay_budget is None


def test_the_results_api_gives_spend_at_nominal_or_baseline_prices(api, cast):
    publish(cast.trust_a, {"NUR": 1000})
    plan = scenario(cast.ics_x, horizon=2)
    ScenarioAssumption.objects.create(scenario=plan, pay_award="0.04")
    run = run_of(cast, plan, cast.ics_x)
    client = api(cast.lead_x)
    url = f"/api/v1/runs/{run.pk}/results/?level=ics&staff_group=NUR"

    nominal = {r["year"]: r for r in client.get(url).json()["results"]}
    baseline = {r["year"]: r for r in client.get(url + "&prices=baseline").json()["results"]}

    assert client.get(f"/api/v1/runs/{run.pk}/").json()["prices"]["2027"] == pytest.approx(1.0816)
    stored = rows(run, "ics", "QKK", "NUR")[2027]
    assert nominal[2027]["pay_bill_p50"] == stored.pay_bill_p50
    assert baseline[2027]["pay_bill_p50"] == round(stored.pay_bill_p50 / 1.04**2)
    assert baseline[2027]["supply_p50"] == nominal[2027]["supply_p50"]
    assert baseline[2025]["agency_spend_p90"] == nominal[2025]["agency_spend_p90"]
    csv = client.get(url + "&prices=baseline&format=csv").content.decode().splitlines()
    header = csv[0].split(",")
    last = dict(zip(header, csv[-1].split(","), strict=True))
    assert int(last["pay_bill_p50"]) == baseline[2027]["pay_bill_p50"]
    refused = client.get(url + "&prices=real")
    assert refused.status_code == 400 and "prices" in str(refused.json())
