"""What the access matrix needs to know of each URL pattern that its shape does not say:
which object each path parameter names, who may write, and a body a permitted user's write
succeeds with. The matrix fails, naming the pattern, when a new pattern needs an entry here.

Keys are "api:<name>" or "page:<name>" (the API and the pages share a few names).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import Region

from .access_world import PROGRAMME, PUBLIC, Owner, World
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


def _upload(w: World, s: str) -> dict[str, Any]:
    return {
        "organisation": w.side(s).trust.code,
        "period": "2026-02",
        "file": SimpleUploadedFile("return.csv", csv_file(), "text/csv"),
    }


def _page_upload(w: World, s: str) -> dict[str, Any]:
    return {
        "organisation": w.side(s).trust.code,
        "month": 2,
        "year": 2026,
        "file": SimpleUploadedFile("return.csv", csv_file(), "text/csv"),
    }


def _programme(w: World, s: str) -> dict[str, Any]:
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


def _target(w: World, s: str) -> dict[str, Any]:
    return {"ics": w.side(s).ics.code, "staff_group": "MID", "year": 2030, "target_fte": 10}


def _intake(w: World, s: str) -> dict[str, Any]:
    return {
        "ics": w.side(s).ics.code,
        "programme": PROGRAMME,
        "academic_year": 2028,
        "planned_places": 50,
    }


def _placement(w: World, s: str) -> dict[str, Any]:
    return {
        "organisation": w.side(s).trust.code,
        "programme": PROGRAMME,
        "academic_year": 2028,
        "places": 5,
    }


def _educator(w: World, s: str) -> dict[str, Any]:
    return {
        "organisation": w.side(s).trust.code,
        "academic_year": 2028,
        "educator_fte": 3,
        "students_per_educator": 4,
    }


def _apprenticeship(w: World, s: str) -> dict[str, Any]:
    return {
        "organisation": w.side(s).trust.code,
        "standard": "Nursing associate",
        "academic_year": 2028,
        "starts": 3,
    }


def _system(w: World, s: str) -> Owner:
    return w.side(s).system


def _trust(w: World, s: str) -> Owner:
    return w.side(s).organisation


def _backtest(w: World, s: str) -> tuple[dict[str, Any], list[Owner]]:
    """A queued backtest of the side's scenario, made when first asked for."""
    from workforce.models import Backtest

    side = w.side(s)
    backtest, _ = Backtest.objects.get_or_create(
        scenario=side.scenario,
        ics=side.ics,
        defaults={"first_baseline": "2019-09-01", "last_baseline": "2020-09-01", "horizon": 1},
    )
    return {"pk": backtest.pk}, [side.system]


EDIT = ("PUT", "PATCH")
ROUTES: dict[str, Route] = {
    # The API: reference data.
    "api:region-detail": Route(lambda w, s: ({"code": Region.objects.first().code}, [PUBLIC])),
    "api:system-detail": Route(lambda w, s: ({"code": w.side(s).ics.code}, [PUBLIC])),
    "api:system-peers": Route(system_code()),
    # A system's months: read with the system; signed off by its lead (or nationally).
    "api:system-months": Route(system_code()),
    "api:system-month-sign-off": Route(
        with_extra(system_code(), month="2026-02"),
        rights={"POST": "plan"},
        bodies={"POST": lambda w, s: {}},
    ),
    "api:organisation-list": Route(
        row_organisation="code",
        rights={"POST": "plan"},
        bodies={
            "POST": lambda w, s: {
                "code": f"T-{s}",
                "name": "A test care home",
                "kind": "social_care",
                "ics": w.side(s).ics.code,
            }
        },
        body_owner=_system,
    ),
    "api:organisation-detail": Route(trust_code("code")),
    # Shares: read with the organisation; recorded by the host system's planners.
    "api:organisation-shares": Route(
        lambda w, s: (
            {"code": w.side(s).trust.code},
            [Owner("org", org=w.side(s).trust, ics=w.side(s).ics)],
        ),
        rights={"POST": "plan"},
        bodies={
            "POST": lambda w, s: {
                "valid_from": "2026-04-01",
                "shares": [
                    {"ics": w.side(s).ics.code, "share": "0.75"},
                    {"ics": w.side("Y" if s == "X" else "X").ics.code, "share": "0.25"},
                ],
            }
        },
    ),
    "api:staff-group-detail": Route(lambda w, s: ({"code": "NUR"}, [PUBLIC])),
    # Returns and runs.
    "api:return-list": Route(
        rights={"POST": "submit"},
        bodies={"POST": _upload},
        body_owner=_trust,
        multipart=True,
    ),
    "api:return-detail": Route(side_object("staffing_return", owner="organisation")),
    "api:return-file": Route(side_object("staffing_return", owner="organisation")),
    # A return's review: confirmed by its organisation, accepted by its system's lead.
    "api:return-confirm": Route(
        side_object("staffing_return", owner="organisation"), rights={"POST": "confirm"}
    ),
    "api:return-accept": Route(
        side_object("staffing_return", owner="organisation"), rights={"POST": "accept"}
    ),
    "page:return-confirm": Route(
        side_object("staffing_return", owner="organisation"), rights={"POST": "confirm"}
    ),
    "page:return-accept": Route(
        side_object("staffing_return", owner="organisation"), rights={"POST": "accept"}
    ),
    "page:return-comments": Route(
        side_object("staffing_return", owner="organisation"),
        rights={"POST": "comment"},
        bodies={"POST": lambda w, s: {"comment": "Why did nurses rise?"}},
    ),
    "api:return-comments": Route(
        side_object("staffing_return", owner="organisation"),
        rights={"POST": "comment"},
        bodies={"POST": lambda w, s: {"text": "Why did nurses rise?"}},
    ),
    "api:run-list": Route(
        rights={"POST": "run"},
        bodies={
            "POST": lambda w, s: {
                "scenario": w.national_scenario.pk,
                "ics": w.side(s).ics.code,
                "baseline_period": "2026-02",
            }
        },
        body_owner=_system,
        body_refers=lambda w, s: [Owner("national")],
    ),
    "api:run-detail": Route(side_object("run")),
    "api:backtest-list": Route(
        rights={"POST": "run"},
        bodies={
            "POST": lambda w, s: {
                "scenario": w.national_scenario.pk,
                "ics": None,
                "first_baseline": "2012-09",
                "last_baseline": "2012-09",
                "horizon": 1,
            }
        },
        body_owner=lambda w, s: Owner("national-only"),
        body_refers=lambda w, s: [Owner("national")],
    ),
    "api:backtest-detail": Route(_backtest),
    "api:backtest-calibrate": Route(_backtest, rights={"POST": "run"}),
    "api:backtest-apply-spreads": Route(_backtest, rights={"POST": "plan"}),
    "api:run-results": Route(side_object("run")),
    "api:run-what-it-takes": Route(side_object("run"), query="staff_group=NUR&year=2028"),
    "api:run-spend-asks": Route(side_object("run")),
    "api:run-cheapest-plan": Route(side_object("run"), query="staff_group=NUR&year=2028"),
    # No format: a 400 that checks scope without drawing the pack.
    "api:run-board-pack": Route(side_object("run")),
    "api:run-levy": Route(side_object("run")),
    # Plans.
    "api:target-list": Route(rights={"POST": "plan"}, bodies={"POST": _target}, body_owner=_system),
    "api:target-detail": Route(
        side_object("target"),
        rights={"PUT": "plan", "PATCH": "plan", "DELETE": "plan"},
        bodies={
            "PUT": lambda w, s: {"staff_group": "NUR", "year": 2028, "target_fte": 99},
            "PATCH": lambda w, s: {"target_fte": 99},
            "DELETE": lambda w, s: {},
        },
    ),
    "api:scenario-list": Route(
        rights={"POST": "plan"},
        bodies={"POST": lambda w, s: {"name": "A new scenario", "ics": w.side(s).ics.code}},
        body_owner=_system,
    ),
    "api:scenario-detail": Route(
        side_object("draft_scenario"),
        rights=dict.fromkeys(EDIT, "plan"),
        bodies={
            "PUT": lambda w, s: {
                "name": w.side(s).draft_scenario.name,
                "ics": w.side(s).ics.code,
            },
            "PATCH": lambda w, s: {"description": "Changed"},
        },
    ),
    "api:scenario-archive": Route(
        side_object("scenario"), rights={"POST": "plan"}, bodies={"POST": lambda w, s: {}}
    ),
    "api:scenario-unarchive": Route(
        side_object("scenario"), rights={"POST": "plan"}, bodies={"POST": lambda w, s: {}}
    ),
    "api:scenario-central": Route(
        side_object("scenario"), rights={"POST": "plan"}, bodies={"POST": lambda w, s: {}}
    ),
    "api:scenario-copy": Route(
        side_object("scenario"),
        rights={"POST": "copy"},
        bodies={"POST": lambda w, s: {"name": "A copy", "ics": w.side(s).ics.code}},
    ),
    # Education.
    "api:programme-list": Route(
        rights={"POST": "catalogue"}, bodies={"POST": _programme}, body_owner=lambda w, s: PUBLIC
    ),
    "api:programme-detail": Route(
        lambda w, s: ({"pk": w.x.intake.programme_id}, [PUBLIC]),
        rights=dict.fromkeys(EDIT, "catalogue"),
        bodies={"PUT": _programme, "PATCH": lambda w, s: {"name": "Renamed"}},
    ),
    "api:intake-list": Route(rights={"POST": "plan"}, bodies={"POST": _intake}, body_owner=_system),
    "api:intake-detail": Route(
        side_object("intake"),
        rights=dict.fromkeys(EDIT, "plan"),
        bodies={"PUT": _intake, "PATCH": lambda w, s: {"planned_places": 51}},
    ),
    "api:placement-list": Route(
        rights={"POST": "submit"}, bodies={"POST": _placement}, body_owner=_trust
    ),
    "api:placement-detail": Route(
        side_object("placement", owner="organisation"),
        rights=dict.fromkeys(EDIT, "submit"),
        bodies={"PUT": _placement, "PATCH": lambda w, s: {"places": 6}},
    ),
    "api:educator-list": Route(
        rights={"POST": "submit"}, bodies={"POST": _educator}, body_owner=_trust
    ),
    "api:educator-detail": Route(
        side_object("educator", owner="organisation"),
        rights=dict.fromkeys(EDIT, "submit"),
        bodies={"PUT": _educator, "PATCH": lambda w, s: {"educator_fte": 4}},
    ),
    "api:apprenticeship-list": Route(
        rights={"POST": "submit"}, bodies={"POST": _apprenticeship}, body_owner=_trust
    ),
    "api:apprenticeship-detail": Route(
        side_object("apprenticeship", owner="organisation"),
        rights=dict.fromkeys(EDIT, "submit"),
        bodies={"PUT": _apprenticeship, "PATCH": lambda w, s: {"starts": 4}},
    ),
    # Tokens: a user's own.
    "api:api-token": Route(rights={"POST": "self"}),
    "api:api-tokens-list": Route(rights={"POST": "self"}, bodies={"POST": lambda w, s: {}}),
    "api:api-tokens-detail": Route(
        token_of("id"), rights={"DELETE": "self"}, bodies={"DELETE": lambda w, s: {}}
    ),
    # Pages.
    "page:return-upload": Route(
        rights={"POST": "submit"},
        bodies={"POST": _page_upload},
        body_owner=_trust,
        multipart=True,
        refused=(400, 403),
    ),
    "page:return-detail": Route(side_object("staffing_return", owner="organisation")),
    "page:return-file": Route(side_object("staffing_return", owner="organisation")),
    "page:scenario-detail": Route(side_object("scenario")),
    "page:scenario-copy": Route(side_object("scenario"), rights={"POST": "copy"}),
    "page:scenario-edit": Route(side_object("draft_scenario"), rights={"POST": "plan"}),
    "page:scenario-archive": Route(side_object("scenario"), rights={"POST": "plan"}),
    "page:scenario-unarchive": Route(side_object("scenario"), rights={"POST": "plan"}),
    "page:scenario-central": Route(side_object("scenario"), rights={"POST": "plan"}),
    "page:targets": Route(system_code()),
    "page:target-add": Route(system_code(), rights={"POST": "plan"}),
    "page:target-edit": Route(
        lambda w, s: (
            {"code": w.side(s).ics.code, "pk": w.side(s).target.pk},
            [w.side(s).system],
        ),
        rights={"POST": "plan"},
    ),
    "page:target-delete": Route(
        lambda w, s: (
            {"code": w.side(s).ics.code, "pk": w.side(s).target.pk},
            [w.side(s).system],
        ),
        rights={"POST": "plan"},
    ),
    "page:targets-import": Route(system_code(), rights={"POST": "plan"}),
    "page:targets-export": Route(system_code()),
    "page:education-plan": Route(system_code("ics_code")),
    "page:education-intake-edit": Route(
        with_extra(system_code("ics_code"), programme_code=PROGRAMME), rights={"POST": "plan"}
    ),
    "page:education-capacity": Route(trust_code()),
    "page:education-placement-edit": Route(
        trust_code(),
        rights={"POST": "submit"},
        forms={"POST": lambda w, s: {"programme": PROGRAMME}},
        query=f"programme={PROGRAMME}",
    ),
    "page:education-educator-edit": Route(trust_code(), rights={"POST": "submit"}),
    "page:return-tracker-sign-off": Route(
        with_extra(system_code(), month="2026-02"), rights={"POST": "plan"}
    ),
    "page:system-dashboard": Route(system_code()),
    "page:system-peers-card": Route(system_code()),
    "page:what-it-takes": Route(system_code()),
    "page:cheapest-plan": Route(system_code()),
    "page:system-dashboard-data": Route(with_extra(system_code(), chart="trend-staff", fmt="csv")),
    "page:backtest-detail": Route(_backtest),
    "page:scenario-backtest-start": Route(
        lambda w, s: ({"pk": w.side(s).scenario.pk}, [w.side(s).system]), rights={"POST": "run"}
    ),
    "page:system-run-start": Route(
        system_code(),
        rights={"POST": "run"},
        bodies={
            "POST": lambda w, s: {"scenario": w.side(s).scenario.pk, "baseline_period": "2026-02"}
        },
    ),
    "page:system-run-progress": Route(
        lambda w, s: ({"code": w.side(s).ics.code, "pk": w.side(s).run.pk}, [w.side(s).system])
    ),
    "page:system-run-built-on": Route(
        lambda w, s: ({"code": w.side(s).ics.code, "pk": w.side(s).run.pk}, [w.side(s).system])
    ),
    "page:system-run-levy": Route(
        lambda w, s: ({"code": w.side(s).ics.code, "pk": w.side(s).run.pk}, [w.side(s).system])
    ),
    "page:scenario-compare": Route(system_code()),
    # Every compared scenario run on one baseline: a run of the system.
    "page:scenario-compare-runs": Route(
        system_code(),
        rights={"POST": "run"},
        bodies={
            "POST": lambda w, s: {
                "scenarios": f"{w.side(s).scenario.pk},{w.side(s).draft_scenario.pk}",
                "baseline_period": "2026-02",
            }
        },
    ),
    "page:scenario-compare-data": Route(with_extra(system_code(), chart="compare-gap", fmt="csv")),
    "page:national-run-start": Route(
        rights={"POST": "run"},
        bodies={
            "POST": lambda w, s: {"scenario": w.national_scenario.pk, "baseline_period": "2026-02"}
        },
        body_owner=lambda w, s: Owner("national-only"),
    ),
    "page:national-run-progress": Route(
        lambda w, s: ({"pk": w.national_run.pk}, [Owner("national-only")])
    ),
    "page:national-data": Route(lambda w, s: ({"chart": "national-gap", "fmt": "csv"}, [])),
    "page:organisations": Route(
        rights={"POST": "plan"},
        forms={"POST": lambda w, s: {"ics": w.side(s).ics.code, "kind": "social_care"}},
        body_owner=_system,
        refused=(403,),
    ),
    "page:api-tokens": Route(rights={"POST": "self"}),
    "page:api-token-revoke": Route(token_of("token_id"), rights={"POST": "self"}),
    "page:password_reset_confirm": Route(
        lambda w, s: ({"uidb64": "MQ", "token": "set-password"}, [PUBLIC])
    ),
    "page:password_change": Route(rights={"POST": "self"}),
}

# Open to anyone, signed in or not.
PUBLIC_ROUTES = {
    "api:api-token",
    "api:api-schema",
    "api:api-docs",
    "page:login",
    "page:logout",
    "page:password_reset",
    "page:password_reset_done",
    "page:password_reset_confirm",
    "page:password_reset_complete",
    "page:healthz",
}

# Reads that only some roles may make: GET answers 403 to the others.
READ_RIGHTS = {"api:audit-entry-list": "audit", "page:audit-trail": "audit"}
