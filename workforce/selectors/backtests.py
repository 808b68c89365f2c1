"""Reading backtests, and what a backtest is tested against: a system's history."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet

from core.access import in_scope
from core.models import ICS, PublishedFigure, StaffGroup, User
from core.selectors.reference import scope_members
from workforce.backtest import BacktestSpec, History, yearly_baselines
from workforce.models import Backtest, Scenario, StaffingReturnRow
from workforce.projection import assembly
from workforce.projection.inputs import assumption_rows
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
    return spec_of(
        assumption_rows(scenario),
        history,
        first_baseline=first_baseline,
        last_baseline=last_baseline,
        horizon=horizon,
        draws=scenario.draws,
        seed=scenario.seed,
    )


def spec_of(
    rows: dict,
    history: History,
    *,
    first_baseline: datetime.date,
    last_baseline: datetime.date,
    horizon: int,
    draws: int,
    seed: int,
) -> BacktestSpec:
    """The backtest on `history` of the assumption rows `rows` (staff group code, or None for
    every group -> values; {} for the national defaults)."""
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
    return BacktestSpec(
        baselines=yearly_baselines(first_baseline, last_baseline),
        horizon=horizon,
        groups=tuple(leaves),
        assumptions=assembly.resolved_assumptions(rows, leaves, nodes),
        parents=parents,
        draws=draws,
        seed=seed,
    )


@dataclass(frozen=True)
class BandRecord:
    """How often the band of one staff group held at one horizon in a national backtest."""

    backtest: Backtest
    staff_group: str
    staff_group_name: str
    horizon: int
    held: int
    baselines: int

    @property
    def sentence(self) -> str:
        years = f"{self.backtest.first_baseline:%Y}-{self.backtest.last_baseline:%Y}"
        ahead = f"{self.horizon}-year horizon"
        return (
            f"Over {years}, the 80% band for {self.staff_group_name.lower()} held in "
            f"{self.held} of {self.baselines} years at a {ahead} (national backtest)."
        )


def band_record(*, staff_group: str, years_ahead: int) -> BandRecord | None:
    """What the latest succeeded national backtest of the national central scenario says of
    the band of `staff_group` at `years_ahead` (the nearest horizon it scored); None when
    there is none. Two queries."""
    if years_ahead < 1:
        return None
    backtest = (
        Backtest.objects.filter(
            ics__isnull=True,
            scenario__ics__isnull=True,
            scenario__central=True,
            status=Backtest.Status.SUCCEEDED,
        )
        .order_by("-finished_at", "-id")
        .first()
    )
    if backtest is None:
        return None
    rows = [row for row in backtest.results if row["staff_group"] == staff_group]
    if not rows:
        return None
    row = min(rows, key=lambda r: (abs(r["horizon"] - years_ahead), r["horizon"]))
    name = StaffGroup.objects.filter(code=staff_group).values_list("name", flat=True).first()
    return BandRecord(
        backtest=backtest,
        staff_group=staff_group,
        staff_group_name=name or staff_group,
        horizon=row["horizon"],
        held=round(row["coverage"] * row["baselines"]),
        baselines=row["baselines"],
    )
