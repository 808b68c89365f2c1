"""From what a run read to the engine's arrays: the model's rules (docs/model.md). Pure, no Django.

Every series is one organisation x leaf staff group of the baseline. The rules:

- establishment: FTE in post plus vacancies; where no return gives vacancies (published figures
  only), FTE / (1 - the scenario's vacancy rate);
- leaver rate: the scenario's, else the one measured from the returns, else the staff group's
  fallback, plus the scenario's change, kept within 0-1;
- international recruits I and returners B: shares of baseline FTE a year;
- newly qualified N(t): the pipeline's per ICS and staff group, shared among the series by
  baseline FTE; every commissioned intake counts, on whichever route;
- other recruitment R = max(0, joiners - I - B - r * N(0)), with joiners = leaver rate x FTE
  where no return gives joiners, unless the scenario sets a recruitment rate (R = rate x FTE);
- step changes: shared among the series of the staff group by baseline FTE;
- who is covered, by planning sector (`sectors`), and general practice demand growth from the
  registered lists (`list_growth`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from education import pipeline

from . import defaults, sectors
from .arrays import EngineInputs, Spreads
from .completeness import completeness
from .input_hash import inputs_hash
from .list_growth import general_practice_growth
from .money import run_money
from .run_data import (
    AssumptionRow,
    BaselineSeries,
    Labels,
    RunAxes,
    RunData,
    StaffGroupNode,
    TargetValue,
    TrainingPipeline,
)
from .run_notes import run_notes
from .shares import ics_axis, series_ics, share_arrays
from .sharing import expanded_intakes, fte_shares, shared_by_series, shared_step_changes


class NothingToProject(ValueError):
    """No series is left to project: no figures, or only headcounts with no FTE per head."""


@dataclass(frozen=True)
class PreparedRun:
    """The engine's inputs with the labels of their axes and what they were made from."""

    inputs: EngineInputs
    axes: RunAxes
    series: tuple[BaselineSeries, ...]
    assumptions: Mapping[str, defaults.Assumptions]  # per leaf staff group
    training: TrainingPipeline
    fte_share: np.ndarray  # each series' share of its (ICS, group) baseline FTE
    notes: Mapping = field(default_factory=dict)
    input_hash: str = ""
    completeness: Mapping = field(default_factory=dict)  # what it was built on (completeness.py)
    # financial year ("2026") -> the index dividing its prices into the baseline year's
    prices: Mapping[str, float] = field(default_factory=dict)

    @property
    def baseline_year(self) -> int:
        return self.axes.baseline_year

    @property
    def organisations(self) -> list[str]:
        return list(self.axes.organisations)

    @property
    def ics_codes(self) -> list[str]:
        return list(self.axes.ics)

    @property
    def leaf_groups(self) -> list[str]:
        return list(self.axes.leaf_groups)

    @property
    def output_groups(self) -> list[str]:
        return list(self.axes.output_groups)

    def year(self, t: int) -> int:
        return self.axes.year(t)

    def newly_qualified_by_series(self, flow: pipeline.PipelineResult) -> np.ndarray:
        return shared_by_series(self.series, self.fte_share, flow, self.inputs.horizon)


def resolved_assumptions(
    rows: Mapping[str | None, AssumptionRow],
    groups: Iterable[str],
    hierarchy: Sequence[StaffGroupNode] = (),
) -> dict[str, defaults.Assumptions]:
    """Each staff group's assumptions: national default (the group's own, else its nearest
    ancestor's in `hierarchy`), scenario-wide row, group row."""
    general = rows.get(None, {})
    parent = {g.code: g.parent for g in hierarchy}

    def ancestors(code: str) -> list[str]:
        chain, up = [], parent.get(code)
        while up is not None and up not in chain:
            chain.append(up)
            up = parent.get(up)
        return chain

    return {
        g: defaults.resolve(g, dict(general), dict(rows.get(g, {})), ancestors(g)) for g in groups
    }


def leaf_order(series: Sequence[BaselineSeries], groups: Sequence[StaffGroupNode]) -> list[str]:
    """The series' staff groups in the hierarchy's order."""
    order = {g.code: g.sort_order for g in groups if g.reportable}
    return sorted({s.staff_group_code for s in series}, key=lambda c: (order.get(c, 0), c))


def group_rollup(
    leaves: Sequence[str], groups: Sequence[StaffGroupNode]
) -> tuple[Labels, np.ndarray]:
    """The leaves and every ancestor, with the 0/1 matrix that sums leaves into each."""
    by_code = {g.code: g for g in groups}
    ancestors: dict[str, list[str]] = {}
    for leaf in leaves:
        chain, parent = [], by_code[leaf].parent
        while parent is not None:
            chain.append(parent)
            parent = by_code[parent].parent
        ancestors[leaf] = chain
    parents = sorted(
        {code for chain in ancestors.values() for code in chain},
        key=lambda c: (by_code[c].sort_order, c),
    )
    outputs = Labels(tuple(leaves) + tuple(parents))
    rollup = np.zeros((len(outputs), len(leaves)))
    for j, leaf in enumerate(leaves):
        rollup[j, j] = 1
        for code in ancestors[leaf]:
            rollup[outputs.position(code), j] = 1
    return outputs, rollup


def establishment(
    series: Sequence[BaselineSeries], a_of: Sequence[defaults.Assumptions]
) -> np.ndarray:
    """Demand at the baseline: FTE plus vacancies, or FTE / (1 - vacancy rate) without them."""
    return np.array(
        [
            s.establishment if s.establishment is not None else s.fte / (1 - a.vacancy_rate)
            for s, a in zip(series, a_of, strict=True)
        ]
    )


def leaver_rates(
    series: Sequence[BaselineSeries], a_of: Sequence[defaults.Assumptions]
) -> np.ndarray:
    """The scenario's leaver rate, else the measured one, else the fallback; plus the change."""
    return np.array(
        [
            (
                a.leaver_rate
                if a.leaver_rate is not None
                else s.leaver_rate
                if s.leaver_rate is not None
                else a.fallback_leaver_rate
            )
            + a.leaver_rate_change
            for s, a in zip(series, a_of, strict=True)
        ]
    ).clip(0, 1)


def international_recruits(a_of: Sequence[defaults.Assumptions], supply0: np.ndarray) -> np.ndarray:
    """I: the international rate, after its relative change (never below 0), x baseline FTE."""
    rates = np.array([a.international_rate * (1 + a.international_change) for a in a_of])
    return rates.clip(0) * supply0


def returners(a_of: Sequence[defaults.Assumptions], supply0: np.ndarray) -> np.ndarray:
    """B: the return-to-practice rate x baseline FTE."""
    return np.array([a.return_to_practice_rate for a in a_of]) * supply0


def other_recruitment(
    series: Sequence[BaselineSeries],
    a_of: Sequence[defaults.Assumptions],
    leaver: np.ndarray,
    international: np.ndarray,
    returning: np.ndarray,
    retained_newly_qualified: np.ndarray,
) -> np.ndarray:
    """R, the joiners a year not counted as I, B or newly qualified.

    The joiners of the last 12 months already include international recruits, returners and
    the newly qualified who stayed (r x N(0)): what is left of them is R, never below zero. A
    series with no joiners on record (published figures only) is taken to replace its leavers.
    A scenario's recruitment rate replaces all that: R = rate x FTE.
    """
    joiners = np.array(
        [
            s.joiners_a_year if s.joiners_a_year is not None else lv * s.fte
            for s, lv in zip(series, leaver, strict=True)
        ]
    )
    derived = np.maximum(0.0, joiners - international - returning - retained_newly_qualified)
    return np.array(
        [
            a.recruitment_rate * s.fte if a.recruitment_rate is not None else r
            for s, a, r in zip(series, a_of, derived, strict=True)
        ]
    )


def target_array(
    targets: Iterable[TargetValue], ics: Labels, outputs: Labels, baseline_year: int, horizon: int
) -> np.ndarray:
    """(ICS, output group, H+1) target FTE, NaN where there is none."""
    out = np.full((len(ics), len(outputs), horizon + 1), np.nan)
    for target in targets:
        t = target.year - baseline_year
        if target.ics_code in ics and target.staff_group_code in outputs and 0 <= t <= horizon:
            out[ics.position(target.ics_code), outputs.position(target.staff_group_code), t] = (
                float(target.fte)
            )
    return out


def assemble(data: RunData) -> PreparedRun:
    """The engine's inputs for what a run read, with their labels and their hash."""
    horizon, baseline_year, kinds = data.horizon, data.baseline_year, data.organisation_kinds
    converted, _not_projected = sectors.from_headcounts(data.headcount_only)
    series, left_out = sectors.counted([*data.series, *converted], kinds)
    if not series:
        raise NothingToProject("a run needs at least one baseline series")
    leaves = Labels(tuple(leaf_order(series, data.staff_groups)))
    outputs, rollup = group_rollup(leaves.codes, data.staff_groups)
    assumptions = resolved_assumptions(data.assumption_rows, leaves, data.staff_groups)
    organisations = Labels(tuple(sorted({s.organisation_code for s in series})))
    shares = {code: parts for code, parts in data.shares.items() if code in organisations}
    ics = ics_axis(series, shares)
    sector_labels, organisation_sector = sectors.sector_axis(organisations, kinds)
    axes = RunAxes(organisations, ics, leaves, outputs, baseline_year, sector_labels)

    growth = general_practice_growth(
        data.staff_groups,
        leaves,
        data.assumption_rows,
        data.registered_patients,
        ics,
        baseline_year,
    )

    feeds = {p.code: p.staff_group_code for p in data.programmes}
    training = TrainingPipeline(
        programmes=tuple(data.programmes),
        intakes=tuple(expanded_intakes(data.intakes, baseline_year + horizon, assumptions, feeds)),
        placements=tuple(data.placements),
        educators=tuple(data.educators),
        baseline_year=baseline_year,
        horizon=horizon,
    )
    flow = training.newly_qualified()

    supply0 = np.array([s.fte for s in series])
    share = fte_shares(series)
    a_of = [assumptions[s.staff_group_code] for s in series]
    leaver = leaver_rates(series, a_of)
    international = international_recruits(a_of, supply0)
    returning = returners(a_of, supply0)
    retention = np.array([a.retention_share for a in a_of])
    newly_qualified = shared_by_series(series, share, flow, horizon)
    recruitment = other_recruitment(
        series, a_of, leaver, international, returning, retention * newly_qualified[:, 0]
    )

    def per_group(name: str) -> np.ndarray:
        return np.array([getattr(assumptions[g], name) for g in leaves])

    money = run_money(data, series, leaves, outputs, ics)

    inputs = EngineInputs(
        series_ics=np.array([series_ics(s, ics, shares) for s in series], dtype=np.intp),
        series_group=np.array([leaves.position(s.staff_group_code) for s in series], np.intp),
        series_organisation=np.array(
            [organisations.position(s.organisation_code) for s in series], dtype=np.intp
        ),
        n_ics=len(ics),
        n_groups=len(leaves),
        n_organisations=len(organisations),
        supply0=supply0,
        demand0=establishment(series, a_of),
        leaver_rate=leaver,
        recruitment=recruitment,
        international=international,
        return_to_practice=returning,
        demand_growth=growth.rates(series, a_of),
        productivity=np.array([a.productivity for a in a_of]),
        step_changes=shared_step_changes(series, data.step_changes, baseline_year, horizon),
        newly_qualified=newly_qualified,
        attrition=np.array(
            [flow.attrition_by_group.get((s.ics_code, s.staff_group_code), 0.0) for s in series]
        ),
        retention=retention,
        horizon=horizon,
        draws=data.draws,
        seed=data.seed,
        spreads=Spreads(
            leaver_rate=per_group("leaver_rate_sd"),
            demand_growth=per_group("demand_growth_sd"),
            productivity=per_group("productivity_sd"),
            attrition=per_group("attrition_sd"),
            international=per_group("international_sd"),
            organisation_share=float(data.organisation_share),
        ),
        group_rollup=rollup,
        targets=target_array(data.targets, ics, outputs, baseline_year, horizon),
        organisation_sector=organisation_sector,
        n_sectors=len(sector_labels),
        **share_arrays(shares, organisations, ics),
        money=money.inputs,
    )
    notes = run_notes(series, flow, data, left_out, growth.notes())
    notes["groups_without_cost"] = list(money.uncosted_groups)
    return PreparedRun(
        inputs=inputs,
        axes=axes,
        series=tuple(series),
        assumptions=assumptions,
        training=training,
        fte_share=share,
        notes=notes,
        input_hash=inputs_hash(inputs, axes),
        prices=money.prices,
        completeness=(
            completeness(
                baseline_period=data.baseline_period,
                members=data.members,
                series=series,
                under_review=data.under_review,
            )
            if data.baseline_period is not None
            else {}
        ),
    )
