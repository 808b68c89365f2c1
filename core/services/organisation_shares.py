"""Dated shares: an organisation that serves several systems counted in each by its share.

A new set of shares starts on the first day of a month, after every set already recorded:
the set in force then ends that day, and nothing earlier is rewritten, so a run of an earlier
month keeps the split it was made with. An empty set ends the sharing, and the organisation
counts wholly in its host system again.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Q

from core.access import can_plan_for
from core.errors import OutOfScope
from core.models import ICS, Organisation, OrganisationShare, User
from core.services.writes import Problems, store_audited

ONE = Decimal(1)
PLACES = Decimal("0.0001")


def shares_snapshot(organisation: Organisation) -> dict[str, Any]:
    """Every share recorded for the organisation, as the audit trail keeps them."""
    return {
        "shares": [
            {
                "ics": share.ics.code,
                "share": float(share.share),
                "valid_from": share.valid_from.isoformat(),
                "valid_to": share.valid_to.isoformat() if share.valid_to else None,
            }
            for share in organisation.shares.select_related("ics").order_by("valid_from", "ics")
        ]
    }


def _read_share(value: object, ics: ICS, problems: Problems) -> Decimal | None:
    try:
        share = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        problems.add("shares", f"The share of {ics.code} is not a number: {value!r}.")
        return None
    if not share.is_finite() or not 0 < share <= 1:
        problems.add("shares", f"The share of {ics.code} must be more than 0 and at most 1.")
        return None
    if share != share.quantize(PLACES):
        problems.add("shares", f"The share of {ics.code} has more than four decimal places.")
        return None
    return share


def organisation_shares_set(
    *,
    user: User,
    organisation: Organisation,
    valid_from: datetime.date,
    shares: list[tuple[ICS, object]],
) -> Organisation:
    """Record the shares in force from `valid_from` (the first of a month): (ICS, share) for
    every system the organisation counts in, its host among them, summing to one; or none,
    to count it wholly in its host again. National administrators and the host system's ICB
    lead only; audited on the organisation."""
    host = organisation.ics_on(valid_from)
    if host is None or not can_plan_for(user, host):
        raise OutOfScope(
            f"Only a national administrator or the ICB lead of {organisation.name}'s host "
            "system may share it across systems."
        )
    problems = Problems()
    if valid_from.day != 1:
        problems.add("valid_from", "Shares start on the first day of a month.")
    latest = organisation.shares.order_by("-valid_from").first()
    if latest is not None and latest.valid_from >= valid_from:
        problems.add(
            "valid_from",
            f"Shares from {latest.valid_from:%d %B %Y} are recorded already: a new set starts "
            "after them, so that the runs made with them keep their split.",
        )
    in_force = organisation.shares.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=valid_from))
    if not shares and not in_force.exists():
        problems.add("shares", f"{organisation.name} has no shares in force to end.")
    read: dict[ICS, Decimal] = {}
    for ics, value in shares:
        if ics in read:
            problems.add("shares", f"{ics.code} is given twice.")
        elif not ics.is_valid_on(valid_from):
            problems.add("shares", f"{ics.code} is not an open ICS on {valid_from:%d %B %Y}.")
        share = _read_share(value, ics, problems)
        if share is not None:
            read[ics] = share
    if shares and not problems:
        if host not in read:
            problems.add("shares", f"The host system, {host.code}, must have a share.")
        if len(read) < 2:
            problems.add("shares", "A set of shares names at least two systems.")
        total = sum(read.values(), Decimal(0))
        if total != ONE:
            problems.add("shares", f"The shares must add up to 1; these add up to {total}.")
    problems.raise_any()
    before = shares_snapshot(organisation)

    def save() -> None:
        in_force.update(valid_to=valid_from)
        OrganisationShare.objects.bulk_create(
            OrganisationShare(
                organisation=organisation, ics=ics, share=share, valid_from=valid_from
            )
            for ics, share in read.items()
        )

    return store_audited(
        user=user,
        instance=organisation,
        ics=host,
        before=before,
        after=shares_snapshot,
        save=save,
    )
