"""The world of the access matrix: one object of every kind in system X (trust A) and in
system Y (trust C), who owns each, and who may see and change what (docs/design.md section 5).

The oracle here is written from the design, not from `core.access`, so the matrix
checks the views against what the product promises.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from knox.models import AuthToken

from core.models import ICS, Organisation, OrganisationMembership, Role, StaffGroup, User
from education.models import (
    ApprenticeshipStart,
    CommissionedIntake,
    EducatorCapacity,
    PlacementCapacity,
    Programme,
)
from education.services import programmes_load
from workforce.models import PlanTarget, ProjectionResult, ProjectionRun, Scenario, StaffingReturn
from workforce.services.planning import plan_target_create
from workforce.services.returns import staffing_return_submit
from workforce.services.scenarios import scenario_create

from .returns_data import csv_file

PROGRAMME = "NUR-ADULT-BSC"


@dataclass(frozen=True)
class Owner:
    """Who an object belongs to: "public" (every signed-in user), "ics", "org", "national"
    (national scenarios: every user who reads a system), "national-only" (national runs),
    or "user" (an API token)."""

    kind: str
    ics: ICS | None = None
    org: Organisation | None = None
    user: User | None = None


PUBLIC = Owner("public")


def _systems_of(org: Organisation) -> set[int]:
    return set(
        OrganisationMembership.objects.filter(organisation=org).values_list("ics_id", flat=True)
    )


def _national(user: User) -> bool:
    return (
        user.is_superuser
        or user.role == Role.NATIONAL_ADMIN
        or (user.role == Role.ANALYST and user.ics_id is None)
    )


def visible(user: User | None, owner: Owner) -> bool:
    if user is None:
        return False
    if owner.kind == "user":
        return user.pk == owner.user.pk
    if owner.kind == "public" or _national(user):
        return True
    reads_system = user.role in (Role.ICB_LEAD, Role.ANALYST)
    if owner.kind == "ics":
        return reads_system and user.ics_id == owner.ics.pk
    if owner.kind == "org":
        if user.role == Role.TRUST_UPLOADER:
            return user.organisation_id == owner.org.pk
        return reads_system and user.ics_id in _systems_of(owner.org)
    if owner.kind == "national":
        return reads_system
    return False  # national-only


def may(user: User | None, right: str, owner: Owner) -> bool:
    """May `user` do `right` ("plan", "submit", "run", "catalogue", "copy", "audit",
    "confirm", "accept", "comment", "self", "read") to what `owner` owns?"""
    if user is None:
        return False
    if right in ("self", "read"):
        return visible(user, owner)
    admin = user.is_superuser or user.role == Role.NATIONAL_ADMIN
    if right == "catalogue":
        return admin
    if right == "audit":  # the audit trail: its system's lead and national administrators
        return admin or user.role == Role.ICB_LEAD
    if right == "run":
        if owner.kind == "national-only":
            return _national(user)
        return _national(user) or (
            user.role in (Role.ICB_LEAD, Role.ANALYST) and user.ics_id == owner.ics.pk
        )
    if right in ("plan", "copy"):
        if admin:
            return True
        if owner.kind == "national":  # copying a national scenario to the lead's own system
            return right == "copy" and user.role == Role.ICB_LEAD
        return user.role == Role.ICB_LEAD and owner.ics is not None and user.ics_id == owner.ics.pk
    if right == "confirm":  # a return for review: its own organisation's users
        return user.role == Role.TRUST_UPLOADER and user.organisation_id == owner.org.pk
    if right == "accept":  # a return for review: its system's ICB lead, or nationally
        return admin or (user.role == Role.ICB_LEAD and user.ics_id in _systems_of(owner.org))
    if right == "comment":
        return any(may(user, r, owner) for r in ("confirm", "accept", "submit"))
    if right == "submit":
        if admin:
            return True
        if user.role == Role.TRUST_UPLOADER:
            return user.organisation_id == owner.org.pk
        return user.role == Role.ICB_LEAD and user.ics_id in _systems_of(owner.org)
    raise ValueError(f"unknown right {right}")


@dataclass
class Side:
    """One system's objects: X (QKK, trust A) or Y (QOP, trust C)."""

    name: str
    ics: ICS
    trust: Organisation
    staffing_return: StaffingReturn
    scenario: Scenario  # it has a run, so it is not changed any more
    draft_scenario: Scenario  # no runs: it may still be changed
    target: PlanTarget
    run: ProjectionRun
    intake: CommissionedIntake
    placement: PlacementCapacity
    educator: EducatorCapacity
    apprenticeship: ApprenticeshipStart
    token: AuthToken
    token_owner: User

    @property
    def system(self) -> Owner:
        return Owner("ics", ics=self.ics)

    @property
    def organisation(self) -> Owner:
        return Owner("org", org=self.trust)


@dataclass
class World:
    cast: object
    x: Side
    y: Side
    national_scenario: Scenario
    national_run: ProjectionRun
    markers: dict[str, Owner]  # text that only those who may see its owner may read

    def side(self, name: str) -> Side:
        return self.x if name == "X" else self.y


def _run(scenario: Scenario, ics: ICS | None, by: User) -> ProjectionRun:
    run = ProjectionRun.objects.create(
        scenario=scenario,
        ics=ics,
        baseline_period=datetime.date(2026, 2, 1),
        status=ProjectionRun.Status.SUCCEEDED,
        progress=100,
        requested_by=by,
        seed=7,
        draws=1,
        horizon=5,
        input_hash="0" * 64,
    )
    ProjectionResult.objects.create(
        run=run,
        level=ProjectionResult.Level.ICS,
        entity_code=ics.code if ics else "ENG",
        staff_group=StaffGroup.objects.get(code="NUR"),
        year=2027,
        **dict.fromkeys(
            [f"{m}_{p}" for m in ("supply", "demand", "gap") for p in ("p10", "p50", "p90")],
            100.0,
        ),
    )
    return run


def _side(name: str, cast, ics: ICS, trust: Organisation, lead: User) -> Side:
    national = cast.national
    secret = f"{name.lower()}secret"
    programme = Programme.objects.get(code=PROGRAMME)
    scenario = scenario_create(user=national, ics=ics, name=f"{secret} scenario")
    return Side(
        name=name,
        ics=ics,
        trust=trust,
        staffing_return=staffing_return_submit(
            user=national,
            organisation=trust,
            period="2026-01",
            content=csv_file(),
            filename=f"{secret}-trust-return.csv",
        ).staffing_return,
        scenario=scenario,
        draft_scenario=scenario_create(user=national, ics=ics, name=f"{secret} scenario (draft)"),
        target=plan_target_create(
            user=national,
            ics=ics,
            staff_group=StaffGroup.objects.get(code="NUR"),
            year=2028,
            target_fte=Decimal(1000),
        ),
        run=_run(scenario, ics, national),
        intake=CommissionedIntake.objects.create(
            ics=ics, programme=programme, academic_year=2027, planned_places=100
        ),
        placement=PlacementCapacity.objects.create(
            organisation=trust, programme=programme, academic_year=2027, places=40
        ),
        educator=EducatorCapacity.objects.create(
            organisation=trust,
            academic_year=2027,
            educator_fte=Decimal(10),
            students_per_educator=Decimal(5),
        ),
        apprenticeship=ApprenticeshipStart.objects.create(
            organisation=trust, standard=f"{secret} standard", academic_year=2027, starts=3
        ),
        token=AuthToken.objects.create(user=lead)[0],
        token_owner=lead,
    )


def build_world(cast) -> World:
    programmes_load()  # the catalogue, as `load_reference_data` adds it
    x = _side("X", cast, cast.ics_x, cast.trust_a, cast.lead_x)
    y = _side("Y", cast, cast.ics_y, cast.trust_c, cast.lead_y)
    # Trust B, in X: what trust A's uploader must not see.
    staffing_return_submit(
        user=cast.national,
        organisation=cast.trust_b,
        period="2026-01",
        content=csv_file(),
        filename="bsecret-trust-return.csv",
    )
    ApprenticeshipStart.objects.create(
        organisation=cast.trust_b, standard="bsecret standard", academic_year=2027, starts=2
    )
    national_scenario = scenario_create(user=cast.national, ics=None, name="National plan")
    return World(
        cast=cast,
        x=x,
        y=y,
        national_scenario=national_scenario,
        national_run=_run(national_scenario, None, cast.national),
        markers={
            "xsecret scenario": x.system,
            "ysecret scenario": y.system,
            "xsecret-trust-return": x.organisation,
            "ysecret-trust-return": y.organisation,
            "bsecret-trust-return": Owner("org", org=cast.trust_b),
            "xsecret standard": x.organisation,
            "ysecret standard": y.organisation,
            "bsecret standard": Owner("org", org=cast.trust_b),
        },
    )
