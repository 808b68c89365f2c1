"""The chart builders, from hand-made shapes: no database."""

import datetime

import plotly.graph_objects as go
import pytest
from django.utils.safestring import SafeString, mark_safe

from core.names import display_name, short_system
from workforce import charts
from workforce.charts.base import RED, WARM_YELLOW
from workforce.charts.comparison import (
    compare_gap_chart,
    compare_probability_chart,
    compare_supply_chart,
)
from workforce.charts.national import national_gap_chart, national_probability_chart
from workforce.charts.projection import (
    gap_by_group_chart,
    gap_heatmap_chart,
    probability_chart,
    supply_demand_chart,
)
from workforce.charts.returns import (
    trend_bank_agency_chart,
    trend_rates_chart,
    trend_staff_chart,
    vacancy_heatmap_chart,
)
from workforce.models import Scenario
from workforce.selectors.dashboards import Band, GroupYear
from workforce.selectors.dashboards_compare import ScenarioRun
from workforce.selectors.dashboards_national import NationalRow
from workforce.selectors.dashboards_returns import OrganisationValue, TrendMonth, national_asks

NAMES = {"ALL": "All staff groups", "NUR": "Nurses & health visitors", "DOC": "HCHS doctors"}


def result(group: str, year: int, supply: float, demand: float, target=None, probability=None):
    return GroupYear(
        group,
        year,
        Band(supply * 0.9, supply, supply * 1.1),
        Band(demand * 0.95, demand, demand * 1.05),
        Band(demand - supply * 1.1, demand - supply, demand - supply * 0.9),
        target,
        probability,
    )


SERIES = [
    result(
        "NUR",
        2026 + t,
        1000 + 10 * t,
        1100 + 30 * t,
        1150 if t == 3 else None,
        0.3 if t == 3 else None,
    )
    for t in range(5)
]
IN_YEAR = [
    result("NUR", 2029, 1030, 1190, 1150, 0.3),
    result("DOC", 2029, 500, 480, 400, 0.85),
    result("ALL", 2029, 1530, 1670, 1500, 0.6),
]


def assert_readable(chart: charts.Chart) -> dict:
    """A title, both axis titles, and traces with data in them; and a figure plotly's schema
    accepts (the pages send the plain dicts unchecked)."""
    figure = chart.figure
    assert figure is not None and chart.title
    go.Figure(figure)  # raises ValueError on a property or value plotly.js does not know
    layout = figure["layout"]
    assert layout["title"]["text"] == chart.title
    assert layout["xaxis"]["title"]["text"] and layout["yaxis"]["title"]["text"]
    assert figure["data"] and all(
        trace.get("x") is not None or trace.get("z") for trace in figure["data"]
    )
    assert chart.rows and all(len(row) == len(chart.columns) for row in chart.rows)
    return figure


def test_supply_against_demand_has_the_band_the_medians_and_the_targets():
    chart = supply_demand_chart(SERIES, "Nurses & health visitors", "South East London")
    figure = assert_readable(chart)
    names = [t.get("name") for t in figure["data"]]
    assert names == [
        None,
        "Demand, P10 to P90",
        "Demand (median)",
        None,
        "Supply, P10 to P90",
        "Supply (median)",
        "Plan target",
    ]
    band = figure["data"][4]
    assert band["fill"] == "tonexty" and band["fillcolor"].startswith("rgba(")
    assert figure["data"][5]["y"] == [1000, 1010, 1020, 1030, 1040]
    assert figure["data"][6]["x"] == ["2029/30"] and figure["data"][6]["y"] == [1150]
    assert chart.rows[3] == ("2029/30", 927.0, 1030, 1133.0, 1130.5, 1190, 1249.5, 1150, 30.0)
    assert "South East London" in chart.title and "Nurses" in chart.title


def test_the_gap_by_group_puts_the_largest_shortfall_first_with_its_range():
    figure = assert_readable(gap_by_group_chart(IN_YEAR, NAMES, 2029))
    bar = figure["data"][0]
    assert bar["y"] == ["Nurses & health visitors", "All staff groups", "HCHS doctors"]
    assert bar["x"] == [160, 140, -20]
    assert bar["marker"]["color"] == [RED, RED, charts.base.GREEN]  # a surplus is green
    assert bar["error_x"]["array"][0] == pytest.approx(1030 * 0.1)  # P90 - median


def test_the_probability_of_each_target_is_coloured_red_amber_or_green_with_its_number():
    chart = probability_chart(IN_YEAR, NAMES, 2029)
    figure = assert_readable(chart)
    bar = figure["data"][0]
    assert bar["marker"]["color"] == [RED, charts.base.GREEN, WARM_YELLOW]
    assert bar["text"] == ["30% red", "85% green", "60% amber"]
    assert [row[-1] for row in chart.rows] == ["Red", "Green", "Amber"]
    no_targets = probability_chart([result("NUR", 2029, 1, 1)], NAMES, 2029)
    assert no_targets.figure is None and "No plan targets" in no_targets.empty


def test_the_heatmaps_are_organisations_by_staff_groups():
    cells = [
        OrganisationValue(
            "RJ1",
            "GUY'S AND ST THOMAS' NHS FOUNDATION TRUST",
            "NUR",
            0.08,
            1000,
            datetime.date(2026, 10, 1),
        ),
        OrganisationValue(
            "RJ1",
            "GUY'S AND ST THOMAS' NHS FOUNDATION TRUST",
            "DOC",
            0.05,
            200,
            datetime.date(2026, 10, 1),
        ),
        OrganisationValue(
            "RJ2", "LEWISHAM AND GREENWICH NHS TRUST", "NUR", 0.1, 500, datetime.date(2026, 9, 1)
        ),
    ]
    chart = vacancy_heatmap_chart(cells, NAMES)
    figure = assert_readable(chart)
    heatmap = figure["data"][0]
    assert heatmap["y"] == [
        "Guy's and St Thomas' NHS Foundation Trust",
        "Lewisham and Greenwich NHS Trust",
    ]
    assert heatmap["x"] == ["Nurses & health visitors", "HCHS doctors"]
    assert heatmap["z"] == [[8.0, 5.0], [10.0, None]]
    assert chart.rows[0][3:] == (datetime.date(2026, 10, 1), 80.0, 1000, 8.0)
    gaps = gap_heatmap_chart([OrganisationValue("RJ1", "A TRUST", "NUR", -12.5, 250)], NAMES, 2029)
    assert assert_readable(gaps)["data"][0]["zmid"] == 0 and gaps.rows[0][4] == -12.5


def test_the_trend_charts_show_the_returns_and_the_national_asks():
    months = national_asks(
        [
            TrendMonth(datetime.date(2026, 3, 1), 2, 400, 10, 100, 50, 2, 0.05),
            TrendMonth(datetime.date(2026, 4, 1), 2, 410, 12, 95, 40, 3, 0.04),
        ]
    )
    staff = assert_readable(trend_staff_chart(months))
    assert [t["name"] for t in staff["data"]] == ["Staff in post", "Vacancies"]
    assert staff["layout"]["barmode"] == "stack" and staff["data"][0]["x"] == [
        "Mar 2026",
        "Apr 2026",
    ]
    temporary = trend_bank_agency_chart(months)
    figure = assert_readable(temporary)
    asks = {t["name"]: t["y"] for t in figure["data"]}
    assert asks["Agency: national ask"] == [None, 35.0] and asks["Bank: national ask"] == [
        None,
        90.0,
    ]
    assert trend_staff_chart([]).figure is None
    rates = assert_readable(trend_rates_chart(months))
    assert rates["data"][0]["y"] == [6.0, 8.8] and rates["data"][0]["line"]["color"] == "#003087"


def test_comparison_charts_draw_one_line_per_scenario_and_escape_names():
    central = ScenarioRun(Scenario(pk=1, name="Central"), None, SERIES)
    bold = ScenarioRun(
        Scenario(pk=2, name="<b>Bold</b> plan"), None, [result("NUR", 2026, 900, 1100)]
    )
    none = ScenarioRun(Scenario(pk=3, name="Not run"), None, [])
    figure = assert_readable(compare_gap_chart([central, bold, none], "NUR", "Nurses"))
    assert [t["name"] for t in figure["data"]] == ["Central", "&lt;b&gt;Bold&lt;/b&gt; plan"]
    supply = assert_readable(compare_supply_chart([central, bold], "NUR", "Nurses"))
    assert [t["name"] for t in supply["data"]][-1] == "Plan target"
    assert compare_gap_chart([none], "NUR", "Nurses").figure is None
    chances = assert_readable(compare_probability_chart([central, bold], NAMES, 2029))
    assert [t["type"] for t in chances["data"]] == ["bar"] and chances["data"][0]["x"] == [30.0]


def test_a_figure_plotly_would_refuse_fails_the_check():
    chart = trend_staff_chart([TrendMonth(datetime.date(2026, 3, 1), 2, 400, 10, 100, 50, 2, 0.05)])
    chart.figure["data"][0]["marker"]["colour"] = "#005eb8"  # a misspelt property
    with pytest.raises(ValueError, match="colour"):
        assert_readable(chart)


def test_national_charts_rank_systems_and_colour_every_target():
    rows = [
        NationalRow(
            "QKK",
            "NHS SOUTH EAST LONDON INTEGRATED CARE BOARD",
            "London",
            result("ALL", 2029, 900, 1000, 950, 0.2),
        ),
        NationalRow(
            "QOP",
            "NHS GREATER MANCHESTER INTEGRATED CARE BOARD",
            "North West",
            result("ALL", 2029, 990, 1000, 950, 0.9),
        ),
    ]
    gap = national_gap_chart(rows, "All staff groups", 2029)
    figure = assert_readable(gap)
    assert figure["data"][0]["y"] == ["South East London", "Greater Manchester"]
    assert figure["data"][0]["x"] == [10.0, 1.0]
    heatmap = assert_readable(national_probability_chart(rows, NAMES, 2029))
    assert heatmap["data"][0]["z"] == [[90.0], [20.0]]  # systems by name


def test_names_published_in_capitals_read_as_people_write_them():
    assert (
        display_name("GUY'S AND ST THOMAS' NHS FOUNDATION TRUST")
        == "Guy's and St Thomas' NHS Foundation Trust"
    )
    assert display_name("NHS STAFFORDSHIRE AND STOKE-ON-TRENT INTEGRATED CARE BOARD") == (
        "NHS Staffordshire and Stoke-on-Trent Integrated Care Board"
    )
    assert display_name("Already Mixed") == "Already Mixed"
    assert short_system("NHS SOUTH EAST LONDON INTEGRATED CARE BOARD") == "South East London"


def test_a_name_marked_safe_never_answers_for_the_same_text_typed_by_a_user():
    # display_name is cached; a template may pass it a SafeString.
    assert isinstance(display_name(mark_safe("<b>A Trust</b>")), SafeString)
    assert not isinstance(display_name("<b>A Trust</b>"), SafeString)


def test_initials_that_name_practices_and_networks_stay_in_capitals():
    assert display_name("MANOR BROOK PMS") == "Manor Brook PMS"
    assert display_name("NORTH SOUTHWARK PCN") == "North Southwark PCN"
