from __future__ import annotations

import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from core.access import organisations_in_scope, systems_in_scope
from core.models import (
    ICS,
    Organisation,
    OrganisationMembership,
    OrganisationShare,
    User,
    valid_on_q,
)


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


def scope_members(
    *, ics: ICS | None, on: datetime.date, with_shared: bool = False
) -> dict[int, str]:
    """organisation id -> ICS code, for the ICS's members on `on` (every ICS when None).

    A system created after `on` (a merger) takes the members it has on its first day, so a
    projection for a new ICB takes in every trust now inside it. `with_shared`: an ICS's
    members include the organisations hosted elsewhere that it has a share of on that day,
    with their host's code (their share is in `scope_shares`).
    """
    if ics is not None and ics.valid_from > on:
        on = ics.valid_from
    memberships = OrganisationMembership.objects.filter(valid_on_q(on))
    if ics is not None and with_shared:
        shared_in = OrganisationShare.objects.filter(valid_on_q(on), ics=ics)
        memberships = memberships.filter(
            Q(ics=ics) | Q(organisation_id__in=shared_in.values("organisation_id"))
        )
    elif ics is not None:
        memberships = memberships.filter(ics=ics)
    return dict(memberships.values_list("organisation_id", "ics__code"))


def scope_shares(*, ics: ICS | None, on: datetime.date) -> dict[str, tuple[tuple[str, float], ...]]:
    """organisation code -> ((ICS code, share), ...) for the organisations shared across
    systems on `on`: every system's share, or only that of `ics` when given (its own run
    counts only its own part). Organisations with no shares that day are not keys."""
    if ics is not None and ics.valid_from > on:
        on = ics.valid_from
    shares = OrganisationShare.objects.filter(valid_on_q(on))
    if ics is not None:
        shares = shares.filter(ics=ics)
    found: dict[str, list[tuple[str, float]]] = {}
    rows = shares.values_list("organisation__code", "ics__code", "share")
    for organisation, code, share in rows.order_by("organisation__code", "ics__code"):
        found.setdefault(organisation, []).append((code, float(share)))
    return {organisation: tuple(parts) for organisation, parts in found.items()}


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


def shares_of_system(*, ics: ICS, on: datetime.date | None = None) -> list[OrganisationShare]:
    """The shares in force on `on` (today) of the organisations counted in `ics` by a share:
    its own that serve other systems too, and those hosted elsewhere that serve it. Each
    share carries `host` and `host_name`, its host system that day (None when it has
    none), and `parts`, every
    system's share of it. Organisation names are public reference data: a system's users see
    who is shared with it, not the organisations' returns."""
    on = on or timezone.localdate()
    in_force = OrganisationShare.objects.filter(valid_on_q(on)).select_related("ics")
    found = list(
        in_force.filter(ics=ics).select_related("organisation").order_by("organisation__name")
    )
    organisations = [share.organisation_id for share in found]
    parts: dict[int, list[OrganisationShare]] = {}
    for share in in_force.filter(organisation_id__in=organisations).order_by("-share"):
        parts.setdefault(share.organisation_id, []).append(share)
    memberships = OrganisationMembership.objects.filter(
        valid_on_q(on), organisation_id__in=organisations
    )
    hosts = {
        organisation: (code, name)
        for organisation, code, name in memberships.values_list(
            "organisation_id", "ics__code", "ics__name"
        )
    }
    for share in found:
        share.host, share.host_name = hosts.get(share.organisation_id, (None, None))
        share.parts = parts[share.organisation_id]
    return found
