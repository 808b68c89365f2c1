"""Every dashboard page links its charts and cards to the glossary, and names and explains
the two gaps (against demand, to target) where they appear."""

from __future__ import annotations

import re

import pytest

from workforce.models import Scenario

from .dashboard_data import run, system_with_a_run, target, two_months_of_returns
from .projection_data import scenario, small_system

pytestmark = pytest.mark.django_db
GLOSSARY = "/methods/glossary/#"


def glossary_links(html: str) -> list[str]:
    return re.findall(rf'class="app-glossary-link" href="{re.escape(GLOSSARY)}([a-z0-9-]+)"', html)


@pytest.fixture
def system(cast, django_capture_on_commit_callbacks):
    two_months_of_returns(cast)
    return system_with_a_run(cast, django_capture_on_commit_callbacks)


def test_the_system_dashboard_links_each_chart_and_card_and_names_both_gaps(client, cast, system):
    client.force_login(cast.lead_x)
    html = client.get("/systems/QKK/dashboard/?staff_group=ALL&year=2028").content.decode()
    links = set(glossary_links(html))
    assert {
        "likely-range",
        "shortfall-against-demand",
        "gap-to-target",
        "probability-of-meeting-the-target",
        "draws",
        "planning-sector",
        "vacancy-rate",
        "temporary-staffing-share",
        "leaver-rate",
        "fte",
    } <= links
    assert "Shortfall against demand in 2028/29" in html
    assert "Demand minus supply: the staff the funded establishment would need" in html
    assert "Gap to target:" in html and "the plan target minus median supply" in html
    assert "What is this?" in html


def test_the_comparison_page_links_its_charts(
    client, cast, system, django_capture_on_commit_callbacks
):
    ics, central, _ = system
    other = scenario(ics, name="Other")
    run(cast.lead_x, other, ics, django_capture_on_commit_callbacks)
    client.force_login(cast.lead_x)
    html = client.get(f"/systems/QKK/compare/?scenarios={central.pk},{other.pk}").content.decode()
    assert {"likely-range", "shortfall-against-demand", "probability-of-meeting-the-target"} <= (
        set(glossary_links(html))
    )


def test_the_national_view_links_its_charts_and_names_both_gaps(
    client, cast, django_capture_on_commit_callbacks
):
    small_system("QKK")
    target(cast.ics_x, "ALL", 2027, 1)
    plan = Scenario.objects.create(name="Central (national)", draws=1, horizon=5, seed=7)
    run(cast.national, plan, None, django_capture_on_commit_callbacks)
    client.force_login(cast.national)
    html = client.get("/national/").content.decode()
    assert {
        "shortfall-as-a-share-of-demand",
        "probability-of-meeting-the-target",
        "shortfall-against-demand",
        "gap-to-target",
        "planning-sector",
    } <= set(glossary_links(html))
    assert "Shortfall is against demand (demand minus supply)" in html
