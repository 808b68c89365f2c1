"""The demo's social care organisations: in every system, the sector organisation that stands
for its care providers (QKK-SC) and one named demo care provider (QKK-CP) for its uploader.

Neither exists in a national register: both are marked `illustrative`, and so is every figure
the demo gives them (workforce/demo/social_care.py). Each joins its system on the day the
system began.
"""

from __future__ import annotations

from django.utils import timezone

from core.models import ICS, Organisation, OrganisationMembership
from core.names import short_system
from core.services.organisations import sector_code

DEMO_PROVIDER_SUFFIX = "CP"


def demo_provider_code(ics: ICS) -> str:
    return f"{ics.code}-{DEMO_PROVIDER_SUFFIX}"


def seed(stdout) -> None:
    systems = list(ICS.objects.valid_on(timezone.localdate()).order_by("code"))
    existing = set(Organisation.objects.values_list("code", flat=True))
    wanted: list[tuple[Organisation, ICS]] = []
    for ics in systems:
        place = short_system(ics.name)
        wanted.append(
            (
                Organisation(
                    code=sector_code(ics, Organisation.Kind.SOCIAL_CARE),
                    name=f"Social care providers in {place} (illustrative)",
                    kind=Organisation.Kind.SOCIAL_CARE,
                    sector=True,
                    illustrative=True,
                    opened=ics.valid_from,
                ),
                ics,
            )
        )
        wanted.append(
            (
                Organisation(
                    code=demo_provider_code(ics),
                    name=f"Demo care provider, {place} (illustrative)",
                    kind=Organisation.Kind.SOCIAL_CARE,
                    illustrative=True,
                    opened=ics.valid_from,
                ),
                ics,
            )
        )
    new = [(org, ics) for org, ics in wanted if org.code not in existing]
    Organisation.objects.bulk_create([org for org, _ in new])
    stored = Organisation.objects.filter(code__in=[org.code for org, _ in new])
    codes = {org.code: org for org in stored}
    OrganisationMembership.objects.bulk_create(
        OrganisationMembership(organisation=codes[org.code], ics=ics, valid_from=ics.valid_from)
        for org, ics in new
    )
    stdout.write(
        f"Social care organisations: {len(new)} added (a sector organisation and a demo care "
        f"provider in each of {len(systems)} systems), marked illustrative."
    )
