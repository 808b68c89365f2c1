"""Read paths of staffing returns: lists, one return and its versions, the flat figures."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, OuterRef, Prefetch, Q, QuerySet, Subquery

from core.access import can_submit_for, in_scope, organisations_in_scope
from core.kinds import GROUP_SECTORS_OF_KIND
from core.models import (
    ICS,
    Organisation,
    OrganisationMembership,
    PublishedFigure,
    Role,
    StaffGroup,
    User,
    valid_on_q,
)
from workforce.models import StaffingReturn, StaffingReturnRow
from workforce.returns import COLUMNS
from workforce.returns.parsing import Table, read_table
from workforce.services.returns import return_limits

FIGURE_COLUMNS = COLUMNS[1:]  # the return's columns after the staff group's code


def returns_for(
    *,
    user: User,
    organisation: str | None = None,
    period: datetime.date | None = None,
    status: str | None = None,
) -> QuerySet[StaffingReturn]:
    """The returns in the user's scope, newest month first, without their files."""
    returns = in_scope(StaffingReturn.objects.all(), user, organisation="organisation")
    if organisation:
        returns = returns.filter(organisation__code__iexact=organisation)
    if period:
        returns = returns.filter(period=period)
    if status:
        returns = returns.filter(status=status)
    return (
        returns.select_related("organisation", "submitted_by", "reviewed_by")
        .defer("content")
        .order_by("-period", "organisation__code", "-version")
    )


def archived_returns(
    *, user: User, files: list[tuple[str, int, bool]]
) -> list[tuple[str, StaffingReturn, bool]]:
    """Each file of an archive submitted, as (its name, its return's id, whether it was stored;
    False: the same as the current version), with its return as `returns_for` gives it, in the
    archive's order; a return no longer in the user's scope is left out."""
    found = returns_for(user=user).in_bulk([pk for _, pk, _created in files])
    return [(name, found[pk], created) for name, pk, created in files if pk in found]


def return_get(*, user: User, pk: int) -> StaffingReturn | None:
    """One return in the user's scope with its rows (staff groups in order), or None."""
    rows = StaffingReturnRow.objects.select_related("staff_group").order_by(
        "staff_group__sort_order"
    )
    return (
        returns_for(user=user)
        .filter(pk=pk)
        .prefetch_related(Prefetch("rows", queryset=rows))
        .first()
    )


def return_versions(*, staffing_return: StaffingReturn) -> list[StaffingReturn]:
    """Every version of the return's organisation and month, newest first, itself included."""
    return list(
        StaffingReturn.objects.filter(
            organisation_id=staffing_return.organisation_id, period=staffing_return.period
        )
        .select_related("submitted_by")
        .defer("content")
        .order_by("-version")
    )


def return_file(*, user: User, pk: int) -> tuple[str, bytes] | None:
    """The original file of a return in the user's scope, as uploaded: (name, bytes)."""
    found = (
        in_scope(StaffingReturn.objects.filter(pk=pk), user, organisation="organisation")
        .values_list("original_filename", "content")
        .first()
    )
    return None if found is None else (found[0], bytes(found[1]))


def workforce_figures(
    *,
    user: User,
    ics: ICS | None = None,
    organisation: str | None = None,
    staff_group: str | None = None,
    period_from: datetime.date | None = None,
    period_to: datetime.date | None = None,
) -> QuerySet:
    """The current figures in the user's scope, one dict a row, in the order they were stored.

    Each row names the ICS its organisation belonged to in the return's month (`ics`). With
    `ics`, the rows of that ICS's members in each month; before the ICS existed (a merger),
    the rows of the organisations it took in on its first day, as the baseline does.
    """
    period = OuterRef("staffing_return__period")
    member_then = (
        OrganisationMembership.objects.filter(
            organisation=OuterRef("staffing_return__organisation"), valid_from__lte=period
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=period))
        .order_by("-valid_from")
        .values("ics__code")[:1]
    )
    rows = in_scope(
        StaffingReturnRow.objects.filter(staffing_return__status=StaffingReturn.Status.SUBMITTED),
        user,
        organisation="staffing_return__organisation",
    ).annotate(ics=Subquery(member_then))
    if ics is not None:
        first_day_members = OrganisationMembership.objects.filter(
            valid_on_q(ics.valid_from), ics=ics
        ).values("organisation_id")
        rows = rows.filter(
            Q(staffing_return__period__gte=ics.valid_from, ics=ics.code)
            | Q(
                staffing_return__period__lt=ics.valid_from,
                staffing_return__organisation__in=first_day_members,
            )
        )
    if organisation:
        rows = rows.filter(staffing_return__organisation__code__iexact=organisation)
    if staff_group:
        rows = rows.filter(staff_group__code__iexact=staff_group)
    if period_from:
        rows = rows.filter(staffing_return__period__gte=period_from)
    if period_to:
        rows = rows.filter(staffing_return__period__lte=period_to)
    return rows.values(
        "id",
        "ics",
        *FIGURE_COLUMNS,
        period=F("staffing_return__period"),
        organisation=F("staffing_return__organisation__code"),
        organisation_name=F("staffing_return__organisation__name"),
        staff_group_code=F("staff_group__code"),
        version=F("staffing_return__version"),
        return_id=F("staffing_return_id"),
    ).order_by("id")


def organisations_for_upload(*, user: User) -> QuerySet[Organisation]:
    """The active organisations the user may upload a return for, by name."""
    organisations = organisations_in_scope(user).filter(active=True).order_by("name")
    # can_submit_for turns on the role within the scope, so one organisation answers for all.
    first = organisations.first()
    if first is None or not can_submit_for(user, first):
        return organisations.none()
    return organisations


def return_totals(staffing_return: StaffingReturn) -> dict[str, Decimal | None]:
    """The sums of a return's prefetched rows, and its sickness rate weighted by FTE.

    A figure not given (None) is left out of its sum; a sum with no figure given is None.
    """
    rows = list(staffing_return.rows.all())
    totals: dict[str, Decimal | None] = {}
    for name in FIGURE_COLUMNS[:-1]:
        given = [value for r in rows if (value := getattr(r, name)) is not None]
        totals[name] = sum(given, Decimal(0)) if given else None
    fte = totals["fte"]
    absent = sum((r.sickness_absence_rate * r.fte for r in rows), Decimal(0))
    totals["sickness_absence_rate"] = absent / fte if fte else None
    return totals


def template_organisation(*, user: User, code: str | None) -> Organisation | None:
    """The organisation a template is for: the one named, when in the user's scope; else the
    user's own (an uploader's scope is one); None when neither. Raises LookupError for a code
    that names no organisation in the scope."""
    if code:
        found = organisations_in_scope(user).filter(code__iexact=code.strip()).first()
        if found is None:
            raise LookupError(code)
        return found
    if user.role == Role.TRUST_UPLOADER and user.organisation_id is not None:
        return organisations_in_scope(user).first()
    return None


def template_staff_groups(
    *, organisation: Organisation | None
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The (code, name) rows of an organisation's return template, and every group accepted.

    The rows: the groups the organisation has reported in a return or has published figures
    for, then the other groups of its kind (core.kinds), each part in the taxonomy's order.
    With no organisation, or a kind that employs none of the groups, every reportable group.
    Three queries.
    """
    groups = list(
        StaffGroup.objects.filter(reportable=True)
        .order_by("sort_order")
        .values_list("pk", "code", "name", "sector")
    )
    accepted = [(code, name) for _pk, code, name, _sector in groups]
    sectors = GROUP_SECTORS_OF_KIND.get(organisation.kind, frozenset()) if organisation else ()
    if not sectors:
        return accepted, accepted
    own = set(
        StaffingReturnRow.objects.filter(staffing_return__organisation=organisation)
        .values_list("staff_group_id", flat=True)
        .distinct()
    ) | set(
        PublishedFigure.objects.filter(organisation=organisation)
        .values_list("staff_group_id", flat=True)
        .distinct()
    )
    first = [(code, name) for pk, code, name, _sector in groups if pk in own]
    rest = [
        (code, name) for pk, code, name, sector in groups if pk not in own and sector in sectors
    ]
    return first + rest, accepted


@dataclass(frozen=True)
class ProblemRow:
    number: int
    cells: list[str]
    problems: list[dict]


def problem_rows(content: bytes, filename: str, errors: list[dict]) -> list[ProblemRow]:
    """The rows of an uploaded file that have problems, with their cells, to show side by side.

    Problems with the whole file (no row) are not among them.
    """
    by_row: dict[int, list[dict]] = defaultdict(list)
    for error in errors:
        if error.get("row") is not None:
            by_row[error["row"]].append(error)
    if not by_row:
        return []
    table = read_table(content, filename, return_limits())
    cells = {row.number: row.cells for row in table.rows} if isinstance(table, Table) else {}
    return [
        ProblemRow(number, [_shown(cell) for cell in cells.get(number, ())], problems)
        for number, problems in sorted(by_row.items())
    ]


def _shown(cell: object) -> str:
    if cell is None:
        return ""
    return str(getattr(cell, "text", None) or getattr(cell, "code", None) or cell)
