"""A return's costs: stored on its rows, shown by the API, and an implausible one warned of."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from workforce.models import StaffingReturnRow
from workforce.projection.costs import default_cost_per_fte
from workforce.returns import COLUMNS
from workforce.selectors.costs import cost_per_fte_for

from .returns_data import csv_file, month, row, store_return

pytestmark = pytest.mark.django_db

URL = "/api/v1/returns/"
HEADER = (*COLUMNS, "pay_cost", "bank_cost", "agency_cost")


def post(client, content: bytes):
    upload = SimpleUploadedFile("return.csv", content)
    return client.post(
        URL, {"organisation": "RJ1", "period": "2025-03", "file": upload}, format="multipart"
    )


def test_costs_are_stored_and_shown_in_the_return_rows(api, cast):
    # NUR: 100 FTE at £4,400 a month each, 5 bank FTE, 2 agency FTE.
    content = csv_file([[*row("NUR"), "440,000", "22,000.5", "12000"], row("DOC")], HEADER)

    response = post(api(cast.uploader_a), content)

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["warnings"] == []
    shown = {r["staff_group"]: r for r in body["rows"]}
    assert (shown["NUR"]["pay_cost"], shown["NUR"]["bank_cost"]) == ("440000.00", "22000.50")
    assert shown["NUR"]["agency_cost"] == "12000.00"
    assert (shown["DOC"]["pay_cost"], shown["DOC"]["agency_cost"]) == (None, None)
    stored = StaffingReturnRow.objects.get(staff_group__code="NUR")
    assert stored.pay_cost == Decimal("440000.00")
    assert StaffingReturnRow.objects.get(staff_group__code="DOC").bank_cost is None


def test_an_implausible_cost_per_fte_is_stored_with_a_warning(api, cast):
    # £44 a month per FTE: the pay bill given in hundreds of pounds, say.
    content = csv_file([[*row("NUR"), "4400", "", ""]], HEADER)

    response = post(api(cast.uploader_a), content)

    assert response.status_code == 201, response.json()
    warnings = response.json()["warnings"]
    assert [(w["rule"], w["staff_group"]) for w in warnings] == [("cost_per_fte", "NUR")]
    assert "pay_cost" in warnings[0]["message"]
    assert StaffingReturnRow.objects.get().pay_cost == Decimal("4400.00")


def test_a_negative_cost_is_refused_by_row_and_column_and_nothing_stored(api, cast):
    content = csv_file([[*row("NUR"), "-1", "", "abc"]], HEADER)

    response = post(api(cast.uploader_a), content)

    assert response.status_code == 400
    places = [(e["row"], e["column"]) for e in response.json()["errors"]]
    assert places == [(2, "pay_cost"), (2, "agency_cost")]
    assert not StaffingReturnRow.objects.exists()


def test_cost_per_fte_is_measured_over_twelve_months_with_defaults_where_none_given(cast):
    nur = {"fte": "100", "bank_fte": "5", "agency_fte": "2"}
    store_return(cast.trust_a, month(2024, 3), {"NUR": {**nur, "pay_cost": "999999"}})  # too old
    store_return(cast.trust_a, month(2024, 4), {"NUR": {**nur, "pay_cost": "400000"}})
    store_return(cast.trust_a, month(2025, 3), {"NUR": {**nur, "pay_cost": "460000"}, "MID": {}})
    store_return(cast.trust_a, month(2025, 4), {"NUR": {**nur, "pay_cost": "1"}})  # after

    got = cost_per_fte_for(cast.trust_a, month(2025, 3))

    assert got["NUR"].pay == pytest.approx(860000 / 200)
    assert got["NUR"].measured == frozenset({"pay"})
    assert got["NUR"].agency == default_cost_per_fte("NUR", "nhs_trust").agency
    assert got["MID"] == default_cost_per_fte("MID", "nhs_trust")
    assert got["MID"].pay is not None and got["MID"].measured == frozenset()
