"""The workforce by sector and the sector filter, in headless Chromium against a live server:
a lead reads the system by sector and narrows the dashboard to general practice; a national
user does the same on the national view. Screenshots go to screenshots/."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.models import Organisation, StaffGroup
from tests.workforce.returns_data import store_return
from tests.workforce.sector_data import PRACTICE_WITH_A_RETURN, publish
from workforce.models import PlanTarget, ProjectionRun, Scenario
from workforce.services.runs import projection_run_start

from .test_dashboards import (  # noqa: F401 (fixtures)
    SCREENSHOTS,
    WAIT,
    browser,
    cast,
    last_month,
    run_from_the_dashboard,
    shot,
    sign_in,
    traces,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def one_workforce(cast):  # noqa: F811
    """Returns of a trust and a practice last month, a trust's published figures, targets
    for every staff group and for GPs, and figures in Greater Manchester for a national run."""
    month = last_month().replace(day=1)
    store_return(cast.trust_a, month)  # doctors, nurses and midwives: 100 FTE each
    practice = Organisation.objects.get(code=PRACTICE_WITH_A_RETURN)
    store_return(practice, month, {"PC-GP": {"fte": "6", "headcount": "7", "vacancies_fte": "1"}})
    publish("RJZ", "NUR", 500, "NHS Workforce Statistics", month)
    publish("R0A", "NUR", 2000, "NHS Workforce Statistics", month)
    for code, fte in (("ALL", 1200), ("PC-GP", 7)):
        for year in range(2026, 2032):
            PlanTarget.objects.create(
                ics=cast.ics_x,
                staff_group=StaffGroup.objects.get(code=code),
                year=year,
                plan="scp",
                target_fte=Decimal(fte),
            )
    return Scenario.objects.create(ics=cast.ics_x, name="Central", draws=50, horizon=6, seed=7)


def shot_of_the_section(page, name: str) -> None:
    """The "by sector" section alone, chart and table."""
    page.locator("section.app-sectors").screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def sector_lines(page) -> dict[str, str]:
    """The "by sector" table: each line's text by its sector."""
    lines = {}
    for row in page.locator(".app-sector-table tbody tr").all():
        lines[row.locator("th").inner_text().replace("Shown", "").strip()] = row.inner_text()
    return lines


def test_a_lead_reads_the_system_by_sector_and_narrows_it_to_general_practice(
    browser,  # noqa: F811
    live_server,
    cast,  # noqa: F811
    one_workforce,
):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, live_server, "icb-qkk")
    page.goto(f"{live_server.url}/systems/QKK/dashboard/")
    lines = sector_lines(page)  # figures of now, before any run
    assert list(lines) == [
        "NHS trusts",
        "General practice and PCNs",
        "Social care",
        "Independent and voluntary sector",
        "All sectors",
    ]
    assert "No projection yet" in lines["NHS trusts"]
    assert "800" in lines["NHS trusts"]  # RJ1's return (300 FTE) and RJZ's published 500
    assert (
        "No figures yet" in lines["Social care"]
        and "No figures yet" in lines["Independent and voluntary sector"]
    )
    run_from_the_dashboard(page)
    page.wait_for_selector("#chart-sectors .trace", timeout=WAIT)
    lines = sector_lines(page)
    assert "Targets are set for the whole system" in lines["NHS trusts"]
    assert "%" in lines["All sectors"]  # the whole system's probability
    shot_of_the_section(page, "sectors-system")
    shot(page, "sectors-system-page")

    page.select_option("#choose-sector", "primary_care")
    page.select_option("#choose-staff-group", "PC-GP")
    page.click("form.app-choices button[type=submit]")
    page.wait_for_url("**sector=primary_care**")
    page.wait_for_selector("#chart-supply-demand .trace", timeout=WAIT)
    assert "General practice and PCNs only." in page.inner_text(".app-sector-shown")
    title = page.inner_text("#chart-supply-demand-title")
    assert title.endswith("(General practice and PCNs)")
    headline = page.inner_text(".app-headlines")
    assert "Probability of meeting the plan target" in headline and "%" in headline  # GPs' own
    assert "Not a staff group of this sector" in sector_lines(page)["NHS trusts"]
    assert traces(page, "vacancy-heatmap") > 0  # the practice's return alone
    shot(page, "sectors-system-primary-care")
    shot_of_the_section(page, "sectors-system-primary-care-table")

    page.click(".app-sector-table a:has-text('All sectors')")
    page.wait_for_url("**#sectors-title")
    assert page.locator(".app-sector-shown").count() == 0
    assert page.locator("#choose-sector").input_value() == ""

    response = page.goto(f"{live_server.url}/systems/QKK/dashboard/?sector=hospices")
    assert response.status == 400
    assert "There is no sector 'hospices'" in page.inner_text(".nhsuk-error-summary")


def test_a_national_user_reads_england_by_sector_and_one_sector_by_system(
    browser,  # noqa: F811
    live_server,
    cast,  # noqa: F811
    one_workforce,
):
    plan = Scenario.objects.create(name="Central (national)", draws=50, horizon=6, seed=7)
    made = projection_run_start(
        user=cast.national, scenario=plan, ics=None, baseline_period=last_month().replace(day=1)
    )
    made.refresh_from_db()
    assert made.status == ProjectionRun.Status.SUCCEEDED, made.error
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, live_server, "national")
    page.goto(f"{live_server.url}/national/")
    page.wait_for_selector("#chart-sectors .trace", timeout=WAIT)
    lines = sector_lines(page)
    assert "0 of 1 system 80% or more likely" in lines["All sectors"]  # QKK has targets
    assert "Targets are set for each whole system" in lines["NHS trusts"]
    assert "No figures yet" in lines["Social care"]
    shot_of_the_section(page, "sectors-national")
    shot(page, "sectors-national-page")

    page.select_option("#choose-sector", "nhs_trusts")
    page.click("form.app-choices button[type=submit]")
    page.wait_for_url("**sector=nhs_trusts**")
    page.wait_for_selector("#chart-national-gap .trace", timeout=WAIT)
    assert "NHS trusts only." in page.inner_text(".app-sector-shown")
    systems = page.inner_text(".app-national-table")
    assert "South East London" in systems and "Greater Manchester" in systems
    shot(page, "sectors-national-trusts")
