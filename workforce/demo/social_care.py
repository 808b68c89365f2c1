"""Illustrative monthly returns for the demo's social care organisations (core/demo/providers.py).

No social care figures are shipped, so these are made by a stated rule, and the organisations
that hold them are marked `illustrative` (their names say so too):

- England's adult social care filled posts, 1,705,000 in 2023/24 (Skills for Care, "The size
  and structure of the adult social care workforce in England", July 2024), taken as FTE at
  March 2024 and grown at that year's published rise in filled posts, 4.2% a year;
- shared among systems by registered patients in 2023/24 (the shipped GP practice series,
  practices in the system on the final month; practices of the split ICBs have no system and
  their share is left out);
- split 70% care workers, 2% registered nurses, 28% other staff: an illustrative split, not a
  published one;
- each system's demo care provider (QKK-CP) has 40, 6 and 14 FTE of those groups, and the
  sector organisation (QKK-SC) the rest of the system's total;
- vacancies 7.8-8.8% of establishment (Skills for Care's national vacancy rate for 2023/24 was
  8.3%), leavers 22-24% of FTE a year, bank 2-4% and agency 1-3% of FTE: illustrative.

Without the GP practice series (a test database), no returns are made and the step says so.
"""

from __future__ import annotations

import datetime

from django.db.models import Sum

from core.demo.common import MONTHS, months_back
from core.demo.providers import demo_provider_code
from core.models import ICS, Organisation, OrganisationMembership, RegisteredPatients
from core.models.reference import valid_on_q
from core.services.organisations import sector_code

from .return_figures import Figures, Rates
from .returns import FINAL_MONTH, returns_for

NATIONAL_FILLED_POSTS = 1_705_000  # 2023/24
AT = datetime.date(2024, 3, 1)
GROWTH_A_YEAR = 0.042
LIST_YEAR = 2023  # registered patients of 2023/24
SPLIT = {"SC-CW": 0.70, "SC-RN": 0.02, "SC-OTH": 0.28}
DEMO_PROVIDER_FTE = {"SC-CW": 40.0, "SC-RN": 6.0, "SC-OTH": 14.0}
SOCIAL_CARE_RATES = Rates(vacancy=0.078, leavers=0.22, bank=0.02, agency=0.01)


def national_fte(month: datetime.date) -> float:
    months = (month.year - AT.year) * 12 + month.month - AT.month
    return NATIONAL_FILLED_POSTS * (1 + GROWTH_A_YEAR) ** (months / 12)


def system_shares(systems: list[ICS], on: datetime.date) -> dict[int, float]:
    """ICS id -> its share of England's registered patients in 2023/24."""
    lists = RegisteredPatients.objects.filter(financial_year=LIST_YEAR)
    national = lists.aggregate(total=Sum("patients"))["total"] or 0
    if not national:
        return {}
    members = OrganisationMembership.objects.filter(valid_on_q(on), ics__in=systems)
    by_system = (
        lists.filter(organisation__memberships__in=members)
        .values("organisation__memberships__ics_id")
        .annotate(total=Sum("patients"))
        .values_list("organisation__memberships__ics_id", "total")
    )
    return {ics_id: total / national for ics_id, total in by_system}


def _series(fte_of_month) -> Figures:
    """FTE by group for the demo's months and the one before (its first month's joiners)."""
    figures = Figures()
    for month in months_back(FINAL_MONTH, MONTHS + 1):
        for group, fte in fte_of_month(month).items():
            figures.fte[group][month] = fte
    return figures


def sector_fte(month: datetime.date, share: float) -> dict[str, float]:
    """A system's social care FTE by group, less its demo care provider's."""
    return {
        group: national_fte(month) * share * part - DEMO_PROVIDER_FTE[group]
        for group, part in SPLIT.items()
    }


def seed(stdout) -> None:
    systems = list(ICS.objects.valid_on(FINAL_MONTH).order_by("code"))
    shares = system_shares(systems, FINAL_MONTH)
    if not shares:
        stdout.write("Social care returns: none (the GP practice series is not loaded).")
        return
    codes = [sector_code(ics, Organisation.Kind.SOCIAL_CARE) for ics in systems]
    codes += [demo_provider_code(ics) for ics in systems]
    organisations = {o.code: o for o in Organisation.objects.filter(code__in=codes)}
    wanted = []
    total = 0.0
    for ics in systems:
        share = shares.get(ics.pk)
        sector = organisations.get(sector_code(ics, Organisation.Kind.SOCIAL_CARE))
        provider = organisations.get(demo_provider_code(ics))
        if not share or sector is None or provider is None:
            continue
        wanted.append((provider, _series(lambda _month: DEMO_PROVIDER_FTE), SOCIAL_CARE_RATES))
        wanted.append(
            (sector, _series(lambda month, s=share: sector_fte(month, s)), SOCIAL_CARE_RATES)
        )
        total += national_fte(FINAL_MONTH) * share
    returns, rows = returns_for(wanted, months_back(FINAL_MONTH, MONTHS))
    stdout.write(
        f"Social care returns (illustrative): {len(returns)} added ({rows} rows) for "
        f"{len(wanted)} organisations, {total:,.0f} FTE in {FINAL_MONTH:%B %Y}."
    )
