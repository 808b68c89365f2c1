"""The content security policy in Chromium: the API docs and a dashboard's charts work under
it, and the browser blocks no script of ours."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tests.conftest import build_cast
from tests.workforce.projection_data import scenario, small_system
from workforce.services.runs import projection_run_start

from .test_dashboards import WAIT, browser, shot, sign_in  # noqa: F401 (the fixture)

pytestmark = pytest.mark.browser
# Every violation the page reports, as the browser sees it.
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(event.effectiveDirective + " " + (event.blockedURI || "inline"));
});
"""


@pytest.fixture
def cast(reference_data):
    return build_cast()


def blocked_scripts(page) -> list[str]:
    return [v for v in page.evaluate("window.__violations") if v.startswith("script-src")]


def test_the_api_docs_and_a_dashboard_work_under_the_policy(browser, live_server, cast):  # noqa: F811
    ics = small_system("QKK")
    plan = scenario(ics, name="Central")
    baseline = datetime.date(2026, 2, 1)
    assert baseline <= timezone.localdate()
    run = projection_run_start(user=cast.lead_x, scenario=plan, ics=ics, baseline_period=baseline)
    page = browser.new_page()
    page.add_init_script(WATCH)
    sign_in(page, live_server, cast.lead_x.username)

    page.goto(f"{live_server.url}/api/v1/docs/")
    page.wait_for_selector(".opblock", timeout=WAIT)  # Swagger UI drew the operations
    assert page.locator(".opblock").count() > 50
    assert not page.evaluate("window.__violations")
    shot(page, "csp-api-docs")

    page.goto(f"{live_server.url}/systems/QKK/dashboard/?scenario={plan.pk}&run={run.pk}")
    page.wait_for_selector(".app-chart .main-svg", timeout=WAIT)  # plotly drew a chart
    rules = page.evaluate("document.getElementById('plotly.js-style-global').sheet.cssRules.length")
    assert rules > 0  # its styles went in through the one allowance
    assert not blocked_scripts(page)
    shot(page, "csp-dashboard")
