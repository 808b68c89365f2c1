"""Fixtures shared by the whole suite.

The reference data (regions, ICSs, trusts, staff groups) is loaded once into the test
database; tests that commit (transactional_db, live server, Celery worker) load it again
through the `reference_data` fixture, since Django empties the tables after each of them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest
from django.db import connection

from core.models import ICS, Organisation, Role, User
from core.services.reference_data import reference_data_load

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
PASSWORD = "correct-horse-battery-staple-42"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        reference_data_load()


@pytest.fixture
def reference_data(transactional_db):
    """Reference data for tests that commit (the session load is gone after a flush)."""
    reference_data_load()


def require(condition: bool, reason: str) -> None:
    """Skip with the reason outside CI; fail in CI, where everything must be there."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI must provide this: {reason}")
    pytest.skip(reason)


@pytest.fixture
def postgres():
    require(connection.vendor == "postgresql", "needs PostgreSQL: set DATABASE_URL")


@dataclass
class Cast:
    """The people of the access tests: two trusts in system X, one in system Y."""

    ics_x: ICS
    ics_y: ICS
    trust_a: Organisation  # in X
    trust_b: Organisation  # in X
    trust_c: Organisation  # in Y
    uploader_a: User
    uploader_b: User
    lead_x: User
    lead_y: User
    analyst_x: User
    national: User


def make_user(username: str, role: str, **scope) -> User:
    return User.objects.create_user(username=username, password=PASSWORD, role=role, **scope)


def build_cast() -> Cast:
    ics_x = ICS.objects.get(code="QKK")  # South East London
    ics_y = ICS.objects.get(code="QOP")  # Greater Manchester
    trust_a = Organisation.objects.get(code="RJ1")  # Guy's and St Thomas'
    trust_b = Organisation.objects.get(code="RJ2")  # Lewisham and Greenwich
    trust_c = Organisation.objects.get(code="R0A")  # Manchester University
    return Cast(
        ics_x=ics_x,
        ics_y=ics_y,
        trust_a=trust_a,
        trust_b=trust_b,
        trust_c=trust_c,
        uploader_a=make_user("trust-rj1", Role.TRUST_UPLOADER, organisation=trust_a),
        uploader_b=make_user("trust-rj2", Role.TRUST_UPLOADER, organisation=trust_b),
        lead_x=make_user("icb-qkk", Role.ICB_LEAD, ics=ics_x),
        lead_y=make_user("icb-qop", Role.ICB_LEAD, ics=ics_y),
        analyst_x=make_user("analyst-qkk", Role.ANALYST, ics=ics_x),
        national=make_user("national", Role.NATIONAL_ADMIN),
    )


@pytest.fixture
def cast(db) -> Cast:
    return build_cast()


def pytest_configure(config) -> None:
    from django.conf import settings

    # Hashing passwords properly takes a quarter of a second each; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Celery prefers the CELERY_BROKER_URL environment variable to its configuration; the
    # settings have read it already, so drop it and let tests point the app at a broker.
    os.environ.pop("CELERY_BROKER_URL", None)
    # Runs started in a test finish before the call returns, unless the test asks otherwise
    # (tests/workforce/test_runs_background.py).
    settings.RUNS_IN_BACKGROUND = False


@pytest.fixture
def api(cast):
    """An API client factory: `api(user)` is signed in as that user, `api()` anonymous."""
    from rest_framework.test import APIClient

    def client(user: User | None = None) -> APIClient:
        c = APIClient()
        if user is not None:
            c.force_authenticate(user)
        return c

    return client


@pytest.fixture(autouse=True)
def tasks_in_process(request):
    """Tasks run in the test's process unless the test brings a real worker."""
    from ics_planner.celery import app

    if "celery_worker" in request.fixturenames:
        yield
        return
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = eager
