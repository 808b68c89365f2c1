"""What a projection run reads from the database: queries only, no rules.

`run_data_for` reads the baseline series, the scenario's assumption rows, step changes and pay
awards by year, the staff groups' hierarchy, the education pipeline's inputs and the plan
targets, and returns them as plain data; `assembly.assemble` applies the model's rules to turn
them into the engine's arrays. `prepare_run` does both: identical inputs give an identical
hash, so a run whose hash is already computed reuses the stored results.
"""

from __future__ import annotations

import datetime

from core.calendar import financial_year
from core.errors import ApplicationError
from core.models import ICS, StaffGroup
from core.selectors.reference import scope_shares
from education.selectors import pipeline_inputs_for
from workforce.models import (
    ASSUMPTION_FIELDS,
    MONEY_ASSUMPTION_FIELDS,
    TARGET_MONEY_FIELDS,
    DemandStepChange,
    PlanTarget,
    Scenario,
)
from workforce.selectors.baseline import (
    baseline_for,
    planned_members_for,
    published_headcounts_for,
    under_review_for,
)
from workforce.selectors.planning import pay_award_rows
from workforce.selectors.run_coverage import (
    illustrative_organisations,
    organisation_kinds,
    registered_patients_by_ics,
)

from .assembly import NothingToProject, PreparedRun, assemble
from .run_data import (
    AssumptionRow,
    PayAwardValue,
    RunData,
    StaffGroupNode,
    StepChange,
    TargetValue,
)

__all__ = ["PreparedRun", "assumption_rows", "prepare_run", "run_data_for"]


def assumption_rows(scenario: Scenario) -> dict[str | None, AssumptionRow]:
    """The scenario's assumption rows by staff group code (None: the row for every group)."""
    return {
        (row.staff_group.code if row.staff_group_id else None): {
            name: (float(v) if v is not None and name != "intake_change_from" else v)
            for name in dict.fromkeys((*ASSUMPTION_FIELDS, *MONEY_ASSUMPTION_FIELDS))
            for v in [getattr(row, name)]
        }
        for row in scenario.assumptions.select_related("staff_group")
    }


def _money(value) -> float | None:
    return None if value is None else float(value)


def _nothing_to_project(
    ics: ICS | None, baseline_period: datetime.date, figures: str = "figures"
) -> str:
    scope = ics.name if ics else "England"
    return (
        f"There are no {figures} for {scope} at or before {baseline_period:%B %Y}: upload "
        "returns or import published figures first."
    )


def run_data_for(*, scenario: Scenario, ics: ICS | None, baseline_period: datetime.date) -> RunData:
    """Everything a run of `scenario` for `ics` (England when None) at the baseline month
    depends on. Refuses a scope with no figures at all, since there is nothing to project."""
    series = baseline_for(ics=ics, period=baseline_period)
    headcounts = published_headcounts_for(
        ics=ics, period=baseline_period, without={s.organisation_code for s in series}
    )
    if not series and not headcounts:
        raise ApplicationError(_nothing_to_project(ics, baseline_period))
    codes = {s.organisation_code for s in series} | {h.organisation_code for h in headcounts}
    baseline_year = financial_year(baseline_period.replace(day=1))
    horizon = int(scenario.horizon)
    # Memberships on the same day as the baseline's, so a merged ICB's trusts count once.
    on = max(baseline_period, ics.valid_from) if ics is not None else baseline_period
    programmes, intakes, placements, educators = pipeline_inputs_for(ics=ics, on=on)
    targets = PlanTarget.objects.filter(
        ics__code__in={s.ics_code for s in series} | {h.ics_code for h in headcounts},
        year__gte=baseline_year,
        year__lte=baseline_year + horizon,
    ).values_list("ics__code", "staff_group__code", "year", "target_fte", *TARGET_MONEY_FIELDS)
    return RunData(
        series=tuple(series),
        baseline_year=baseline_year,
        horizon=horizon,
        draws=int(scenario.draws),
        seed=int(scenario.seed),
        organisation_share=float(scenario.organisation_share),
        assumption_rows=assumption_rows(scenario),
        step_changes=tuple(
            StepChange(code, year, float(fte))
            for code, year, fte in DemandStepChange.objects.filter(scenario=scenario).values_list(
                "staff_group__code", "year", "fte"
            )
        ),
        staff_groups=tuple(
            StaffGroupNode(code, parent, sort_order, reportable)
            for code, parent, sort_order, reportable in StaffGroup.objects.values_list(
                "code", "parent__code", "sort_order", "reportable"
            )
        ),
        programmes=tuple(programmes),
        intakes=tuple(intakes),
        placements=tuple(placements),
        educators=tuple(educators),
        targets=tuple(
            TargetValue(ics_code, group, year, float(fte), *(_money(v) for v in limits))
            for ics_code, group, year, fte, *limits in targets
        ),
        organisation_kinds=organisation_kinds(codes),
        illustrative_organisations=illustrative_organisations(codes),
        headcount_only=tuple(headcounts),
        registered_patients=registered_patients_by_ics(ics=ics, period=baseline_period),
        shares={
            code: parts
            for code, parts in scope_shares(ics=ics, on=baseline_period.replace(day=1)).items()
            if code in codes
        },
        baseline_period=baseline_period.replace(day=1),
        members=planned_members_for(ics=ics, period=baseline_period),
        under_review=tuple(under_review_for(ics=ics, period=baseline_period)),
        pay_awards=pay_awards(scenario),
    )


def pay_awards(scenario: Scenario) -> tuple[PayAwardValue, ...]:
    """The scenario's pay awards by year, in one query: in year order, each year's award
    for every staff group first."""
    awards = pay_award_rows(scenario).values_list("staff_group__code", "year", "rate")
    return tuple(PayAwardValue(code, year, float(rate)) for code, year, rate in awards)


def prepare_run(
    *, scenario: Scenario, ics: ICS | None, baseline_period: datetime.date
) -> PreparedRun:
    """The engine's inputs of a run, with their labels and hash, and what it was built on
    (`PreparedRun.completeness`, which the hash leaves out: a run whose only difference is a
    return under review reuses the results it would give)."""
    data = run_data_for(scenario=scenario, ics=ics, baseline_period=baseline_period)
    try:
        return assemble(data)
    except NothingToProject:
        # Figures there are, but only headcounts of groups with no published FTE per head.
        raise ApplicationError(
            _nothing_to_project(ics, baseline_period, "FTE figures (only published headcounts)")
        ) from None
