"""Figures a return leaves blank: vacancies, joiners and leavers are "not given", never 0.

End to end: the upload stores NULL, the baseline treats it as unknown (the scenario's default
applies), the return's page shows a dash, the API gives null, and every reader of the rows
(warnings, dashboards, the flat export) leaves it out rather than counting it as 0.
"""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from workforce.models import StaffingReturnRow
from workforce.projection.assembly import establishment, leaver_rates, other_recruitment
from workforce.projection.defaults import Assumptions
from workforce.returns import COLUMNS, read_return
from workforce.selectors.baseline import baseline_for
from workforce.selectors.dashboards_returns import returns_trend, vacancies_now
from workforce.selectors.returns import return_totals
from workforce.services.return_warnings import figure_warnings

from .returns_data import csv_file, london, month, row, store_return

pytestmark = pytest.mark.django_db

URL = "/api/v1/returns/"
BLANKS = {"vacancies_fte": "", "joiners_fte": "", "leavers_fte": ""}


def post(client, content: bytes, *, period="2025-03", name="return.csv"):
    upload = SimpleUploadedFile(name, content)
    return client.post(
        URL, {"organisation": "RJ1", "period": period, "file": upload}, format="multipart"
    )


def series_of(result, code: str, group: str = "NUR"):
    [found] = [s for s in result if s.organisation_code == code and s.staff_group_code == group]
    return found


def test_blank_vacancies_go_from_the_upload_to_null_unknown_a_dash_and_null(api, client, cast):
    content = csv_file([row("DOC"), row("NUR", **BLANKS)])

    response = post(api(cast.uploader_a), content)

    assert response.status_code == 201, response.json()
    nurses = {r["staff_group"]: r for r in response.json()["rows"]}["NUR"]
    assert (nurses["vacancies_fte"], nurses["joiners_fte"], nurses["leavers_fte"]) == (None,) * 3
    assert nurses["fte"] == "100.00"
    stored = StaffingReturnRow.objects.get(staff_group__code="NUR")
    assert (stored.vacancies_fte, stored.joiners_fte, stored.leavers_fte) == (None, None, None)
    assert StaffingReturnRow.objects.get(staff_group__code="DOC").vacancies_fte == Decimal(8)

    [series] = [
        s
        for s in baseline_for(ics=cast.ics_x, period=month(2025, 3))
        if s.staff_group_code == "NUR"
    ]
    assert (series.vacancies_fte, series.establishment) == (None, None)
    assert (series.leaver_rate, series.joiners_a_year) == (None, None)
    # The scenario's defaults stand in, as for an organisation with published figures only.
    a = Assumptions(vacancy_rate=0.2, fallback_leaver_rate=0.1)
    assert establishment([series], [a])[0] == pytest.approx(100 / 0.8)
    leaver = leaver_rates([series], [a])
    assert leaver[0] == pytest.approx(0.1)
    zero = [0.0]
    assert other_recruitment([series], [a], leaver, zero, zero, zero)[0] == pytest.approx(10)

    detail = api(cast.uploader_a).get(f"{URL}{response.json()['id']}/").json()
    assert {r["staff_group"]: r for r in detail["rows"]}["NUR"]["vacancies_fte"] is None
    client.force_login(cast.uploader_a)
    page = client.get(f"/returns/{response.json()['id']}/").content.decode()
    nurse_row = re.search(r"\(NUR\)</th>(.*?)</tr>", page, re.S).group(1)
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", nurse_row)
    assert cells == ["100.00", "120", "\u2013", "5.00", "2.00", "\u2013", "\u2013", "5.00%"]


def test_the_returns_page_totals_add_the_groups_that_give_a_figure(client, cast):
    stored = store_return(
        cast.trust_a,
        month(2025, 3),
        {
            "DOC": {"vacancies_fte": None, "leavers_fte": None, "sickness_absence_rate": "0.02"},
            "NUR": {"vacancies_fte": "8", "leavers_fte": None, "sickness_absence_rate": "0.04"},
        },
    )
    stored = type(stored).objects.prefetch_related("rows").get(pk=stored.pk)

    totals = return_totals(stored)

    assert totals["vacancies_fte"] == Decimal(8)
    assert totals["leavers_fte"] is None
    assert totals["fte"] == Decimal(200)
    assert totals["sickness_absence_rate"] == Decimal("0.03")
    client.force_login(cast.uploader_a)
    page = client.get(f"/returns/{stored.pk}/").content.decode()
    footer = re.search(r"<tfoot>(.*?)</tfoot>", page, re.S).group(1)
    assert re.findall(r"<strong>([^<]*)</strong>", footer)[2:] == [
        "8.00",
        "10.00",
        "4.00",
        "2.00",
        "\u2013",
        "3.00%",
    ]


def test_months_without_leavers_do_not_count_in_the_leaver_rate(cast):
    store_return(cast.trust_a, month(2025, 1), {"NUR": {"fte": "100", "leavers_fte": "2"}})
    store_return(cast.trust_a, month(2025, 2), {"NUR": {"fte": "300", "leavers_fte": None}})
    store_return(
        cast.trust_a,
        month(2025, 3),
        {"NUR": {"fte": "100", "leavers_fte": "1", "joiners_fte": None, "vacancies_fte": None}},
    )

    nurses = series_of(baseline_for(ics=cast.ics_x, period=month(2025, 3)), "RJ1")

    # Two months give leavers: 3 FTE over mean FTE 100, annualised from two months.
    assert nurses.leaver_rate == pytest.approx(3 * 6 / 100)
    # Joiners: two months give them (1 each), annualised.
    assert nurses.joiners_a_year == pytest.approx(2 * 6)
    assert nurses.vacancies_fte is None  # the latest return's, not an earlier month's
    assert nurses.months_of_returns == 3


def test_a_leaver_rate_needs_one_month_with_leavers(cast):
    store_return(cast.trust_a, month(2025, 3), {"NUR": {"leavers_fte": None}})

    nurses = series_of(baseline_for(ics=cast.ics_x, period=month(2025, 3)), "RJ1")

    assert nurses.leaver_rate is None
    assert nurses.joiners_a_year == pytest.approx(12)


def test_leavers_not_given_raise_no_leaver_warning():
    (high,) = read_return(
        csv_file([row("NUR", leavers_fte="10")]), "r.csv", staff_group_codes=["NUR"]
    ).rows
    (blank,) = read_return(
        csv_file([row("NUR", leavers_fte="")]), "r.csv", staff_group_codes=["NUR"]
    ).rows
    names = {"NUR": "Nurses (NUR)"}

    assert [w["rule"] for w in figure_warnings([high], {}, None, names)] == ["leavers_high"]
    assert figure_warnings([blank], {}, None, names) == []


def test_the_dashboards_rates_leave_out_the_rows_without_the_figure(cast):
    store_return(
        cast.trust_a,
        month(2025, 3),
        {"NUR": {"fte": "90", "vacancies_fte": "10", "leavers_fte": "1"}},
    )
    store_return(
        cast.trust_b,
        month(2025, 3),
        {"NUR": {"fte": "500", "vacancies_fte": None, "leavers_fte": None}},
    )
    today = london(2025, 4, 20).date()

    [march] = returns_trend(user=cast.lead_x, ics=cast.ics_x, today=today)

    assert march.fte == 590
    assert march.vacancies_fte == 10
    assert march.vacancy_rate == pytest.approx(10 / 100)  # RJ1's rows alone, like for like
    assert march.leaver_rate == pytest.approx(12 / 90)
    cells = vacancies_now(user=cast.lead_x, ics=cast.ics_x, today=today)
    assert [(c.organisation_code, c.value) for c in cells] == [("RJ1", pytest.approx(0.1))]


def test_a_month_in_which_no_return_gives_vacancies_has_no_vacancy_rate(cast):
    store_return(cast.trust_a, month(2025, 3), {"NUR": {"vacancies_fte": None}})

    [march] = returns_trend(user=cast.lead_x, ics=cast.ics_x, today=london(2025, 4, 1).date())

    assert (march.vacancies_fte, march.vacancy_rate) == (None, None)
    assert march.leaver_rate == pytest.approx(12 / 100)


def test_the_flat_export_gives_null_in_json_and_a_blank_cell_in_csv(api, cast):
    store_return(cast.trust_a, month(2025, 3), {"NUR": {"vacancies_fte": None}})
    client = api(cast.lead_x)

    [figure] = client.get("/api/v1/workforce/").json()["results"]
    assert figure["vacancies_fte"] is None
    assert figure["leavers_fte"] == "1.00"
    response = client.get("/api/v1/workforce/?format=csv")
    lines = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [(line["vacancies_fte"], line["leavers_fte"]) for line in lines] == [("", "1.00")]


def test_a_blank_row_is_not_stored(api, cast):
    nothing = dict.fromkeys(COLUMNS[1:], "")
    content = csv_file([row("DOC"), row("NUR", **nothing), row("MID", **nothing)])

    response = post(api(cast.uploader_a), content)

    assert response.status_code == 201, response.json()
    assert [r["staff_group"] for r in response.json()["rows"]] == ["DOC"]
    assert list(StaffingReturnRow.objects.values_list("staff_group__code", flat=True)) == ["DOC"]
