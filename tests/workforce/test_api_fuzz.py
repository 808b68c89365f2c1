"""Schemathesis against the live server's own OpenAPI schema, as a user of each role.

Every operation gets a bounded number of generated requests (FUZZ_EXAMPLES, 5 unless set)
from each of a national administrator, an ICB lead, an analyst and a trust uploader; no
answer may be a server error or break the schema (status code, content type, body).
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from core.services.tokens import api_token_create

from ..conftest import build_cast
from .access_world import build_world

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "5"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def summary(failure: BaseException) -> str:
    """What failed, in a line: the check's title, its message and where in the schema."""
    lines = [line.strip() for line in str(failure).splitlines() if line.strip()]
    keep = [line for line in lines if line.startswith(("-", "Schema at"))] or lines[:1]
    detail = next((line for line in lines if " is not " in line or "status" in line), "")
    return " | ".join([*keep[:3], detail])[:300]


@pytest.mark.django_db(transaction=True)
def test_the_api_keeps_to_its_schema_for_every_role(live_server, reference_data):
    cast = build_cast()
    build_world(cast)  # objects of every kind in two systems, for the ids to land on
    tokens = {
        user.username: api_token_create(user=user)[1]
        for user in (cast.national, cast.lead_x, cast.analyst_x, cast.uploader_a)
    }
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/schema/?format=json")
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path == "/api/v1/auth/token/":
            continue  # signing in with generated passwords would lock the accounts
        operations += 1

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def run(case) -> None:
            for username, token in tokens.items():
                response = case.call(headers={"Authorization": f"Token {token}"})
                try:
                    case.validate_response(response, checks=CHECKS)
                except (Exception, BaseExceptionGroup) as failure:  # report all, not the first
                    failures.append(f"{username}: {case.method} {case.path}: {summary(failure)}")

        run()
    assert operations > 50
    assert not failures, "\n\n".join(sorted(set(failures))[:40])
