"""The dashboard says how often its band held, from the national backtest of the national
central scenario."""

from __future__ import annotations

import datetime

import pytest

from workforce.models import Backtest, Scenario
from workforce.selectors.backtests import band_record

from .dashboard_data import system_with_a_run

pytestmark = pytest.mark.django_db


def _backtest(scenario: Scenario, status: str = "succeeded", held: float = 7 / 9) -> Backtest:
    rows = [
        {
            "staff_group": "NUR",
            "horizon": h,
            "coverage": held,
            "mape": 0.02,
            "bias": -0.01,
            "baselines": 9,
        }
        for h in (1, 2, 3)
    ]
    return Backtest.objects.create(
        scenario=scenario,
        ics=None,
        first_baseline=datetime.date(2012, 9, 1),
        last_baseline=datetime.date(2020, 9, 1),
        horizon=3,
        status=status,
        results=rows,
        finished_at=datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC),
    )


@pytest.fixture
def central():
    return Scenario.objects.create(name="Central (national)", ics=None, central=True, seed=1)


def test_the_sentence_names_the_years_the_group_the_count_and_the_horizon(central):
    _backtest(central)
    record = band_record(staff_group="NUR", years_ahead=3)
    assert record.sentence == (
        "Over 2012-2020, the 80% band for nurses & health visitors held in 7 of 9 years at a "
        "3-year horizon (national backtest)."
    )
    # Beyond the horizons scored, the nearest one; a group not scored, or year 0: nothing.
    assert band_record(staff_group="NUR", years_ahead=5).horizon == 3
    assert band_record(staff_group="DOC", years_ahead=3) is None
    assert band_record(staff_group="NUR", years_ahead=0) is None


def test_only_a_succeeded_national_backtest_of_the_national_central_scenario_counts(central):
    other = Scenario.objects.create(name="Other", ics=None, seed=1)
    _backtest(other)
    _backtest(central, status="failed")
    assert band_record(staff_group="NUR", years_ahead=2) is None
    newest = _backtest(central, held=5 / 9)
    assert band_record(staff_group="NUR", years_ahead=2).backtest == newest


def test_the_dashboard_shows_the_line_under_the_shortfall(
    client, cast, central, django_capture_on_commit_callbacks
):
    _ics, _plan, made = system_with_a_run(cast, django_capture_on_commit_callbacks)
    backtest = _backtest(central)
    client.force_login(cast.lead_x)
    page = client.get(f"/systems/QKK/dashboard/?run={made.pk}&staff_group=NUR&year=2028")
    html = page.content.decode()
    assert "held in 7 of 9 years at a 3-year horizon" in html
    assert f'href="/backtests/{backtest.pk}/"' in html
    Backtest.objects.all().delete()
    html = client.get(f"/systems/QKK/dashboard/?run={made.pk}&staff_group=NUR&year=2028")
    assert "national backtest" not in html.content.decode()


def test_the_demo_runs_the_national_backtest_once(central):
    import io

    from workforce.demo import backtests

    central.draws = 50
    central.save()
    out = io.StringIO()
    backtests.seed(out)
    backtests.seed(out)
    done = Backtest.objects.get()
    assert done.status == "succeeded" and done.horizon == 5 and done.draws == 50
    assert "2012-2020: succeeded" in out.getvalue()
    record = band_record(staff_group="NUR", years_ahead=3)
    assert record.baselines == 9 and 0 <= record.held <= 9
