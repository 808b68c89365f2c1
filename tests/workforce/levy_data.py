"""A system's run with known pay bills and apprenticeship starts, for the levy tests.

System X (QKK): trust A (RJ1) with gross pay of £10m a year (levy £35,000), trust B (RJ2)
with £2m (no levy), and a care home partner (ZZC1) with £1m. Years 2025/26 to 2027/28.
Trust A started 2 registered nurse degree apprentices in 2025 (£26,000 over 4 years:
£13,000 a year) and 1 doctor degree apprentice (no price); the care home 4 healthcare
support workers in 2026 (£3,000 over 1 year: £12,000).
"""

from __future__ import annotations

import datetime

from core.models import ICS, Organisation, StaffGroup, User
from education.models import ApprenticeshipStart, Programme
from education.services import programmes_load
from workforce.models import ProjectionResult, ProjectionRun, Scenario
from workforce.plans.levy import ON_COST_RATIO

YEARS = (2025, 2026, 2027)
FTE_FIELDS = [f"{m}_{p}" for m in ("supply", "demand", "gap") for p in ("p10", "p50", "p90")]


def a_run(ics: ICS, by: User, *, name: str = "Levy") -> ProjectionRun:
    return ProjectionRun.objects.create(
        scenario=Scenario.objects.create(name=name, ics=ics, draws=1, horizon=3, seed=7),
        ics=ics,
        baseline_period=datetime.date(2026, 2, 1),
        status=ProjectionRun.Status.SUCCEEDED,
        progress=100,
        requested_by=by,
        draws=1,
        horizon=3,
    )


def pay_bill(run: ProjectionRun, code: str, gross: float | None, sector: str) -> None:
    """Organisation rows of all staff with the pay bill (on-costs in) of `gross` pay."""
    everyone = StaffGroup.objects.get(code="ALL")
    for year in YEARS:
        bill = None if gross is None else gross * ON_COST_RATIO
        ProjectionResult.objects.create(
            run=run,
            level=ProjectionResult.Level.ORGANISATION,
            entity_code=code,
            sector=sector,
            staff_group=everyone,
            year=year,
            pay_bill_p10=bill,
            pay_bill_p50=bill,
            pay_bill_p90=bill,
            **dict.fromkeys(FTE_FIELDS, 10.0),
        )


def levy_system(cast, *, costed: bool = True) -> ProjectionRun:
    care_home = Organisation.objects.create(
        code="ZZC1", name="Riverside Care Home", kind=Organisation.Kind.SOCIAL_CARE
    )
    run = a_run(cast.ics_x, cast.lead_x)
    pay_bill(run, cast.trust_a.code, 10_000_000 if costed else None, "nhs_trusts")
    pay_bill(run, cast.trust_b.code, 2_000_000 if costed else None, "nhs_trusts")
    pay_bill(run, care_home.code, 1_000_000 if costed else None, "social_care")
    if not Programme.objects.filter(code="NUR-RNDA").exists():
        programmes_load()
    nursing = Programme.objects.get(code="NUR-RNDA")
    ApprenticeshipStart.objects.create(
        organisation=cast.trust_a,
        standard=nursing.name,
        programme=nursing,
        academic_year=2025,
        starts=2,
    )
    ApprenticeshipStart.objects.create(
        organisation=cast.trust_a,
        standard="Doctor degree apprenticeship",
        academic_year=2025,
        starts=1,
    )
    ApprenticeshipStart.objects.create(
        organisation=care_home,
        standard="Healthcare support worker",
        academic_year=2026,
        starts=4,
        levy_funded=False,
    )
    return run
