"""Odd input never answers 500, and every answer under /api/ is JSON in the one error shape;
pages keep their HTML."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory, override_settings

from core.api import errors
from core.api.reference import RegionViewSet
from ics_planner.api import router
from tests.workforce.returns_data import csv_file

pytestmark = pytest.mark.django_db

# Every prefix whose objects are addressed by id, from the router itself, so a new one is
# checked without anyone listing it.
ID_PREFIXES = sorted(
    prefix
    for prefix, viewset, _ in router.registry
    if getattr(viewset, "lookup_field", "pk") == "pk"
)
NOT_IDS = ["0.5", "abc", "1e3", "-1", "1.json", "9" * 20, "9" * 4400]


def assert_one_shape(response, status: int) -> list[dict]:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    assert list(body) == ["errors"]
    assert body["errors"] and all(isinstance(e["message"], str) for e in body["errors"])
    return body["errors"]


def test_every_prefix_with_ids_is_checked():
    assert {"returns", "targets", "runs", "scenarios", "programmes", "intakes"} <= set(ID_PREFIXES)
    assert {"placements", "educators", "apprenticeships"} <= set(ID_PREFIXES)


def test_a_return_with_a_fractional_id_is_404_in_the_one_shape(client, cast):
    client.force_login(cast.national)
    found = assert_one_shape(client.get("/api/v1/returns/0.5/"), 404)
    assert found[0]["message"].startswith("Nothing at /api/v1/returns/0.5/ in your scope")


@pytest.mark.parametrize(
    "prefix", ["programmes", "intakes", "placements", "educators", "apprenticeships"]
)
@pytest.mark.parametrize("method", ["put", "patch"])
def test_changing_education_records_with_a_fractional_id_is_404(client, cast, prefix, method):
    client.force_login(cast.national)
    answer = getattr(client, method)(f"/api/v1/{prefix}/0.5/", {}, content_type="application/json")
    assert_one_shape(answer, 404)


@pytest.mark.parametrize("prefix", ID_PREFIXES)
def test_an_id_that_is_not_a_number_or_too_long_is_404_on_every_route(client, cast, prefix):
    client.force_login(cast.national)
    for not_an_id in NOT_IDS:
        for method in ("get", "put", "patch", "delete"):
            answer = getattr(client, method)(
                f"/api/v1/{prefix}/{not_an_id}/", {}, content_type="application/json"
            )
            assert_one_shape(answer, 404)


@pytest.mark.parametrize("prefix", ID_PREFIXES)
def test_an_id_past_the_largest_a_database_holds_is_404(client, cast, prefix):
    """19 digits match the route, but 9999999999999999999 is more than a bigint holds."""
    client.force_login(cast.national)
    assert_one_shape(client.get(f"/api/v1/{prefix}/{'9' * 19}/"), 404)


def test_a_target_with_a_name_for_an_id_is_404_in_the_one_shape(client, cast):
    client.force_login(cast.lead_x)
    found = assert_one_shape(client.get("/api/v1/targets/abc/"), 404)
    assert "/api/v1/targets/" in found[0]["message"]


def test_an_address_under_the_api_that_nothing_answers_is_404_in_the_one_shape(client, cast):
    client.force_login(cast.national)
    assert_one_shape(client.get("/api/v1/no-such-thing/"), 404)
    assert_one_shape(client.get("/api/v2/"), 404)


def test_a_page_that_does_not_exist_keeps_the_html_page(client, cast):
    client.force_login(cast.national)
    answer = client.get("/no-such-page/")
    assert answer.status_code == 404
    assert answer["Content-Type"].startswith("text/html")
    assert b"Page not found" in answer.content


@override_settings(RETURN_MAX_BYTES=1000, DATA_UPLOAD_MAX_MEMORY_SIZE=2000)
def test_an_upload_with_a_body_over_the_limit_is_413_in_the_one_shape(client, cast):
    """A form whose fields are over DATA_UPLOAD_MAX_MEMORY_SIZE (the file's own size has its
    400 in the returns' tests): Django refuses to read it; the API says so in JSON."""
    client.force_login(cast.uploader_a)
    answer = client.post(
        "/api/v1/returns/",
        {
            "organisation": "R" * 3000,
            "period": "2026-01",
            "file": SimpleUploadedFile("big.csv", csv_file() + b" " * 2000, "text/csv"),
        },
    )
    found = assert_one_shape(answer, 413)
    assert found[0]["message"].startswith("The request is larger than the 2 KB accepted")
    assert "may be up to 1000 bytes" in found[0]["message"]


def test_a_body_over_the_limit_is_413_even_with_debug_on(client, cast, settings):
    # Both through the fixture: an override_settings around it would be undone first, and
    # the fixture's own restore would then bring the lower limit back for later tests.
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2000
    settings.DEBUG = True
    client.force_login(cast.uploader_a)
    answer = client.post("/api/v1/returns/", {"organisation": "R" * 3000, "period": "2026-01"})
    assert_one_shape(answer, 413)


def test_a_body_too_big_outside_a_view_is_413_on_the_api_and_400_on_pages():
    """handler400: what Django refuses before any view runs."""
    factory = RequestFactory()
    api = errors.bad_request(factory.post("/api/v1/returns/"), RequestDataTooBig("too big"))
    assert api.status_code == 413
    assert api["Content-Type"] == "application/json"
    page = errors.bad_request(factory.post("/returns/upload/"), RequestDataTooBig("too big"))
    assert page.status_code == 400
    assert page["Content-Type"].startswith("text/html")


def test_a_refusal_outside_a_view_is_403_json_on_the_api_and_the_page_elsewhere():
    factory = RequestFactory()
    api = errors.permission_denied(factory.get("/api/v1/docs/"), PermissionDenied("Not yours."))
    assert_one_shape(api, 403)
    page = errors.permission_denied(factory.get("/targets/"), PermissionDenied("Not yours."))
    assert page.status_code == 403
    assert b"You cannot see this page" in page.content


@pytest.fixture
def crashing_regions(monkeypatch):
    def crash(self, request, *args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(RegionViewSet, "list", crash)


def test_a_crash_under_the_api_answers_500_in_the_one_shape(cast, crashing_regions):
    client = Client(raise_request_exception=False)
    client.force_login(cast.national)
    found = assert_one_shape(client.get("/api/v1/regions/"), 500)
    assert found == [{"message": errors.SERVER_ERROR}]
    assert "a bug" not in found[0]["message"]


@pytest.mark.django_db(databases=[])
def test_the_500_page_is_plain_html_that_needs_no_database():
    """Rendered with no request context: a database that is down cannot break it."""
    page = errors.server_error(RequestFactory().get("/targets/"))
    assert page.status_code == 500
    assert page["Content-Type"].startswith("text/html")
    assert b"Sorry, there is a problem with the service" in page.content


def test_a_json_body_over_the_limit_is_413_before_it_is_read(api, cast, settings):
    """DRF's JSON parser never applies Django's limit: the middleware refuses by length."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = '{"name": "' + "x" * 2000 + '"}'
    answer = api(cast.lead_x).post("/api/v1/scenarios/", body, content_type="application/json")
    assert answer.status_code == 413
    assert answer.json()["errors"][0]["message"].startswith("The request is larger than")


def test_a_body_within_the_limit_reaches_the_view(api, cast, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100_000
    answer = api(cast.lead_x).post(
        "/api/v1/scenarios/", '{"name": 5, "unknown": 1}', content_type="application/json"
    )
    assert answer.status_code == 400
