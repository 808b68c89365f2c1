"""The tables beside the charts, as the pages write them: no database."""

import datetime

from django.template.loader import render_to_string

from workforce.charts.base import Chart, columns
from workforce.templatetags.dashboards import table_rows

COLUMNS = columns(
    "Organisation",
    ("Month", "month"),
    ("Vacancies", "fte"),
    ("Vacancy rate (%)", "percent"),
    ("Organisations reporting", "count"),
    ("Status", "status"),
)


def test_each_row_shows_numbers_as_numbers_a_status_as_its_tag_and_nothing_as_a_dash():
    html = table_rows(
        [("Trust A", datetime.date(2026, 10, 1), 1234.5, 8.04, 1200, "Amber")], COLUMNS
    )
    assert html == (
        '<tr class="nhsuk-table__row">'
        '<td class="nhsuk-table__cell">Trust A</td>'
        '<td class="nhsuk-table__cell">Oct 2026</td>'
        '<td class="nhsuk-table__cell app-numeric">1,234</td>'
        '<td class="nhsuk-table__cell app-numeric">8.0%</td>'
        '<td class="nhsuk-table__cell app-numeric">1,200</td>'
        '<td class="nhsuk-table__cell"><strong class="nhsuk-tag nhsuk-tag--yellow">Amber'
        "</strong></td></tr>"
    )
    empty = table_rows([("Trust B", None, None, None, None, "No target")], COLUMNS)
    assert empty.count("\u2013") == 4 and "nhsuk-tag" not in empty


def test_a_name_typed_by_a_user_is_escaped_in_the_table():
    rows = [("<script>alert('x')</script> & Co", None, 1, 2, 3, "Red")]
    html = table_rows(rows, COLUMNS)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; Co" in html


def test_the_chart_include_writes_every_row_into_the_table_body():
    chart = Chart("trend-staff", "Staff", None, COLUMNS, [("A", None, 1, 2, 3, "Green")] * 3)
    page = render_to_string(
        "workforce/dashboards/_chart.html", {"chart": chart, "download_base": "/x/"}
    )
    body = page.split('<tbody class="nhsuk-table__body">')[1].split("</tbody>")[0]
    assert body.count('<tr class="nhsuk-table__row">') == 3
    assert body.count("nhsuk-tag--green") == 3
