"""The model's rules that turn what a run read into the engine's inputs, on plain data."""

from __future__ import annotations

import datetime
from dataclasses import replace

import numpy as np
import pytest

from education import pipeline
from workforce.projection import defaults
from workforce.projection.assembly import (
    assemble,
    establishment,
    group_rollup,
    international_recruits,
    leaver_rates,
    other_recruitment,
    returners,
    target_array,
)
from workforce.projection.engine import project
from workforce.projection.run_data import (
    BaselineSeries,
    Labels,
    RunData,
    StaffGroupNode,
    StepChange,
    TargetValue,
)
from workforce.projection.sharing import expanded_intakes, shared_step_changes

BASELINE_YEAR = 2025
NATIONAL = defaults.Assumptions()
GROUPS = (
    StaffGroupNode("ALL", None, 0),
    StaffGroupNode("PQC", "ALL", 1),
    StaffGroupNode("NUR", "PQC", 2),
    StaffGroupNode("DOC", "PQC", 3),
    StaffGroupNode("SUP", "ALL", 4),
)


def series(
    organisation: str = "RJ1",
    group: str = "NUR",
    fte: float = 1000.0,
    *,
    ics: str = "QKK",
    vacancies: float | None = None,
    leaver_rate: float | None = None,
    joiners: float | None = None,
) -> BaselineSeries:
    return BaselineSeries(
        organisation_code=organisation,
        ics_code=ics,
        staff_group_code=group,
        source="published" if vacancies is None else "return",
        period=datetime.date(2026, 2, 1),
        fte=fte,
        vacancies_fte=vacancies,
        leaver_rate=leaver_rate,
        joiners_a_year=joiners,
        months_of_returns=0 if vacancies is None else 12,
    )


def run_data(*all_series: BaselineSeries, **values: object) -> RunData:
    values.setdefault("horizon", 3)
    values.setdefault("assumption_rows", {})
    values.setdefault("step_changes", ())
    values.setdefault("programmes", ())
    values.setdefault("intakes", ())
    return RunData(
        series=all_series,
        baseline_year=BASELINE_YEAR,
        draws=1,
        seed=7,
        organisation_share=0.0,
        staff_groups=GROUPS,
        **values,
    )


def test_establishment_is_fte_plus_vacancies_or_fte_over_one_minus_the_vacancy_rate():
    a = NATIONAL.updated(vacancy_rate=0.2)
    demand = establishment([series(fte=100, vacancies=10), series(fte=100)], [a, a])
    assert demand.tolist() == [110, pytest.approx(125)]


def test_the_leaver_rate_is_the_scenarios_else_the_measured_else_the_fallback_plus_the_change():
    measured, published = series(leaver_rate=0.12, vacancies=0), series()
    fallback = NATIONAL.updated(fallback_leaver_rate=0.09)
    set_by_scenario = fallback.updated(leaver_rate=0.05)
    rates = leaver_rates(
        [measured, measured, published, published],
        [set_by_scenario, fallback, fallback, fallback.updated(leaver_rate_change=0.02)],
    )
    assert rates.tolist() == pytest.approx([0.05, 0.12, 0.09, 0.11])


def test_the_leaver_rate_with_its_change_stays_within_zero_and_one():
    measured = series(leaver_rate=0.12, vacancies=0)
    rates = leaver_rates(
        [measured, measured],
        [NATIONAL.updated(leaver_rate_change=-0.5), NATIONAL.updated(leaver_rate_change=2.0)],
    )
    assert rates.tolist() == [0.0, 1.0]


def test_international_recruits_and_returners_are_shares_of_baseline_fte():
    supply0 = np.array([1000.0, 1000.0, 200.0])
    a_of = [
        NATIONAL.updated(international_rate=0.03, return_to_practice_rate=0.005),
        NATIONAL.updated(international_rate=0.03, international_change=-0.5),
        NATIONAL.updated(international_rate=0.03, international_change=-2.0),  # never below 0
    ]
    assert international_recruits(a_of, supply0).tolist() == pytest.approx([30, 15, 0])
    assert returners(a_of, supply0).tolist() == pytest.approx([5, 0, 0])


def test_other_recruitment_is_the_joiners_left_after_international_returners_and_retained():
    on_record = series(joiners=120, vacancies=0)
    recruitment = other_recruitment(
        [on_record, on_record],
        [NATIONAL, NATIONAL],
        leaver=np.array([0.1, 0.1]),
        international=np.array([30.0, 100.0]),
        returning=np.array([5.0, 5.0]),
        retained_newly_qualified=np.array([10.0, 30.0]),
    )
    assert recruitment.tolist() == pytest.approx([75, 0])  # never below zero


def test_without_joiners_on_record_other_recruitment_replaces_the_leavers():
    recruitment = other_recruitment(
        [series(fte=1000)],
        [NATIONAL],
        leaver=np.array([0.1]),
        international=np.array([20.0]),
        returning=np.array([5.0]),
        retained_newly_qualified=np.array([15.0]),
    )
    assert recruitment.tolist() == pytest.approx([100 - 20 - 5 - 15])


def test_a_recruitment_rate_replaces_the_derived_other_recruitment():
    recruitment = other_recruitment(
        [series(fte=1000, joiners=120, vacancies=0)],
        [NATIONAL.updated(recruitment_rate=0.04)],
        leaver=np.array([0.1]),
        international=np.array([30.0]),
        returning=np.array([5.0]),
        retained_newly_qualified=np.array([10.0]),
    )
    assert recruitment.tolist() == pytest.approx([40])


def intake(year: int, places: float, actual: float | None = None) -> pipeline.Intake:
    return pipeline.Intake("QKK", "T-NUR", year, places, actual)


def test_intakes_carry_the_last_plan_forward_to_the_last_year():
    expanded = expanded_intakes(
        [intake(2024, 50), intake(2026, 60, actual=58)], 2028, {"NUR": NATIONAL}, {"T-NUR": "NUR"}
    )
    assert [(i.academic_year, i.planned_places, i.actual_starts) for i in expanded] == [
        (2024, 50, None),
        (2025, 50, None),
        (2026, 60, 58),
        (2027, 60, None),
        (2028, 60, None),
    ]


def test_the_intake_change_applies_to_planned_places_from_its_academic_year():
    a = NATIONAL.updated(intake_change=0.1, intake_change_from=2026)
    expanded = expanded_intakes([intake(2024, 50)], 2027, {"NUR": a}, {"T-NUR": "NUR"})
    assert [i.planned_places for i in expanded] == pytest.approx([50, 50, 55, 55])
    cut = NATIONAL.updated(intake_change=-2.0)  # never below zero places
    assert [
        i.planned_places
        for i in expanded_intakes([intake(2024, 50)], 2024, {"NUR": cut}, {"T-NUR": "NUR"})
    ] == [0]


def test_step_changes_are_shared_by_baseline_fte_within_the_horizon():
    all_series = [series("RJ1", fte=300), series("RJ2", fte=100), series("RJ1", "DOC", fte=50)]
    changes = [
        StepChange("NUR", BASELINE_YEAR + 2, 40.0),
        StepChange("NUR", BASELINE_YEAR + 2, -8.0),
        StepChange("NUR", BASELINE_YEAR, 1000.0),  # year 0 is the baseline: no change
        StepChange("NUR", BASELINE_YEAR + 4, 1000.0),  # beyond the horizon
        StepChange("SUP", BASELINE_YEAR + 1, 1000.0),  # no series of that group
    ]
    shared = shared_step_changes(all_series, changes, BASELINE_YEAR, horizon=3)
    assert shared.tolist() == [[0, 0, 24, 0], [0, 0, 8, 0], [0, 0, 0, 0]]


def test_the_roll_up_adds_every_ancestor_of_the_leaves_in_the_hierarchys_order():
    outputs, rollup = group_rollup(["NUR", "DOC", "SUP"], GROUPS)
    assert outputs.codes == ("NUR", "DOC", "SUP", "ALL", "PQC")
    assert rollup.tolist() == [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1], [1, 1, 0]]


def test_targets_land_at_their_labels_and_the_rest_are_missing():
    ics, outputs = Labels(("QKK", "QWE")), Labels(("NUR", "ALL"))
    targets = target_array(
        [
            TargetValue("QWE", "ALL", BASELINE_YEAR + 2, 900.0),
            TargetValue("QWE", "DOC", BASELINE_YEAR + 2, 5.0),  # not a group of the run
            TargetValue("QKK", "NUR", BASELINE_YEAR + 9, 5.0),  # beyond the horizon
        ],
        ics,
        outputs,
        BASELINE_YEAR,
        horizon=3,
    )
    assert targets[1, 1, 2] == 900
    assert np.isnan(
        np.delete(targets.ravel(), np.ravel_multi_index((1, 1, 2), targets.shape))
    ).all()


def test_labels_give_each_codes_position_and_refuse_a_code_twice():
    labels = Labels(("RJ1", "RJ2"))
    assert labels.position("RJ2") == 1 and "RJ1" in labels and "RX9" not in labels
    with pytest.raises(ValueError, match="unique"):
        Labels(("RJ1", "RJ1"))


NURSING = pipeline.Programme("T-NUR", "NUR", 3, 0.2, 1.0, 20)
INTERNATIONAL = pipeline.Programme("T-INTL", "NUR", 1, 0.1, 1.0, 0)


def test_newly_qualified_are_the_pipelines_shared_among_the_series_by_baseline_fte():
    intakes = tuple(pipeline.Intake("QKK", "T-NUR", y, 50.0) for y in range(2020, 2026))
    prepared = assemble(
        run_data(
            series("RJ1", fte=300), series("RJ2", fte=100), programmes=(NURSING,), intakes=intakes
        )
    )
    flow = pipeline.newly_qualified_supply(
        programmes=[NURSING],
        intakes=intakes,
        placements=[],
        educators=[],
        baseline_year=BASELINE_YEAR,
        horizon=3,
    )
    by_year = np.array(flow.newly_qualified["QKK", "NUR"])
    assert by_year.any()
    assert np.allclose(prepared.inputs.newly_qualified, [0.75 * by_year, 0.25 * by_year])


def test_intakes_on_the_international_route_count_as_newly_qualified_supply():
    """Commissioned places on any route are in N(t); the scenario's I and B are the rest."""
    trust = series(fte=1000, joiners=0.0, vacancies=0.0, leaver_rate=0.1)
    without = assemble(run_data(trust, programmes=(INTERNATIONAL,)))
    intakes = tuple(pipeline.Intake("QKK", "T-INTL", y, 40.0) for y in range(2025, 2029))
    with_route = assemble(run_data(trust, programmes=(INTERNATIONAL,), intakes=intakes))
    assert with_route.inputs.newly_qualified[0].tolist() == pytest.approx([0, 36, 36, 36])
    gained = (
        project(with_route.inputs).ics.supply[0, 0, :, 1]
        - project(without.inputs).ics.supply[0, 0, :, 1]
    )
    retention = defaults.national_defaults("NUR").retention_share
    # Each year's 36 newly qualified, retained, then leaving at the leaver rate like everyone.
    assert gained.tolist() == pytest.approx(
        [0, 36 * retention, 36 * retention * (1 + 0.9), 36 * retention * (1 + 0.9 + 0.81)]
    )


def test_the_assembled_inputs_carry_their_labels_and_the_hash_follows_the_inputs():
    data = run_data(
        series("RJ2", "DOC", fte=50),
        series("RJ1", fte=300, ics="QWE"),
        series("RJ2", fte=100),
        targets=(TargetValue("QWE", "PQC", BASELINE_YEAR + 1, 320.0),),
        assumption_rows={None: {"demand_growth": 0.04}, "NUR": {"demand_growth": 0.01}},
    )
    prepared = assemble(data)
    assert prepared.organisations == ["RJ1", "RJ2"] and prepared.ics_codes == ["QKK", "QWE"]
    assert prepared.output_groups == ["NUR", "DOC", "ALL", "PQC"]
    assert prepared.inputs.series_organisation.tolist() == [1, 0, 1]
    assert prepared.inputs.series_ics.tolist() == [0, 1, 0]
    assert prepared.inputs.series_group.tolist() == [1, 0, 0]
    assert prepared.inputs.demand_growth.tolist() == pytest.approx([0.04, 0.01, 0.01])
    assert prepared.inputs.targets[1, 3, 1] == 320
    assert assemble(data).input_hash == prepared.input_hash
    assert assemble(replace(data, seed=8)).input_hash != prepared.input_hash
    assert (
        assemble(replace(data, series=(*data.series[:2], series("RJ2", fte=101)))).input_hash
        != prepared.input_hash
    )
