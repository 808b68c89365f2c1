from __future__ import annotations

import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from core.access import organisations_in_scope, systems_in_scope
from core.models import ICS, Organisation, OrganisationMembership, User


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


def scope_members(*, ics: ICS | None, on: datetime.date) -> dict[int, str]:
    """organisation id -> ICS code, for the ICS's members on `on` (every ICS when None).

    A system created after `on` (a merger) takes the members it has on its first day, so a
    projection for a new ICB takes in every trust now inside it.
    """
    if ics is not None and ics.valid_from > on:
        on = ics.valid_from
    memberships = OrganisationMembership.objects.filter(
        Q(valid_from__lte=on) & (Q(valid_to__isnull=True) | Q(valid_to__gt=on))
    )
    if ics is not None:
        memberships = memberships.filter(ics=ics)
    return dict(memberships.values_list("organisation_id", "ics__code"))


def organisations_of_system(
    *, user: User, ics: ICS, on: datetime.date | None = None
) -> dict[str, list[Organisation]]:
    """The organisations in scope that are members of `ics` on `on` (today), by kind label,
    in the order of `Organisation.Kind`."""
    on = on or timezone.localdate()
    members = OrganisationMembership.objects.filter(
        Q(ics=ics, valid_from__lte=on) & (Q(valid_to__isnull=True) | Q(valid_to__gt=on))
    )
    found = organisations_in_scope(user).filter(pk__in=members.values("organisation_id"))
    by_kind: dict[str, list[Organisation]] = {label: [] for _, label in Organisation.Kind.choices}
    labels = dict(Organisation.Kind.choices)
    for organisation in found.order_by("-sector", "name"):
        by_kind[labels[organisation.kind]].append(organisation)
    return {label: rows for label, rows in by_kind.items() if rows}
