"""Small, known education figures for the cast's systems X (QKK) and Y (QOP)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from education.models import (
    ApprenticeshipStart,
    CommissionedIntake,
    EducatorCapacity,
    PlacementCapacity,
    Programme,
)


@dataclass
class Figures:
    """One record of each kind per organisation (trusts A and C) or system (X and Y)."""

    intake_x: CommissionedIntake
    intake_y: CommissionedIntake
    placement_a: PlacementCapacity
    placement_b: PlacementCapacity
    placement_c: PlacementCapacity
    educator_a: EducatorCapacity
    educator_c: EducatorCapacity
    apprenticeship_a: ApprenticeshipStart
    apprenticeship_c: ApprenticeshipStart


def programme(code: str = "NUR-ADULT-BSC") -> Programme:
    return Programme.objects.get(code=code)


def figures(cast, year: int = 2027) -> Figures:
    adult, rnda = programme(), programme("NUR-RNDA")

    def placement(organisation, places):
        return PlacementCapacity.objects.create(
            organisation=organisation,
            programme=adult,
            sector="acute",
            academic_year=year,
            places=places,
        )

    def educator(organisation):
        return EducatorCapacity.objects.create(
            organisation=organisation,
            academic_year=year,
            educator_fte=Decimal("10"),
            students_per_educator=Decimal("5"),
        )

    def apprentices(organisation):
        return ApprenticeshipStart.objects.create(
            organisation=organisation,
            standard="Registered nurse degree (NMC 2018)",
            programme=rnda,
            academic_year=year,
            starts=12,
        )

    return Figures(
        intake_x=CommissionedIntake.objects.create(
            ics=cast.ics_x, programme=adult, academic_year=year, planned_places=100
        ),
        intake_y=CommissionedIntake.objects.create(
            ics=cast.ics_y, programme=adult, academic_year=year, planned_places=200
        ),
        placement_a=placement(cast.trust_a, 60),
        placement_b=placement(cast.trust_b, 30),
        placement_c=placement(cast.trust_c, 250),
        educator_a=educator(cast.trust_a),
        educator_c=educator(cast.trust_c),
        apprenticeship_a=apprentices(cast.trust_a),
        apprenticeship_c=apprentices(cast.trust_c),
    )
