"""The scenario pages in headless Chromium, as an ICB lead: copy a scenario typing a change
in points, read it back in words, change and archive it. Screenshots go to screenshots/."""

from __future__ import annotations

from decimal import Decimal

import pytest

from workforce.models import Scenario

from .test_dashboards import SCREENSHOTS, browser, cast, shot, sign_in  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


def test_a_lead_types_one_point_lower_and_reads_it_back_in_words(browser, live_server, cast):  # noqa: F811
    central = Scenario.objects.create(ics=cast.ics_x, name="Central", draws=50, central=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, live_server, "icb-qkk")

    page.goto(f"{live_server.url}/scenarios/{central.pk}/copy/")
    page.fill("#id_name", "Retention push")
    page.select_option("#id_g0-staff_group", "NUR")
    page.fill("#id_g0-leaver_rate_change", "-30")  # a slip: refused, in points
    page.fill("#id_all-international_change", "-30")
    page.click("main button:has-text('Create the scenario')")
    assert "Give a number from -20 to +20 points; -30 points is not." in page.content()
    shot(page, "scenario-form-error", "#id_g0-leaver_rate_change")

    page.fill("#id_g0-leaver_rate_change", "-1")
    shot(page, "scenario-form", "#id_g0-leaver_rate_change")
    page.click("main button:has-text('Create the scenario')")
    page.wait_for_url("**/scenarios/*/")
    made = Scenario.objects.get(name="Retention push")
    assert made.assumptions.get(staff_group__code="NUR").leaver_rate_change == Decimal("-0.01")
    text = page.inner_text("main")
    assert (
        "Nurses & health visitors: leaver rate 1 point lower than measured from the returns "
        "(where no return gives leavers: 9.5% to 8.5%)." in text
    )
    assert "international recruitment 30% lower than the default" in text
    page.screenshot(path=str(SCREENSHOTS / "scenario-detail.png"))  # the top: what a lead reads

    page.click("main a:has-text('Change')")
    page.wait_for_url("**/edit/")
    assert page.input_value("#id_g0-leaver_rate_change") == "-1"
    shot(page, "scenario-edit", "#id_g0-leaver_rate_change")

    page.goto(f"{live_server.url}/scenarios/{made.pk}/")
    with page.expect_navigation():
        page.click("main button:has-text('Archive')")
    assert "Archived on" in page.inner_text("main")
    page.goto(f"{live_server.url}/scenarios/")
    page.screenshot(path=str(SCREENSHOTS / "scenario-list.png"))
    assert "Retention push" not in page.inner_text("main table")
