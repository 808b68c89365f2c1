"""Reading backtests, and what a backtest is tested against: a system's history."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import QuerySet

from core.access import in_scope
from core.models import ICS, PublishedFigure, StaffGroup, User
from core.selectors.reference import scope_members
from workforce.backtest import BacktestSpec, History, yearly_baselines
from workforce.models import ASSUMPTION_FIELDS, Backtest, Scenario, StaffingReturnRow
from workforce.projection import assembly
from workforce.projection.run_data import StaffGroupNode


def backtests_visible_to(user: User) -> QuerySet[Backtest]:
    """Backtests of the user's systems; national ones for national users only."""
    return in_scope(
        Backtest.objects.select_related("scenario", "ics", "created_by"), user, ics="ics"
    )


def backtest_for(user: User, backtest_id: int) -> Backtest | None:
    return backtests_visible_to(user).filter(pk=backtest_id).first()


def system_history(ics: ICS, *, on: datetime.date) -> History:
    """The system's FTE by leaf staff group and month: the organisations that are its members
    on `on`, each month from its current return where it sent one, else from its published
    monthly figure. A month counts for a staff group only when every organisation that ever
    has a figure for it has one that month: a month with one missing would read as a fall."""
    members = list(scope_members(ics=ics, on=on))
    figures: dict[tuple[int, str, datetime.date], float] = {}
    published = PublishedFigure.objects.filter(
        organisation_id__in=members, period=PublishedFigure.Period.MONTH, fte__isnull=False
    ).values_list("organisation_id", "staff_group__code", "month", "fte")
    for organisation, code, month, fte in published.iterator():
        figures[organisation, code, month] = float(fte)
    returned = StaffingReturnRow.objects.filter(
        staffing_return__organisation_id__in=members,
        staffing_return__status="submitted",
    ).values_list(
        "staffing_return__organisation_id", "staff_group__code", "staffing_return__period", "fte"
    )
    for organisation, code, month, fte in returned.iterator():
        figures[organisation, code, month] = float(fte)
    totals: dict[str, dict[datetime.date, float]] = defaultdict(lambda: defaultdict(float))
    reporting: dict[str, dict[datetime.date, set[int]]] = defaultdict(lambda: defaultdict(set))
    for (organisation, code, month), fte in figures.items():
        totals[code][month] += fte
        reporting[code][month].add(organisation)
    history: dict[str, dict[datetime.date, float]] = {}
    for code, by_month in reporting.items():
        everyone = set().union(*by_month.values())
        months = {m: totals[code][m] for m, who in by_month.items() if who == everyone}
        if months:
            history[code] = dict(sorted(months.items()))
    return history


def _staff_group_nodes() -> list[StaffGroupNode]:
    return [
        StaffGroupNode(code, parent, sort_order, reportable)
        for code, parent, sort_order, reportable in StaffGroup.objects.values_list(
            "code", "parent__code", "sort_order", "reportable"
        )
    ]


def backtest_spec(
    scenario: Scenario,
    history: History,
    *,
    first_baseline: datetime.date,
    last_baseline: datetime.date,
    horizon: int,
) -> BacktestSpec:
    """The backtest of `scenario` on `history`: its leaf groups in taxonomy order with every
    ancestor above them, and their assumptions resolved as a run resolves them."""
    nodes = _staff_group_nodes()
    known = {n.code for n in nodes}
    order = {n.code: n.sort_order for n in nodes}
    leaves = sorted((c for c in history if c in known), key=lambda c: (order[c], c))
    outputs, rollup = assembly.group_rollup(leaves, nodes)
    parents = {
        code: tuple(leaves[j] for j in rollup[k].nonzero()[0])
        for k, code in enumerate(outputs)
        if k >= len(leaves)
    }
    rows = {
        (row.staff_group.code if row.staff_group_id else None): {
            name: (float(v) if v is not None and name != "intake_change_from" else v)
            for name in ASSUMPTION_FIELDS
            for v in [getattr(row, name)]
        }
        for row in scenario.assumptions.select_related("staff_group")
    }
    return BacktestSpec(
        baselines=yearly_baselines(first_baseline, last_baseline),
        horizon=horizon,
        groups=tuple(leaves),
        assumptions=assembly.resolved_assumptions(rows, leaves, nodes),
        parents=parents,
        draws=scenario.draws,
        seed=scenario.seed,
    )
