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

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import F

from core.errors import ApplicationError
from core.kinds import (
    GROUP_SECTORS_OF_KIND,
    PLANNING_SECTOR_LABELS,
    PLANNING_SECTORS,
    SECTOR_OF_KIND,
)
from workforce.models import ProjectionResult

from .dashboards_results import (
    ALL_SECTORS,
    RESULT_VALUES,
    Band,
    GroupYear,
    StaffGroupLabel,
    group_years,
)
from .dashboards_sector_figures import CurrentFigures

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
