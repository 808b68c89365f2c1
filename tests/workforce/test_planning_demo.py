import io
from decimal import Decimal

import pytest

from core.demo import published
from core.models import ICS, PublishedFigure
from workforce.demo import STEPS, planning
from workforce.models import PlanTarget, Scenario, ScenarioAssumption
from workforce.projection.costs import default_cost_per_fte

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The published figures and the planning step, seeded once for this module (a few
    seconds) and removed after it."""
    with django_db_blocker.unblock():
        published.seed(io.StringIO())
        out = io.StringIO()
        planning.seed(out)
        yield out.getvalue()
        PlanTarget.objects.all().delete()
        ScenarioAssumption.objects.all().delete()
        Scenario.objects.all().delete()
        PublishedFigure.objects.all().delete()


def test_the_step_runs_after_the_published_figures():
    assert STEPS.index("workforce.demo.planning") > STEPS.index("core.demo.published")


def test_every_system_has_targets_for_five_years_and_a_central_scenario(seeded):
    systems = ICS.objects.valid_on(planning.DEMO_ON)
    assert systems.count() == 36
    national = Scenario.objects.get(ics=None, name="Central (national)")
    assert national.draws == 500 and not national.assumptions.exists()
    for ics in systems:
        central = Scenario.objects.get(ics=ics, name="Central")
        assert central.based_on == national and central.draws == 500
        nurses = PlanTarget.objects.filter(ics=ics, staff_group__code="NUR")
        assert sorted(nurses.values_list("year", flat=True)) == [2026, 2027, 2028, 2029, 2030]
        # No all-staff target: the trusts' sum would be set against every sector's supply.
        assert not PlanTarget.objects.filter(ics=ics, staff_group__code="ALL").exists()
        assert set(PlanTarget.objects.filter(ics=ics).values_list("plan", flat=True)) == {"scp"}
        assert PlanTarget.objects.filter(ics=ics, staff_group__code="NUR").count() == 5
    assert "plan targets (2026/27 to 2030/31) added for 36 systems" in seeded


def test_the_variants_change_what_their_names_say(seeded):
    qkk = ICS.objects.get(code="QKK")
    push = Scenario.objects.get(ics=qkk, name="Retention push")
    assert push.based_on == Scenario.objects.get(ics=qkk, name="Central")
    rows = {r.staff_group_id and r.staff_group.code: r for r in push.assumptions.all()}
    changes = {code: r.leaver_rate_change for code, r in rows.items() if code}
    assert changes == {
        code: Decimal("-0.01000") for code in ("NUR", "SUP-DNM", "SUP-AMB", "SUP-STT")
    }
    # Its row for every group costs the levers, for its cheapest plan (illustrative).
    every = rows[None]
    assert every.leaver_rate_change is None
    assert (every.training_place_cost, every.international_recruit_cost) == (15000, 12000)
    assert every.retention_point_cost == 250
    lower = Scenario.objects.get(ics=qkk, name="Lower international recruitment")
    (row,) = lower.assumptions.all()
    assert (row.staff_group, row.international_change) == (None, Decimal("-0.30000"))


def _growth(ics: str, code: str) -> float:
    fte = dict(
        PlanTarget.objects.filter(ics__code=ics, staff_group__code=code).values_list(
            "year", "target_fte"
        )
    )
    return float(fte[2027] / fte[2026]) - 1


def test_targets_grow_with_each_systems_ambition(seeded):
    systems = ICS.objects.valid_on(planning.DEMO_ON)
    ambitions = {ics.code: planning.ambition(ics)[0] for ics in systems}
    # Every ambition is taken by some system, so the plans differ.
    assert set(ambitions.values()) == {name for name, _multiple in planning.AMBITIONS}
    multiples = dict(planning.AMBITIONS)
    for ics, name in ambitions.items():
        expected = planning.GROWTH["NUR"] * multiples[name]
        assert abs(_growth(ics, "NUR") - expected) <= 0.0025 + 1e-6, (ics, name)
        if multiples[name] < 1:  # holding and modest plans reduce senior managers
            assert _growth(ics, "INF-SM") == pytest.approx(planning.REDUCTIONS["INF-SM"], abs=1e-4)
    qkk = PlanTarget.objects.filter(ics__code="QKK")
    agency = dict(qkk.filter(staff_group__code="NUR").values_list("year", "target_agency_fte"))
    bank = dict(qkk.filter(staff_group__code="NUR").values_list("year", "target_bank_fte"))
    assert agency[2026] == agency[2030]
    assert abs(float(bank[2027] / bank[2026]) - 0.9) < 0.001
    assert qkk.filter(staff_group__code="INF-SM", target_agency_fte__isnull=False).count() == 0


def test_targets_carry_an_illustrative_financial_plan_at_what_their_fte_would_cost(seeded):
    qkk = PlanTarget.objects.filter(ics__code="QKK")
    nurses = qkk.get(staff_group__code="NUR", year=2028)
    cost = default_cost_per_fte("NUR", "nhs_trust")
    at_2028_prices = 12 * 1.02**3
    pay = float(nurses.pay_budget) / (float(nurses.target_fte) * cost.pay * at_2028_prices)
    assert planning.BUDGET_ALLOWANCE[0] <= pay <= planning.BUDGET_ALLOWANCE[1]
    agency = float(nurses.agency_spend_limit) / (
        float(nurses.target_agency_fte) * cost.agency * at_2028_prices
    )
    assert agency == pytest.approx(pay, abs=1e-4)  # the same allowance of the system's
    assert nurses.bank_spend_limit is not None
    managers = qkk.get(staff_group__code="INF-SM", year=2028)
    assert managers.pay_budget is not None and managers.agency_spend_limit is None
    # Groups with no national pay scale (general practice, social care) have no budget.
    for target in PlanTarget.objects.filter(pay_budget__isnull=True).select_related("staff_group")[
        :50
    ]:
        assert default_cost_per_fte(target.staff_group.code, "nhs_trust").pay is None


def test_the_step_adds_nothing_the_second_time(seeded):
    counts = (PlanTarget.objects.count(), Scenario.objects.count())
    out = io.StringIO()
    planning.seed(out)
    assert (PlanTarget.objects.count(), Scenario.objects.count()) == counts
    assert "Planning: 0 scenarios and 0 plan targets" in out.getvalue()
