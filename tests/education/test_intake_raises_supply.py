"""Raising a programme's planned intake raises projected supply of the group it feeds from the
year its students qualify, and not before (docs/design.md section 3, education pipeline)."""

import pytest

from core.models import StaffGroup
from education.models import CommissionedIntake, Programme
from workforce.models import ProjectionResult

from ..workforce.projection_data import run_once, scenario, small_system

pytestmark = pytest.mark.django_db


def nurses_supply(run) -> dict[int, float]:
    rows = ProjectionResult.objects.filter(run=run, level="ics", staff_group__code="NUR")
    return {r.year: r.supply_p50 for r in rows}


def test_more_intake_raises_supply_from_the_year_students_qualify(
    cast, django_capture_on_commit_callbacks
):
    system = small_system("QKK")
    degree = Programme.objects.create(
        code="TEST-NUR",
        name="Nursing degree",
        route=Programme.Route.DEGREE,
        staff_group=StaffGroup.objects.get(code="NUR"),
        course_years=3,
        attrition="0.2",
        graduate_fte="0.9",
        placement_weeks_per_year=20,
    )
    for year in (2023, 2024, 2025):
        CommissionedIntake.objects.create(
            ics=system, programme=degree, academic_year=year, planned_places=100
        )
    plan = scenario(system, horizon=8)
    before = nurses_supply(run_once(cast, system, plan, django_capture_on_commit_callbacks))

    # From the academic year 2026/27 (the first a plan made in 2025/26 can change): 150 places.
    CommissionedIntake.objects.create(
        ics=system, programme=degree, academic_year=2026, planned_places=150
    )
    after = nurses_supply(run_once(cast, system, plan, django_capture_on_commit_callbacks))

    # Baseline year 2025/26 (t = 0); students starting in September 2026 on a three-year
    # course qualify in summer 2029 and join in 2029/30.
    for year in range(2025, 2029):
        assert after[year] == pytest.approx(before[year]), year
    assert after[2029] > before[2029]
    # 50 more starters a year, 80% complete, 0.9 FTE each, 70% stay in the system.
    assert after[2029] - before[2029] == pytest.approx(50 * 0.8 * 0.9 * 0.7, rel=1e-6)
    assert after[2030] - before[2030] > after[2029] - before[2029]
