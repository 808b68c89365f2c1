"""GET /api/v1/published-figures/: published figures with their source, in the caller's scope.

The figures here are made up for the tests; their sources are named as the importers name
them so that the rows look as stored rows do.
"""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest

from core.models import Organisation, PublishedFigure, StaffGroup

pytestmark = pytest.mark.django_db

URL = "/api/v1/published-figures/"


def add(org: str, group: str, month: datetime.date, **values) -> PublishedFigure:
    values.setdefault("source", "NHS Workforce Statistics")
    return PublishedFigure.objects.create(
        organisation=Organisation.objects.get(code=org),
        staff_group=StaffGroup.objects.get(code=group),
        month=month,
        **values,
    )


@pytest.fixture
def figures(cast):
    """In QKK (cast.ics_x): trust RJ1, practice G83001 and its PCN U00254; in QOP: trust R0A
    and practice C81077."""
    add("RJ1", "NUR", datetime.date(2026, 1, 1), fte=Decimal("4210.5"), headcount=4600)
    add("RJ2", "NUR", datetime.date(2026, 1, 1), fte=Decimal("2000"), headcount=2100)
    add("R0A", "NUR", datetime.date(2026, 1, 1), fte=Decimal("6100"), headcount=6500)
    gp = {"source": "NHS Digital, General Practice Workforce, Practice Level - Detailed"}
    add("G83001", "PC-GP", datetime.date(2024, 3, 1), fte=Decimal("3.47"), headcount=4, **gp)
    add("C81077", "PC-GP", datetime.date(2024, 3, 1), fte=Decimal("2.4"), headcount=3, **gp)
    add(
        "G83001",
        "PC-GP",
        datetime.date(2023, 4, 1),
        period="financial_year",
        headcount=5,
        source="NHS Digital, General Practice Workforce: financial-year means",
    )
    pcn = {"source": "NHS Digital, Primary Care Network Workforce"}
    add("U00254", "PC-ARR-PHARM", datetime.date(2021, 9, 1), fte=Decimal("2.6"), **pcn)
    return cast


def rows(answer) -> list[dict]:
    assert answer.status_code == 200, answer.content
    return answer.json()["results"]


def keys(answer) -> set[tuple[str, str, str]]:
    return {(r["organisation"], r["staff_group"], r["period"]) for r in rows(answer)}


def test_a_figure_comes_with_its_organisation_system_period_and_source(api, figures):
    found = rows(api(figures.national).get(URL + "?organisation=G83001"))
    by_period = {row["period"]: row for row in found}
    assert by_period["2024-03"] == {
        "organisation": "G83001",
        "organisation_name": "MANOR BROOK PMS",
        "kind": "gp_practice",
        "ics": "QKK",
        "staff_group": "PC-GP",
        "period": "2024-03",
        "period_kind": "month",
        "fte": 3.47,
        "headcount": 4,
        "source": "NHS Digital, General Practice Workforce, Practice Level - Detailed",
    }
    # A financial year's headcount only: no FTE published; its period starts in April.
    assert by_period["2023-04"]["period_kind"] == "financial_year"
    assert by_period["2023-04"]["fte"] is None and by_period["2023-04"]["headcount"] == 5


def test_a_figure_from_before_the_icbs_began_has_no_system(api, figures):
    [pcn] = rows(api(figures.national).get(URL + "?organisation=U00254"))
    assert pcn["ics"] is None and pcn["period"] == "2021-09" and pcn["kind"] == "pcn"


def test_a_national_administrator_sees_every_figure(api, figures):
    assert len(rows(api(figures.national).get(URL))) == 7


def test_an_icb_lead_sees_only_their_system(api, figures):
    found = keys(api(figures.lead_x).get(URL))
    assert {org for org, _, _ in found} == {"RJ1", "RJ2", "G83001", "U00254"}
    assert {org for org, _, _ in keys(api(figures.lead_y).get(URL))} == {"R0A", "C81077"}


def test_a_provider_uploader_sees_only_their_organisation_and_is_refused_another(api, figures):
    client = api(figures.uploader_a)
    assert keys(client.get(URL)) == {("RJ1", "NUR", "2026-01")}
    assert keys(client.get(URL + "?organisation=rj1")) == {("RJ1", "NUR", "2026-01")}
    refused = client.get(URL + "?organisation=RJ2")
    assert refused.status_code == 400
    assert refused.json()["errors"] == [
        {"field": "organisation", "message": "No organisation you can see has the code 'RJ2'."}
    ]
    assert keys(client.get(URL + "?ics=QOP")) == set()


def test_an_icb_lead_is_refused_an_organisation_of_another_system(api, figures):
    answer = api(figures.lead_x).get(URL + "?organisation=R0A")
    assert answer.status_code == 400 and "R0A" in answer.json()["errors"][0]["message"]


def test_anonymous_callers_are_refused(api, figures):
    assert api().get(URL).status_code == 401


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("organisation=RJ1", {("RJ1", "NUR", "2026-01")}),
        ("kind=pcn", {("U00254", "PC-ARR-PHARM", "2021-09")}),
        ("kind=nhs_trust&ics=QOP", {("R0A", "NUR", "2026-01")}),
        ("staff_group=pc-gp&ics=QOP", {("C81077", "PC-GP", "2024-03")}),
        ("period_from=2024-01&period_to=2024-12&ics=QKK", {("G83001", "PC-GP", "2024-03")}),
        ("period_to=2023-04", {("G83001", "PC-GP", "2023-04"), ("U00254", "PC-ARR-PHARM", "2021-09")}),
        ("period_from=2026-01&kind=nhs_trust&ics=QKK", {("RJ1", "NUR", "2026-01"), ("RJ2", "NUR", "2026-01")}),
    ],
)  # fmt: skip
def test_each_filter_keeps_what_it_names(api, figures, query, expected):
    assert keys(api(figures.national).get(f"{URL}?{query}")) == expected


def test_a_system_keeps_the_figures_its_members_had_before_it_began(api, figures):
    # U00254's figure of September 2021 predates the ICBs of July 2022: QKK took it in.
    found = keys(api(figures.national).get(URL + "?ics=QKK&kind=pcn"))
    assert found == {("U00254", "PC-ARR-PHARM", "2021-09")}
    assert keys(api(figures.national).get(URL + "?ics=QOP&kind=pcn")) == set()


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("ics=NOPE", "ics"),
        ("ics=", "ics"),
        ("organisation=ZZZ99", "organisation"),
        ("kind=hospital", "kind"),
        ("staff_group=NOPE", "staff_group"),
        ("period_from=2024-13", "period_from"),
        ("period_to=24-01", "period_to"),
        ("period_from=2025-01&period_to=2024-01", "period_to"),
        ("format=xml", "format"),
        ("page_size=abc", "page_size"),
        ("kind=pcn&kind=gp_practice", "kind"),
    ],
)
def test_a_parameter_that_cannot_be_read_is_a_400_naming_it(api, figures, query, field):
    answer = api(figures.national).get(f"{URL}?{query}")
    assert answer.status_code == 400, answer.content
    assert [error["field"] for error in answer.json()["errors"]] == [field]


def test_the_list_comes_in_pages_with_a_next_link(api, figures):
    client, seen, url = api(figures.national), [], URL + "?page_size=3"
    while url:
        page = client.get(url).json()
        assert len(page["results"]) <= 3
        seen += [(r["organisation"], r["staff_group"], r["period"]) for r in page["results"]]
        url = page["next"]
    assert len(seen) == len(set(seen)) == 7


def test_csv_has_the_json_columns_and_every_row_in_scope(api, figures):
    answer = api(figures.lead_x).get(URL + "?format=csv")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/csv")
    assert 'filename="published-figures.csv"' in answer["Content-Disposition"]
    text = b"".join(answer.streaming_content).decode()
    table = list(csv.DictReader(io.StringIO(text)))
    assert list(table[0]) == [
        "organisation", "organisation_name", "kind", "ics", "staff_group", "period",
        "period_kind", "fte", "headcount", "source",
    ]  # fmt: skip
    assert {row["organisation"] for row in table} == {"RJ1", "RJ2", "G83001", "U00254"}
    year = next(row for row in table if row["period_kind"] == "financial_year")
    assert (year["period"], year["fte"], year["headcount"]) == ("2023-04", "", "5")


def test_csv_of_a_provider_uploader_holds_only_their_organisation(api, figures):
    answer = api(figures.uploader_a).get(URL + "?format=csv")
    table = list(csv.DictReader(io.StringIO(b"".join(answer.streaming_content).decode())))
    assert [(row["organisation"], row["fte"]) for row in table] == [("RJ1", "4210.50")]
