"""The words the access routes are written in: a route's entry, the path parameters that name
a side's object and its owner, the owner a create names, and a body each write succeeds with.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.unit.returns.files import zip_bytes

from .access_world import PROGRAMME, Owner, World
from .returns_data import csv_file

Objects = Callable[[World, str], tuple[dict[str, Any], list[Owner]]]
Body = Callable[[World, str], dict[str, Any]]


@dataclass
class Route:
    objects: Objects | None = None  # the path's parameters and the owners they name
    rights: dict[str, str] = field(default_factory=dict)  # method -> right (access_world.may)
    bodies: dict[str, Body] = field(default_factory=dict)  # method -> a body that succeeds
    # method -> a page form's data that reaches the view's own checks (not all fields)
    forms: dict[str, Body] = field(default_factory=dict)
    # For a create: the owner the body names, on which the right is checked.
    body_owner: Callable[[World, str], Owner] | None = None
    # Owners the body refers to that must be visible (else 404), e.g. a run's scenario.
    body_refers: Callable[[World, str], list[Owner]] | None = None
    multipart: bool = False
    query: str = ""
    # A page whose form offers only in-scope choices answers 400 to another, not 403.
    refused: tuple[int, ...] = (403,)
    row_organisation: str = "organisation"  # the field of a listed row naming its owner


def side_object(attribute: str, param: str = "pk", owner: str = "system") -> Objects:
    def objects(world: World, side: str):
        chosen = world.side(side)
        value = getattr(chosen, attribute)
        return {param: value.pk}, [getattr(chosen, owner)]

    return objects


def system_code(param: str = "code") -> Objects:
    return lambda w, s: ({param: w.side(s).ics.code}, [w.side(s).system])


def trust_code(param: str = "org_code") -> Objects:
    return lambda w, s: ({param: w.side(s).trust.code}, [w.side(s).organisation])


def token_of(param: str) -> Objects:
    def objects(world: World, side: str):
        chosen = world.side(side)
        return {param: chosen.token.token_key}, [Owner("user", user=chosen.token_owner)]

    return objects


def with_extra(objects: Objects, **extra: Any) -> Objects:
    def combined(world: World, side: str):
        params, owners = objects(world, side)
        return {**params, **extra}, owners

    return combined


def upload_body(w: World, s: str) -> dict[str, Any]:
    return {
        "organisation": w.side(s).trust.code,
        "period": "2026-02",
        "file": SimpleUploadedFile("return.csv", csv_file(), "text/csv"),
    }


def archive_body(w: World, s: str) -> dict[str, Any]:
    """A ZIP archive of one return of the side's trust, for the API and the page."""
    content = zip_bytes({f"{w.side(s).trust.code}_2026-02.csv": csv_file()})
    return {"file": SimpleUploadedFile("returns.zip", content, "application/zip")}


def page_upload_body(w: World, s: str) -> dict[str, Any]:
    return {
        "organisation": w.side(s).trust.code,
        "month": 2,
        "year": 2026,
        "file": SimpleUploadedFile("return.csv", csv_file(), "text/csv"),
    }


def programme_body(w: World, s: str) -> dict[str, Any]:
    return {
        "code": "TEST-PROG",
        "name": "A test programme",
        "route": "degree",
        "staff_group": "NUR",
        "course_years": 3,
        "attrition": "0.1",
        "graduate_fte": "1",
        "placement_weeks_per_year": "20",
    }


def target_body(w: World, s: str) -> dict[str, Any]:
    return {"ics": w.side(s).ics.code, "staff_group": "MID", "year": 2030, "target_fte": 10}


def intake_body(w: World, s: str) -> dict[str, Any]:
    return {
        "ics": w.side(s).ics.code,
        "programme": PROGRAMME,
        "academic_year": 2028,
        "planned_places": 50,
    }


def placement_body(w: World, s: str) -> dict[str, Any]:
    return {
        "organisation": w.side(s).trust.code,
        "programme": PROGRAMME,
        "academic_year": 2028,
        "places": 5,
    }


def educator_body(w: World, s: str) -> dict[str, Any]:
    return {
        "organisation": w.side(s).trust.code,
        "academic_year": 2028,
        "educator_fte": 3,
        "students_per_educator": 4,
    }


def apprenticeship_body(w: World, s: str) -> dict[str, Any]:
    return {
        "organisation": w.side(s).trust.code,
        "standard": "Nursing associate",
        "academic_year": 2028,
        "starts": 3,
    }


def owning_system(w: World, s: str) -> Owner:
    return w.side(s).system


def owning_trust(w: World, s: str) -> Owner:
    return w.side(s).organisation


def backtest_objects(w: World, s: str) -> tuple[dict[str, Any], list[Owner]]:
    """A queued backtest of the side's scenario, made when first asked for."""
    from workforce.models import Backtest

    side = w.side(s)
    backtest, _ = Backtest.objects.get_or_create(
        scenario=side.scenario,
        ics=side.ics,
        defaults={"first_baseline": "2019-09-01", "last_baseline": "2020-09-01", "horizon": 1},
    )
    return {"pk": backtest.pk}, [side.system]
