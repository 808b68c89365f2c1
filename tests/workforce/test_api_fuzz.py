"""Schemathesis against a live server's own OpenAPI schema, as an ICB lead, a trust uploader
and a national administrator, each signed in with a token from POST /api/v1/auth/token/.

Every operation gets schemathesis' examples, its coverage phase (each parameter and body
field at its bounds, missing, of the wrong type, and the methods the path does not take) and
a bounded number of generated requests (FUZZ_EXAMPLES, 5 unless set). Every check that
applies runs on every answer: no server error, status code, content type, headers and body
as the schema says, invalid input refused, valid input not refused (where that can be told:
see `EXCLUDED`), undocumented methods 405, a request without a token 401.
"""

from __future__ import annotations

import os
import time

import pytest
import requests
import schemathesis
from rest_framework.throttling import SimpleRateThrottle
from schemathesis.checks import CHECKS, CheckFunction, load_all_checks
from schemathesis.generation.hypothesis.builder import (
    HypothesisTestConfig,
    HypothesisTestMode,
    create_test,
)

from ..conftest import PASSWORD, build_cast
from .access_world import build_world

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "5"))
# The most cases sent to one operation (FUZZ_MAX_CASES): the coverage phase makes thousands
# for a scenario's nested rows, and the whole run must stay within a few minutes on 2 cores.
MAX_CASES = int(os.environ.get("FUZZ_MAX_CASES", "120"))
MODES = [HypothesisTestMode.EXAMPLES, HypothesisTestMode.COVERAGE, HypothesisTestMode.FUZZING]
# Checks that cannot tell a bug here from a correct answer (docs/decisions.md):
# - positive_data_acceptance wants schema-valid input accepted (2xx), but a valid request
#   is refused for what a schema cannot say: a code that names no organisation, a month in
#   the future, an object outside the user's scope (403/404), a run not finished (409);
# - use_after_free and ensure_resource_availability follow links between operations, which
#   this schema does not declare;
# - max_response_time has no limit set.
EXCLUDED = {
    "positive_data_acceptance",
    "use_after_free",
    "ensure_resource_availability",
}
# Signing in with generated passwords would lock the accounts out (django-axes).
SKIPPED = {("POST", "/api/v1/auth/token/")}


def excluded_checks() -> list[CheckFunction]:
    load_all_checks()
    excluded = [check for check in CHECKS.get_all() if check.__name__ in EXCLUDED]
    assert len(excluded) == len(EXCLUDED)  # a renamed check would run unnoticed
    return excluded


def token_for(base_url: str, username: str) -> str:
    answer = requests.post(
        f"{base_url}/api/v1/auth/token/",
        json={"username": username, "password": PASSWORD},
        timeout=10,
    )
    assert answer.status_code == 201, answer.text
    return answer.json()["token"]


def summary(failure: BaseException) -> str:
    """What failed, in a line: the check's title, its message and where in the schema."""
    lines = [line.strip() for line in str(failure).splitlines() if line.strip()]
    keep = [line for line in lines if line.startswith(("-", "Schema at", "[", "curl"))]
    return " | ".join((keep or lines)[:4])[:400]


def operation_test(operation, config, run):
    return create_test(
        operation=operation,
        test_func=run,
        config=HypothesisTestConfig(
            project=config,
            modes=MODES,
            settings=config.get_hypothesis_settings(operation=operation, phase="fuzzing"),
        ),
    )


@pytest.mark.django_db(transaction=True)
def test_the_api_keeps_to_its_schema_for_every_role(live_server, reference_data, monkeypatch):
    # The per-user throttle (6000 an hour) would answer 429 long before the run ends.
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "user", None)
    cast = build_cast()
    build_world(cast)  # objects of every kind in two systems, for the ids to land on
    tokens = [
        (user.username, token_for(live_server.url, user.username))
        for user in (cast.lead_x, cast.uploader_a, cast.national)
    ]
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/schema/?format=json")
    config = schema.config
    config.update(base_url=live_server.url)
    config.generation.update(max_examples=EXAMPLES, deterministic=True, database="none")
    excluded = excluded_checks()
    failures: list[str] = []
    sent = 0
    started = time.monotonic()
    operations = [result.ok() for result in schema.get_all_operations()]
    for operation in operations:
        if (operation.method.upper(), operation.path) in SKIPPED:
            continue
        # The cases are the same on every run (deterministic): count them, then send every
        # `stride`-th, each as the next role in turn, so that an operation with a large body
        # (a scenario's rows) is sampled across all its fields, not cut short.
        cases = 0

        def count(case) -> None:
            nonlocal cases
            cases += 1

        operation_test(operation, config, count)()
        stride = max(1, -(-cases // MAX_CASES))
        seen = 0

        def run(case) -> None:
            nonlocal seen, sent
            seen += 1
            if (seen - 1) % stride:  # noqa: B023 (run within this iteration only)
                return
            username, token = tokens[sent % len(tokens)]
            headers = {"Authorization": f"Token {token}"}
            # A bound, not a speed: a board pack's PDF is rendered in Chromium, which on a
            # shared machine can take longer than the client's default of 10 s.
            response = case.call(headers=headers, timeout=120)
            sent += 1
            try:
                case.validate_response(response, excluded_checks=excluded, headers=headers)
            except (Exception, BaseExceptionGroup) as failure:  # report all, not the first
                failures.append(f"{username}: {case.method} {case.path}: {summary(failure)}")

        operation_test(operation, config, run)()
    elapsed = time.monotonic() - started
    print(f"{len(operations)} operations, {sent} cases in {elapsed:.0f}s")
    assert len(operations) > 50
    assert sent > 20 * len(operations)  # the coverage phase ran, not the examples alone
    assert not failures, f"{len(failures)} failures:\n" + "\n\n".join(sorted(set(failures))[:60])
