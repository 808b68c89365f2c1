"""The dashboards in headless Chromium against a live server: what an ICB lead does in a day.

Debian's Chromium (/usr/bin/chromium), driven by Playwright's sync API; no browser is ever
downloaded. Each test saves screenshots into screenshots/ (git-ignored) for a person to look
at what users see.
"""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connections

from core.calendar import financial_year, year_label
from core.models import StaffGroup
from tests.conftest import PASSWORD, build_cast, require
from tests.workforce.returns_data import csv_file
from workforce.models import PlanTarget, ProjectionRun, Scenario

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
WAIT = 20_000  # milliseconds


@pytest.fixture
def browser(monkeypatch):
    require(
        Path(CHROMIUM).exists(), f"needs Debian's Chromium at {CHROMIUM} (apt-get install chromium)"
    )
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
    # still synchronous, so Django may let them through.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    SCREENSHOTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        # While Playwright's loop runs, the test's queries get a connection of their own:
        # close it here, or PostgreSQL refuses to drop the test database at the end.
        connections.close_all()
        chromium.close()


@pytest.fixture
def cast(reference_data):
    return build_cast()


@pytest.fixture
def plans(cast):
    """System X's two scenarios (small, quick runs) and its nurses' and total targets."""
    central = Scenario.objects.create(ics=cast.ics_x, name="Central", draws=50, horizon=6, seed=7)
    push = Scenario.objects.create(
        ics=cast.ics_x, name="Retention push", draws=50, horizon=6, seed=7, based_on=central
    )
    push.assumptions.create(leaver_rate_change=Decimal("-0.02"), demand_growth=Decimal("0.01"))
    for code, fte in (("NUR", 100), ("DOC", 95), ("MID", 101), ("ALL", 300)):
        for year in range(2026, 2032):
            PlanTarget.objects.create(
                ics=cast.ics_x,
                staff_group=StaffGroup.objects.get(code=code),
                year=year,
                plan="scp",
                target_fte=Decimal(fte + 2 * (year - 2026)),
            )
    return central, push


def last_month() -> datetime.date:
    return datetime.date.today().replace(day=1) - datetime.timedelta(days=1)


def sign_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def shot(page, name: str, at: str | None = None) -> None:
    """The whole page, or the screen's worth around the element `at`."""
    if at:
        page.locator(at).scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=at is None)


def traces(page, chart: str) -> int:
    """How many traces plotly drew in a chart: its SVG's .trace groups (a heatmap: .hm)."""
    return page.locator(f"#chart-{chart} .trace, #chart-{chart} .hm").count()


def upload_a_return(page, live_server, tmp_path) -> None:
    month = last_month()
    page.goto(f"{live_server.url}/returns/upload/")
    page.select_option("#id_organisation", "RJ1")
    page.fill("#id_month", str(month.month))
    page.fill("#id_year", str(month.year))
    path = tmp_path / "return.csv"
    path.write_bytes(csv_file())
    page.set_input_files("#id_file", str(path))
    page.click("main button:has-text('Upload and check')")
    page.wait_for_url("**/returns/*/")
    assert "Guy" in page.content()  # the trust, named in title case


def run_from_the_dashboard(page) -> None:
    """Press "Run projection" and wait until the results have replaced the old ones."""
    page.evaluate("window.notReloaded = true")
    page.click("#run-projection")
    page.wait_for_selector('#dashboard-results[data-announce="true"]', timeout=WAIT)
    page.wait_for_selector("#chart-supply-demand .trace", timeout=WAIT)
    assert page.evaluate("window.notReloaded") is True  # the results came without a reload


def test_a_lead_uploads_runs_watches_the_progress_reads_the_charts_and_downloads(
    browser, live_server, cast, plans, tmp_path
):
    central, _push = plans
    page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    sign_in(page, live_server, "icb-qkk")
    upload_a_return(page, live_server, tmp_path)

    page.goto(f"{live_server.url}/systems/QKK/dashboard/")
    assert "has no finished projection" in page.content()
    # The return just uploaded is one trust's of the system's: a partial month, drawn apart
    # from the system's totals (two traces each), never as a fall.
    assert traces(page, "trend-staff") == 4
    assert "Dotted or pale: partial months" in page.content()
    run_from_the_dashboard(page)
    first = ProjectionRun.objects.get()
    assert first.status == "succeeded" and first.requested_by == cast.lead_x
    for chart in ("supply-demand", "probability", "gap-by-group", "gap-heatmap", "vacancy-heatmap"):
        assert traces(page, chart) > 0, chart
    # Pushed, not loaded, with the staff group the dashboard showed kept.
    assert page.url.endswith(f"?scenario={central.pk}&run={first.pk}&staff_group=ALL")
    page.wait_for_selector("#what-it-takes dl, #what-it-takes .nhsuk-warning-callout", timeout=WAIT)
    shot(page, "dashboard-after-run")

    # A run on a worker: the bar moves with the run's progress, then its results replace it.
    second = ProjectionRun.objects.create(
        scenario=central,
        ics=cast.ics_x,
        baseline_period=first.baseline_period,
        status="running",
        progress=30,
        requested_by=cast.lead_x,
    )
    page.goto(f"{live_server.url}/systems/QKK/dashboard/?scenario={central.pk}")
    bar = page.locator("#run-progress-bar")
    assert bar.get_attribute("value") == "30"
    page.evaluate("window.notReloaded = true")
    ProjectionRun.objects.filter(pk=second.pk).update(progress=70)
    page.wait_for_selector('#run-progress-bar[value="70"]', timeout=WAIT)
    shot(page, "dashboard-progress", at="#run-progress")
    ProjectionRun.objects.filter(pk=second.pk).update(
        progress=100, status="succeeded", results_from=first, finished_at=first.finished_at
    )
    page.wait_for_selector('#dashboard-results[data-announce="true"]', timeout=WAIT)
    assert f"Number {second.pk}" in page.inner_text("#dashboard-results")
    assert page.evaluate("window.notReloaded") is True
    assert page.locator("#run-progress").count() == 0

    with page.expect_download() as download:
        page.click("a[href*='supply-demand.csv']")
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text())))
    assert rows[0][:3] == ["Financial year", "Supply, low (P10)", "Supply, median"]
    assert rows[1][0] == year_label(financial_year(first.baseline_period))
    assert float(rows[1][2]) == pytest.approx(300)  # RJ1's DOC, NUR and MID: 100 FTE each

    page.click("text=Show the figures as a table >> nth=0")
    shot(page, "dashboard-table-open")


def test_a_lead_compares_two_scenarios(browser, live_server, cast, plans, tmp_path):
    central, push = plans
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, live_server, "icb-qkk")
    upload_a_return(page, live_server, tmp_path)
    for scenario in (central, push):
        page.goto(f"{live_server.url}/systems/QKK/dashboard/?scenario={scenario.pk}")
        run_from_the_dashboard(page)

    page.click("text=Compare scenarios")
    page.check(f"#scenario-{central.pk}")
    page.check(f"#scenario-{push.pk}")
    page.click("button:has-text('Compare')")
    page.wait_for_selector("#chart-compare-gap .trace", timeout=WAIT)
    assert traces(page, "compare-gap") == 2  # one line per scenario
    assert traces(page, "compare-supply") == 5  # supply and demand each, and the targets
    differences = page.inner_text("#differences + div table")
    assert "Change to the leaver rate" in differences and "-2.0 points" in differences
    shot(page, "compare")


def test_a_trust_uploader_sees_no_dashboard_of_a_system(browser, live_server, cast):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, live_server, "trust-rj1")
    assert page.locator("nav a:has-text('Dashboard')").count() == 0
    for url in ("/systems/QKK/dashboard/", "/systems/QOP/dashboard/"):
        response = page.goto(f"{live_server.url}{url}")
        assert response.status == 404
    shot(page, "trust-uploader-no-dashboard")
    assert page.goto(f"{live_server.url}/national/").status == 403
