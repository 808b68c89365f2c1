"""Every run states what it was built on: per organisation, the month used, months carried
forward, figures filled from published data, returns under review left out."""

from __future__ import annotations

import pytest
from django.utils.html import escape

from core.models import Organisation
from core.selectors.reference import scope_members
from workforce.models import ProjectionRun, StaffingReturn
from workforce.projection.completeness import summary
from workforce.projection.inputs import prepare_run
from workforce.selectors.baseline import planned_members_for

from .projection_data import publish, scenario
from .returns_data import month, store_return

pytestmark = pytest.mark.django_db

WARNING = [{"rule": "fte_move", "staff_group": "NUR", "message": "Nurses: FTE moved."}]
OCTOBER, SEPTEMBER = month(2026, 10), month(2026, 9)


@pytest.fixture
def built(cast):
    """A October on time; B September, its October under review; C published figures only;
    D October v2 under review with v1 used."""
    members = Organisation.objects.filter(
        pk__in=scope_members(ics=cast.ics_x, on=OCTOBER), kind="nhs_trust"
    ).order_by("code")
    c, d = [m for m in members if m.pk not in (cast.trust_a.pk, cast.trust_b.pk)][:2]
    store_return(cast.trust_a, OCTOBER)
    store_return(cast.trust_b, SEPTEMBER)
    left_out = store_return(cast.trust_b, OCTOBER, warnings=WARNING)
    publish(c, {"NUR": 500}, SEPTEMBER)
    store_return(d, OCTOBER, version=1, status=StaffingReturn.Status.SUPERSEDED)
    store_return(d, OCTOBER, version=2, warnings=WARNING)
    return {"c": c, "d": d, "left_out": left_out}


def by_code(built_on: dict) -> dict:
    return {row["organisation"]: row for row in built_on["organisations"]}


def test_the_run_says_what_it_was_built_on(cast, built):
    prepared = prepare_run(scenario=scenario(cast.ics_x), ics=cast.ics_x, baseline_period=OCTOBER)
    built_on = prepared.completeness
    members = planned_members_for(ics=cast.ics_x, period=OCTOBER)
    counts = built_on["counts"]
    assert built_on["baseline_month"] == "2026-10"
    assert counts["organisations"] == len(members) == len(built_on["organisations"])
    assert counts["baseline_month_returns"] == 2  # A, and D from its first version
    assert counts["carried_forward"] == 1 and built_on["carried_forward_from"] == {"2026-09": 1}
    assert counts["published"] == 1 and counts["under_review_left_out"] == 2
    assert counts["no_figures"] == len(members) - 4
    rows = by_code(built_on)
    assert rows["RJ1"] == {
        "organisation": "RJ1",
        "source": "return",
        "month": "2026-10",
        "months_carried_forward": 0,
        "under_review": [],
    }
    assert rows["RJ2"]["month"] == "2026-09" and rows["RJ2"]["months_carried_forward"] == 1
    assert rows["RJ2"]["under_review"] == [
        {
            "return_id": built["left_out"].pk,
            "month": "2026-10",
            "version": 1,
            "earlier_version_used": False,
        }
    ]
    assert rows[built["c"].code]["source"] == "published"
    assert rows[built["c"].code]["month"] == "2026-09"
    d = rows[built["d"].code]
    assert d["month"] == "2026-10" and d["under_review"][0]["earlier_version_used"] is True
    line = summary(built_on)
    assert line.startswith(f"built on 2 of {len(members)} organisations' October 2026 returns")
    assert "1 carried forward from September 2026" in line
    assert "1 filled from published figures" in line and "2 under review left out" in line


def test_the_run_stores_it_and_the_api_gives_it(
    cast, built, api, django_capture_on_commit_callbacks
):
    plan = scenario(cast.ics_x)
    with django_capture_on_commit_callbacks(execute=True):
        response = api(cast.lead_x).post(
            "/api/v1/runs/",
            {"scenario": plan.pk, "ics": "QKK", "baseline_period": "2026-10"},
            format="json",
        )
    run = ProjectionRun.objects.get(pk=response.json()["id"])
    assert run.status == "succeeded", run.error
    assert run.completeness["counts"]["carried_forward"] == 1
    body = api(cast.analyst_x).get(f"/api/v1/runs/{run.pk}/").json()
    completeness = body["completeness"]
    assert completeness["counts"] == run.completeness["counts"]
    assert completeness["summary"] == summary(run.completeness)
    assert by_code(completeness)["RJ2"]["under_review"][0]["return_id"] == built["left_out"].pk
    # The list of runs stays short: counts and lists are the run's own page.
    listed = api(cast.analyst_x).get("/api/v1/runs/").json()["results"]
    assert "completeness" not in listed[0]


def test_a_run_reusing_results_still_says_what_it_was_built_on(
    cast, built, django_capture_on_commit_callbacks
):
    """Each run keeps its own account: after B's October return is accepted, the next run
    uses it and says so."""
    from workforce.services.runs import projection_run_execute

    plan = scenario(cast.ics_x)
    first = ProjectionRun.objects.create(scenario=plan, ics=cast.ics_x, baseline_period=OCTOBER)
    projection_run_execute(run_id=first.pk)
    StaffingReturn.objects.filter(pk=built["left_out"].pk).update(review="accepted")
    second = ProjectionRun.objects.create(scenario=plan, ics=cast.ics_x, baseline_period=OCTOBER)
    projection_run_execute(run_id=second.pk)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.completeness["counts"]["carried_forward"] == 1
    assert second.completeness["counts"]["carried_forward"] == 0
    assert second.completeness["counts"]["under_review_left_out"] == 1


def test_the_dashboard_says_it_beside_the_figures_and_links_the_list(
    cast, built, client, django_capture_on_commit_callbacks
):
    from workforce.services.runs import projection_run_execute

    plan = scenario(cast.ics_x)
    run = ProjectionRun.objects.create(scenario=plan, ics=cast.ics_x, baseline_period=OCTOBER)
    projection_run_execute(run_id=run.pk)
    run.refresh_from_db()
    client.force_login(cast.lead_x)
    page = client.get(f"/systems/QKK/dashboard/?scenario={plan.pk}&run={run.pk}").content.decode()
    assert run.status == "succeeded", run.error
    line = escape(summary(run.completeness))
    assert "Returns used" in page and line[1:] in page
    assert f"/systems/QKK/runs/{run.pk}/built-on/" in page
    listing = client.get(f"/systems/QKK/runs/{run.pk}/built-on/")
    assert listing.status_code == 200
    text = listing.content.decode()
    assert "Guy" in text and "Lewisham" in text  # RJ1 and RJ2 by name
    assert f"/returns/{built['left_out'].pk}/" in text and "(an earlier version used)" in text
    # Another system's lead does not see it; a run of another system is not found here.
    client.force_login(cast.lead_y)
    assert client.get(f"/systems/QKK/runs/{run.pk}/built-on/").status_code == 404
    client.force_login(cast.national)
    assert client.get(f"/systems/QOP/runs/{run.pk}/built-on/").status_code == 404
