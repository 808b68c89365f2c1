"""API tokens: created, listed and revoked by their user, shown once; sign-in throttled."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from knox.models import AuthToken
from rest_framework.test import APIClient
from rest_framework.throttling import UserRateThrottle

from core.models import AuditEntry

from ..conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_throttles():
    cache.clear()  # throttle histories live in the cache
    yield
    cache.clear()


def sign_in(username: str, password: str = PASSWORD, address: str = "10.0.0.1"):
    return APIClient().post(
        "/api/v1/auth/token/",
        {"username": username, "password": password},
        format="json",
        REMOTE_ADDR=address,
    )


def with_token(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_a_token_is_shown_once_and_listed_without_it(cast):
    made = sign_in(cast.analyst_x.username)
    assert made.status_code == 201
    body = made.json()
    assert set(body) == {"id", "token", "created", "expiry"}
    assert body["token"].startswith(body["id"])
    client = with_token(body["token"])
    listed = client.get("/api/v1/auth/tokens/").json()["results"]
    assert [t["id"] for t in listed] == [body["id"]]
    assert "token" not in listed[0] and body["token"] not in str(listed)
    # Stored hashed: the token itself is nowhere in the database.
    assert not AuthToken.objects.filter(digest=body["token"]).exists()


def test_a_user_makes_another_token_and_revokes_one(cast):
    first = sign_in(cast.lead_x.username).json()
    client = with_token(first["token"])
    second = client.post("/api/v1/auth/tokens/").json()
    assert client.get("/api/v1/regions/").status_code == 200
    assert with_token(second["token"]).get("/api/v1/regions/").status_code == 200
    assert client.delete(f"/api/v1/auth/tokens/{second['id']}/").status_code == 204
    gone = with_token(second["token"]).get("/api/v1/regions/")
    assert gone.status_code == 401 and gone.json()["errors"][0]["message"]
    assert [t["id"] for t in client.get("/api/v1/auth/tokens/").json()["results"]] == [first["id"]]
    actions = AuditEntry.objects.filter(model="knox.AuthToken").values_list("action", flat=True)
    assert sorted(actions) == ["create", "create", "delete"]
    assert not AuditEntry.objects.filter(object_repr__contains=second["token"]).exists()


def test_nobody_revokes_or_sees_another_users_token(cast):
    theirs = sign_in(cast.lead_y.username).json()
    mine = with_token(sign_in(cast.lead_x.username).json()["token"])
    assert theirs["id"] not in str(mine.get("/api/v1/auth/tokens/").json())
    refused = mine.delete(f"/api/v1/auth/tokens/{theirs['id']}/")
    assert refused.status_code == 404
    assert with_token(theirs["token"]).get("/api/v1/regions/").status_code == 200


def test_an_expired_token_is_not_listed_and_does_not_work(cast):
    made = sign_in(cast.lead_x.username).json()
    other = sign_in(cast.lead_x.username).json()
    AuthToken.objects.filter(token_key=made["id"]).update(expiry="2020-01-01T00:00Z")
    assert with_token(made["token"]).get("/api/v1/regions/").status_code == 401
    listed = with_token(other["token"]).get("/api/v1/auth/tokens/").json()["results"]
    assert [t["id"] for t in listed] == [other["id"]]


def test_the_tokens_page_creates_lists_and_revokes(client, cast):
    client.force_login(cast.uploader_a)
    assert 'href="/account/tokens/"' in client.get("/").content.decode()  # in the header
    created = client.post("/account/tokens/")
    assert created.status_code == 201
    token = AuthToken.objects.get(user=cast.uploader_a)
    html = created.content.decode()
    assert "shown this once" in html
    key = html.split('id="new-token">')[1].split("<")[0]
    assert key.startswith(token.token_key) and len(key) == 64
    listed = client.get("/account/tokens/").content.decode()
    assert token.token_key in listed and key not in listed
    assert with_token(key).get("/api/v1/returns/").status_code == 200
    revoked = client.post(f"/account/tokens/{token.token_key}/revoke/", follow=True)
    assert "revoked" in revoked.content.decode()
    assert with_token(key).get("/api/v1/returns/").status_code == 401


def test_a_user_over_the_rate_is_throttled_with_the_error_shape(cast, monkeypatch):
    monkeypatch.setitem(UserRateThrottle.THROTTLE_RATES, "user", "3/minute")
    client = APIClient()
    client.force_authenticate(cast.analyst_x)
    assert [client.get("/api/v1/regions/").status_code for _ in range(3)] == [200] * 3
    refused = client.get("/api/v1/regions/")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    (error,) = refused.json()["errors"]
    assert "throttled" in error["message"].lower()
    other = APIClient()  # the budget is each user's own
    other.force_authenticate(cast.lead_x)
    assert other.get("/api/v1/regions/").status_code == 200


def test_five_wrong_passwords_lock_the_token_endpoint(cast):
    for _ in range(4):
        assert sign_in(cast.lead_x.username, "wrong-password").status_code == 401
    assert sign_in(cast.lead_x.username, "wrong-password").status_code == 429  # the fifth
    locked = sign_in(cast.lead_x.username)  # the right password, too late
    assert locked.status_code == 429
    assert "15 minutes" in locked.json()["errors"][0]["message"]
    assert sign_in(cast.lead_x.username, address="10.0.0.2").status_code == 201  # elsewhere
    assert sign_in(cast.lead_y.username).status_code == 201  # another username


def test_five_wrong_passwords_lock_the_login_page_for_the_api_too(client, cast):
    for attempt in range(5):
        wrong = client.post(
            "/accounts/login/", {"username": cast.lead_x.username, "password": "nope"}
        )
        assert wrong.status_code == (200 if attempt < 4 else 429)
    locked = client.post(
        "/accounts/login/", {"username": cast.lead_x.username, "password": PASSWORD}
    )
    assert locked.status_code == 429
    assert "Sign-in is locked" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    assert sign_in(cast.lead_x.username, address="127.0.0.1").status_code == 429


def test_a_right_password_resets_the_count(client, cast):
    for _ in range(4):
        sign_in(cast.lead_x.username, "wrong-password")
    assert sign_in(cast.lead_x.username).status_code == 201
    for _ in range(4):
        sign_in(cast.lead_x.username, "wrong-password")
    assert sign_in(cast.lead_x.username).status_code == 201
