import csv
import datetime
import io

import pytest
from openpyxl import Workbook, load_workbook

from core.api.xlsx_export import safe_xlsx_cell, xlsx_workbook
from workforce.models import Scenario

from .dashboard_data import run, system_with_a_run, two_months_of_returns
from .projection_data import scenario

pytestmark = pytest.mark.django_db
FORMULA = '=HYPERLINK("http://example.com","Click")'


def signed_in(client, user):
    client.force_login(user)
    return client


def read_csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


def read_xlsx(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content))


@pytest.fixture
def system(cast, django_capture_on_commit_callbacks):
    two_months_of_returns(cast)
    return system_with_a_run(cast, django_capture_on_commit_callbacks)


def test_a_charts_csv_is_its_table_with_numbers_as_numbers(client, cast, system):
    _ics, _plan, _made = system
    rows = read_csv(
        signed_in(client, cast.lead_x).get(
            "/systems/QKK/dashboard/supply-demand.csv?staff_group=NUR"
        )
    )
    assert rows[0][:3] == ["Financial year", "Supply, low (P10)", "Supply, median"]
    assert rows[1][0] == "2025/26" and float(rows[1][2]) == pytest.approx(3300)
    assert len(rows) == 1 + 6  # 2025/26 to 2030/31
    trend = read_csv(client.get("/systems/QKK/dashboard/trend-staff.csv"))
    assert trend[1][:4] == ["2026-09", "2", "400.0", "10.0"]


def test_a_charts_xlsx_has_the_same_table_and_what_it_shows(client, cast, system):
    _ics, plan, made = system
    book = read_xlsx(signed_in(client, cast.lead_x).get("/systems/QKK/dashboard/trend-staff.xlsx"))
    data = book["Data"]
    assert [c.value for c in data[1]][:3] == ["Month", "Organisations reporting", "Staff in post"]
    assert (
        data["A2"].value == datetime.datetime(2026, 9, 1) and data["A2"].number_format == "mmm yyyy"
    )
    assert data["B2"].value == 2 and data["C2"].value == 400
    about = {row[0].value: row[1].value for row in book["About"].iter_rows()}
    assert about["Chart"].startswith("Staff in post and vacancies")
    assert about["Scenario"] == plan.name and about["Projection run"] == made.pk


def test_formula_like_text_is_neutralised_and_negative_numbers_stay_numbers(
    client, cast, system, django_capture_on_commit_callbacks
):
    ics, plan, _made = system
    cast.trust_a.name = FORMULA
    cast.trust_a.save()
    shrinking = scenario(ics, name="-30% demand")
    shrinking.assumptions.create(demand_growth="-0.3")
    shrunk = run(cast.lead_x, shrinking, ics, django_capture_on_commit_callbacks)
    client = signed_in(client, cast.lead_x)

    rows = read_csv(client.get("/systems/QKK/dashboard/vacancy-heatmap.csv"))
    names = [row[0] for row in rows[1:]]
    assert "'" + FORMULA in names and FORMULA not in names
    gaps = read_csv(client.get(f"/systems/QKK/dashboard/gap-by-group.csv?run={shrunk.pk}"))
    shortfalls = [row[4] for row in gaps[1:]]
    assert all(value.startswith("-") for value in shortfalls)  # more staff than demand
    assert all(float(value) < 0 for value in shortfalls)  # written as numbers, not "'-12.3"

    book = read_xlsx(client.get("/systems/QKK/dashboard/vacancy-heatmap.xlsx"))
    cell = next(row[0] for row in book["Data"].iter_rows(min_row=2) if row[0].value == FORMULA)
    assert cell.data_type == "s" and cell.quotePrefix  # text, never a formula
    book = read_xlsx(client.get(f"/systems/QKK/dashboard/gap-by-group.xlsx?run={shrunk.pk}"))
    values = [row[4].value for row in book["Data"].iter_rows(min_row=2)]
    assert all(isinstance(v, float) and v < 0 for v in values)
    about = {row[0].value: row[1] for row in book["About"].iter_rows()}
    assert about["Scenario"].value == "-30% demand" and about["Scenario"].data_type == "s"

    compare = read_csv(
        client.get(f"/systems/QKK/compare/compare-gap.csv?scenarios={plan.pk},{shrinking.pk}")
    )
    assert {row[0] for row in compare[1:]} == {plan.name, "'-30% demand"}


def test_an_unknown_chart_or_format_is_not_found(client, cast, system):
    client = signed_in(client, cast.lead_x)
    assert client.get("/systems/QKK/dashboard/no-such-chart.csv").status_code == 404
    assert client.get("/systems/QKK/dashboard/supply-demand.pdf").status_code == 404
    assert client.get("/systems/QKK/compare/compare-gap.csv?scenarios=1").status_code == 404


def test_national_downloads_list_every_system(client, cast, django_capture_on_commit_callbacks):
    from .projection_data import small_system

    small_system("QKK")
    small_system("QOP")
    plan = Scenario.objects.create(name="Central (national)", draws=1, horizon=5, seed=7)
    run(cast.national, plan, None, django_capture_on_commit_callbacks)
    rows = read_csv(signed_in(client, cast.national).get("/national/data/national-gap.csv"))
    assert rows[0][:4] == ["System", "Code", "Region", "Status"]
    assert sorted(row[1] for row in rows[1:]) == ["QKK", "QOP"]


def test_an_xlsx_cell_keeps_numbers_dates_and_text_apart():
    sheet = Workbook().active
    for column, value in enumerate(["=1+1", "+44 20", "@SUM(A1)", "\tx", "-2", -2.5, 0, None], 1):
        safe_xlsx_cell(sheet.cell(row=1, column=column), value)
    cells = list(sheet[1])
    assert [c.data_type for c in cells[:5]] == ["s"] * 5
    assert all(c.quotePrefix for c in cells[:5])
    assert cells[0].value == "=1+1"
    assert (cells[5].value, cells[5].data_type) == (-2.5, "n")
    assert cells[6].value == 0 and cells[7].value is None
    book = load_workbook(io.BytesIO(xlsx_workbook(["a"], [["=2+2"], [3]])))
    assert book.active["A2"].value == "=2+2" and book.active["A2"].data_type == "s"
    assert book.active["A3"].value == 3
