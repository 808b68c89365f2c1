"""What the demo steps share: a stable pseudo-random number per key, and the demo's dates."""

from __future__ import annotations

import datetime
import hashlib

from django.db.models import QuerySet

from core.models import Organisation, OrganisationMembership

# The demo's "today": published figures end with the latest national month shipped.
LATEST_PUBLISHED_MONTH = datetime.date(2026, 2, 1)
MONTHS = 24


def unit(*key: object) -> float:
    """A number in [0, 1) that depends only on `key`: the same on every machine and run."""
    digest = hashlib.sha256("|".join(map(str, key)).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def months_back(last: datetime.date, count: int) -> list[datetime.date]:
    months, year, month = [], last.year, last.month
    for _ in range(count):
        months.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def demo_trusts(on: datetime.date) -> QuerySet[Organisation]:
    """Active NHS trusts that belong to an English ICS on `on`."""
    members = OrganisationMembership.objects.filter(valid_from__lte=on).exclude(valid_to__lte=on)
    return Organisation.objects.filter(
        active=True, kind=Organisation.Kind.NHS_TRUST, pk__in=members.values("organisation_id")
    ).order_by("code")
