"""The one workforce by planning sector on the dashboards: NHS trusts, general practice and
PCNs, social care, independent and voluntary (`core.kinds`).

Two sources, never mixed: the figures of now (each organisation's latest return, else its
latest published figures) and the projection's sector rows (`ProjectionResult.sector`; ""
marks the rows that sum every sector, and only those carry targets and probabilities).

Plan targets are set per system and staff group, for every sector together. A staff group
that one sector alone employs (the general practice groups) is that sector's target, so its
probability is shown on the sector's line; for any other group the sector's line says the
target is set for the whole system (docs/decisions.md).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Count, F, Max, Q, QuerySet, Sum

from core.access import in_scope
from core.errors import ApplicationError
from core.kinds import (
    GROUP_SECTORS_OF_KIND,
    PLANNING_SECTOR_LABELS,
    PLANNING_SECTORS,
    SECTOR_OF_KIND,
)
from core.models import PublishedFigure, User
from workforce.models import ProjectionResult, StaffingReturn, StaffingReturnRow
from workforce.projection.defaults import FTE_PER_HEAD

from .dashboards_results import (
    ALL_SECTORS,
    RESULT_VALUES,
    Band,
    GroupYear,
    StaffGroupLabel,
    group_years,
)

ALL_SECTORS_LABEL = "All sectors"
WHOLE_SYSTEM = "Targets are set for the whole system"
EACH_SYSTEM = "Targets are set for each whole system"
NO_TARGET = "No plan target"
# Planning sector -> the organisation kinds in it.
KINDS_OF_SECTOR: dict[str, tuple[str, ...]] = {
    sector: tuple(kind for kind, of in SECTOR_OF_KIND.items() if of == sector)
    for sector, _ in PLANNING_SECTORS
}


def sector_choice(text: str | None) -> str:
    """The `?sector=` of a page: "" (or nothing) for every sector, else a planning sector's
    code. Anything else is an error, never read as "every sector"."""
    if not text:
        return ALL_SECTORS
    if text not in PLANNING_SECTOR_LABELS:
        known = ", ".join(code for code, _ in PLANNING_SECTORS)
        raise ApplicationError(
            [{"field": "sector", "message": f"There is no sector '{text}'. Choose one of {known}."}]
        )
    return text


def sector_label(sector: str) -> str:
    return PLANNING_SECTOR_LABELS.get(sector, ALL_SECTORS_LABEL)


def sectors_employing(group_sector: str) -> frozenset[str]:
    """The planning sectors whose organisations employ staff groups of `group_sector`
    (`StaffGroup.sector`); "all" (the total and its like) is every sector."""
    if group_sector == "all":
        return frozenset(PLANNING_SECTOR_LABELS)
    return frozenset(
        SECTOR_OF_KIND[kind]
        for kind, employed in GROUP_SECTORS_OF_KIND.items()
        if group_sector in employed and kind in SECTOR_OF_KIND
    )


def sole_sector(group_sector: str) -> str | None:
    """The one planning sector that employs a staff group, or None when several do: a plan
    target of such a group is that sector's target."""
    sectors = sectors_employing(group_sector)
    return next(iter(sectors)) if len(sectors) == 1 else None


def groups_of_sector(labels: Sequence[StaffGroupLabel], sector: str) -> list[StaffGroupLabel]:
    """The staff groups a sector employs (every group for all sectors)."""
    if not sector:
        return list(labels)
    return [g for g in labels if sector in sectors_employing(g.sector)]


def reportable_under(labels: Sequence[StaffGroupLabel], code: str) -> list[str]:
    """The reportable staff groups (the rows of a return) that a group's figures roll up
    from: itself if reportable, and every reportable group below it."""
    children: dict[str | None, list[StaffGroupLabel]] = defaultdict(list)
    for group in labels:
        children[group.parent].append(group)
    found, todo = [], [g for g in labels if g.code == code]
    while todo:
        group = todo.pop()
        if group.reportable:
            found.append(group.code)
        todo += children[group.code]
    return found


def with_sector_targets(
    results: Iterable[GroupYear],
    whole: Iterable[GroupYear],
    sector: str,
    group_sector: dict[str, str],
) -> list[GroupYear]:
    """A sector's results with the plan target and probability of the staff groups that it
    alone employs, from the all-sector results (`whole`); every other group has none."""
    targets = {
        (r.staff_group, r.year): r
        for r in whole
        if sole_sector(group_sector.get(r.staff_group, "all")) == sector
    }
    shown = []
    for r in results:
        found = targets.get((r.staff_group, r.year))
        target, probability = (found.target_fte, found.probability) if found else (None, None)
        shown.append(
            GroupYear(r.staff_group, r.year, r.supply, r.demand, r.gap, target, probability)
        )
    return shown


@dataclass(frozen=True)
class CurrentFigures:
    """A sector's figures of now, summed over its organisations with figures."""

    organisations: int = 0
    fte: float = 0.0
    vacancies_fte: float = 0.0  # the vacancies that are known
    fte_where_vacancies_known: float = 0.0
    vacancies_unknown: int = 0  # organisations giving no vacancies for some or all rows
    published: int = 0  # organisations whose figures are published ones, not a return
    sources: tuple[str, ...] = ()  # the published figures' sources
    illustrative: int = 0  # organisations whose figures are illustrative (the demo's)

    @property
    def vacancies_known(self) -> bool:
        """Whether any organisation gives its vacancies (for some rows at least)."""
        return self.organisations > self.vacancies_unknown or self.fte_where_vacancies_known > 0

    @property
    def vacancy_rate(self) -> float | None:
        """Known vacancies over the establishment of the rows that give them."""
        establishment = self.fte_where_vacancies_known + self.vacancies_fte
        return self.vacancies_fte / establishment if establishment else None

    def __add__(self, other: CurrentFigures) -> CurrentFigures:
        return CurrentFigures(
            self.organisations + other.organisations,
            self.fte + other.fte,
            self.vacancies_fte + other.vacancies_fte,
            self.fte_where_vacancies_known + other.fte_where_vacancies_known,
            self.vacancies_unknown + other.vacancies_unknown,
            self.published + other.published,
            tuple(sorted(set(self.sources) | set(other.sources))),
            self.illustrative + other.illustrative,
        )


def _at_latest(latest: Iterable[tuple[int, datetime.date]], organisation: str, month: str) -> Q:
    """The rows of each organisation's latest month: one condition for the organisations
    whose latest month is the same (a correlated subquery a row would cost seconds across
    England's thousands of practices)."""
    by_month: dict[datetime.date, list[int]] = defaultdict(list)
    for organisation_id, when in latest:
        by_month[when].append(organisation_id)
    condition = Q(pk__in=[])
    for when, ids in by_month.items():
        condition |= Q(**{f"{organisation}__in": ids, month: when})
    return condition


def _returned(user: User, organisations: QuerySet, staff_groups: Sequence[str]) -> tuple:
    """Each organisation kind's sums from its organisations' latest current returns, and the
    ids of the organisations that have sent one. Two queries."""
    latest = list(
        in_scope(
            StaffingReturn.objects.current().filter(organisation__in=organisations),
            user,
            organisation="organisation",
        )
        .values("organisation_id")
        .annotate(latest=Max("period"))
        .values_list("organisation_id", "latest")
        .order_by()
    )
    known = Q(vacancies_fte__isnull=False)
    rows = (
        StaffingReturnRow.objects.filter(
            _at_latest(latest, "staffing_return__organisation_id", "staffing_return__period"),
            staffing_return__status=StaffingReturn.Status.SUBMITTED,
            staff_group__code__in=list(staff_groups),
        )
        .values(kind=F("staffing_return__organisation__kind"))
        .annotate(
            organisations=Count("staffing_return__organisation", distinct=True),
            total_fte=Sum("fte"),
            vacancies=Sum("vacancies_fte"),
            known_fte=Sum("fte", filter=known),
            unknown=Count("staffing_return__organisation", distinct=True, filter=~known),
            illustrative=Count(
                "staffing_return__organisation",
                distinct=True,
                filter=Q(staffing_return__organisation__illustrative=True),
            ),
        )
        .order_by()
    )
    return list(rows), [organisation_id for organisation_id, _ in latest]


def _published(
    user: User, organisations: QuerySet, staff_groups: Sequence[str], returned: list[int]
) -> dict[int, tuple[str, str, float]]:
    """(kind, source, FTE) of each organisation without a return, from its newest published
    figures with an FTE: a month's own over a financial year's mean that starts in it, as
    the baseline takes them. Two queries."""
    figures = in_scope(
        PublishedFigure.objects.filter(
            organisation__in=organisations, staff_group__reportable=True, fte__isnull=False
        ).exclude(organisation_id__in=returned),
        user,
        organisation="organisation",
    )
    latest = (
        figures.values("organisation_id")
        .annotate(latest=Max("month"))
        .values_list("organisation_id", "latest")
        .order_by()
    )
    rows = (
        figures.filter(
            _at_latest(latest, "organisation_id", "month"),
            staff_group__code__in=list(staff_groups),
        )
        .values_list("organisation_id", "organisation__kind", "source", "period")
        .annotate(total=Sum("fte"))
        .order_by("organisation_id", "period")  # "financial_year" before "month"
    )
    chosen: dict[int, tuple[str, str, float]] = {}
    for organisation_id, kind, source, _period, total in rows:
        chosen[organisation_id] = (kind, source, float(total or 0))  # the last wins
    return chosen


def _converted_headcounts(
    user: User, organisations: QuerySet, staff_groups: Sequence[str], without: set[int]
) -> list[tuple[str, str, float]]:
    """(kind, source, FTE) of each organisation with neither a return nor a published FTE
    whose newest published headcount is of a group with a published national FTE per head
    (GPs), turned into FTE as the baseline does. Two queries."""
    groups = [code for code in staff_groups if code in FTE_PER_HEAD]
    if not groups:
        return []
    figures = in_scope(
        PublishedFigure.objects.filter(
            organisation__in=organisations,
            fte__isnull=True,
            headcount__isnull=False,
            staff_group__code__in=groups,
        ).exclude(organisation_id__in=without),
        user,
        organisation="organisation",
    )
    latest = (
        figures.values("organisation_id")
        .annotate(latest=Max("month"))
        .values_list("organisation_id", "latest")
        .order_by()
    )
    rows = figures.filter(_at_latest(latest, "organisation_id", "month")).values_list(
        "organisation_id", "organisation__kind", "source", "staff_group__code", "headcount"
    )
    converted: dict[int, tuple[str, str, float]] = {}
    for organisation_id, kind, source, group, headcount in rows:
        before = converted.get(organisation_id, (kind, source, 0.0))[2]
        fte = before + headcount * FTE_PER_HEAD[group].ratio
        converted[organisation_id] = (kind, source, fte)
    return list(converted.values())


def current_figures(
    *, user: User, organisations: QuerySet, staff_groups: Sequence[str]
) -> dict[str, CurrentFigures]:
    """Each planning sector's FTE in post and vacancies now in `staff_groups` (reportable
    codes), over `organisations` (a query of organisation ids). Six queries.

    An organisation's figures are those of its latest current return, as the vacancy heatmap
    reads them; an organisation that has sent no return counts with its latest published
    figures, as a projection's baseline does, else with its published GPs' headcount turned
    into FTE by the published national FTE per head; published figures give no vacancies.
    """
    returned, with_returns = _returned(user, organisations, staff_groups)
    sums: dict[str, CurrentFigures] = defaultdict(CurrentFigures)
    for row in returned:
        sector = SECTOR_OF_KIND.get(row["kind"])
        if sector is not None:
            sums[sector] += CurrentFigures(
                organisations=row["organisations"],
                fte=float(row["total_fte"] or 0),
                vacancies_fte=float(row["vacancies"] or 0),
                fte_where_vacancies_known=float(row["known_fte"] or 0),
                vacancies_unknown=row["unknown"],
                illustrative=row["illustrative"],
            )
    published = _published(user, organisations, staff_groups, with_returns)
    converted = _converted_headcounts(
        user, organisations, staff_groups, set(with_returns) | set(published)
    )
    for kind, source, fte in [*published.values(), *converted]:
        sector = SECTOR_OF_KIND.get(kind)
        if sector is not None:
            sums[sector] += CurrentFigures(1, fte, 0.0, 0.0, 1, 1, (source,))
    return dict(sums)


def projected_by_sector(
    run_id: int, *, level: str, entity_code: str, staff_group: str, year: int
) -> dict[str, GroupYear]:
    """One entity's results for one staff group and year, by sector ("" for all of them).
    One query."""
    rows = (
        ProjectionResult.objects.filter(
            run_id=run_id,
            level=level,
            entity_code=entity_code,
            staff_group__code=staff_group,
            year=year,
        )
        .values("sector", *RESULT_VALUES, code=F("staff_group__code"))
        .order_by("sector")
    )
    return {row["sector"]: group_years([row])[0] for row in rows}


@dataclass(frozen=True)
class SectorRow:
    """One line of the "by sector" table: a planning sector, or every sector ("")."""

    sector: str
    label: str
    employs: bool  # whether the sector employs the staff group shown at all
    figures: CurrentFigures
    projected: GroupYear | None  # None: not in the run (or no run)
    target_fte: float | None = None
    probability: float | None = None
    target_note: str = ""  # why no probability is shown on this line
    systems_with_target: int | None = None  # the national view: systems with a target
    systems_likely: int | None = None  # ... and those 80% or more likely to meet it

    @property
    def gap(self) -> Band | None:
        return self.projected.gap if self.projected else None

    @property
    def no_figures(self) -> bool:
        """Nothing to show: no organisation with figures now, and nothing projected."""
        return not self.figures.organisations and self.projected is None


def _target_note(sector: str, group_sector: str, has_target: bool, each_system: bool) -> str:
    """Why a line shows no probability, or "" when it shows one."""
    if not has_target:
        return NO_TARGET
    if sector and sole_sector(group_sector) != sector:
        return EACH_SYSTEM if each_system else WHOLE_SYSTEM
    return ""


def sector_rows(
    *,
    figures: dict[str, CurrentFigures],
    projected: dict[str, GroupYear],
    group_sector: str,
    systems: tuple[int, int] | None = None,
) -> list[SectorRow]:
    """Every planning sector in the pages' order, then every sector together.

    `projected` holds the results by sector ("" for every sector; empty with no run);
    `systems` is, on the national view, (systems with a target, those 80% or more likely to
    meet it) in place of one probability: the nation has no target of its own.
    """
    employed = sectors_employing(group_sector)
    whole = projected.get(ALL_SECTORS)
    each_system = systems is not None
    if each_system:
        has_target = systems[0] > 0
    else:
        has_target = whole is not None and whole.target_fte is not None
    lines = [(code, label, figures.get(code, CurrentFigures())) for code, label in PLANNING_SECTORS]
    total = sum((f for _, _, f in lines), CurrentFigures())
    rows = []
    for sector, label, found in [*lines, (ALL_SECTORS, ALL_SECTORS_LABEL, total)]:
        note = _target_note(sector, group_sector, has_target, each_system) if projected else ""
        shown = bool(projected) and not note
        rows.append(
            SectorRow(
                sector=sector,
                label=label,
                employs=not sector or sector in employed,
                figures=found,
                projected=projected.get(sector),
                target_fte=whole.target_fte if shown and not each_system else None,
                probability=whole.probability if shown and not each_system else None,
                target_note=note,
                systems_with_target=systems[0] if shown and each_system else None,
                systems_likely=systems[1] if shown and each_system else None,
            )
        )
    return rows
