"""A user holds at most API_TOKENS_PER_USER tokens that still work; one more is a 400."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from core.errors import ApplicationError
from core.services.tokens import api_token_create

from ..conftest import PASSWORD

pytestmark = pytest.mark.django_db

REVOKE_ONE = "You have 10 API tokens that still work, the most a user may hold: revoke one"


@pytest.fixture(autouse=True)
def fresh_throttles():
    cache.clear()
    yield
    cache.clear()


def signed_in(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_eleventh_token_is_a_400_saying_to_revoke_one_and_none_is_made(cast, settings):
    assert settings.API_TOKENS_PER_USER == 10
    client = signed_in(cast.analyst_x)
    assert [client.post("/api/v1/auth/tokens/").status_code for _ in range(10)] == [201] * 10
    refused = client.post("/api/v1/auth/tokens/")
    assert refused.status_code == 400
    (error,) = refused.json()["errors"]
    assert error["message"].startswith(REVOKE_ONE)
    assert AuthToken.objects.filter(user=cast.analyst_x).count() == 10
    first = client.get("/api/v1/auth/tokens/").json()["results"][0]["id"]
    assert client.delete(f"/api/v1/auth/tokens/{first}/").status_code == 204
    assert client.post("/api/v1/auth/tokens/").status_code == 201


def test_signing_in_for_a_token_is_refused_at_the_limit_too(cast, settings):
    settings.API_TOKENS_PER_USER = 2
    for _ in range(2):
        api_token_create(user=cast.lead_x)
    refused = APIClient().post(
        "/api/v1/auth/token/",
        {"username": cast.lead_x.username, "password": PASSWORD},
        format="json",
    )
    assert refused.status_code == 400
    assert "the most a user may hold: revoke one" in refused.json()["errors"][0]["message"]
    assert AuthToken.objects.filter(user=cast.lead_x).count() == 2


def test_expired_tokens_and_other_users_tokens_do_not_count(cast, settings):
    settings.API_TOKENS_PER_USER = 2
    old, _ = api_token_create(user=cast.lead_x)
    api_token_create(user=cast.lead_x)
    api_token_create(user=cast.lead_y)
    with pytest.raises(ApplicationError, match="revoke one"):
        api_token_create(user=cast.lead_x)
    AuthToken.objects.filter(pk=old.pk).update(
        expiry=timezone.now() - datetime.timedelta(minutes=1)
    )
    api_token_create(user=cast.lead_x)
    api_token_create(user=cast.lead_y)


def test_the_account_page_shows_the_limit_instead_of_failing(client, cast, settings):
    settings.API_TOKENS_PER_USER = 1
    client.force_login(cast.analyst_x)
    assert client.post("/account/tokens/").status_code == 201
    refused = client.post("/account/tokens/")
    assert refused.status_code == 400
    assert "the most a user may hold: revoke one" in refused.content.decode()
    assert AuthToken.objects.filter(user=cast.analyst_x).count() == 1
