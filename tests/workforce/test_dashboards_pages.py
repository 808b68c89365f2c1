import json
import re

import pytest

from core.models import Role
from workforce.models import ProjectionRun, Scenario

from .dashboard_data import run, system_with_a_run, target, two_months_of_returns
from .projection_data import scenario, small_system

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def signed_in(client, user):
    client.force_login(user)
    return client


def figures(html: str) -> dict[str, dict]:
    """The chart figures a page carries for charts.js, by element id."""
    found = re.findall(r'<script id="([^"]+)" type="application/json">(.*?)</script>', html, re.S)
    return {key: json.loads(body) for key, body in found}


def scripts_are_files_or_data(html: str) -> bool:
    """No inline script and no inline event handler: the coming CSP allows neither."""
    for attributes, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S):
        if 'type="application/json"' not in attributes and (
            "src=" not in attributes or body.strip()
        ):
            return False
    return not re.search(r"\son[a-z]+\s*=", html)


@pytest.fixture
def system(cast, django_capture_on_commit_callbacks):
    two_months_of_returns(cast)
    return system_with_a_run(cast, django_capture_on_commit_callbacks)


def test_the_dashboard_needs_a_login(client, cast):
    assert client.get("/systems/QKK/dashboard/").status_code == 302


def test_a_lead_sees_every_chart_of_its_system_with_a_table_and_downloads(client, cast, system):
    _ics, _plan, made = system
    html = signed_in(client, cast.lead_x).get("/systems/QKK/dashboard/").content.decode()
    drawn = figures(html)
    assert set(drawn) == {
        f"chart-{key}-figure"
        for key in (
            "supply-demand",
            "probability",
            "gap-by-group",
            "gap-heatmap",
            "vacancy-heatmap",
            "trend-staff",
            "trend-bank-agency",
            "trend-rates",
            "sectors",
        )
    }
    assert all(figure["data"] and figure["layout"]["title"]["text"] for figure in drawn.values())
    assert html.count('<table class="nhsuk-table') == len(drawn)  # a table for every chart
    assert (
        f"/systems/QKK/dashboard/supply-demand.csv?run={made.pk}&amp;staff_group=ALL&amp;year=2028"
        in html
    )
    assert "supply-demand.xlsx" in html
    assert 'hx-post="/systems/QKK/runs/"' in html and "Run projection" in html
    assert f'hx-get="/systems/QKK/dashboard/what-it-takes/?run={made.pk}' in html
    assert scripts_are_files_or_data(html)
    assert "plotly.min.js" in html and "htmx-2.min.js" in html and "js/charts.js" in html


def test_the_home_page_links_each_system_to_its_dashboard(client, cast):
    html = signed_in(client, cast.lead_x).get("/").content.decode()
    assert 'href="/systems/QKK/dashboard/"' in html


@pytest.mark.parametrize(
    "url",
    [
        "/systems/{code}/dashboard/",
        "/systems/{code}/dashboard/supply-demand.csv",
        "/systems/{code}/dashboard/what-it-takes/?run={run}",
        "/systems/{code}/compare/?scenarios={scenario},{scenario}",
        "/systems/{code}/compare/compare-gap.csv?scenarios={scenario},{other}",
        "/systems/{code}/runs/{run}/progress/",
    ],
)
def test_a_system_outside_the_scope_is_not_found(client, cast, system, url):
    ics, plan, made = system
    other = scenario(ics, name="Other")
    address = url.format(code="QKK", run=made.pk, scenario=plan.pk, other=other.pk)
    for user in (cast.lead_y, cast.uploader_a, cast.uploader_b):
        assert signed_in(client, user).get(address).status_code == 404, user
    assert signed_in(client, cast.analyst_x).get(address).status_code != 404
    assert signed_in(client, cast.national).get(address).status_code != 404


def test_a_run_of_another_system_is_not_found_under_this_one(
    client, cast, system, django_capture_on_commit_callbacks
):
    small_system("QOP")
    theirs = run(cast.lead_y, scenario(cast.ics_y), cast.ics_y, django_capture_on_commit_callbacks)
    client = signed_in(client, cast.national)
    assert client.get(f"/systems/QKK/runs/{theirs.pk}/progress/").status_code == 404
    assert client.get(f"/systems/QKK/dashboard/?run={theirs.pk}").status_code == 200


def test_only_national_users_see_the_national_view(client, cast):
    for user in (cast.lead_x, cast.analyst_x, cast.uploader_a):
        assert signed_in(client, user).get("/national/").status_code == 403
        assert signed_in(client, user).get("/national/data/national-gap.csv").status_code == 403
    national_analyst = cast.analyst_x.__class__.objects.create_user(
        username="analyst-national", password="x", role=Role.ANALYST
    )
    assert signed_in(client, national_analyst).get("/national/").status_code == 200
    assert signed_in(client, cast.national).get("/national/").status_code == 200


def test_the_dashboards_link_goes_where_the_user_belongs(client, cast):
    response = signed_in(client, cast.lead_x).get("/dashboards/")
    assert response["Location"] == "/systems/QKK/dashboard/"
    assert signed_in(client, cast.national).get("/dashboards/")["Location"] == "/national/"
    assert signed_in(client, cast.uploader_a).get("/dashboards/").status_code == 403


def test_starting_a_run_shows_a_progress_bar_that_polls_then_the_results(
    client, cast, system, django_capture_on_commit_callbacks
):
    _ics, plan, first = system
    client = signed_in(client, cast.lead_x)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/systems/QKK/runs/", {"scenario": plan.pk, "baseline_period": "2026-02"}, **HTMX
        )
    html = response.content.decode()
    started = ProjectionRun.objects.exclude(pk=first.pk).get()
    assert response.status_code == 200
    assert '<progress class="app-progress"' in html and 'value="0"' in html
    assert f'hx-get="/systems/QKK/runs/{started.pk}/progress/"' in html
    assert 'hx-trigger="every 1s"' in html
    started.refresh_from_db()
    assert started.status == "succeeded" and started.requested_by == cast.lead_x
    done = client.get(f"/systems/QKK/runs/{started.pk}/progress/", **HTMX)
    assert done["HX-Retarget"] == "#dashboard-results" and done["HX-Reswap"] == "outerHTML"
    assert done["HX-Push-Url"] == f"/systems/QKK/dashboard/?scenario={plan.pk}&run={started.pk}"
    results = done.content.decode()
    assert (
        results.startswith('\n<div id="dashboard-results"') or 'id="dashboard-results"' in results
    )
    assert "chart-supply-demand-figure" in results and 'data-announce="true"' in results
    assert "every 1s" not in results  # the polling stops


def test_a_run_keeps_the_staff_group_year_and_sector_the_dashboard_showed(
    client, cast, system, django_capture_on_commit_callbacks
):
    _ics, plan, first = system
    client = signed_in(client, cast.lead_x)
    page = client.get(f"/systems/QKK/dashboard/?run={first.pk}&staff_group=NUR&year=2028")
    form = page.content.decode().split('id="run-projection"')[0].rsplit("<form", 1)[1]
    assert 'name="staff_group" value="NUR"' in form and 'name="year" value="2028"' in form
    chosen = {"scenario": plan.pk, "baseline_period": "2026-02", "staff_group": "NUR"}
    with django_capture_on_commit_callbacks(execute=True):
        html = client.post("/systems/QKK/runs/", chosen | {"year": "2028"}, **HTMX)
    started = ProjectionRun.objects.exclude(pk=first.pk).get()
    polled = f'hx-get="/systems/QKK/runs/{started.pk}/progress/?staff_group=NUR&amp;year=2028"'
    assert polled in html.content.decode()
    done = client.get(f"/systems/QKK/runs/{started.pk}/progress/?staff_group=NUR&year=2028", **HTMX)
    assert done["HX-Push-Url"] == (
        f"/systems/QKK/dashboard/?scenario={plan.pk}&run={started.pk}&staff_group=NUR&year=2028"
    )
    results = done.content.decode()
    assert '<option value="NUR" selected' in results and '<option value="2028" selected' in results
    with django_capture_on_commit_callbacks(execute=True):
        plain = client.post("/systems/QKK/runs/", chosen)
    again = ProjectionRun.objects.exclude(pk__in=[first.pk, started.pk]).get()
    assert plain["Location"] == (
        f"/systems/QKK/dashboard/?scenario={plan.pk}&run={again.pk}&staff_group=NUR"
    )


def test_a_running_run_reports_its_progress(client, cast, system):
    ics, plan, made = system
    running = ProjectionRun.objects.create(
        scenario=plan, ics=ics, baseline_period=made.baseline_period, status="running", progress=57
    )
    client = signed_in(client, cast.lead_x)
    fragment = client.get(f"/systems/QKK/runs/{running.pk}/progress/", **HTMX).content.decode()
    assert 'value="57"' in fragment and "running: 57%" in fragment and "every 1s" in fragment
    page = client.get("/systems/QKK/dashboard/").content.decode()
    assert f"/systems/QKK/runs/{running.pk}/progress/" in page  # polling from the page load


def test_a_failed_run_shows_its_reason(client, cast, system):
    ics, plan, made = system
    failed = ProjectionRun.objects.create(
        scenario=plan,
        ics=ics,
        baseline_period=made.baseline_period,
        status="failed",
        error="There are no figures for the system.",
    )
    client = signed_in(client, cast.lead_x)
    fragment = client.get(f"/systems/QKK/runs/{failed.pk}/progress/", **HTMX).content.decode()
    assert "The projection did not finish" in fragment and "There are no figures" in fragment
    assert "every 1s" not in fragment
    assert (
        "There are no figures for the system."
        in client.get("/systems/QKK/dashboard/").content.decode()
    )


def test_a_run_that_cannot_start_says_why(client, cast, system):
    _ics, plan, _made = system
    client = signed_in(client, cast.lead_x)
    response = client.post(
        "/systems/QKK/runs/", {"scenario": plan.pk, "baseline_period": "2099-01"}, **HTMX
    )
    assert response.status_code == 200  # htmx swaps in only what succeeds
    assert "could not start" in response.content.decode() and "future" in response.content.decode()
    plain = client.post("/systems/QKK/runs/", {"scenario": plan.pk, "baseline_period": "soon"})
    assert plain.status_code == 302 and plain["Location"] == "/systems/QKK/dashboard/"


def test_without_htmx_starting_a_run_goes_back_to_the_dashboard(
    client, cast, system, django_capture_on_commit_callbacks
):
    _ics, plan, made = system
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(client, cast.analyst_x).post(
            "/systems/QKK/runs/", {"scenario": plan.pk, "baseline_period": "2026-02"}
        )
    started = ProjectionRun.objects.exclude(pk=made.pk).get()
    assert response.status_code == 302
    assert response["Location"] == f"/systems/QKK/dashboard/?scenario={plan.pk}&run={started.pk}"


def test_a_scenario_of_another_system_cannot_be_run_here(client, cast, system):
    theirs = scenario(cast.ics_y, name="Theirs")
    response = signed_in(client, cast.national).post(
        "/systems/QKK/runs/", {"scenario": theirs.pk, "baseline_period": "2026-02"}, **HTMX
    )
    assert response.status_code == 404


def test_what_it_takes_answers_for_the_staff_group_and_year(client, cast, system):
    _ics, _plan, made = system
    client = signed_in(client, cast.lead_x)
    answer = client.get(
        f"/systems/QKK/dashboard/what-it-takes/?run={made.pk}&staff_group=NUR&year=2027&probability=0.8"
    ).content.decode()
    assert "Extra joiners a year" in answer and "FTE</strong> a year more from 2026/27" in answer
    met = client.get(
        f"/systems/QKK/dashboard/what-it-takes/?run={made.pk}&staff_group=ALL&year=2028"
    ).content.decode()
    assert "None: the target is met" in met
    none = client.get(
        f"/systems/QKK/dashboard/what-it-takes/?run={made.pk}&staff_group=DOC&year=2028"
    ).content.decode()
    assert "No answer" in none and "has no DOC target" in none


def test_the_comparison_page_draws_one_line_per_scenario_and_lists_what_differs(
    client, cast, system, django_capture_on_commit_callbacks
):
    ics, central, _first = system
    faster = scenario(ics, name="Faster growth")
    faster.assumptions.create(demand_growth="0.05")
    run(cast.lead_x, faster, ics, django_capture_on_commit_callbacks)
    client = signed_in(client, cast.lead_x)
    html = client.get(f"/systems/QKK/compare/?scenarios={central.pk},{faster.pk}").content.decode()
    drawn = figures(html)
    gap = drawn["chart-compare-gap-figure"]
    assert [trace["name"] for trace in gap["data"]] == ["Central", "Faster growth"]
    assert "Which assumptions differ" in html and "Demand growth a year" in html
    assert "5.0% a year" in html and scripts_are_files_or_data(html)
    checkboxes = client.get(f"/systems/QKK/compare/?scenario={central.pk}&scenario={faster.pk}")
    assert "chart-compare-gap-figure" in checkboxes.content.decode()
    chooser = client.get("/systems/QKK/compare/").content.decode()
    assert 'type="checkbox"' in chooser and "Faster growth" in chooser
    one = client.get(f"/systems/QKK/compare/?scenarios={central.pk}").content.decode()
    assert "Choose from 2 to 4 scenarios" in one and "There is a problem" in one


def test_the_national_view_lists_every_system_sortable_by_each_column(
    client, cast, django_capture_on_commit_callbacks
):
    small_system("QKK")
    small_system("QOP")
    target(cast.ics_x, "ALL", 2027, 10**6)
    target(cast.ics_y, "ALL", 2027, 1)
    plan = Scenario.objects.create(name="Central (national)", draws=1, horizon=5, seed=7)
    run(cast.national, plan, None, django_capture_on_commit_callbacks)
    client = signed_in(client, cast.national)
    html = client.get("/national/?sort=probability&order=desc").content.decode()
    rows = re.findall(r'<a href="/systems/(\w+)/dashboard/">', html.split('id="systems-table"')[1])
    assert rows == ["QOP", "QKK"]  # most likely to meet its target first
    assert 'aria-sort="descending"' in html
    assert "sort=probability&amp;order=asc" in html  # the same heading turns the order round
    assert "sort=gap_share&amp;order=asc" in html
    assert set(figures(html)) == {
        "chart-national-gap-figure",
        "chart-national-probability-figure",
        "chart-sectors-figure",
    }
    rows = re.findall(
        r'<a href="/systems/(\w+)/dashboard/">',
        client.get("/national/?sort=probability").content.decode().split('id="systems-table"')[1],
    )
    assert rows == ["QKK", "QOP"]


def dashboard_queries(client, url: str, django_assert_num_queries, count: int) -> None:
    with django_assert_num_queries(count):
        assert client.get(url).status_code == 200


def test_the_dashboard_takes_the_same_number_of_queries_whatever_the_data(
    client, cast, system, django_capture_on_commit_callbacks, django_assert_num_queries
):
    ics, plan, made = system
    client = signed_in(client, cast.lead_x)
    # With no scenario asked for, one query more finds the central scenario; all staff
    # groups include GPs, whose published headcounts take one more; one looks for the
    # national backtest that says how often the band held; four read the system's months
    # (the tracker's three and the sign-offs), where the trend's complete months end; one
    # reads the bank and agency spend against the national asks.
    dashboard_queries(client, "/systems/QKK/dashboard/", django_assert_num_queries, 26)
    more = scenario(ics, name="More")
    run(cast.lead_x, more, ics, django_capture_on_commit_callbacks)
    from .returns_data import month, store_return

    for number in range(1, 9):
        store_return(cast.trust_b, month(2026, number))
    dashboard_queries(client, "/systems/QKK/dashboard/", django_assert_num_queries, 26)
    url = f"/systems/QKK/dashboard/?scenario={plan.pk}&staff_group=NUR&year=2027"
    dashboard_queries(client, url, django_assert_num_queries, 24)
    # A newer run of the scenario still going is one more query: the run shown is not it.
    ProjectionRun.objects.create(
        scenario=plan, ics=ics, baseline_period=made.baseline_period, status="running"
    )
    dashboard_queries(client, url, django_assert_num_queries, 25)


def test_the_comparison_and_national_pages_take_a_fixed_number_of_queries(
    client, cast, system, django_capture_on_commit_callbacks, django_assert_num_queries
):
    ics, central, _first = system
    others = [scenario(ics, name=f"Other {i}") for i in range(3)]
    for other in others:
        run(cast.lead_x, other, ics, django_capture_on_commit_callbacks)
    client = signed_in(client, cast.lead_x)
    two = f"/systems/QKK/compare/?scenarios={central.pk},{others[0].pk}"
    four = f"/systems/QKK/compare/?scenarios={central.pk},{','.join(str(o.pk) for o in others)}"
    dashboard_queries(client, two, django_assert_num_queries, 11)
    dashboard_queries(client, four, django_assert_num_queries, 11)
    national_plan = Scenario.objects.create(name="Central (national)", draws=1, horizon=5, seed=7)
    run(cast.national, national_plan, None, django_capture_on_commit_callbacks)
    client = signed_in(client, cast.national)
    dashboard_queries(client, "/national/", django_assert_num_queries, 16)  # GP headcounts: one
