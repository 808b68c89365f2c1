"""From the database to the engine's arrays: the baseline, the scenario, the pipeline, targets.

`prepare_run` reads everything a run depends on and returns it as plain arrays with their
labels, and the hash of those inputs: identical inputs give identical results, so a run with
a hash already computed reuses the stored results.
"""

from __future__ import annotations

import datetime
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from core.calendar import financial_year
from core.errors import ApplicationError
from core.models import ICS, StaffGroup
from education import pipeline
from workforce.models import ASSUMPTION_FIELDS, DemandStepChange, PlanTarget, Scenario
from workforce.selectors.baseline import BaselineSeries, baseline_for

from . import defaults
from .engine import EngineInputs, Spreads

ENGINE_VERSION = "1.0"


@dataclass
class PreparedRun:
    inputs: EngineInputs
    organisations: list[str]  # organisation index -> ODS code
    ics_codes: list[str]  # ICS index -> code
    leaf_groups: list[str]  # the series' staff groups
    output_groups: list[str]  # group_rollup rows: the leaves, then their parents
    baseline_year: int
    series: list[BaselineSeries]
    assumptions: dict[str, defaults.Assumptions]
    notes: dict = field(default_factory=dict)
    input_hash: str = ""
    # What the newly qualified were computed from, kept for "what it takes" in places.
    pipeline_kwargs: dict = field(default_factory=dict)
    fte_share: np.ndarray | None = None  # each series' share of its (ICS, group) baseline FTE

    def year(self, t: int) -> int:
        return self.baseline_year + t

    def newly_qualified_by_series(self, flow: pipeline.PipelineResult) -> np.ndarray:
        return shared_by_series(self.series, self.fte_share, flow, self.inputs.horizon)


def shared_by_series(
    series: list[BaselineSeries], share: np.ndarray, flow: pipeline.PipelineResult, horizon: int
) -> np.ndarray:
    """The pipeline's N(t) per (ICS, group), shared among the series by baseline FTE."""
    out = np.zeros((len(series), horizon + 1))
    for i, s in enumerate(series):
        by_year = flow.newly_qualified.get((s.ics_code, s.staff_group_code))
        if by_year is not None:
            out[i] = np.asarray(by_year[: horizon + 1]) * share[i]
    return out


def scenario_assumptions(scenario: Scenario, groups: list[str]) -> dict[str, defaults.Assumptions]:
    """Each staff group's assumptions: national default, scenario-wide row, group row."""
    rows = {
        (row.staff_group.code if row.staff_group_id else None): {
            name: (float(v) if v is not None and name != "intake_change_from" else v)
            for name in ASSUMPTION_FIELDS
            for v in [getattr(row, name)]
        }
        for row in scenario.assumptions.select_related("staff_group")
    }
    general = rows.get(None, {})
    return {g: defaults.resolve(g, general, rows.get(g, {})) for g in groups}


def _output_groups(leaves: list[str]) -> tuple[list[str], np.ndarray]:
    """The leaves and every ancestor, with the 0/1 matrix that sums leaves into each."""
    groups = {g.code: g for g in StaffGroup.objects.select_related("parent")}
    ancestors: dict[str, list[str]] = {}
    for leaf in leaves:
        chain, node = [], groups[leaf].parent
        while node is not None:
            chain.append(node.code)
            node = groups[node.code].parent
        ancestors[leaf] = chain
    parents = sorted(
        {code for chain in ancestors.values() for code in chain}, key=lambda c: groups[c].sort_order
    )
    outputs = leaves + parents
    rollup = np.zeros((len(outputs), len(leaves)))
    for j, leaf in enumerate(leaves):
        rollup[j, j] = 1
        for code in ancestors[leaf]:
            rollup[outputs.index(code), j] = 1
    return outputs, rollup


def _expanded_intakes(
    intakes: list[pipeline.Intake],
    last_year: int,
    assumptions: dict[str, defaults.Assumptions],
    feeds: dict[str, str],
) -> list[pipeline.Intake]:
    """Planned intakes carried forward to `last_year`, with the scenario's intake change."""
    plans: dict[tuple[str, str], dict[int, pipeline.Intake]] = defaultdict(dict)
    for intake in intakes:
        plans[(intake.ics, intake.programme)][intake.academic_year] = intake
    expanded = []
    for (ics, programme), by_year in plans.items():
        a = assumptions.get(feeds[programme])
        carried = None
        for year in range(min(by_year), max(last_year, max(by_year)) + 1):
            intake = by_year.get(year)
            if intake is not None:
                carried = intake.planned_places
            places = carried if intake is None else intake.planned_places
            if (
                a
                and a.intake_change
                and (a.intake_change_from is None or year >= a.intake_change_from)
            ):
                places = places * (1 + a.intake_change)
            expanded.append(
                pipeline.Intake(
                    ics=ics,
                    programme=programme,
                    academic_year=year,
                    planned_places=max(0.0, places),
                    actual_starts=intake.actual_starts if intake is not None else None,
                )
            )
    return expanded


def prepare_run(
    *, scenario: Scenario, ics: ICS | None, baseline_period: datetime.date
) -> PreparedRun:
    series = baseline_for(ics=ics, period=baseline_period)
    scope = ics.name if ics else "England"
    if not series:
        raise ApplicationError(
            f"There are no figures for {scope} at or before {baseline_period:%B %Y}: upload "
            "returns or import published figures first."
        )
    baseline_year = financial_year(baseline_period.replace(day=1))
    horizon, draws = int(scenario.horizon), int(scenario.draws)
    order = {g.code: g.sort_order for g in StaffGroup.objects.filter(reportable=True)}
    leaves = sorted({s.staff_group_code for s in series}, key=lambda c: order.get(c, 0))
    outputs, rollup = _output_groups(leaves)
    assumptions = scenario_assumptions(scenario, leaves)
    ics_codes = sorted({s.ics_code for s in series})
    organisations = sorted({s.organisation_code for s in series})
    n, h1 = len(series), horizon + 1
    g_index = {g: i for i, g in enumerate(leaves)}
    i_index = {c: i for i, c in enumerate(ics_codes)}
    o_index = {c: i for i, c in enumerate(organisations)}

    from education.models import Programme
    from education.selectors import pipeline_inputs_for  # education builds on workforce

    # Memberships on the same day as the baseline's, so a merged ICB's trusts count once.
    on = max(baseline_period, ics.valid_from) if ics is not None else baseline_period
    programmes, intakes, placements, educators = pipeline_inputs_for(ics=ics, on=on)
    # International and return-to-practice routes are the scenario's I and B: counting their
    # intakes as newly qualified too would count the same people twice.
    counted_elsewhere = set(
        Programme.objects.filter(
            route__in=[Programme.Route.INTERNATIONAL, Programme.Route.RETURN_TO_PRACTICE]
        ).values_list("code", flat=True)
    )
    programmes = [p for p in programmes if p.code not in counted_elsewhere]
    intakes = [i for i in intakes if i.programme not in counted_elsewhere]
    placements = [c for c in placements if c.programme not in counted_elsewhere]
    feeds = {p.code: p.staff_group_code for p in programmes}
    pipeline_kwargs = {
        "programmes": programmes,
        "intakes": _expanded_intakes(list(intakes), baseline_year + horizon, assumptions, feeds),
        "placements": placements,
        "educators": educators,
        "baseline_year": baseline_year,
        "horizon": horizon,
    }
    flow = pipeline.newly_qualified_supply(**pipeline_kwargs)

    supply0 = np.array([s.fte for s in series])
    share_key = [(s.ics_code, s.staff_group_code) for s in series]
    totals: dict[tuple[str, str], float] = defaultdict(float)
    for key, fte in zip(share_key, supply0, strict=True):
        totals[key] += fte
    share = np.array(
        [
            fte / totals[key] if totals[key] else 0.0
            for key, fte in zip(share_key, supply0, strict=True)
        ]
    )

    a_of = [assumptions[s.staff_group_code] for s in series]
    demand0 = np.array(
        [
            s.establishment if s.establishment is not None else s.fte / (1 - a.vacancy_rate)
            for s, a in zip(series, a_of, strict=True)
        ]
    )
    leaver = np.array(
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
    international = (
        np.array([a.international_rate * (1 + a.international_change) for a in a_of]).clip(0)
        * supply0
    )
    returners = np.array([a.return_to_practice_rate for a in a_of]) * supply0
    retention = np.array([a.retention_share for a in a_of])
    newly_qualified = shared_by_series(series, share, flow, horizon)
    attrition = np.array([flow.attrition_by_group.get(key, 0.0) for key in share_key])
    # The joiners of the last 12 months already include international recruits, returners
    # and the newly qualified: what is left of them is the other recruitment R. A series with
    # no joiners on record (published figures only) is taken to replace its leavers.
    joiners = np.array(
        [
            s.joiners_a_year if s.joiners_a_year is not None else lv * s.fte
            for s, lv in zip(series, leaver, strict=True)
        ]
    )
    derived = np.maximum(
        0.0, joiners - international - returners - retention * newly_qualified[:, 0]
    )
    recruitment = np.array(
        [
            a.recruitment_rate * s.fte if a.recruitment_rate is not None else r
            for s, a, r in zip(series, a_of, derived, strict=True)
        ]
    )

    step_changes = np.zeros((n, h1))
    for change in DemandStepChange.objects.filter(scenario=scenario).select_related("staff_group"):
        t = change.year - baseline_year
        if 1 <= t <= horizon and change.staff_group.code in g_index:
            mask = np.array([s.staff_group_code == change.staff_group.code for s in series])
            group_total = supply0[mask].sum()
            if group_total > 0:
                step_changes[mask, t] += float(change.fte) * supply0[mask] / group_total

    targets = np.full((len(ics_codes), len(outputs), h1), np.nan)
    for ics_code, group, year, fte in PlanTarget.objects.filter(
        ics__code__in=ics_codes,
        staff_group__code__in=outputs,
        year__gte=baseline_year,
        year__lte=baseline_year + horizon,
    ).values_list("ics__code", "staff_group__code", "year", "target_fte"):
        targets[i_index[ics_code], outputs.index(group), year - baseline_year] = float(fte)

    def per_group(name: str) -> np.ndarray:
        return np.array([getattr(assumptions[g], name) for g in leaves])

    inputs = EngineInputs(
        series_ics=np.array([i_index[s.ics_code] for s in series], dtype=np.intp),
        series_group=np.array([g_index[s.staff_group_code] for s in series], dtype=np.intp),
        series_organisation=np.array([o_index[s.organisation_code] for s in series], dtype=np.intp),
        n_ics=len(ics_codes),
        n_groups=len(leaves),
        n_organisations=len(organisations),
        supply0=supply0,
        demand0=demand0,
        leaver_rate=leaver,
        recruitment=recruitment,
        international=international,
        return_to_practice=returners,
        demand_growth=np.array([a.demand_growth for a in a_of]),
        productivity=np.array([a.productivity for a in a_of]),
        step_changes=step_changes,
        newly_qualified=newly_qualified,
        attrition=attrition,
        retention=retention,
        horizon=horizon,
        draws=draws,
        seed=int(scenario.seed),
        spreads=Spreads(
            leaver_rate=per_group("leaver_rate_sd"),
            demand_growth=per_group("demand_growth_sd"),
            productivity=per_group("productivity_sd"),
            attrition=per_group("attrition_sd"),
            international=per_group("international_sd"),
            organisation_share=float(scenario.organisation_share),
        ),
        group_rollup=rollup,
        targets=targets,
    )
    prepared = PreparedRun(
        pipeline_kwargs=pipeline_kwargs,
        fte_share=share,
        inputs=inputs,
        organisations=organisations,
        ics_codes=ics_codes,
        leaf_groups=leaves,
        output_groups=outputs,
        baseline_year=baseline_year,
        series=series,
        assumptions=assumptions,
        notes={
            "filled_from_published": sorted(
                {s.organisation_code for s in series if s.source == "published"}
            ),
            "intake_caps": [
                {
                    "ics": c.ics,
                    "programme": c.programme,
                    "academic_year": c.academic_year,
                    "planned": c.planned,
                    "capacity": c.capacity,
                    "over_by": c.over_by,
                    "bound": c.bound,
                }
                for c in flow.caps
            ],
        },
    )
    prepared.input_hash = inputs_hash(prepared)
    return prepared


def inputs_hash(prepared: PreparedRun) -> str:
    """SHA-256 of everything the engine's answer depends on, and of the engine's version."""
    digest = hashlib.sha256(f"engine {ENGINE_VERSION}".encode())
    inputs = prepared.inputs
    for name in EngineInputs.__dataclass_fields__:
        value = getattr(inputs, name)
        if isinstance(value, Spreads):
            for part in Spreads.__dataclass_fields__:
                digest.update(
                    np.ascontiguousarray(getattr(value, part), dtype=np.float64).tobytes()
                )
        elif isinstance(value, np.ndarray):
            digest.update(name.encode() + np.ascontiguousarray(value, dtype=np.float64).tobytes())
        else:
            digest.update(f"{name}={value}".encode())
    for labels in (prepared.organisations, prepared.ics_codes, prepared.output_groups):
        digest.update("|".join(labels).encode())
    digest.update(str(prepared.baseline_year).encode())
    return digest.hexdigest()
