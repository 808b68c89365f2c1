"""The backtest page, and starting a backtest from a scenario's page."""

from __future__ import annotations

import pytest

from workforce.models import Backtest

from .projection_data import scenario

pytestmark = pytest.mark.django_db


def test_a_scenario_page_starts_a_backtest_and_its_page_shows_table_and_chart(
    client, cast, django_capture_on_commit_callbacks
):
    plan = scenario(draws=50, name="National page test")
    client.force_login(cast.national)
    assert "Start a backtest" in client.get(f"/scenarios/{plan.pk}/").content.decode()
    form = {"first_baseline": "2012-09", "last_baseline": "2013-09", "horizon": "2"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/scenarios/{plan.pk}/backtests/", form)
    backtest = Backtest.objects.get()
    assert response.status_code == 302 and response.url == f"/backtests/{backtest.pk}/"
    page = client.get(f"/backtests/{backtest.pk}/?staff_group=DOC").content.decode()
    assert "Coverage and error by horizon" in page
    # Groups by name, and errors as percentages, as people read them.
    from core.models import StaffGroup

    assert f"{StaffGroup.objects.get(code='DOC').name} (DOC)" in page
    row = page.split("(DOC)</td>")[1].split("</tr>")[0]
    assert row.count("%") == 3, row
    assert "DOC: each baseline&#x27;s band against what happened" in page
    assert 'data-figure="chart-backtest-DOC-figure"' in page


def test_a_refused_backtest_says_why(client, cast):
    plan = scenario(draws=50, name="National page test")
    client.force_login(cast.national)
    form = {"first_baseline": "2005-09", "last_baseline": "2006-09", "horizon": "2"}
    response = client.post(f"/scenarios/{plan.pk}/backtests/", form)
    assert response.status_code == 400
    assert "no figures for September 2005" in response.content.decode()


def test_another_system_sees_no_backtest_page(client, cast):
    backtest = Backtest.objects.create(
        scenario=scenario(cast.ics_x, draws=10),
        ics=cast.ics_x,
        first_baseline="2019-09-01",
        last_baseline="2020-09-01",
        horizon=1,
    )
    client.force_login(cast.lead_y)
    assert client.get(f"/backtests/{backtest.pk}/").status_code == 404
    client.force_login(cast.lead_x)
    assert "queued" in client.get(f"/backtests/{backtest.pk}/").content.decode()
