import datetime

import pytest

from core.errors import ApplicationError
from core.models import StaffGroup
from workforce.models import ProjectionRun, Scenario, ScenarioAssumption
from workforce.selectors.dashboards import rag, system_dashboard
from workforce.selectors.dashboards_compare import parse_scenario_ids, scenario_comparison
from workforce.selectors.dashboards_national import national_overview
from workforce.selectors.dashboards_returns import (
    TrendMonth,
    national_asks,
    returns_trend,
    vacancies_now,
)

from .dashboard_data import TODAY, run, system_with_a_run, target, two_months_of_returns
from .projection_data import scenario, small_system

pytestmark = pytest.mark.django_db


def test_the_rag_status_turns_at_50_and_80_percent():
    assert [rag(p) for p in (None, 0.0, 0.499, 0.5, 0.799, 0.8, 1.0)] == [
        None,
        "red",
        "red",
        "amber",
        "amber",
        "green",
        "green",
    ]


def month(year: int, number: int, bank: float, agency: float) -> TrendMonth:
    return TrendMonth(datetime.date(year, number, 1), 1, 100, 0, bank, agency, 0, None)


def test_the_national_asks_start_in_2026_27_from_the_mean_of_2025_26():
    months = [
        month(2025, 3, 999, 999),  # 2024/25: not part of the base
        month(2025, 4, 100, 40),
        month(2026, 3, 120, 60),
        month(2026, 4, 110, 45),
        month(2027, 4, 105, 30),
    ]
    asked = national_asks(months)
    assert [(m.bank_ask, m.agency_ask) for m in asked[:3]] == [(None, None)] * 3
    assert asked[3].bank_ask == pytest.approx(110 * 0.9)  # mean of 2025/26 is 110 bank, 50 agency
    assert asked[3].agency_ask == pytest.approx(50 * 0.7)
    assert asked[4].bank_ask == pytest.approx(110 * 0.81)  # 10% less again a year on
    assert asked[4].agency_ask == pytest.approx(35)  # -30% is held
    assert asked[3].bank_fte == 110  # the figures themselves are kept


def test_no_asks_without_months_of_2025_26():
    months = [month(2026, 5, 10, 10)]
    assert national_asks(months)[0].agency_ask is None


def test_the_trend_sums_the_members_returns_by_month(cast):
    two_months_of_returns(cast)
    trend = returns_trend(user=cast.lead_x, ics=cast.ics_x, today=TODAY)
    assert [m.period for m in trend] == [datetime.date(2026, 9, 1), datetime.date(2026, 10, 1)]
    september, october = trend
    assert september.organisations == 2
    assert (september.fte, september.vacancies_fte) == (400, 10)
    assert (september.bank_fte, september.agency_fte, september.leavers_fte) == (10, 4, 2)
    assert september.sickness_absence_rate == pytest.approx((0.04 * 100 + 0.06 * 300) / 400)
    assert september.leaver_rate == pytest.approx(2 * 12 / 400)
    assert (october.organisations, october.fte, october.vacancies_fte) == (1, 110, 20)


def test_the_trend_leaves_out_older_months_and_superseded_versions(cast):
    from .returns_data import month as first_of
    from .returns_data import store_return

    store_return(cast.trust_a, first_of(2024, 10), {"NUR": {"fte": "1"}})  # 25 months back
    store_return(cast.trust_a, first_of(2026, 9), {"NUR": {"fte": "7"}}, status="superseded")
    store_return(cast.trust_a, first_of(2026, 9), {"NUR": {"fte": "9"}}, version=2)
    trend = returns_trend(user=cast.lead_x, ics=cast.ics_x, today=TODAY)
    assert [(m.period, m.fte) for m in trend] == [(datetime.date(2026, 9, 1), 9)]


def test_the_vacancy_rate_comes_from_each_members_latest_return(cast):
    two_months_of_returns(cast)
    cells = {
        c.organisation_code: c for c in vacancies_now(user=cast.lead_x, ics=cast.ics_x, today=TODAY)
    }
    assert set(cells) == {"RJ1", "RJ2"}  # not trust C, of system Y
    assert cells["RJ1"].value == pytest.approx(20 / 130) and cells["RJ1"].base == 130
    assert cells["RJ1"].period == datetime.date(2026, 10, 1)
    assert cells["RJ2"].value == 0


def test_the_dashboard_shows_the_latest_run_with_the_total_and_the_nearest_target_year(
    cast, django_capture_on_commit_callbacks
):
    ics, plan, made = system_with_a_run(cast, django_capture_on_commit_callbacks)
    d = system_dashboard(user=cast.lead_x, ics=ics, today=TODAY)
    assert d.scenario == plan and d.run == made and d.latest_run == made
    # Nurses' target is for 2027, all staff's for 2028: no year has most groups' targets, so
    # of those with the most, the nearest five years on from 2025/26.
    assert d.staff_group == "ALL" and d.year == 2028
    assert d.years == [2025, 2026, 2027, 2028, 2029, 2030]
    first = d.series("NUR")[0]
    assert (first.year, first.supply.p50) == (2025, pytest.approx(3300))
    assert d.series("ALL")[0].supply.p50 == pytest.approx(3300 + 930)
    assert {g.code for g in d.staff_groups} >= {"NUR", "DOC", "ALL"}
    assert d.reportable == {"NUR", "DOC"}
    nurses_2027 = next(r for r in d.series("NUR") if r.year == 2027)
    assert nurses_2027.target_fte == 5000 and nurses_2027.rag == "red"
    assert d.headline.staff_group == "ALL" and d.headline.rag == "green"  # 1 FTE is met
    gaps = {(c.organisation_code, c.staff_group) for c in d.organisation_gaps}
    assert len(gaps) == 3 * len(d.staff_groups)  # three trusts, every group with staff
    assert d.can_run and d.in_progress is None and d.failed is None


def test_the_dashboard_takes_the_scenario_run_staff_group_and_year_asked_for(
    cast, django_capture_on_commit_callbacks
):
    ics, central, first = system_with_a_run(cast, django_capture_on_commit_callbacks)
    other = scenario(ics, name="Other", horizon=3)
    second = run(cast.lead_x, other, ics, django_capture_on_commit_callbacks)
    d = system_dashboard(user=cast.lead_x, ics=ics, today=TODAY)
    assert d.run == second  # the newest succeeded run of any scenario
    d = system_dashboard(user=cast.lead_x, ics=ics, scenario_id=central.pk, today=TODAY)
    assert (d.scenario, d.run) == (central, first)
    d = system_dashboard(
        user=cast.lead_x, ics=ics, run_id=first.pk, staff_group="NUR", year=2026, today=TODAY
    )
    assert (d.run, d.staff_group, d.year) == (first, "NUR", 2026)
    d = system_dashboard(user=cast.lead_x, ics=ics, run_id=first.pk, staff_group="XX", year=1999)
    assert (d.staff_group, d.year) == ("ALL", 2028)


def test_a_running_or_failed_newer_run_is_reported_beside_the_results_shown(
    cast, django_capture_on_commit_callbacks
):
    ics, plan, made = system_with_a_run(cast, django_capture_on_commit_callbacks)
    running = ProjectionRun.objects.create(
        scenario=plan, ics=ics, baseline_period=made.baseline_period, status="running", progress=40
    )
    d = system_dashboard(user=cast.lead_x, ics=ics, scenario_id=plan.pk, today=TODAY)
    assert d.run == made and d.in_progress == running and d.failed is None
    running.status, running.error = "failed", "No figures."
    running.save()
    d = system_dashboard(user=cast.lead_x, ics=ics, scenario_id=plan.pk, today=TODAY)
    assert d.in_progress is None and d.failed == running


def test_with_no_run_the_dashboard_offers_the_systems_central_scenario(cast):
    ics = small_system("QKK")
    Scenario.objects.create(name="Another", ics=ics)
    central = Scenario.objects.create(name="Central", ics=ics)
    Scenario.objects.create(name="Central (national)")
    Scenario.objects.create(name="Manchester", ics=cast.ics_y)
    d = system_dashboard(user=cast.lead_x, ics=ics, today=TODAY)
    assert d.scenario == central and d.run is None and d.results == []
    assert [s.name for s in d.scenarios] == ["Another", "Central", "Central (national)"]
    assert d.baseline_period == datetime.date(2026, 2, 1)  # the published figures' month


def test_a_comparison_has_each_scenarios_latest_run_and_what_differs(
    cast, django_capture_on_commit_callbacks
):
    ics, central, first = system_with_a_run(cast, django_capture_on_commit_callbacks)
    push = scenario(ics, name="Retention push")
    ScenarioAssumption.objects.create(
        scenario=push, staff_group=StaffGroup.objects.get(code="NUR"), leaver_rate_change="-0.01"
    )
    ScenarioAssumption.objects.create(
        scenario=push, international_change="-0.3", demand_growth="0.05"
    )
    second = run(cast.lead_x, push, ics, django_capture_on_commit_callbacks)
    unrun = scenario(ics, name="Not run")
    c = scenario_comparison(user=cast.lead_x, ics=ics, scenario_ids=[push.pk, central.pk, unrun.pk])
    assert [(s.scenario, s.run) for s in c.compared] == [
        (push, second),
        (central, first),
        (unrun, None),
    ]
    assert c.compared[2].results == [] and c.year == 2028 and c.staff_group == "ALL"
    differences = {(d.staff_group, d.label): d.values for d in c.differences}
    assert differences == {
        ("Nurses & health visitors", "Change to the leaver rate"): (
            "-1.0 points",
            "+0.0 points",
            "+0.0 points",
        ),
        # Set for every staff group alike: one line, not one per group.
        ("Every staff group", "Change to international recruitment"): ("-30%", "+0%", "+0%"),
        ("Every staff group", "Demand growth a year"): ("5.0% a year",) + ("2.5% a year",) * 2,
    }
    pushed, central_nurses = c.compared[0].series("NUR"), c.compared[1].series("NUR")
    assert pushed[0].supply.p50 == pytest.approx(3300)
    assert pushed[-1].demand.p50 > central_nurses[-1].demand.p50  # 5% growth a year, not 2.5%


def test_a_comparison_takes_two_to_four_scenarios_of_the_system(cast):
    ics = small_system("QKK")
    mine = [scenario(ics, name=f"S{i}") for i in range(5)]
    theirs = scenario(cast.ics_y, name="Theirs")
    for ids in ([mine[0].pk], [s.pk for s in mine], [mine[0].pk, theirs.pk]):
        with pytest.raises(ApplicationError):
            scenario_comparison(user=cast.lead_x, ics=ics, scenario_ids=ids)
    assert parse_scenario_ids("3, 1,3,,2") == [3, 1, 2]
    with pytest.raises(ApplicationError):
        parse_scenario_ids("1;2")


def test_the_national_overview_sorts_every_system_of_a_national_run(
    cast, django_capture_on_commit_callbacks
):
    small_system("QKK")
    small_system("QOP")
    target(cast.ics_x, "ALL", 2027, 10**6)  # X misses its target; Y has none
    national_plan = Scenario.objects.create(name="Central (national)", draws=1, horizon=5, seed=7)
    run(cast.national, national_plan, None, django_capture_on_commit_callbacks)
    n = national_overview(user=cast.national, sort="probability")
    assert n.scenario == national_plan and n.year == 2027 and n.staff_group == "ALL"
    assert [r.ics_code for r in n.rows] == ["QKK", "QOP"]  # a system with no target last
    assert n.rows[0].result.rag == "red" and n.rows[1].result.probability is None
    by_supply = national_overview(user=cast.national, sort="supply", descending=True)
    supplies = [r.result.supply.p50 for r in by_supply.rows]
    assert supplies == sorted(supplies, reverse=True)
    assert {c.result.staff_group for c in n.cells} >= {"NUR", "DOC", "ALL"}
    assert n.can_run and n.in_progress is None


def test_the_dashboard_opens_on_the_central_scenarios_latest_run_not_the_newest_of_any(
    cast, django_capture_on_commit_callbacks
):
    ics, central, first = system_with_a_run(cast, django_capture_on_commit_callbacks)
    other = scenario(ics, name="Other", horizon=3)
    newest = run(cast.lead_x, other, ics, django_capture_on_commit_callbacks)
    assert system_dashboard(user=cast.lead_x, ics=ics, today=TODAY).run == newest
    central.central = True
    central.save()
    d = system_dashboard(user=cast.lead_x, ics=ics, today=TODAY)
    assert (d.scenario, d.run) == (central, first)
    # Designated but never run: the newest run of any scenario is shown rather than nothing.
    central.central = False
    central.save()
    fresh = scenario(ics, name="Fresh")
    fresh.central = True
    fresh.save()
    assert system_dashboard(user=cast.lead_x, ics=ics, today=TODAY).run == newest


def test_the_year_shown_is_where_most_groups_have_targets_nearest_five_years_on():
    from workforce.selectors.dashboards_results import most_targeted_year

    years = list(range(2025, 2036))  # five years on: 2030
    plan = [(g, y) for g in ("NUR", "DOC", "MID") for y in (2026, 2027, 2028, 2029)]
    assert most_targeted_year(plan, years) == 2029
    # One new target far ahead never moves the view.
    assert most_targeted_year([*plan, ("NUR", 2031), ("NUR", 2030)], years) == 2029
    assert most_targeted_year([*plan, ("DOC", 2030), ("MID", 2030)], years) == 2030
    late = [("NUR", 2027), ("DOC", 2033), ("MID", 2033), ("STT", 2027)]
    assert most_targeted_year(late, years) == 2027  # a tie: the nearer the horizon, 2027
    assert most_targeted_year([("NUR", 2040)], []) == 2040  # a sector with no projection
    assert most_targeted_year([], years) is None
