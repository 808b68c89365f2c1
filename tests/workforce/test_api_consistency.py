"""The API behaves the same everywhere: pages, filter names, CSV, one error shape, and a
schema that documents every status code and generates with no warning."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from drf_spectacular.generators import SchemaGenerator

from .access_world import build_world

pytestmark = pytest.mark.django_db

WRITES = ("post", "put", "patch", "delete")
# Lists of figures, each with ?format=csv beside its JSON.
FIGURE_LISTS = (
    "targets",
    "programmes",
    "intakes",
    "placements",
    "educators",
    "apprenticeships",
    "workforce",
)
# One name for each filter everywhere: the names a list must not use instead.
NOT_THE_NAMES = {"system", "ics_code", "org", "organisation_code", "staff_group_code", "month"}


@pytest.fixture
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_the_schema_generates_with_no_warning_and_validates(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    assert out.stat().st_size > 10_000


def test_every_operation_documents_the_codes_it_can_answer(schema):
    for path, method, operation in operations(schema):
        codes = set(operation["responses"])
        where = f"{method.upper()} {path}"
        assert {"401", "429", "503"} <= codes, where
        if method in WRITES and path != "/api/v1/auth/token/":
            assert "403" in codes, where
        if "{" in path:
            assert "404" in codes, where
        for code in codes - {"200", "201", "202", "204"}:
            content = operation["responses"][code]["content"]["application/json"]
            assert content["schema"]["$ref"].endswith("/ErrorResponse"), f"{where} {code}"


def test_filters_have_one_name_everywhere(schema):
    for path, method, operation in operations(schema):
        names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
        assert not names & NOT_THE_NAMES, f"{method.upper()} {path}: {names & NOT_THE_NAMES}"


def test_long_figure_lists_page_with_a_cursor_and_count_nothing(schema):
    for path in ("/api/v1/workforce/", "/api/v1/runs/{id}/results/", "/api/v1/audit/"):
        operation = schema["paths"][path]["get"]
        assert "cursor" in {p["name"] for p in operation["parameters"]}, path
        page = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        component = schema["components"]["schemas"][page.rsplit("/", 1)[1]]
        assert "count" not in component["properties"], path


def test_every_list_pages_with_next_and_page_size(api, cast, schema):
    build_world(cast)
    client = api(cast.national)
    lists = [
        path
        for path, method, operation in operations(schema)
        if method == "get" and "{" not in path and "page_size" in str(operation.get("parameters"))
    ]
    assert len(lists) > 15
    for path in lists:
        body = client.get(f"{path}?page_size=1").json()
        assert set(body) >= {"next", "previous", "results"}, path
        assert len(body["results"]) <= 1, path
        if body["next"]:
            assert client.get(body["next"]).status_code == 200, path


def test_every_list_of_figures_has_csv_with_the_json_columns(api, cast):
    build_world(cast)
    client = api(cast.national)
    for name in FIGURE_LISTS:
        rows = client.get(f"/api/v1/{name}/").json()["results"]
        answer = client.get(f"/api/v1/{name}/?format=csv")
        assert answer["Content-Type"].startswith("text/csv"), name
        content = b"".join(answer.streaming_content) if answer.streaming else answer.content
        header = content.decode().splitlines()[0].split(",")
        if rows and name != "workforce":  # the flat export names its columns for files
            assert header == list(rows[0]), name
        refused = client.get(f"/api/v1/{name}/?format=xml")
        assert refused.status_code == 400, name
        assert refused.json()["errors"][0]["field"] == "format", name


def test_one_error_shape_with_a_message_to_act_on(api, cast):
    client = api(cast.lead_x)
    cases = [
        (client.get("/api/v1/targets/999999/"), 404),
        (client.get("/api/v1/organisations/?kind=planet"), 400),
        (client.get("/api/v1/targets/?year=soon"), 400),
        (client.delete("/api/v1/scenarios/1/"), 405),
        (api().get("/api/v1/targets/"), 401),
        (client.get("/api/v1/runs/?scenario=99999999999999999999999"), 400),
        (client.get("/api/v1/returns/?organisation=RJ1%00"), 400),
        (client.post("/api/v1/targets/", {"ics": "QKK\x00"}, format="json"), 400),
    ]
    for answer, status in cases:
        assert answer.status_code == status, answer.content
        errors = answer.json()["errors"]
        assert errors and all(len(e["message"]) > 5 for e in errors), errors
    missing = client.get("/api/v1/targets/999999/").json()["errors"][0]["message"]
    assert "/api/v1/targets/" in missing and "your scope" in missing
    year = client.get("/api/v1/targets/?year=soon").json()["errors"][0]
    assert year["field"] == "year" and "2028" in year["message"]


def test_a_page_with_a_nul_in_its_address_is_refused(client, cast):
    client.force_login(cast.lead_x)
    assert client.get("/returns/?organisation=RJ1%00").status_code == 400


def test_results_take_the_year_as_every_other_list_does(api, cast):
    world = build_world(cast)
    client = api(cast.lead_x)
    url = f"/api/v1/runs/{world.x.run.pk}/results/"
    assert client.get(f"{url}?year=2027/28").json()["results"]
    assert client.get(f"{url}?year=2027").json() == client.get(f"{url}?year=2027/28").json()
    assert client.get(f"{url}?year=next").status_code == 400


def test_the_schema_is_served_as_json_too(client):
    answer = client.get("/api/v1/schema/?format=json")
    assert answer.status_code == 200 and answer.json()["openapi"].startswith("3.")
    assert io.BytesIO(client.get("/api/v1/schema/").content).read(8) == b"openapi:"


@pytest.mark.parametrize("page", ["abc", "0", "-1", "1_0", "+1", "\uff11", "", " 1"])
def test_a_page_that_is_not_a_whole_number_from_1_is_a_400(api, cast, page):
    answer = api(cast.national).get("/api/v1/programmes/", {"page": page})
    assert answer.status_code == 400, page
    assert answer.json()["errors"][0]["field"] == "page"
    assert "is not a page number" in answer.json()["errors"][0]["message"]


def test_a_page_number_and_last_still_page(api, cast):
    build_world(cast)
    client = api(cast.national)
    first = client.get("/api/v1/programmes/", {"page_size": 1, "page": "1"})
    last = client.get("/api/v1/programmes/", {"page_size": 1, "page": "last"})
    assert first.status_code == last.status_code == 200
    assert last.json()["next"] is None
    assert client.get("/api/v1/programmes/", {"page": "999999"}).status_code == 404


def test_a_csv_list_takes_every_row_but_refuses_paging_that_is_not_paging(api, cast):
    client = api(cast.national)
    assert client.get("/api/v1/programmes/", {"format": "csv", "page": "2"}).status_code == 200
    for query in ({"page": "\u00e9"}, {"page_size": "null"}):
        answer = client.get("/api/v1/programmes/", {"format": "csv", **query})
        assert answer.status_code == 400, query
        assert answer.json()["errors"][0]["field"] == next(iter(query))
