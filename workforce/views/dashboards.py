"""Dashboard pages: a system's dashboard, the scenario comparison, the national view, and the
download of every chart's data (starting a run from them: views/runs.py). Glue: parse, call
a selector or a service, render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import redirect, render
from django.utils.http import urlencode

from core.access import can_run_projection, systems_in_scope
from core.api.csv_export import csv_response
from core.api.xlsx_export import xlsx_response
from core.calendar import financial_year
from core.errors import ApplicationError
from core.kinds import PLANNING_SECTORS
from core.models import ICS, User
from workforce import charts
from workforce.models import ProjectionRun
from workforce.selectors import dashboards as selectors
from workforce.selectors.backtests import band_record
from workforce.selectors.cheapest_plan import cheapest_plan_for
from workforce.selectors.dashboards_compare import parse_scenario_ids, scenario_comparison
from workforce.selectors.dashboards_national import national_overview
from workforce.selectors.dashboards_scenarios import scenarios_for_system, system_for
from workforce.selectors.dashboards_sectors import ALL_SECTORS, sector_choice, sector_label
from workforce.selectors.runs import run_for
from workforce.selectors.spend_asks import spend_asks_for
from workforce.selectors.what_it_takes import question_for, what_it_takes_for

PROBABILITIES = (0.5, 0.8, 0.9)  # what a "what it takes" answer may be asked for


def number(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def system_of(user: User, code: str) -> ICS:
    """The system if it is in the user's scope; otherwise 404, whoever asks."""
    ics = system_for(user=user, code=code)
    if ics is None:
        raise Http404("No such system.")
    return ics


def dashboard_for(request: HttpRequest, ics: ICS, params: QueryDict, **given):
    """The dashboard the query asks for. An unknown `sector` raises ApplicationError."""
    choice = {
        "scenario_id": number(params.get("scenario")),
        "run_id": number(params.get("run")),
        "staff_group": params.get("staff_group"),
        "year": number(params.get("year")),
    }
    if "sector" not in given:
        choice["sector"] = sector_choice(params.get("sector"))
    return selectors.system_dashboard(user=request.user, ics=ics, **(choice | given))


def results_context(d: selectors.SystemDashboard) -> dict:
    shown = {"run": d.run.pk if d.run else "", "staff_group": d.staff_group, "year": d.year or ""}
    return {
        "d": d,
        "charts": charts.system_charts(d),
        "query": urlencode(shown | ({"sector": d.sector} if d.sector else {})),
        "sector_query": urlencode(shown),  # a sector's link adds its own
        "sectors": PLANNING_SECTORS,
        "probabilities": PROBABILITIES,
        "band_record": (
            band_record(
                staff_group=d.staff_group,
                years_ahead=d.year - financial_year(d.run.baseline_period),
            )
            if d.run and d.year
            else None
        ),
        # All staff, every sector: the asks are on a system's whole temporary staffing.
        "spend_asks": spend_asks_for(run=d.run) if d.run else None,
    }


@login_required
def dashboards_home(request: HttpRequest) -> HttpResponse:
    """National users go to the national view; one system's users to its dashboard."""
    if request.user.is_national:
        return redirect("national")
    systems = list(systems_in_scope(request.user).order_by("name")[:2])
    if len(systems) == 1:
        return redirect("system-dashboard", code=systems[0].code)
    raise PermissionDenied("Dashboards are for the systems' and national teams.")


@login_required
def system_dashboard(request: HttpRequest, code: str) -> HttpResponse:
    """The dashboard; an unknown sector is a 400 that says so, over every sector's figures."""
    ics = system_of(request.user, code)
    try:
        d, problem = dashboard_for(request, ics, request.GET), ""
    except ApplicationError as error:
        d, problem = dashboard_for(request, ics, request.GET, sector=ALL_SECTORS), str(error)
    context = results_context(d) | {"problem": problem}
    status = 400 if problem else 200
    return render(request, "workforce/dashboards/system.html", context, status=status)


def asked_of(request: HttpRequest, code: str) -> tuple[ICS, ProjectionRun, dict]:
    """The system, its run and the question a "what it takes" view is asked (404 for a run
    that is not the system's or not the user's to see)."""
    ics = system_of(request.user, code)
    run = run_for(request.user, number(request.GET.get("run")) or 0)
    if run is None or run.ics_id != ics.pk:
        raise Http404("No such projection run.")
    try:
        probability = float(request.GET.get("probability", "0.8"))
    except ValueError:
        probability = 0.8
    question = {
        "run": run,
        "staff_group": request.GET.get("staff_group", selectors.TOTAL),
        "year": number(request.GET.get("year")) or 0,
        "probability": probability,
    }
    return ics, run, question


@login_required
def what_it_takes(request: HttpRequest, code: str) -> HttpResponse:
    """The "what it takes" panel of one run, staff group and target year (loaded after the
    page, since it runs the model again)."""
    ics, run, question = asked_of(request, code)
    first_year = financial_year(run.baseline_period) + 1  # extra joiners start in year 1
    context = {"ics": ics, "run": run, "probability": question["probability"]}
    context["first_year"] = first_year
    try:
        context["answer"] = what_it_takes_for(**question)
    except ApplicationError as error:
        context["problem"] = str(error)
    return render(request, "workforce/dashboards/_what_it_takes.html", context)


@login_required
def cheapest_plan(request: HttpRequest, code: str) -> HttpResponse:
    """The cheapest plan of one run, staff group and target year: a page of its own, worked out
    when asked for (it solves a programme over the run's draws), linked from the dashboard."""
    ics, run, question = asked_of(request, code)
    context = {"ics": ics, "run": run, "probability": question["probability"]}
    try:
        context["answer"] = cheapest_plan_for(question_for(**question))
    except ApplicationError as error:
        context["problem"] = str(error)
    status = 400 if "problem" in context else 200
    return render(request, "workforce/dashboards/cheapest_plan.html", context, status=status)


NOT_COMPARABLE = (
    "These scenarios' latest runs stand on different baselines, so their figures are not "
    "comparable: run every scenario on one baseline first."
)


@login_required
def scenario_compare(request: HttpRequest, code: str) -> HttpResponse:
    ics = system_of(request.user, code)
    context: dict = {"ics": ics}
    try:
        ids = _scenario_ids(request)
        if ids:
            comparison = _comparison(request, ics, ids)
            context["c"] = comparison
            if comparison.comparable:
                context["charts"] = charts.comparison_charts(comparison)
            else:
                context["can_run"] = can_run_projection(request.user, ics)
    except ApplicationError as error:
        context["problem"] = str(error)
    if "c" not in context:
        context["choices"] = scenarios_for_system(user=request.user, ics=ics)
    context["query"] = request.GET.urlencode()
    return render(request, "workforce/dashboards/compare.html", context)


def _scenario_ids(request: HttpRequest) -> list[int]:
    """?scenarios=1,2 (a link) or ?scenario=1&scenario=2 (the checkboxes)."""
    return parse_scenario_ids(
        ",".join([request.GET.get("scenarios", ""), *request.GET.getlist("scenario")])
    )


def _comparison(request: HttpRequest, ics: ICS, ids: list[int]):
    return scenario_comparison(
        user=request.user,
        ics=ics,
        scenario_ids=ids,
        staff_group=request.GET.get("staff_group"),
        year=number(request.GET.get("year")),
    )


def _national(request: HttpRequest, sector: str | None = None):
    """The national view the query asks for. An unknown `sector` raises ApplicationError."""
    if not request.user.is_national:
        raise PermissionDenied("The national view is for national users.")
    return national_overview(
        user=request.user,
        scenario_id=number(request.GET.get("scenario")),
        staff_group=request.GET.get("staff_group"),
        year=number(request.GET.get("year")),
        sort=request.GET.get("sort"),
        descending=request.GET.get("order") == "desc",
        sector=sector_choice(request.GET.get("sector")) if sector is None else sector,
    )


@login_required
def national(request: HttpRequest) -> HttpResponse:
    """The national view; an unknown sector is a 400 that says so, over every sector's."""
    try:
        n, problem = _national(request), ""
    except ApplicationError as error:
        n, problem = _national(request, sector=ALL_SECTORS), str(error)
    context = {"n": n, "charts": charts.national_charts(n), "headings": _sortable(request, n)}
    context["table"] = [charts.national_row(row) for row in n.rows]
    context["columns"] = charts.NATIONAL_COLUMNS
    without_sector = request.GET.copy()
    without_sector.pop("sector", None)
    context |= {
        "problem": problem,
        "sector_query": without_sector.urlencode(),
        "sectors": PLANNING_SECTORS,
    }
    return render(
        request, "workforce/dashboards/national.html", context, status=400 if problem else 200
    )


# The national table's columns (charts.NATIONAL_COLUMNS) and the sort key of each.
NATIONAL_SORTS = (
    "system",
    None,
    "region",
    "probability",
    "probability",
    "gap_share",
    "gap",
    "target",
    "supply",
    "demand",
    "spend",
    "temporary_spend",
)


def _sortable(request: HttpRequest, n) -> list[dict]:
    """Each heading of the national table with the link that sorts by it (the same column
    again turns the order round) and its aria-sort."""
    headings = []
    for column, key in zip(charts.NATIONAL_COLUMNS, NATIONAL_SORTS, strict=True):
        heading = {"column": column, "sort": None, "link": None}
        if key is not None:
            descending = not n.descending if key == n.sort else False
            query = request.GET.copy()
            query["sort"], query["order"] = key, "desc" if descending else "asc"
            heading["link"] = f"?{query.urlencode()}"
            if key == n.sort:
                heading["sort"] = "descending" if n.descending else "ascending"
        headings.append(heading)
    return headings


def _download(chart: charts.Chart | None, name: str, fmt: str, about: list) -> HttpResponse:
    """A chart's table as CSV or XLSX: numbers stay numbers, formula-like text is made safe."""
    if chart is None or fmt not in ("csv", "xlsx"):
        raise Http404("No such chart or format.")
    months = [i for i, c in enumerate(chart.columns) if c.kind == "month"]
    if fmt == "xlsx":
        about = [("Chart", chart.title), *about]
        return xlsx_response(f"{name}.xlsx", chart.headings, chart.rows, about=about)
    rows = (
        [f"{v:%Y-%m}" if i in months and v else v for i, v in enumerate(row)] for row in chart.rows
    )
    return csv_response(f"{name}.csv", chart.headings, rows)


def _about_run(run: ProjectionRun | None) -> list[tuple[str, object]]:
    if run is None:
        return []
    return [
        ("Scenario", run.scenario.name),
        ("Projection run", run.pk),
        ("Baseline month", f"{run.baseline_period:%B %Y}"),
        ("Run finished", f"{run.finished_at:%d %B %Y %H:%M}" if run.finished_at else ""),
    ]


def bad_query(error: ApplicationError) -> HttpResponse:
    return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")


@login_required
def system_chart_data(request: HttpRequest, code: str, chart: str, fmt: str) -> HttpResponse:
    ics = system_of(request.user, code)
    try:
        d = dashboard_for(request, ics, request.GET)
    except ApplicationError as error:
        return bad_query(error)
    about = [("System", f"{ics.name} ({ics.code})"), ("Sector", sector_label(d.sector))]
    about += _about_run(d.run)
    return _download(charts.system_charts(d).get(chart), f"{ics.code}-{chart}", fmt, about)


@login_required
def compare_chart_data(request: HttpRequest, code: str, chart: str, fmt: str) -> HttpResponse:
    ics = system_of(request.user, code)
    try:
        comparison = _comparison(request, ics, _scenario_ids(request))
    except ApplicationError as error:
        raise Http404(str(error)) from error
    if not comparison.comparable:
        return bad_query(ApplicationError(NOT_COMPARABLE))
    about = [("System", f"{ics.name} ({ics.code})")]
    about += [("Scenario", s.scenario.name) for s in comparison.compared]
    found = charts.comparison_charts(comparison).get(chart)
    return _download(found, f"{ics.code}-{chart}", fmt, about)


@login_required
def national_chart_data(request: HttpRequest, chart: str, fmt: str) -> HttpResponse:
    try:
        n = _national(request)
    except ApplicationError as error:
        return bad_query(error)
    found = charts.national_charts(n).get(chart)
    about = [("Sector", sector_label(n.sector)), *_about_run(n.run)]
    return _download(found, f"england-{chart}", fmt, about)
