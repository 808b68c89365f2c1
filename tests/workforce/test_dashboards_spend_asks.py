"""The system dashboard's table of bank and agency spend against the national asks."""

import re

import pytest

from .spend_data import money_run

pytestmark = pytest.mark.django_db


def dashboard(client, user, run) -> str:
    client.force_login(user)
    response = client.get(f"/systems/QKK/dashboard/?run={run.pk}")
    assert response.status_code == 200
    return response.content.decode()


def test_the_dashboard_sets_each_years_spend_against_the_ask_and_the_plan(client, cast):
    html = dashboard(client, cast.lead_x, money_run(cast.lead_x, cast.ics_x))
    table = html.split("app-spend-asks-table")[1].split("</table>")[0]
    assert "2027/28" in table and "2029/30" in table and "2026/27" not in table
    # 2028/29: bank P50 £1.7m against the ask's £1.62m and the plan's £1.6m (30% likely).
    assert re.search(r"£1\.70m</td>\s*<td[^>]*>£1\.53m to £1\.87m</td>\s*<td[^>]*>£1\.62m", table)
    assert "Unlikely (only P10 within it)" in table
    assert "£1.60m" in table and "30%" in table and "No limit set" in table
    assert "2025/26 priorities and operational planning guidance" in html
    assert "(to be confirmed against the source)" in html


def test_a_run_without_costs_says_so_rather_than_showing_zeros(client, cast):
    html = dashboard(client, cast.lead_x, money_run(cast.lead_x, cast.ics_x, costs=False))
    section = html.split('id="spend-asks-title"')[1].split("</section>")[0]
    assert "This run has no costs" in section
    assert "£0" not in section and "<table" not in section
