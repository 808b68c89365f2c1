"""Every URL pattern the project resolves x every method it allows x every kind of user.

The patterns come from the URL resolver, so a new endpoint is walked without anyone
remembering; `access_routes` says which object each path parameter names and who may write
(the test fails, naming the pattern, when a new one needs saying). For each request:

- nothing answers 500;
- anonymous: 401 from the API, a redirect to the login page from the pages (public ones
  excepted);
- a path naming an object outside the user's scope: 404, whatever the method;
- a write the user may not make, to an object they can see (or creating one for another
  system or organisation): 403;
- a write the user may make, with a good body: it succeeds;
- a list holds only rows of systems and organisations in scope, and no answer holds the
  names of another scope's objects (the world's markers).

Each request runs in a savepoint that is rolled back, so every one sees the same world.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

from .access_route_parts import Route
from .access_routes import PUBLIC_ROUTES, READ_RIGHTS, ROUTES
from .access_world import World, build_world, may, visible

pytestmark = pytest.mark.django_db

# Patterns the matrix does not walk, and why.
EXCLUDED = {
    "admin/": "Django's admin: staff accounts only, which Django checks itself (is_staff); "
    "test_the_admin_is_for_staff_only sends every cast user to its login",
    "format suffix": "DRF's `.json` twins of the API's routes: the same views as without it",
}
WRITES = ("POST", "PUT", "PATCH", "DELETE")
SIGN_IN = "/accounts/login/"


@dataclass
class Pattern:
    key: str  # "api:<name>" or "page:<name>"
    route: str  # the full pattern, prefixes joined
    params: list[str]
    methods: list[str]


def _regex_parts(pattern) -> tuple[str, list[str]]:
    if isinstance(pattern, RoutePattern):
        return str(pattern), list(pattern.converters)
    return str(pattern), list(pattern.regex.groupindex)


def _methods(callback) -> list[str]:
    actions = getattr(callback, "actions", None)
    if actions:  # a DRF viewset's route: exactly its actions
        return sorted(m.upper() for m in actions)
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        allowed = [m.upper() for m in view_class.http_method_names if hasattr(view_class, m)]
        return [m for m in ("GET", "POST", "PUT", "PATCH", "DELETE") if m in allowed]
    return ["GET", "POST"]  # a function view: a page, read or form


def walk(patterns=None, prefix: str = "", params: tuple[str, ...] = ()) -> list[Pattern]:
    found = []
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route, names = _regex_parts(entry.pattern)
        if isinstance(entry, URLResolver):
            found += walk(entry.url_patterns, prefix + route, params + tuple(names))
            continue
        assert isinstance(entry, URLPattern)
        full = prefix + route
        if full.startswith("admin/") or "format" in names:
            continue  # EXCLUDED
        kind = "api" if full.startswith("api/") else "page"
        found.append(
            Pattern(f"{kind}:{entry.name}", full, [*params, *names], _methods(entry.callback))
        )
    return found


def path_of(pattern: Pattern, values: dict[str, Any]) -> str:
    route = pattern.route
    for name in pattern.params:
        value = str(values[name])
        route = re.sub(rf"\(\?P<{name}>[^)]*\)", value, route)
        route = re.sub(rf"<(?:[^>:]+:)?{name}>", value, route)
    return "/" + route.replace("^", "").replace("$", "")


def body_text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", "replace")


@dataclass
class Request:
    pattern: Pattern
    route: Route
    method: str
    side: str
    user: Any  # User or None


class Matrix:
    def __init__(self, world: World):
        self.world = world
        cast = world.cast
        self.users = [
            None,
            cast.uploader_a,
            cast.uploader_b,
            cast.lead_x,
            cast.lead_y,
            cast.analyst_x,
            cast.national,
        ]
        self.clients = {}
        for user in self.users:
            client = Client()
            if user is not None:
                client.force_login(user)
            self.clients[None if user is None else user.pk] = client
        self.problems: list[str] = []
        self.requests = 0

    def fail(self, request: Request, path: str, message: str) -> None:
        who = request.user.username if request.user else "anonymous"
        self.problems.append(f"{request.method} {path} as {who}: {message}")

    def send(self, request: Request, path: str, body: dict | None):
        client = self.clients[None if request.user is None else request.user.pk]
        query = f"?{request.route.query}" if request.route.query and request.method == "GET" else ""
        with transaction.atomic():
            if request.method == "GET":
                response = client.get(path + query)
            elif request.route.multipart and body is not None:
                response = client.post(path, body)
            elif request.pattern.key.startswith("api:"):
                response = client.generic(
                    request.method, path, json.dumps(body or {}), "application/json"
                )
            elif body is not None:
                response = client.post(path, body)  # a page's form
            else:
                response = client.generic(
                    request.method, path, "", "application/x-www-form-urlencoded"
                )
            text = body_text(response)
            transaction.set_rollback(True)
        if request.user is not None and request.pattern.key == "page:logout":
            client.force_login(request.user)
        self.requests += 1
        return response, text

    def check(self, request: Request) -> None:
        pattern, route, method, user, side = (
            request.pattern,
            request.route,
            request.method,
            request.user,
            request.side,
        )
        world = self.world
        values, owners = route.objects(world, side) if route.objects else ({}, [])
        path = path_of(pattern, values)
        body = route.bodies[method](world, side) if method in route.bodies else None
        form = route.forms[method](world, side) if method in route.forms else body
        response, text = self.send(request, path, form)
        status = response.status_code
        if status >= 500:
            return self.fail(request, path, f"{status}: {text[:300]}")
        if status == 405:
            if pattern.key.startswith("api:"):
                self.fail(request, path, "405 for a method the route declares")
            return None
        self.check_markers(request, path, text)
        if user is None:
            return self.check_anonymous(request, path, response)
        if not all(visible(user, owner) for owner in owners):
            if status != 404:
                self.fail(request, path, f"{status}, not 404, for an object outside the scope")
            return None
        if method in WRITES:
            return self.check_write(request, path, body, status, text)
        if pattern.key in READ_RIGHTS:
            allowed = may(user, READ_RIGHTS[pattern.key], owners[0] if owners else _public())
            if status != (200 if allowed else 403):
                self.fail(
                    request, path, f"{status} to a read it {'may' if allowed else 'may not'} make"
                )
        if status == 404 and owners and pattern.key.startswith("api:"):
            self.fail(request, path, "404 for an object in scope")
        if status == 200 and pattern.key.startswith("api:"):
            self.check_rows(request, path, text)
        return None

    def check_anonymous(self, request: Request, path: str, response) -> None:
        if request.pattern.key in PUBLIC_ROUTES:
            return
        status = response.status_code
        if request.pattern.key.startswith("api:"):
            if status != 401:
                self.fail(request, path, f"{status}, not 401")
        elif status != 302 or not response["Location"].startswith(SIGN_IN):
            self.fail(request, path, f"{status}, not a redirect to the login page")

    def check_write(self, request: Request, path: str, body, status: int, text: str) -> None:
        route, world, side, user = request.route, self.world, request.side, request.user
        right = route.rights.get(request.method)
        if right is None:
            if request.pattern.key.startswith("api:"):
                self.fail(request, path, "access_routes.ROUTES names no right for this write")
            return  # a page that reads whatever the method (a POST is answered as a GET)
        if route.body_refers and not all(visible(user, o) for o in route.body_refers(world, side)):
            if status != 404:
                self.fail(request, path, f"{status}, not 404, for a body naming another's object")
            return
        _, owners = route.objects(world, side) if route.objects else ({}, [])
        owner = route.body_owner(world, side) if route.body_owner else (owners or [_public()])[0]
        if may(user, right, owner):
            if body is not None and status >= 400:
                self.fail(request, path, f"{status} to a permitted write: {text[:300]}")
            elif status in (403, 404):
                self.fail(request, path, f"{status} to a permitted write")
        elif status not in route.refused:
            self.fail(
                request, path, f"{status}, not {route.refused}, to a write outside its rights"
            )

    def check_markers(self, request: Request, path: str, text: str) -> None:
        for marker, owner in self.world.markers.items():
            if marker in text and not visible(request.user, owner):
                self.fail(request, path, f"shows {marker!r}, outside the user's scope")

    def check_rows(self, request: Request, path: str, text: str) -> None:
        try:
            data = json.loads(text)
        except ValueError:
            return
        rows = data.get("results") if isinstance(data, dict) else None
        if not isinstance(rows, list):
            return
        user = request.user
        for row in rows:
            if not isinstance(row, dict):
                continue
            # A row belongs to its organisation where it names one (its `ics` then says
            # where the organisation was), else to its system.
            organisation = row.get(request.route.row_organisation)
            ics = row.get("ics")
            if isinstance(organisation, str):
                if not _reads_organisation(user, organisation):
                    self.fail(request, path, f"lists a row of organisation {organisation}")
            elif isinstance(ics, str) and not _reads_system(user, ics):
                self.fail(request, path, f"lists a row of system {ics}")


def _public():
    from .access_world import PUBLIC

    return PUBLIC


def _reads_system(user, code: str) -> bool:
    from core.models import ICS

    from .access_world import Owner

    return visible(user, Owner("ics", ics=ICS.objects.get(code=code)))


def _reads_organisation(user, code: str) -> bool:
    from core.models import Organisation

    from .access_world import Owner

    return visible(user, Owner("org", org=Organisation.objects.get(code=code)))


def test_every_pattern_is_known_to_the_matrix():
    """A pattern with path parameters needs an entry saying what they name."""
    unknown = [p.key for p in walk() if p.params and p.key not in ROUTES]
    assert not unknown, f"add these to tests/workforce/access_routes.py: {unknown}"


def test_every_route_holds_every_scope(cast):
    world = build_world(cast)
    matrix = Matrix(world)
    for pattern in walk():
        route = ROUTES.get(pattern.key, Route())
        sides = ("X", "Y") if route.objects or route.body_owner else ("X",)
        for method in pattern.methods:
            for side in sides:
                for user in matrix.users:
                    matrix.check(Request(pattern, route, method, side, user))
    assert matrix.requests > 1000
    assert not matrix.problems, f"{len(matrix.problems)} problems:\n" + "\n".join(matrix.problems)


def test_the_admin_is_for_staff_only(cast):
    for user in (cast.uploader_a, cast.lead_x, cast.analyst_x, cast.national):
        client = Client()
        client.force_login(user)
        response = client.get("/admin/")
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
