"""The national defaults' spreads come from the national backtest, which the command prints."""

import io

import pytest
from django.core.management import call_command

from workforce.projection import defaults


def test_the_hchs_groups_take_the_backtests_spreads_and_the_others_keep_the_first():
    nurses = defaults.national_defaults("NUR")
    assert (nurses.leaver_rate_sd, nurses.international_sd) == (0.023, 0.45)
    managers = defaults.national_defaults("INF-MGR")
    assert (managers.leaver_rate_sd, managers.international_sd) == defaults.SPREAD_CAP
    assert nurses.fallback_leaver_rate == 0.095  # the group's other defaults are kept
    gps = defaults.national_defaults("PC-GP")
    assert (gps.leaver_rate_sd, gps.international_sd) == (0.01, 0.2)
    assert all(
        leaver <= defaults.SPREAD_CAP[0] and international <= defaults.SPREAD_CAP[1]
        for leaver, international in defaults.BACKTEST_SPREADS.values()
    )


@pytest.mark.django_db
def test_the_command_prints_the_national_backtest_and_its_proposals():
    out = io.StringIO()
    call_command("backtest_national", "--draws", "200", "--calibrate", stdout=out)
    text = out.getvalue()
    assert text.startswith("9 baselines 2012-09 to 2020-09, horizons 1 to 5, 200 draws")
    nurses = next(
        line for line in text.splitlines() if line.startswith("| NUR | ") and "of 9" in line
    )
    assert nurses.count("/") >= 6
    assert "Spreads that would have held 80%" in text
    assert any(line.startswith("| NUR | now ") for line in text.splitlines())
