"""Targets and scenarios are written the one way: scope, values, uniqueness, then the save
with one audit entry whose action is typed."""

import pytest

from core.errors import ApplicationError, OutOfScope
from core.models import AuditEntry, StaffGroup
from workforce.models import PlanTarget
from workforce.services.planning import (
    plan_target_create,
    plan_target_delete,
    plan_target_update,
)
from workforce.services.scenarios import scenario_create, scenario_update

pytestmark = pytest.mark.django_db


def actions(model: str) -> list[str]:
    return list(
        AuditEntry.objects.filter(model=model).order_by("id").values_list("action", flat=True)
    )


def test_a_targets_create_update_and_delete_leave_one_typed_entry_each(cast):
    nurses = StaffGroup.objects.get(code="NUR")
    target = plan_target_create(
        user=cast.lead_x, ics=cast.ics_x, staff_group=nurses, year=2028, target_fte="100"
    )
    plan_target_update(user=cast.lead_x, target=target, target_fte="120")
    plan_target_delete(user=cast.lead_x, target=target)
    assert actions("workforce.PlanTarget") == [
        AuditEntry.Action.CREATE,
        AuditEntry.Action.UPDATE,
        AuditEntry.Action.DELETE,
    ]
    update = AuditEntry.objects.get(model="workforce.PlanTarget", action=AuditEntry.Action.UPDATE)
    assert update.changes == {"target_fte": ["100.00", "120.00"]}


def test_a_scenarios_create_and_update_leave_one_typed_entry_each(cast):
    scenario = scenario_create(user=cast.lead_x, ics=cast.ics_x, name="Central")
    scenario_update(user=cast.lead_x, scenario=scenario, draws=200)
    assert actions("workforce.Scenario") == [AuditEntry.Action.CREATE, AuditEntry.Action.UPDATE]


def test_the_scope_is_checked_before_the_values(cast):
    nurses = StaffGroup.objects.get(code="NUR")
    with pytest.raises(OutOfScope):
        plan_target_create(
            user=cast.lead_y, ics=cast.ics_x, staff_group=nurses, year=2028, target_fte="x"
        )


def test_a_duplicate_target_is_listed_with_the_other_problems(cast):
    nurses = StaffGroup.objects.get(code="NUR")
    plan_target_create(
        user=cast.lead_x, ics=cast.ics_x, staff_group=nurses, year=2028, target_fte="100"
    )
    with pytest.raises(ApplicationError) as refused:
        plan_target_create(
            user=cast.lead_x,
            ics=cast.ics_x,
            staff_group=nurses,
            year=2028,
            target_fte="-1",
        )
    assert [e["field"] for e in refused.value.errors] == ["target_fte", "year"]
    assert "QKK already has a target for" in refused.value.errors[1]["message"]
    assert PlanTarget.objects.count() == 1


def test_a_target_whose_year_cannot_be_read_is_not_called_a_duplicate(cast):
    nurses = StaffGroup.objects.get(code="NUR")
    with pytest.raises(ApplicationError) as refused:
        plan_target_create(
            user=cast.lead_x, ics=cast.ics_x, staff_group=nurses, year="soon", target_fte="1"
        )
    assert [e["field"] for e in refused.value.errors] == ["year"]
    assert "already has a target" not in refused.value.errors[0]["message"]


def test_a_taken_scenario_name_is_listed_with_the_other_problems(cast):
    scenario_create(user=cast.lead_x, ics=cast.ics_x, name="Central")
    with pytest.raises(ApplicationError) as refused:
        scenario_create(user=cast.lead_x, ics=cast.ics_x, name="central", draws=0)
    assert [e["field"] for e in refused.value.errors] == ["draws", "name"]


def test_a_change_to_the_financial_plan_is_audited_in_pence(cast):
    nurses = StaffGroup.objects.get(code="NUR")
    target = plan_target_create(
        user=cast.lead_x,
        ics=cast.ics_x,
        staff_group=nurses,
        year=2028,
        target_fte="100",
        pay_budget="5000000",
    )
    plan_target_update(user=cast.lead_x, target=target, pay_budget="5100000.455")
    update = AuditEntry.objects.get(model="workforce.PlanTarget", action=AuditEntry.Action.UPDATE)
    assert update.changes == {"pay_budget": ["5000000.00", "5100000.46"]}


def test_a_negative_limit_is_refused_naming_its_field_and_nothing_is_stored(cast):
    nurses = StaffGroup.objects.get(code="NUR")
    with pytest.raises(ApplicationError) as refused:
        plan_target_create(
            user=cast.lead_x,
            ics=cast.ics_x,
            staff_group=nurses,
            year=2028,
            target_fte="100",
            bank_spend_limit="-10",
            agency_spend_limit="x",
        )
    assert [e["field"] for e in refused.value.errors] == ["bank_spend_limit", "agency_spend_limit"]
    assert not PlanTarget.objects.exists()
