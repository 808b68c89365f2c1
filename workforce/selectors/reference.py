from __future__ import annotations

import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from workforce.access import organisations_in_scope, systems_in_scope
from workforce.models import ICS, Organisation, User


def systems_for_home(*, user: User, on: datetime.date | None = None) -> QuerySet[ICS]:
    """The user's systems valid on `on` (today), each with `member_count` on that day."""
    on = on or timezone.localdate()
    members_on = Q(memberships__valid_from__lte=on) & (
        Q(memberships__valid_to__isnull=True) | Q(memberships__valid_to__gt=on)
    )
    return (
        systems_in_scope(user)
        .valid_on(on)
        .select_related("region")
        .annotate(member_count=Count("memberships", filter=members_on))
        .order_by("name")
    )


def organisations_for_home(*, user: User) -> QuerySet[Organisation]:
    return organisations_in_scope(user).filter(active=True).order_by("name")
