"""Demo users: `national`, `icb-<ics>`, `analyst-<ics>` and `trust-<org>`, all lower case."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from core.models import ICS, Role, User

from .common import demo_trusts


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
    existing = set(User.objects.values_list("username", flat=True))
    for user in users:
        user.password = hashed
    User.objects.bulk_create([u for u in users if u.username not in existing])
    User.objects.filter(username__in=[u.username for u in users]).update(password=hashed)
    stdout.write(
        f"Demo users ({len(users)}): national, analyst-national, icb-<ics code>, "
        f"analyst-<ics code>, trust-<trust code>, e.g. icb-qkk, trust-rj1.\n"
        f"Password for every demo user: {password}"
    )
