"""GET /api/v1/runs/{id}/levy/: its shape, its CSV, and the scopes that must not see it."""

from __future__ import annotations

import csv
import io

import pytest

from .levy_data import a_run, levy_system


def url(run) -> str:
    return f"/api/v1/runs/{run.pk}/levy/"


def test_it_gives_each_employer_s_years_and_the_system_s(api, cast):
    run = levy_system(cast)
    answer = api(cast.lead_x).get(url(run))
    assert answer.status_code == 200
    body = answer.json()
    assert body["costed"] is True
    assert body["ics"] == cast.ics_x.code
    assert [e["organisation"] for e in body["employers"]] == [cast.trust_a.code]
    first = body["employers"][0]["years"][0]
    assert first["year"] == 2025
    assert first["levy"] == pytest.approx(35_000)
    assert first["could_transfer"] == pytest.approx(19_250)
    assert {row["year"] for row in body["system"]} == {2025, 2026, 2027}
    assert body["rules"][0]["source"]
    assert body["partners"][0]["organisation"] == "ZZC1"


def test_its_csv_has_a_row_per_employer_and_year(api, cast):
    run = levy_system(cast)
    answer = api(cast.analyst_x).get(url(run), {"format": "csv"})
    assert answer.status_code == 200
    rows = list(csv.DictReader(io.StringIO(answer.content.decode())))
    assert [(r["organisation"], r["year"]) for r in rows] == [
        (cast.trust_a.code, "2025"),
        (cast.trust_a.code, "2026"),
        (cast.trust_a.code, "2027"),
    ]
    assert float(rows[0]["funds"]) == pytest.approx(38_500)


def test_a_run_with_no_pay_bill_says_it_has_no_costs(api, cast):
    run = levy_system(cast, costed=False)
    body = api(cast.lead_x).get(url(run)).json()
    assert body["costed"] is False
    assert body["message"].startswith("This run has no costs:")
    assert api(cast.lead_x).get(url(run), {"format": "csv"}).status_code == 409


def test_it_validates_ownership(api, cast):
    run = levy_system(cast)
    assert api(cast.lead_y).get(url(run)).status_code == 404
    assert api().get(url(run)).status_code in (401, 403)


def test_a_national_run_is_refused(api, cast):
    run = a_run(None, cast.national)
    answer = api(cast.national).get(url(run))
    assert answer.status_code == 400
