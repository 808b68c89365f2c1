"""Reading published figures (NHS Workforce Statistics, the General Practice and PCN workforce
series) in a user's scope, for the API's list and its CSV."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import F, OuterRef, Q, QuerySet, Subquery

from core.access import in_scope
from core.models import ICS, OrganisationMembership, PublishedFigure, User, valid_on_q


@dataclass(frozen=True)
class FigureFilter:
    """What to keep; None keeps everything. Periods compare by their first month, so a
    financial year (from 1 April) is kept by a range holding its April."""

    ics: ICS | None = None
    organisation_id: int | None = None
    kind: str | None = None
    staff_group_id: int | None = None
    period_from: datetime.date | None = None
    period_to: datetime.date | None = None


def published_figures(*, user: User, keep: FigureFilter) -> QuerySet:
    """The published figures in the user's scope, one dict a row, in the order they were
    stored (`id`).

    Each row names the ICS its organisation was in on the first day of the figure's period
    (`ics`; None before it was in one: figures before ICBs began on 1 July 2022). With
    `keep.ics`, the figures of that ICS's members in each period; before the ICS existed, of
    the organisations it took in on its first day, as the workforce figures do.
    """
    member_then = (
        OrganisationMembership.objects.filter(
            organisation=OuterRef("organisation"), valid_from__lte=OuterRef("month")
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=OuterRef("month")))
        .order_by("-valid_from")
        .values("ics__code")[:1]
    )
    rows = in_scope(PublishedFigure.objects.all(), user, organisation="organisation").annotate(
        ics=Subquery(member_then)
    )
    if keep.ics is not None:
        first_day_members = OrganisationMembership.objects.filter(
            valid_on_q(keep.ics.valid_from), ics=keep.ics
        ).values("organisation_id")
        rows = rows.filter(
            Q(month__gte=keep.ics.valid_from, ics=keep.ics.code)
            | Q(month__lt=keep.ics.valid_from, organisation__in=first_day_members)
        )
    if keep.organisation_id is not None:
        rows = rows.filter(organisation_id=keep.organisation_id)
    if keep.kind:
        rows = rows.filter(organisation__kind=keep.kind)
    if keep.staff_group_id is not None:
        rows = rows.filter(staff_group_id=keep.staff_group_id)
    if keep.period_from:
        rows = rows.filter(month__gte=keep.period_from)
    if keep.period_to:
        rows = rows.filter(month__lte=keep.period_to)
    return rows.values(
        "id",
        "ics",
        "fte",
        "headcount",
        "source",
        organisation_code=F("organisation__code"),
        organisation_name=F("organisation__name"),
        kind=F("organisation__kind"),
        staff_group_code=F("staff_group__code"),
        period_start=F("month"),
        period_kind=F("period"),
    ).order_by("id")
