"""The projection's rules for every kind of organisation, on plain data (no database):
defaults by group and hierarchy, the registered-list growth of general practice, newly
qualified staff shared across kinds, and organisations no sector counts."""

from __future__ import annotations

import datetime

import pytest

from education import pipeline
from workforce.projection import defaults
from workforce.projection.assembly import assemble, resolved_assumptions
from workforce.projection.list_growth import general_practice_groups, list_growth
from workforce.projection.run_data import BaselineSeries, RunData, StaffGroupNode

BASELINE_YEAR = 2025
GROUPS = (
    StaffGroupNode("ALL", None, 0, False),
    StaffGroupNode("NUR", "ALL", 1),
    StaffGroupNode("PC", "ALL", 10, False),
    StaffGroupNode("PC-GP", "PC", 11),
    StaffGroupNode("PC-DPC", "PC", 12),
    StaffGroupNode("PC-ARR", "PC", 13, False),
    StaffGroupNode("PC-ARR-PHARM", "PC-ARR", 14),
    StaffGroupNode("PC-ARR-ZZZ", "PC-ARR", 15),  # a role added later, in no list
    StaffGroupNode("SC", "ALL", 20, False),
    StaffGroupNode("SC-CW", "SC", 21),
    StaffGroupNode("SC-RN", "SC", 22),
)


def series(organisation: str, group: str, fte: float, ics: str = "QKK") -> BaselineSeries:
    return BaselineSeries(
        organisation_code=organisation,
        ics_code=ics,
        staff_group_code=group,
        source="published",
        period=datetime.date(2026, 2, 1),
        fte=fte,
        vacancies_fte=None,
        leaver_rate=None,
        joiners_a_year=None,
        months_of_returns=0,
    )


def run_data(*all_series: BaselineSeries, **values) -> RunData:
    values.setdefault("assumption_rows", {})
    values.setdefault("programmes", ())
    values.setdefault("intakes", ())
    return RunData(
        series=all_series,
        baseline_year=BASELINE_YEAR,
        horizon=3,
        draws=1,
        seed=7,
        organisation_share=0.0,
        step_changes=(),
        staff_groups=GROUPS,
        **values,
    )


KINDS = {
    "RJ1": "nhs_trust",
    "HOSPICE": "independent",
    "G85001": "gp_practice",
    "U12345": "pcn",
    "CARE1": "social_care",
    "HEI1": "hei",
}


def test_pcn_additional_roles_take_general_practice_direct_patient_cares_defaults():
    assumptions = resolved_assumptions({}, ["PC-ARR-PHARM", "PC-ARR-ZZZ", "PC-DPC"], GROUPS)
    assert assumptions["PC-ARR-ZZZ"] == assumptions["PC-DPC"] == assumptions["PC-ARR-PHARM"]
    assert assumptions["PC-ARR-ZZZ"].fallback_leaver_rate == 0.13
    # Without the hierarchy a group with no entry of its own takes the national defaults.
    assert resolved_assumptions({}, ["PC-ARR-ZZZ"])["PC-ARR-ZZZ"] == defaults.NATIONAL


def test_social_care_leaves_far_faster_than_the_nhs_by_skills_for_cares_figures():
    care_workers, nurses = defaults.national_defaults("SC-CW"), defaults.national_defaults("SC-RN")
    nhs_nurses = defaults.national_defaults("NUR")
    assert care_workers.fallback_leaver_rate == 0.25 and care_workers.vacancy_rate == 0.08
    assert nurses.fallback_leaver_rate == 0.33 and nurses.vacancy_rate == 0.11
    assert nurses.fallback_leaver_rate > 3 * nhs_nurses.fallback_leaver_rate


def test_list_growth_is_compound_over_the_last_five_years_up_to_the_baseline_year():
    patients = {year: 1000 + 20 * (year - 2015) for year in range(2015, 2024)}
    patients[2026] = 10**6  # after the baseline year: never read
    growth = list_growth(patients, up_to_year=BASELINE_YEAR)
    assert (growth.first_year, growth.last_year) == (2018, 2023)
    assert growth.rate == pytest.approx((1160 / 1060) ** (1 / 5) - 1)
    assert list_growth({2022: 100, 2023: 102}, 2025).rate == pytest.approx(0.02)
    assert list_growth({2023: 100}, 2025) is None
    assert list_growth({}, 2025) is None


def test_the_general_practice_groups_come_from_the_hierarchy():
    assert general_practice_groups(GROUPS) == {
        "PC",
        "PC-GP",
        "PC-DPC",
        "PC-ARR",
        "PC-ARR-PHARM",
        "PC-ARR-ZZZ",
    }


def test_general_practice_demand_follows_the_systems_list_unless_the_scenario_sets_it():
    data = run_data(
        series("RJ1", "NUR", 300),
        series("G85001", "PC-GP", 6),
        series("U12345", "PC-ARR-ZZZ", 2),
        series("X1", "PC-GP", 4, ics="QOP"),  # no registered-list figures in QOP
        organisation_kinds={**KINDS, "X1": "gp_practice"},
        registered_patients={"QKK": {2018: 100_000, 2023: 110_000}},
    )
    prepared = assemble(data)
    growth = 1.1 ** (1 / 5) - 1
    by_series = {
        (s.organisation_code, s.staff_group_code): g
        for s, g in zip(prepared.series, prepared.inputs.demand_growth, strict=True)
    }
    assert by_series["G85001", "PC-GP"] == pytest.approx(growth)
    assert by_series["U12345", "PC-ARR-ZZZ"] == pytest.approx(growth)
    assert by_series["RJ1", "NUR"] == defaults.national_defaults("NUR").demand_growth
    assert by_series["X1", "PC-GP"] == defaults.national_defaults("PC-GP").demand_growth
    notes = prepared.notes["general_practice_demand_growth"]
    assert notes["by_ics"]["QKK"]["rate"] == pytest.approx(growth)
    assert notes["by_ics"]["QKK"]["from_year"] == 2018 and notes["by_ics"]["QOP"] is None
    assert notes["groups_following_registered_lists"] == ["PC-ARR-ZZZ", "PC-GP"]

    for rows in ({"PC-GP": {"demand_growth": 0.01}}, {None: {"demand_growth": 0.01}}):
        overridden = assemble(
            run_data(
                *data.series,
                organisation_kinds=data.organisation_kinds,
                registered_patients=data.registered_patients,
                assumption_rows=rows,
            )
        )
        practice = [s.organisation_code for s in overridden.series].index("G85001")
        assert overridden.inputs.demand_growth[practice] == pytest.approx(0.01)
        notes = overridden.notes["general_practice_demand_growth"]
        assert "PC-GP" in notes["groups_set_by_scenario"]


def test_newly_qualified_are_shared_among_every_kind_that_employs_the_group():
    nursing = pipeline.Programme("T-NUR", "NUR", 3, 0.2, 1.0, 20)
    gp_training = pipeline.Programme("T-GP", "PC-GP", 3, 0.0, 1.0, 0)
    care = pipeline.Programme("T-CW", "SC-CW", 1, 0.0, 1.0, 0)
    intakes = tuple(
        pipeline.Intake("QKK", code, year, 40.0)
        for code in ("T-NUR", "T-GP", "T-CW")
        for year in range(2020, 2029)
    )
    prepared = assemble(
        run_data(
            series("RJ1", "NUR", 300),
            series("HOSPICE", "NUR", 100),
            series("G85001", "PC-GP", 6),
            series("U12345", "PC-GP", 2),
            programmes=(nursing, gp_training, care),
            intakes=intakes,
            organisation_kinds=KINDS,
        )
    )
    newly = {
        s.organisation_code: prepared.inputs.newly_qualified[i, 1]
        for i, s in enumerate(prepared.series)
    }
    assert newly["RJ1"] == pytest.approx(3 * newly["HOSPICE"]) and newly["HOSPICE"] > 0
    assert newly["G85001"] == pytest.approx(3 * newly["U12345"]) and newly["U12345"] > 0
    # No organisation of the system employs care workers: reported, not silently lost.
    (unplaced,) = prepared.notes["newly_qualified_unplaced"]
    assert unplaced["staff_group"] == "SC-CW" and unplaced["fte"] > 0


def test_organisations_are_planned_in_their_kinds_sector_and_a_university_in_none():
    prepared = assemble(
        run_data(
            series("RJ1", "NUR", 300),
            series("HOSPICE", "NUR", 50),
            series("CARE1", "SC-CW", 40),
            series("HEI1", "NUR", 5),
            organisation_kinds=KINDS,
        )
    )
    assert prepared.organisations == ["CARE1", "HOSPICE", "RJ1"]
    assert prepared.axes.sectors.codes == ("nhs_trusts", "social_care", "independent")
    sectors = [prepared.axes.sectors.codes[i] for i in prepared.inputs.organisation_sector]
    assert sectors == ["social_care", "independent", "nhs_trusts"]
    assert prepared.notes["left_out_no_planning_sector"] == ["HEI1"]
    # An organisation of unknown kind (plain data with no kinds) is an NHS trust.
    assert assemble(run_data(series("RJ1", "NUR", 1))).axes.sectors.codes == ("nhs_trusts",)
