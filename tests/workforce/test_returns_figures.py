"""The flat export of current figures: GET /api/v1/workforce/ as JSON or CSV."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import Organisation
from workforce.models import StaffingReturn

from .returns_data import month, store_return

pytestmark = pytest.mark.django_db

URL = "/api/v1/workforce/"


def figures(client, query: str = "") -> list[dict]:
    response = client.get(f"{URL}{query}")
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_it_lists_current_figures_in_scope_only(api, cast):
    store_return(cast.trust_a, month(2025, 3), status=StaffingReturn.Status.SUPERSEDED)
    store_return(cast.trust_a, month(2025, 3), {"NUR": {"fte": "123.45"}}, version=2)
    store_return(cast.trust_b, month(2025, 3))
    store_return(cast.trust_c, month(2025, 3))
    mine = figures(api(cast.uploader_a))
    assert len(mine) == 1
    assert mine[0] == {
        "id": mine[0]["id"],
        "period": "2025-03",
        "ics": "QKK",
        "organisation": "RJ1",
        "organisation_name": cast.trust_a.name,
        "staff_group": "NUR",
        "fte": "123.45",
        "headcount": 120,
        "vacancies_fte": "8.00",
        "bank_fte": "5.00",
        "agency_fte": "2.00",
        "joiners_fte": "1.00",
        "leavers_fte": "1.00",
        "sickness_absence_rate": "0.05000",
        "version": 2,
        "return_id": mine[0]["return_id"],
    }
    assert {f["organisation"] for f in figures(api(cast.lead_x))} == {"RJ1", "RJ2"}
    assert {f["organisation"] for f in figures(api(cast.lead_y))} == {"R0A"}
    assert len(figures(api(cast.national))) == 1 + 3 + 3


def test_it_filters_by_organisation_staff_group_and_period(api, cast):
    for number in (1, 2, 3, 4):
        store_return(cast.trust_a, month(2025, number))
    store_return(cast.trust_b, month(2025, 2))
    client = api(cast.lead_x)
    found = figures(
        client, "?organisation=rj1&staff_group=MID&period_from=2025-02&period_to=2025-03"
    )
    assert [(f["organisation"], f["staff_group"], f["period"]) for f in found] == [
        ("RJ1", "MID", "2025-02"),
        ("RJ1", "MID", "2025-03"),
    ]
    assert client.get(f"{URL}?period_from=2025").status_code == 400
    assert client.get(f"{URL}?ics=NOPE").json()["errors"][0]["field"] == "ics"


def test_the_ics_filter_follows_dated_memberships(api, cast):
    moved = Organisation.objects.get(code="RAS")  # QRV until April 2026, then Z9B2Z
    store_return(moved, month(2026, 3), {"NUR": {}})
    store_return(moved, month(2026, 4), {"NUR": {}})
    client = api(cast.national)
    assert [(f["period"], f["ics"]) for f in figures(client, "?ics=QRV")] == [("2026-03", "QRV")]
    # The new system takes in its members' history from before it existed.
    assert [(f["period"], f["ics"]) for f in figures(client, "?ics=Z9B2Z")] == [
        ("2026-03", "QRV"),
        ("2026-04", "Z9B2Z"),
    ]


def test_json_pages_follow_a_cursor(api, cast):
    for number in range(1, 7):
        store_return(cast.trust_a, month(2025, number))
    client = api(cast.national)
    seen, url = [], f"{URL}?page_size=5"
    while url:
        body = client.get(url).json()
        seen += [f["id"] for f in body["results"]]
        url = body["next"]
        assert url is None or "cursor=" in url
    assert len(seen) == len(set(seen)) == 18


def test_a_page_takes_the_same_queries_whatever_its_length(api, cast):
    for number in range(1, 7):
        store_return(cast.trust_a, month(2025, number))
    client = api(cast.national)

    def queries(size: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert len(client.get(f"{URL}?page_size={size}").json()["results"]) == size
        return len(captured)

    assert queries(2) == queries(18)


def test_csv_streams_every_row_with_a_header(api, cast):
    store_return(cast.trust_a, month(2025, 3))
    store_return(cast.trust_c, month(2025, 3))
    response = api(cast.lead_x).get(f"{URL}?format=csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode()
    lines = list(csv.DictReader(io.StringIO(text)))
    assert len(lines) == 3
    assert lines[0]["period"] == "2025-03"
    assert lines[0]["organisation"] == "RJ1"
    assert lines[0]["ics"] == "QKK"
    assert {line["staff_group"] for line in lines} == {"DOC", "NUR", "MID"}
    assert api(cast.lead_x).get(f"{URL}?format=pdf").status_code == 400
