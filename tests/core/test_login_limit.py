"""Sign-in from one address trying many usernames: locked out, for every username, after
LOGIN_ADDRESS_FAILURE_LIMIT failures; other addresses sign in as before."""

from __future__ import annotations

import datetime

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIClient

from ..conftest import PASSWORD

pytestmark = pytest.mark.django_db

ATTACKER = "10.9.9.9"
ADDRESS_LOCKED = "Too many failed sign-in attempts from your address, for any username"


@pytest.fixture(autouse=True)
def fresh_throttles():
    cache.clear()  # the token endpoint's throttle history lives in the cache
    yield
    cache.clear()


def login_page(username: str, password: str = "wrong-password", address: str = ATTACKER):
    return Client().post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def token(username: str, password: str = "wrong-password", address: str = ATTACKER):
    return APIClient().post(
        "/api/v1/auth/token/",
        {"username": username, "password": password},
        format="json",
        REMOTE_ADDR=address,
    )


def test_twenty_five_usernames_from_one_address_are_stopped_at_the_limit(cast, settings):
    assert settings.LOGIN_ADDRESS_FAILURE_LIMIT == 20
    codes = [login_page(f"guess-{n}").status_code for n in range(25)]
    # Each username fails once only, far below the per-username limit of 5.
    assert codes == [200] * 19 + [429] * 6
    locked = login_page(cast.lead_x.username, PASSWORD)  # the right password, from there
    assert locked.status_code == 429
    assert ADDRESS_LOCKED in locked.content.decode()
    assert int(locked["Retry-After"]) == 15 * 60
    assert login_page(cast.lead_x.username, PASSWORD, address="10.0.0.7").status_code == 302


def test_an_address_over_the_limit_is_refused_by_the_token_endpoint_and_the_admin(cast):
    for n in range(20):
        login_page(f"guess-{n}")
    refused = token(cast.national.username, PASSWORD)
    assert refused.status_code == 429
    assert refused.json() == {"errors": [{"message": refused.json()["errors"][0]["message"]}]}
    assert refused.json()["errors"][0]["message"].startswith(ADDRESS_LOCKED)
    admin = Client().post(
        "/admin/login/",
        {"username": cast.national.username, "password": PASSWORD},
        REMOTE_ADDR=ATTACKER,
    )
    assert admin.status_code == 429
    assert token(cast.national.username, PASSWORD, address="10.0.0.7").status_code == 201


def test_the_token_endpoint_alone_counts_towards_the_address_limit(cast, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 6
    codes = [token(f"guess-{n}").status_code for n in range(8)]
    assert codes == [401] * 5 + [429] * 3
    assert token(cast.lead_x.username, PASSWORD).status_code == 429
    assert token(cast.lead_x.username, PASSWORD, address="10.0.0.8").status_code == 201


def test_failures_older_than_the_lockout_time_no_longer_count(cast, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 3
    for n in range(3):
        login_page(f"guess-{n}")
    assert login_page(cast.lead_x.username, PASSWORD).status_code == 429
    earlier = datetime.timedelta(minutes=16)
    for attempt in AccessAttempt.objects.filter(ip_address=ATTACKER):
        AccessAttempt.objects.filter(pk=attempt.pk).update(
            attempt_time=attempt.attempt_time - earlier
        )
    assert login_page(cast.lead_x.username, PASSWORD).status_code == 302


def test_the_per_username_limit_still_applies_below_the_address_limit(cast):
    codes = [login_page(cast.lead_x.username).status_code for _ in range(5)]
    assert codes == [200] * 4 + [429]
    locked = login_page(cast.lead_x.username, PASSWORD)
    assert "for this username from your address" in locked.content.decode()
    assert login_page(cast.lead_y.username, PASSWORD).status_code == 302
