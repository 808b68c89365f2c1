"""What a projection run reads about the organisations it covers, beyond their figures: their
kinds (for their planning sector) and the patients registered at the scope's practices (for
general practice demand growth). Queries only; the rules are workforce.projection's."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable

from core.models import ICS, Organisation, RegisteredPatients
from core.selectors.reference import scope_members


def organisation_kinds(codes: Iterable[str]) -> dict[str, str]:
    """organisation code -> Organisation.Kind value."""
    return dict(Organisation.objects.filter(code__in=set(codes)).values_list("code", "kind"))


def illustrative_organisations(codes: Iterable[str]) -> frozenset[str]:
    """The codes among `codes` of organisations whose figures are illustrative (the demo's)."""
    return frozenset(
        Organisation.objects.filter(code__in=set(codes), illustrative=True).values_list(
            "code", flat=True
        )
    )


def registered_patients_by_ics(
    *, ics: ICS | None, period: datetime.date
) -> dict[str, dict[int, int]]:
    """ICS code -> financial year (the year it starts) -> patients registered at the
    practices that are its members in the baseline month (every ICS when `ics` is None).
    Two queries: the memberships, then the patient counts of the members."""
    members = scope_members(ics=ics, on=period.replace(day=1))
    totals: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    counts = (
        RegisteredPatients.objects.filter(organisation_id__in=list(members))
        .values_list("organisation_id", "financial_year", "patients")
        .order_by()
    )
    for organisation_id, year, patients in counts:
        totals[members[organisation_id]][year] += patients
    return {code: dict(by_year) for code, by_year in totals.items()}
