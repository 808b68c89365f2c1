"""Demo users, all lower case: `national`, `analyst-national`, `icb-<ics>`, `analyst-<ics>`,
`trust-<org>` for every trust, and in every system `practice-<code>` for its practice with the
largest registered list (2023/24; the first by code when the series is not loaded),
`pcn-<code>` for that practice's PCN and `care-<ics>` for its demo care provider."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db.models import Q
from django.utils import timezone

from core.models import (
    ICS,
    NetworkMembership,
    Organisation,
    OrganisationMembership,
    RegisteredPatients,
    Role,
    User,
)
from core.models.reference import valid_on_q

from .common import demo_trusts
from .providers import demo_provider_code

LIST_YEAR = 2023  # the series' latest financial year, 2023/24


def primary_care_uploaders(ics: ICS, on) -> list[tuple[str, Organisation]]:
    """(username, organisation) for a system's demo practice and PCN uploaders: its practice
    with the largest registered list that is in a PCN on `on`, and that PCN."""
    members = OrganisationMembership.objects.filter(valid_on_q(on), ics=ics).values(
        "organisation_id"
    )
    in_network = NetworkMembership.objects.filter(valid_on_q(on)).values("practice_id")
    practices = Organisation.objects.filter(
        Q(pk__in=members) & Q(pk__in=in_network), kind=Organisation.Kind.GP_PRACTICE, active=True
    )
    sizes = dict(
        RegisteredPatients.objects.filter(
            financial_year=LIST_YEAR, organisation__in=practices
        ).values_list("organisation_id", "patients")
    )
    practice = min(practices, key=lambda p: (-sizes.get(p.pk, 0), p.code), default=None)
    if practice is None:
        return []
    pcn = practice.pcn_on(on)
    return [(f"practice-{practice.code.lower()}", practice), (f"pcn-{pcn.code.lower()}", pcn)]


def seed(stdout) -> None:
    password = settings.DEMO_PASSWORD or secrets.token_urlsafe(12)
    # One hash for every demo user: hashing a few hundred passwords one by one takes minutes.
    hashed = make_password(password)
    today = timezone.localdate()
    users = [User(username="national", role=Role.NATIONAL_ADMIN, is_staff=True, is_superuser=True)]
    for ics in ICS.objects.valid_on(today).order_by("code"):
        users.append(User(username=f"icb-{ics.code.lower()}", role=Role.ICB_LEAD, ics=ics))
        users.append(User(username=f"analyst-{ics.code.lower()}", role=Role.ANALYST, ics=ics))
    users.append(User(username="analyst-national", role=Role.ANALYST))
    for trust in demo_trusts(today):
        users.append(
            User(
                username=f"trust-{trust.code.lower()}", role=Role.TRUST_UPLOADER, organisation=trust
            )
        )
    providers = {
        o.code: o
        for o in Organisation.objects.filter(
            code__in=[demo_provider_code(ics) for ics in ICS.objects.valid_on(today)]
        )
    }
    for ics in ICS.objects.valid_on(today).order_by("code"):
        named = primary_care_uploaders(ics, today)
        provider = providers.get(demo_provider_code(ics))
        if provider is not None:
            named.append((f"care-{ics.code.lower()}", provider))
        users += [
            User(username=username, role=Role.TRUST_UPLOADER, organisation=organisation)
            for username, organisation in named
        ]
    existing = set(User.objects.values_list("username", flat=True))
    for user in users:
        user.password = hashed
    User.objects.bulk_create([u for u in users if u.username not in existing])
    User.objects.filter(username__in=[u.username for u in users]).update(password=hashed)
    stdout.write(
        f"Demo users ({len(users)}): national, analyst-national, icb-<ics code>, "
        f"analyst-<ics code>, trust-<trust code>, practice-<code>, pcn-<code>, care-<ics code>,"
        f" e.g. icb-qkk, trust-rj1, care-qkk.\n"
        f"Password for every demo user: {password}"
    )
