"""The demo's one organisation shared across systems: the London Ambulance Service (RRU),
hosted by South East London and serving all of London, counted in each London system by its
share of the patients registered at London's GP practices in 2023/24 (the shipped practice
series), from the April 2026 successions on. The split is the demo's planning choice, not a
published figure; the shares themselves are recorded as any ICB lead would record them.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_EVEN, Decimal

from django.db.models import Sum

from core.models import ICS, Organisation, OrganisationShare, RegisteredPatients, valid_on_q
from core.names import display_name

SHARED_CODE = "RRU"
REGION_CODE = "Y56"  # London
SHARES_FROM = datetime.date(2026, 4, 1)
PATIENTS_YEAR = 2023  # 2023/24, the shipped series' latest year


def london_shares(host: ICS) -> dict[ICS, Decimal]:
    """Each London system's share, to four places, the rounding left with the host so that
    the shares add up to exactly one; empty when the patient counts are not loaded."""
    systems = list(ICS.objects.valid_on(SHARES_FROM).filter(region__code=REGION_CODE))
    patients = {}
    for ics in systems:
        members = ics.memberships.filter(valid_on_q(SHARES_FROM)).values("organisation_id")
        patients[ics] = (
            RegisteredPatients.objects.filter(
                organisation_id__in=members, financial_year=PATIENTS_YEAR
            ).aggregate(total=Sum("patients"))["total"]
            or 0
        )
    total = sum(patients.values())
    if not total or host not in patients:
        return {}
    shares = {
        ics: (Decimal(count) / total).quantize(Decimal("0.0001"), ROUND_HALF_EVEN)
        for ics, count in patients.items()
        if ics != host
    }
    shares[host] = Decimal(1) - sum(shares.values())
    return shares


def seed(stdout) -> None:
    trust = Organisation.objects.filter(code=SHARED_CODE).first()
    host = trust.ics_on(SHARES_FROM) if trust else None
    if host is None or trust.shares.exists():
        return
    shares = london_shares(host)
    if not shares:
        stdout.write("  no registered patients loaded: the London Ambulance Service is not shared")
        return
    OrganisationShare.objects.bulk_create(
        OrganisationShare(organisation=trust, ics=ics, share=share, valid_from=SHARES_FROM)
        for ics, share in shares.items()
    )
    split = ", ".join(f"{ics.code} {share:.2%}" for ics, share in sorted(shares.items(), key=str))
    name = display_name(trust.name)
    stdout.write(f"  {name} shared across London by registered patients: {split}")
