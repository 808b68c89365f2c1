"""Known figures for the dashboard tests: a small system with targets, returns and runs."""

from __future__ import annotations

import datetime
from decimal import Decimal

from core.models import ICS, StaffGroup, User
from workforce.models import PlanTarget, ProjectionRun, Scenario
from workforce.services.runs import projection_run_start

from .projection_data import BASELINE, scenario, small_system
from .returns_data import month, store_return

TODAY = datetime.date(2026, 11, 23)


def target(ics: ICS, code: str, year: int, fte: float) -> PlanTarget:
    return PlanTarget.objects.create(
        ics=ics,
        staff_group=StaffGroup.objects.get(code=code),
        year=year,
        plan=PlanTarget.Plan.STRATEGIC_COMMISSIONING_PLAN,
        target_fte=Decimal(str(fte)),
    )


def run(user: User, plan: Scenario, ics: ICS | None, capture) -> ProjectionRun:
    """A run started as a page starts it, carried out at commit (in process)."""
    with capture(execute=True):
        started = projection_run_start(user=user, scenario=plan, ics=ics, baseline_period=BASELINE)
    started.refresh_from_db()
    assert started.status == ProjectionRun.Status.SUCCEEDED, started.error
    return started


def system_with_a_run(
    cast, capture, *, name: str = "Central"
) -> tuple[ICS, Scenario, ProjectionRun]:
    """System X with published nurses (1000, 1100, 1200) and doctors (300, 310, 320) in three
    trusts, targets for nurses in 2027/28 and for everyone in 2028/29, and one deterministic
    run (one draw, five years from 2025/26)."""
    ics = small_system("QKK")
    target(ics, "NUR", 2027, 5000)
    target(ics, "ALL", 2028, 1)
    plan = scenario(ics, name=name)
    return ics, plan, run(cast.lead_x, plan, ics, capture)


def two_months_of_returns(cast) -> None:
    """Trusts A and B (system X) send September and October 2026; trust C (system Y) too.

    September: A has nurses 100 FTE, 10 vacancies, bank 5, agency 2, 1 leaver, sickness 4%;
    B nurses 300 FTE, sickness 6%. October: A's nurses 110 FTE with 20 vacancies.
    """
    figures_a = {"NUR": {"fte": "100", "vacancies_fte": "10", "sickness_absence_rate": "0.04"}}
    figures_b = {"NUR": {"fte": "300", "vacancies_fte": "0", "sickness_absence_rate": "0.06"}}
    store_return(cast.trust_a, month(2026, 9), figures_a)
    store_return(cast.trust_b, month(2026, 9), figures_b)
    store_return(cast.trust_a, month(2026, 10), {"NUR": {"fte": "110", "vacancies_fte": "20"}})
    store_return(cast.trust_c, month(2026, 9), {"NUR": {"fte": "5000"}})
