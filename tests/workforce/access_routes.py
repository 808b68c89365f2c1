"""What the access matrix needs to know of each URL pattern that its shape does not say:
which object each path parameter names, who may write, and a body a permitted user's write
succeeds with. The matrix fails, naming the pattern, when a new pattern needs an entry here.

Keys are "api:<name>" or "page:<name>" (the API and the pages share a few names).
"""

from __future__ import annotations

from core.models import Region

from .access_route_parts import (
    Route,
    apprenticeship_body,
    archive_body,
    backtest_objects,
    educator_body,
    intake_body,
    owning_system,
    owning_trust,
    page_upload_body,
    placement_body,
    programme_body,
    side_object,
    system_code,
    target_body,
    token_of,
    trust_code,
    upload_body,
    with_extra,
)
from .access_world import PROGRAMME, PUBLIC, Owner

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
        body_owner=owning_system,
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
        bodies={"POST": upload_body},
        body_owner=owning_trust,
        multipart=True,
    ),
    "api:return-archive": Route(
        rights={"POST": "submit"},
        bodies={"POST": archive_body},
        body_owner=owning_trust,
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
        body_owner=owning_system,
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
    "api:backtest-detail": Route(backtest_objects),
    "api:backtest-calibrate": Route(backtest_objects, rights={"POST": "run"}),
    "api:backtest-apply-spreads": Route(backtest_objects, rights={"POST": "plan"}),
    "api:run-results": Route(side_object("run")),
    "api:run-what-it-takes": Route(side_object("run"), query="staff_group=NUR&year=2028"),
    "api:run-spend-asks": Route(side_object("run")),
    "api:run-cheapest-plan": Route(side_object("run"), query="staff_group=NUR&year=2028"),
    # No format: a 400 that checks scope without drawing the pack.
    "api:run-board-pack": Route(side_object("run")),
    "api:run-levy": Route(side_object("run")),
    # Plans.
    "api:target-list": Route(
        rights={"POST": "plan"}, bodies={"POST": target_body}, body_owner=owning_system
    ),
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
        body_owner=owning_system,
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
        rights={"POST": "catalogue"},
        bodies={"POST": programme_body},
        body_owner=lambda w, s: PUBLIC,
    ),
    "api:programme-detail": Route(
        lambda w, s: ({"pk": w.x.intake.programme_id}, [PUBLIC]),
        rights=dict.fromkeys(EDIT, "catalogue"),
        bodies={"PUT": programme_body, "PATCH": lambda w, s: {"name": "Renamed"}},
    ),
    "api:intake-list": Route(
        rights={"POST": "plan"}, bodies={"POST": intake_body}, body_owner=owning_system
    ),
    "api:intake-detail": Route(
        side_object("intake"),
        rights=dict.fromkeys(EDIT, "plan"),
        bodies={"PUT": intake_body, "PATCH": lambda w, s: {"planned_places": 51}},
    ),
    "api:placement-list": Route(
        rights={"POST": "submit"}, bodies={"POST": placement_body}, body_owner=owning_trust
    ),
    "api:placement-detail": Route(
        side_object("placement", owner="organisation"),
        rights=dict.fromkeys(EDIT, "submit"),
        bodies={"PUT": placement_body, "PATCH": lambda w, s: {"places": 6}},
    ),
    "api:educator-list": Route(
        rights={"POST": "submit"}, bodies={"POST": educator_body}, body_owner=owning_trust
    ),
    "api:educator-detail": Route(
        side_object("educator", owner="organisation"),
        rights=dict.fromkeys(EDIT, "submit"),
        bodies={"PUT": educator_body, "PATCH": lambda w, s: {"educator_fte": 4}},
    ),
    "api:apprenticeship-list": Route(
        rights={"POST": "submit"}, bodies={"POST": apprenticeship_body}, body_owner=owning_trust
    ),
    "api:apprenticeship-detail": Route(
        side_object("apprenticeship", owner="organisation"),
        rights=dict.fromkeys(EDIT, "submit"),
        bodies={"PUT": apprenticeship_body, "PATCH": lambda w, s: {"starts": 4}},
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
        bodies={"POST": page_upload_body},
        body_owner=owning_trust,
        multipart=True,
        refused=(400, 403),
    ),
    "page:return-upload-archive": Route(
        rights={"POST": "submit"},
        bodies={"POST": archive_body},
        body_owner=owning_trust,
        multipart=True,
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
    "page:backtest-detail": Route(backtest_objects),
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
        body_owner=owning_system,
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
