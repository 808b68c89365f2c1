"""Backtests on histories whose outcomes are known by construction."""

from __future__ import annotations

import datetime

import numpy as np
import pytest

from workforce.backtest import (
    BacktestError,
    BacktestSpec,
    backtest_run,
    calibrate,
    national_history,
    project_baselines,
    yearly_baselines,
)
from workforce.backtest.flows import joiners_a_year, supply_flows
from workforce.backtest.history import add_years
from workforce.projection.defaults import NATIONAL, Assumptions

START = datetime.date(2010, 9, 1)
PLAIN = Assumptions(fallback_leaver_rate=0.1)  # no international recruits or returners


def model_history(years: int = 12, supply0: float = 1000.0, joiners: float = 130.0) -> dict:
    """A group that follows the supply equation exactly: S[t+1] = 0.9 S[t] + joiners."""
    by_month, supply = {}, supply0
    for t in range(years):
        by_month[add_years(START, t)] = supply
        supply = supply * 0.9 + joiners
    return {"NUR": by_month}


def spec(first: int = 2013, last: int = 2016, horizon: int = 5, **changes) -> BacktestSpec:
    values = {
        "baselines": yearly_baselines(datetime.date(first, 9, 1), datetime.date(last, 9, 1)),
        "horizon": horizon,
        "groups": ("NUR",),
        "assumptions": {"NUR": PLAIN},
        "draws": 200,
        "seed": 1,
    }
    return BacktestSpec(**(values | changes))


def test_joiners_are_net_growth_plus_leavers_at_the_start_of_each_year():
    # 1000 -> 1030 -> 1057: leavers 100 then 103; joiners 130 a year each year.
    assert joiners_a_year([1000, 1030, 1057], 0.1) == pytest.approx(130)


def test_flows_split_joiners_into_international_returners_and_the_rest():
    a = NATIONAL.updated(fallback_leaver_rate=0.1, international_rate=0.02)
    flows = supply_flows([1000, 1030, 1057], a)
    assert flows.leaver_rate == 0.1
    assert flows.international == pytest.approx(0.02 * 1057)
    assert flows.recruitment + flows.international == pytest.approx(130)


def test_a_scenario_recruitment_rate_does_not_replace_what_the_history_shows():
    flows = supply_flows([1000, 1030, 1057], PLAIN.updated(recruitment_rate=0.5))
    assert flows.recruitment == pytest.approx(130)


def test_other_recruitment_is_never_below_zero():
    flows = supply_flows([1000, 500, 250], PLAIN.updated(international_rate=0.05))
    assert flows.recruitment == 0


def test_a_history_that_grows_as_the_model_says_has_no_error():
    outcome = backtest_run(model_history(), spec(draws=1))
    assert [s.horizon for s in outcome.scores] == [1, 2, 3, 4, 5]
    for score in outcome.scores:
        assert score.baselines == 4
        assert score.mape == pytest.approx(0, abs=1e-9)
        assert score.bias == pytest.approx(0, abs=1e-9)
        assert score.coverage == 1.0


def test_coverage_counts_the_outcomes_inside_the_band():
    history = model_history()
    # The outcome of September 2017 is pushed far above any band.
    history["NUR"][datetime.date(2017, 9, 1)] *= 1.5
    outcome = backtest_run(history, spec())
    by_horizon = {s.horizon: s for s in outcome.scores}
    # 2017 is 4 years on from 2013, 3 from 2014, 2 from 2015 and 1 from 2016: one baseline
    # in four at each of those horizons.
    for h in (1, 2, 3, 4):
        assert by_horizon[h].coverage == 0.75
        assert by_horizon[h].bias < 0
    assert by_horizon[5].coverage == 1.0


def test_a_parent_adds_up_its_leaves():
    history = model_history()
    history["MID"] = {m: v / 10 for m, v in history["NUR"].items()}
    setup = spec(
        groups=("NUR", "MID"),
        assumptions={"NUR": PLAIN, "MID": PLAIN},
        parents={"PQC": ("NUR", "MID")},
        draws=1,
    )
    bands = project_baselines(history, setup)
    assert bands.outputs.codes == ("NUR", "MID", "PQC")
    assert np.allclose(bands.outcome[:, 2], bands.outcome[:, 0] * 1.1)
    assert np.allclose(bands.bands[:, 2, :, 1], bands.bands[:, 0, :, 1] * 1.1)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"first": 2005, "last": 2006}, "no figures for September 2005"),
        ({"first": 2011, "last": 2012}, "3 years before it"),
        ({"first": 2016, "last": 2018}, "5-year horizon from September 2017"),
        ({"first": 2016, "last": 2015}, "before the first"),
    ],
)
def test_bad_input_raises_with_the_reason(changes, message):
    with pytest.raises(BacktestError, match=message):
        project_baselines(model_history(), spec(**changes))


def test_calibration_widens_spreads_that_held_too_few_outcomes():
    history = model_history(joiners=130)
    # A shock the flows cannot foresee: after 2015 the group grows 4% a year more.
    for month in sorted(history["NUR"]):
        if month.year > 2015:
            history["NUR"][month] *= 1.04 ** (month.year - 2015)
    (proposal,) = calibrate(history, spec(draws=400))
    assert proposal.coverage_now < 0.8 <= proposal.coverage_proposed
    assert proposal.factor > 1 and proposal.reached
    assert proposal.proposed["leaver_rate_sd"] == pytest.approx(0.01 * proposal.factor, abs=1e-5)


def test_proposed_spreads_stay_within_what_a_scenario_may_set():
    history = model_history()
    # Outcomes no spread could cover: the group doubles in a year.
    for month in sorted(history["NUR"]):
        if month.year > 2015:
            history["NUR"][month] *= 2
    (proposal,) = calibrate(history, spec(draws=50))
    assert not proposal.reached
    assert proposal.proposed == {"leaver_rate_sd": 0.1, "international_sd": 1.0}


def test_the_national_series_reads_every_month_of_every_leaf_group():
    history = national_history()
    assert len(history) == 13
    nurses = history["NUR"]
    assert min(nurses) == datetime.date(2009, 9, 1) and max(nurses) == datetime.date(2026, 2, 1)
    assert len(nurses) == 198
