"""The content security policy, pages with no inline script, and where uploads go."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.db import models
from django.test import Client

from core.security import CONTENT_SECURITY_POLICY

from .access_route_parts import Route
from .access_routes import ROUTES
from .access_world import build_world
from .returns_data import csv_file
from .test_access_matrix import body_text, path_of, walk

pytestmark = pytest.mark.django_db

POLICY = (
    "default-src 'self'; script-src 'self'; "
    "style-src 'self' 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='; "
    "img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; "
    "form-action 'self'"
)
# Scripts that hold data, not code: the browser never runs them (json_script).
DATA_TYPES = {"application/json", "application/ld+json"}


class InlineCode(HTMLParser):
    """Finds what a policy without 'unsafe-inline' blocks: inline scripts with code,
    `on*=` handlers and `javascript:` links."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._script: dict | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        for name, value in attrs:
            if name.lower().startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f"<{tag} {name}=javascript:...>")
        if tag == "script" and "src" not in named:
            self._script = named

    def handle_data(self, data: str) -> None:
        kind = (self._script or {}).get("type") or ""
        if self._script is not None and data.strip() and kind.lower() not in DATA_TYPES:
            self.found.append(f"inline <script>: {data.strip()[:80]}")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


def test_the_finder_finds_inline_code_and_lets_data_through():
    assert inline_code('<script>alert(1)</script><a onclick="x()">a</a>') == [
        "inline <script>: alert(1)",
        "<a onclick=...>",
    ]
    assert inline_code('<a href="javascript:go()">a</a>') == ["<a href=javascript:...>"]
    assert not inline_code(
        '<script src="/static/a.js"></script><script type="application/json">{"a": 1}</script>'
    )


def test_every_answer_carries_the_policy(client, cast):
    assert CONTENT_SECURITY_POLICY == POLICY
    for url in ("/accounts/login/", "/api/v1/regions/", "/api/v1/docs/", "/healthz"):
        assert client.get(url)["Content-Security-Policy"] == POLICY
    client.force_login(cast.lead_x)
    assert client.get("/")["Content-Security-Policy"] == POLICY


def test_no_page_has_inline_script_for_any_user(cast):
    """Every page pattern, as every kind of user (and anonymous), on objects in and out of
    scope: no inline script, no event handler attribute."""
    world = build_world(cast)
    users = [None, cast.uploader_a, cast.lead_x, cast.lead_y, cast.analyst_x, cast.national]
    clients = []
    for user in users:
        client = Client()
        if user is not None:
            client.force_login(user)
        clients.append(client)
    pages = [p for p in walk() if not p.key.startswith("api:") or p.key == "api:api-docs"]
    fetched, problems = 0, []
    for pattern in pages:
        route = ROUTES.get(pattern.key, Route())
        for side in ("X", "Y") if route.objects else ("X",):
            values, _ = route.objects(world, side) if route.objects else ({}, [])
            path = path_of(pattern, values)
            for client in clients:
                response = client.get(path + (f"?{route.query}" if route.query else ""))
                if "html" not in response.get("Content-Type", ""):
                    continue
                fetched += 1
                problems += [f"{path}: {found}" for found in inline_code(body_text(response))]
    for page in (
        "/admin/",
        "/admin/core/user/",
        f"/admin/core/user/{cast.lead_x.pk}/change/",
    ):
        admin = Client()
        cast.national.is_staff = cast.national.is_superuser = True
        cast.national.save()
        admin.force_login(cast.national)
        fetched += 1
        problems += [f"{page}: {found}" for found in inline_code(body_text(admin.get(page)))]
    assert fetched > 100
    assert not problems, "\n".join(problems)


def test_the_api_docs_load_nothing_from_another_site(client):
    html = client.get("/api/v1/docs/").content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and not [s for s in sources if re.match(r"(https?:)?//", s)]
    script = next(s for s in sources if "script" in s)
    answer = client.get(script.replace("&amp;", "&"))
    assert answer.status_code == 200 and "SwaggerUIBundle" in answer.content.decode()
    assert "javascript" in answer["Content-Type"]


def test_uploads_are_kept_in_the_database_never_on_disk(client, cast, tmp_path, settings):
    """No model has a file field, every accepted return fits in memory (Django never spools
    it to a temporary file), and an upload leaves nothing in MEDIA_ROOT."""
    file_fields = [
        f"{model.__name__}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    ]
    assert not file_fields
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE >= settings.RETURN_MAX_BYTES
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE >= settings.RETURN_MAX_BYTES
    settings.MEDIA_ROOT = tmp_path
    client.force_login(cast.uploader_a)
    from django.core.files.uploadedfile import SimpleUploadedFile

    answer = client.post(
        "/api/v1/returns/",
        {
            "organisation": "RJ1",
            "period": "2026-01",
            "file": SimpleUploadedFile("../../etc/passwd.csv", csv_file(), "text/csv"),
        },
    )
    assert answer.status_code == 201, answer.content
    # Only the name is kept (Django drops the path), and only as the return's label.
    assert answer.json()["original_filename"] == "passwd.csv"
    assert not list(tmp_path.iterdir())


def test_an_upload_over_the_limit_is_refused_before_it_is_read(client, cast, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.RETURN_MAX_BYTES = 200
    client.force_login(cast.uploader_a)
    answer = client.post(
        "/api/v1/returns/",
        {
            "organisation": "RJ1",
            "period": "2026-01",
            "file": SimpleUploadedFile("big.csv", csv_file() + b" " * 500, "text/csv"),
        },
    )
    assert answer.status_code == 400
    assert "200" in answer.json()["errors"][0]["message"] or "bytes" in str(answer.json())


def test_production_sends_secure_cookies_and_hsts():
    """In production (DJANGO_DEBUG=false) cookies are secure and HSTS is on; `check
    --deploy` passes there (test_settings)."""
    from tests.core.test_settings import run_django

    code = (
        "from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, "
        "s.MIDDLEWARE[1].rsplit('.', 1)[1])"
    )
    result = run_django(
        ["shell", "--verbosity", "0", "-c", code],
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="k" * 20 + "a-random-production-secret-of-some-length-0123456789",
    )
    assert result.stdout.split() == [
        "True",
        "True",
        "31536000",
        "True",
        "ContentSecurityPolicyMiddleware",
    ], result.stderr
