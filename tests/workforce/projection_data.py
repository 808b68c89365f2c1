"""Small, known figures for projection tests: published FTE for the trusts of system X."""

from __future__ import annotations

import datetime
from decimal import Decimal

from core.models import ICS, Organisation, PublishedFigure, StaffGroup
from core.selectors.reference import scope_members
from workforce.models import Scenario

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
