"""Organisations added one by one (social care, independent and sector providers), and the
dated ICS memberships the GP and care directory files carry through the ICB successions.

An organisation is added by a national administrator or the ICB lead of the system it
joins; it joins that system from the day it is added. The files say where a practice or a
care location was in 2022 (an ICB of July 2022, through its sub-ICB location); its place
after the April 2026 successions follows them only where they leave no doubt: an ICB that
merged passes its members to its one successor, an ICB that was split passes none (which
part of it a member went to is not in these files), so such a member has no ICS after the
split until a current file places it.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from typing import Any

from django.utils import timezone

from core.access import can_plan_for
from core.errors import ApplicationError, OutOfScope
from core.models import ICS, ICSSuccession, Organisation, OrganisationMembership, User
from core.services.writes import Problems, store_audited

CODE_PATTERN = re.compile(r"^[A-Z0-9-]+$")
CODE_MAX = Organisation._meta.get_field("code").max_length
NAME_MAX = Organisation._meta.get_field("name").max_length
# The kinds added one by one; trusts, practices and PCNs come from the national ODS files.
ADDABLE_KINDS = (Organisation.Kind.SOCIAL_CARE, Organisation.Kind.INDEPENDENT)
# A sector organisation's code: its ICS's code and this suffix (QKK-SC), so an ICS has at
# most one of each kind.
SECTOR_SUFFIXES = {Organisation.Kind.SOCIAL_CARE: "SC", Organisation.Kind.INDEPENDENT: "IV"}

Segment = tuple[ICS, datetime.date, datetime.date | None]


def sole_successors() -> dict[int, ICS | None]:
    """ICS id -> its one successor, or None when it was split (several successors); ICSs
    that were never succeeded are not keys."""
    successors: dict[int, list[ICS]] = defaultdict(list)
    for succession in ICSSuccession.objects.select_related("successor"):
        successors[succession.predecessor_id].append(succession.successor)
    return {pk: found[0] if len(found) == 1 else None for pk, found in successors.items()}


def ics_segments(
    ics: ICS, start: datetime.date, successors: dict[int, ICS | None]
) -> tuple[list[Segment], bool]:
    """The dated memberships of a member of `ics` from `start`, carried through the
    successions; and whether a split left it without an ICS at the end (unplaced)."""
    segments: list[Segment] = []
    current: ICS | None = ics
    while current is not None:
        valid_from = max(start, current.valid_from)
        if current.valid_to is None or current.valid_to > valid_from:
            segments.append((current, valid_from, current.valid_to))
        if current.valid_to is None:
            return segments, False
        if current.pk not in successors:
            return segments, False  # closed with no successor recorded: nothing invented
        start, current = current.valid_to, successors[current.pk]
    return segments, True


def sector_code(ics: ICS, kind: str) -> str:
    return f"{ics.code}-{SECTOR_SUFFIXES[kind]}"


def _snapshot(organisation: Organisation, ics: ICS) -> dict[str, Any]:
    return {
        "code": organisation.code,
        "name": organisation.name,
        "kind": organisation.kind,
        "sector": organisation.sector,
        "ics": ics.code,
    }


def organisation_create(
    *,
    user: User,
    ics: ICS,
    kind: str,
    name: str,
    code: str = "",
    sector: bool = False,
) -> Organisation:
    """Add a social care or independent provider (or the sector organisation of its kind,
    whose code is derived: QKK-SC, QKK-IV) to `ics`, a member from today; audited."""
    if not can_plan_for(user, ics):
        raise OutOfScope(f"You may not add organisations to {ics.name} ({ics.code}).")
    today = timezone.localdate()
    problems = Problems()
    code = (code or "").strip().upper()
    name = (name or "").strip()
    if kind not in ADDABLE_KINDS:
        problems.add(
            "kind",
            "kind must be social_care or independent: trusts, GP practices and PCNs come "
            "from the national ODS files.",
        )
    elif sector:
        derived = sector_code(ics, kind)
        if code and code != derived:
            problems.add("code", f"A sector organisation of this kind in {ics.code} is {derived}.")
        code = derived
    if not code:
        problems.add("code", "code is required.")
    elif len(code) > CODE_MAX:
        problems.add("code", f"A code has at most {CODE_MAX} characters.")
    elif not CODE_PATTERN.match(code):
        problems.add("code", "A code holds only letters, digits and hyphens.")
    if not name:
        problems.add("name", "name is required.")
    elif len(name) > NAME_MAX:
        problems.add("name", f"A name has at most {NAME_MAX} characters.")
    if not ics.is_valid_on(today):
        problems.add("ics", f"{ics.code} is not an open ICS today.")
    check_unique = code and not problems.about(["code"])
    if check_unique and Organisation.objects.filter(code__iexact=code).exists():
        problems.add("code", f"An organisation with the code {code} exists already.")
    problems.raise_any()
    organisation = Organisation(code=code, name=name, kind=kind, sector=sector, opened=None)

    def save() -> None:  # store_audited runs it in the transaction of the audit entry
        organisation.save()
        OrganisationMembership.objects.create(organisation=organisation, ics=ics, valid_from=today)

    store_audited(
        user=user,
        instance=organisation,
        ics=ics,
        before=None,
        after=lambda org: _snapshot(org, ics),
        save=save,
        duplicate=lambda: ApplicationError(
            [{"field": "code", "message": f"An organisation with the code {code} exists already."}]
        ),
    )
    return organisation
