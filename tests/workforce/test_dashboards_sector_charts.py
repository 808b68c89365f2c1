"""The chart and table of the workforce by sector, from hand-made shapes: no database."""

import plotly.graph_objects as go

from workforce.charts.sectors import NO_FIGURES, NOT_EMPLOYED, for_sector, sector_chart
from workforce.selectors.dashboards_results import Band, GroupYear
from workforce.selectors.dashboards_sector_figures import CurrentFigures
from workforce.selectors.dashboards_sectors import (
    WHOLE_SYSTEM,
    sector_rows,
)


def projected(gap: float) -> GroupYear:
    return GroupYear(
        "ALL", 2028, Band(90, 100, 110), Band(90, 100 + gap, 110), Band(gap - 5, gap, gap + 5),
        None, None,
    )  # fmt: skip


WHOLE = GroupYear(
    "ALL", 2028, Band(0, 0, 0), Band(0, 0, 0), Band(25, 30, 35), 1200, 0.85
)  # fmt: skip
FIGURES = {
    "nhs_trusts": CurrentFigures(3, 910, 20, 410, 1, 1, ("NHS Workforce Statistics",)),
    "primary_care": CurrentFigures(2, 8, 0, 0, 2, 1, ("NHS Digital",)),
}


def rows(group_sector: str = "all"):
    return sector_rows(
        figures=FIGURES,
        projected={"": WHOLE, "nhs_trusts": projected(20), "primary_care": projected(10)},
        group_sector=group_sector,
    )


def test_the_sector_chart_draws_each_projected_sector_with_its_range():
    chart = sector_chart(rows(), "All staff groups", 2028, national=False)
    go.Figure(chart.figure)  # a figure plotly accepts
    bar = chart.figure["data"][0]
    assert bar["y"] == ["NHS trusts", "General practice and PCNs"]  # the total is not a bar
    assert bar["x"] == [20, 10] and bar["error_x"]["array"] == [5, 5]
    assert chart.title == "All staff groups: the workforce by sector in 2028/29"


def test_the_sector_table_lists_every_sector_and_the_total_with_notes():
    chart = sector_chart(rows(), "All staff groups", 2028, national=False)
    table = {row[0]: dict(zip(chart.headings, row, strict=True)) for row in chart.rows}
    assert list(table) == [
        "NHS trusts",
        "General practice and PCNs",
        "Social care",
        "Independent and voluntary sector",
        "All sectors",
    ]
    trusts = table["NHS trusts"]
    assert trusts["Vacancy rate where known (%)"] == round(20 / 430 * 100, 1)
    assert trusts["Note"].startswith(WHOLE_SYSTEM) and trusts["Status"] is None
    assert table["General practice and PCNs"]["Vacancies where known (FTE)"] is None  # unknown
    assert table["Social care"]["Note"] == NO_FIGURES
    assert table["Social care"]["FTE in post"] is None  # no figures is not zero
    total = table["All sectors"]
    assert (total["FTE in post"], total["Shortfall, median"], total["Status"]) == (918, 30, "Green")
    assert total[next(h for h in chart.headings if h.startswith("Probability"))] == 85


def test_a_group_of_one_sector_carries_its_target_on_that_sectors_line():
    chart = sector_chart(rows("primary_care"), "GPs", 2028, national=False)
    table = {row[0]: dict(zip(chart.headings, row, strict=True)) for row in chart.rows}
    assert table["General practice and PCNs"]["Plan target"] == 1200
    assert table["General practice and PCNs"]["Status"] == "Green"
    assert table["NHS trusts"]["Note"] == NOT_EMPLOYED


def test_the_national_table_counts_systems_in_place_of_a_probability():
    national = sector_rows(
        figures=FIGURES, projected={"": WHOLE}, group_sector="all", systems=(42, 9)
    )
    chart = sector_chart(national, "All staff groups", 2028, national=True)
    assert chart.figure is None and chart.empty == "No projection by sector yet."
    total = dict(zip(chart.headings, chart.rows[-1], strict=True))
    assert (
        total["Systems with a plan target"],
        total["Systems 80% or more likely to meet it"],
    ) == (
        42,
        9,
    )


def test_a_chart_of_one_sector_says_so_in_its_title_and_figure():
    chart = sector_chart(rows(), "All staff groups", 2028, national=False)
    shown = for_sector(chart, "NHS trusts")
    assert shown.title.endswith("(NHS trusts)")
    assert shown.figure["layout"]["title"]["text"] == shown.title
    assert chart.figure["layout"]["title"]["text"] == chart.title  # the original unchanged
