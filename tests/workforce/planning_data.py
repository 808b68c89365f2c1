"""Builders of plan targets and scenarios for the planning tests."""

from __future__ import annotations

import datetime
from decimal import Decimal

from core.models import ICS, StaffGroup, User
from workforce.models import PlanTarget, ProjectionRun, Scenario
from workforce.services.scenarios import scenario_create


def target(ics: ICS, code: str = "NUR", year: int = 2028, fte: str = "1000") -> PlanTarget:
    return PlanTarget.objects.create(
        ics=ics,
        staff_group=StaffGroup.objects.get(code=code),
        year=year,
        plan="scp" if year >= 2026 else "jfp",
        target_fte=Decimal(fte),
    )


def errors_of(excinfo) -> dict:
    """A refused write's problems: each message by its field, or by its row and column."""
    return {
        e.get("field") or (e.get("row"), e.get("column")): e["message"]
        for e in excinfo.value.errors
    }


def national_scenario(user: User, name: str = "Central (national)") -> Scenario:
    """A national scenario with a row for every group, two overrides and two step changes."""
    return scenario_create(
        user=user,
        ics=None,
        name=name,
        description="National defaults",
        draws=500,
        assumptions=[
            {"staff_group": None, "demand_growth": "0.02", "international_change": "-0.1"},
            {"staff_group": "NUR", "leaver_rate_change": "-0.005", "intake_change_from": 2027},
            {"staff_group": "DOC", "international_rate": "0.05"},
        ],
        step_changes=[
            {"staff_group": "NUR", "year": 2027, "fte": "25", "description": "New ward"},
            {"staff_group": "DOC", "year": "2028/29", "fte": "-4", "description": "Closure"},
        ],
    )


def queued_run(scenario: Scenario, ics: ICS | None) -> ProjectionRun:
    """A run of the scenario, not yet started: enough for the scenario to count as run."""
    return ProjectionRun.objects.create(
        scenario=scenario,
        ics=ics,
        baseline_period=datetime.date(2026, 2, 1),
        draws=1,
        horizon=5,
        seed=7,
    )
