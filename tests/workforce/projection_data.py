"""Small, known figures for projection tests: published FTE for the trusts of system X."""

from __future__ import annotations

import datetime
from decimal import Decimal

from core.models import ICS, Organisation, PublishedFigure, StaffGroup
from core.selectors.reference import scope_members
from education.models import CommissionedIntake, Programme
from workforce.models import ProjectionRun, Scenario
from workforce.services.runs import projection_run_start

BASELINE = datetime.date(2026, 2, 1)


def publish(
    organisation: Organisation, figures: dict[str, float], month: datetime.date = BASELINE
) -> None:
    for code, fte in figures.items():
        PublishedFigure.objects.create(
            organisation=organisation,
            staff_group=StaffGroup.objects.get(code=code),
            month=month,
            fte=Decimal(str(fte)),
            headcount=int(fte * 1.1),
            source="test",
        )


def small_system(ics_code: str = "QKK") -> ICS:
    """Three trusts of the system with nurses and doctors published in February 2026."""
    ics = ICS.objects.get(code=ics_code)
    member_ids = scope_members(ics=ics, on=BASELINE)
    members = Organisation.objects.filter(pk__in=member_ids).order_by("code")[:3]
    for i, organisation in enumerate(members):
        publish(organisation, {"NUR": 1000 + 100 * i, "DOC": 300 + 10 * i})
    return ics


def scenario(
    ics: ICS | None = None, *, draws: int = 1, horizon: int = 5, name: str = "Test"
) -> Scenario:
    return Scenario.objects.create(name=name, ics=ics, draws=draws, horizon=horizon, seed=7)


def nursing_degree(ics: ICS, places: int = 60) -> Programme:
    """A three-year nursing degree with `places` planned a year in academic years 2020-2026."""
    degree = Programme.objects.create(
        code="T-NUR",
        name="Nursing degree",
        route=Programme.Route.DEGREE,
        staff_group=StaffGroup.objects.get(code="NUR"),
        course_years=3,
        attrition="0.2",
        graduate_fte="1",
        placement_weeks_per_year=20,
    )
    for year in range(2020, 2027):
        CommissionedIntake.objects.create(
            ics=ics, programme=degree, academic_year=year, planned_places=places
        )
    return degree


def run_once(cast, system: ICS, plan: Scenario, capture) -> ProjectionRun:
    """A run of `plan` for `system` by system X's lead, carried out at once; it succeeded."""
    with capture(execute=True):
        run = projection_run_start(
            user=cast.lead_x, scenario=plan, ics=system, baseline_period=BASELINE
        )
    run.refresh_from_db()
    assert run.status == "succeeded", run.error
    return run
