"""Query parameters the schema does not allow are a 400 in the one shape, not quietly ignored."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def only_error_on(answer, field: str) -> str:
    assert answer.status_code == 400, answer.content
    errors = answer.json()["errors"]
    assert [e.get("field") for e in errors] == [field]
    return errors[0]["message"]


@pytest.mark.parametrize(
    "size", ["abc", "0", "0.5", "true", "1001", "-3", "\u0661\u0660"]
)  # the last: Arabic-Indic digits
def test_a_page_size_that_is_not_a_whole_number_in_range_is_refused(api, cast, size):
    message = only_error_on(
        api(cast.national).get(f"/api/v1/targets/?page_size={size}"), "page_size"
    )
    assert "from 1 to 1000" in message


def test_a_page_size_in_range_is_taken(api, cast):
    answer = api(cast.national).get("/api/v1/organisations/?page_size=3")
    assert answer.status_code == 200
    assert len(answer.json()["results"]) == 3


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/workforce/?page_size=abc",  # a cursor-paged list of figures
        "/api/v1/audit/?page_size=abc",
    ],
)
def test_cursor_pages_read_their_size_strictly_too(api, cast, path):
    only_error_on(api(cast.national).get(path), "page_size")


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/v1/runs/?national=yes", "national"),
        ("/api/v1/scenarios/?national=2", "national"),
        ("/api/v1/apprenticeships/?levy_funded=AAA", "levy_funded"),
    ],
)
def test_a_boolean_filter_takes_true_or_false_only(api, cast, path, field):
    message = only_error_on(api(cast.national).get(path), field)
    assert "is not true or false" in message


@pytest.mark.parametrize("value", ["true", "false", "1", "0", "True"])
def test_a_boolean_filter_reads_true_and_false(api, cast, value):
    assert api(cast.national).get(f"/api/v1/runs/?national={value}").status_code == 200
    answer = api(cast.national).get(f"/api/v1/apprenticeships/?levy_funded={value}")
    assert answer.status_code == 200


def test_a_parameter_given_twice_is_refused(api, cast):
    message = only_error_on(
        api(cast.national).get("/api/v1/programmes/?page_size=-8&page_size=5"), "page_size"
    )
    assert message == "Give this parameter once."
