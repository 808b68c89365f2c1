"""The audit trail: every write leaves an entry, read by ICB leads (their system) and
national administrators, through the API and a page."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client

from core.models import AuditEntry, Organisation, PublishedFigure, StaffGroup
from tests.workforce.returns_data import csv_file
from workforce.services.planning import plan_target_create
from workforce.services.returns import staffing_return_submit
from workforce.services.scenarios import scenario_copy, scenario_create, scenario_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def trail(cast):
    """Writes in both systems and a national one, by their own people."""
    nurses = StaffGroup.objects.get(code="NUR")
    plan_target_create(
        user=cast.lead_x, ics=cast.ics_x, staff_group=nurses, year=2028, target_fte=Decimal(900)
    )
    plan_target_create(
        user=cast.lead_y, ics=cast.ics_y, staff_group=nurses, year=2028, target_fte=Decimal(800)
    )
    scenario_create(user=cast.national, ics=None, name="National central")
    staffing_return_submit(
        user=cast.uploader_a,
        organisation=cast.trust_a,
        period="2026-01",
        content=csv_file(),
        filename="a.csv",
    )


def entries(client, query: str = "") -> list[dict]:
    answer = client.get(f"/api/v1/audit/{query}")
    assert answer.status_code == 200, answer.content
    return answer.json()["results"]


def test_an_icb_lead_reads_their_systems_trail_only(api, cast, trail):
    seen = entries(api(cast.lead_x))
    assert {e["ics"] for e in seen} == {"QKK"}
    assert {e["model"] for e in seen} == {"workforce.PlanTarget", "workforce.StaffingReturn"}
    target = next(e for e in seen if e["model"] == "workforce.PlanTarget")
    assert target["user"] == cast.lead_x.username and target["action"] == "create"
    assert target["changes"]["target_fte"] == [None, "900.00"]


def test_a_national_administrator_reads_all_of_it(api, cast, trail):
    seen = entries(api(cast.national))
    assert {e["ics"] for e in seen} == {"QKK", "QOP", None}
    assert [e["object_repr"] for e in entries(api(cast.national), "?ics=QOP")]
    assert {e["user"] for e in entries(api(cast.national), f"?user={cast.lead_y.username}")} == {
        cast.lead_y.username
    }


@pytest.mark.parametrize("who", ["uploader_a", "analyst_x"])
def test_uploaders_and_analysts_are_refused(api, client, cast, trail, who):
    user = getattr(cast, who)
    answer = api(user).get("/api/v1/audit/")
    assert answer.status_code == 403
    assert "ICB leads" in answer.json()["errors"][0]["message"]
    client.force_login(user)
    assert client.get("/audit/").status_code == 403


def test_filters_by_model_user_action_and_since(api, cast, trail):
    client = api(cast.national)
    assert {e["model"] for e in entries(client, "?model=StaffingReturn")} == {
        "workforce.StaffingReturn"
    }
    assert {e["model"] for e in entries(client, "?model=workforce.scenario")} == {
        "workforce.Scenario"
    }
    assert entries(client, "?since=2100-01-01") == []
    today = datetime.date.today().isoformat()
    assert len(entries(client, f"?since={today}")) == len(entries(client))
    assert {e["action"] for e in entries(client, "?action=create")} == {"create"}
    bad = client.get("/api/v1/audit/?since=yesterday")
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "since"
    assert client.get("/api/v1/audit/?action=erase").status_code == 400


def test_the_trail_pages_with_a_cursor(api, cast, trail):
    first = api(cast.national).get("/api/v1/audit/?page_size=2").json()
    assert len(first["results"]) == 2 and "count" not in first
    second = api(cast.national).get(first["next"]).json()
    assert not {e["id"] for e in first["results"]} & {e["id"] for e in second["results"]}


def test_the_page_shows_a_leads_changes_with_before_and_after(client, cast, trail):
    client.force_login(cast.lead_x)
    html = client.get("/audit/").content.decode()
    assert "Audit trail" in html and "900.00" in html and cast.lead_x.username in html
    assert cast.lead_y.username not in html
    assert 'href="/audit/"' in html  # in the menu
    assert client.get("/audit/?since=soon").status_code == 400
    client.force_login(cast.national)
    assert "National central" in client.get("/audit/?model=workforce.Scenario").content.decode()


def test_scenario_writes_keep_their_rows_before_and_after(cast):
    made = scenario_create(
        user=cast.lead_x,
        ics=cast.ics_x,
        name="Retention",
        assumptions=[{"staff_group": None, "leaver_rate_change": "-0.01"}],
    )
    scenario_update(user=cast.lead_x, scenario=made, description="Fewer leavers")
    scenario_copy(user=cast.lead_x, source=made, ics=cast.ics_x, name="Retention copy")
    actions = list(
        AuditEntry.objects.filter(model="workforce.Scenario")
        .order_by("id")
        .values_list("action", "object_repr")
    )
    assert [a for a, _ in actions] == ["create", "update", "create"]
    update = AuditEntry.objects.get(model="workforce.Scenario", action="update")
    assert update.changes["description"] == ["", "Fewer leavers"]
    assert update.user == cast.lead_x and update.ics == cast.ics_x


def test_a_run_start_is_recorded(api, cast):
    from tests.workforce.projection_data import scenario, small_system

    ics = small_system("QKK")
    plan = scenario(ics)
    answer = api(cast.analyst_x).post(
        "/api/v1/runs/",
        {"scenario": plan.pk, "ics": "QKK", "baseline_period": "2026-02"},
        format="json",
    )
    assert answer.status_code == 202
    entry = AuditEntry.objects.get(model="workforce.ProjectionRun")
    assert entry.user == cast.analyst_x and entry.object_id == str(answer.json()["id"])


def test_an_admin_change_is_recorded_without_the_password(cast):
    admin = cast.national
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client = Client()
    client.force_login(admin)
    user = cast.analyst_x
    form = {
        "username": user.username,
        "role": "icb_lead",
        "ics": cast.ics_x.pk,
        "organisation": "",
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        "last_login_0": "",
        "last_login_1": "",
        "first_name": "",
        "last_name": "",
        "email": "",
    }
    answer = client.post(f"/admin/core/user/{user.pk}/change/", form)
    assert answer.status_code == 302, answer.content.decode()[:2000]
    entry = AuditEntry.objects.get(model="core.User", object_id=str(user.pk))
    assert entry.action == "update" and entry.user == admin
    assert entry.changes["role"] == ["analyst", "icb_lead"]
    assert not [name for name in entry.changes if "password" in name]


def test_bulk_loads_leave_one_entry_describing_them(tmp_path, cast):
    call_command("load_reference_data", stdout=io.StringIO())
    assert not AuditEntry.objects.filter(model="core.Organisation").exists()  # nothing new
    Organisation.objects.filter(code="RJ1").update(name="Renamed by hand")
    call_command("load_reference_data", stdout=io.StringIO())
    entry = AuditEntry.objects.get(model="core.Organisation")
    assert entry.user is None and entry.object_id == "" and entry.action == "update"
    assert entry.changes["updated"] == [None, ["RJ1"]]
    published = tmp_path / "published.csv"
    published.write_text(
        "DATA_MONTH,ORG_CODE,MAIN_STAFF_GROUP,STAFF_GROUP_1,FTE,HEADCOUNT\n"
        "2026-02-28,RJ1,Nurses & health visitors,Nurses & health visitors,1234.5,1300\n"
    )
    call_command("import_workforce_statistics", str(published), stdout=io.StringIO())
    assert PublishedFigure.objects.filter(organisation__code="RJ1").exists()
    # The load's own entries (the shipped PCN and GP files) came first.
    description = "Published figures import from published.csv: 1 stored"
    entry = AuditEntry.objects.get(model="core.PublishedFigure", object_repr=description)
    assert entry.changes["stored"] == [None, 1]
    assert entry.changes["months"] == [None, ["2026-02"]]
    assert entry.changes["organisations"] == [None, ["RJ1"]]


def test_the_page_goes_back_in_time_page_by_page(client, cast):
    for number in range(60):
        AuditEntry.objects.create(
            user=cast.lead_x,
            action="update",
            model="workforce.Scenario",
            ics=cast.ics_x,
            object_id=str(number),
            object_repr=f"Scenario {number}",
        )
    client.force_login(cast.lead_x)
    html = client.get("/audit/?model=workforce.Scenario").content.decode()
    assert 'href="?model=workforce.Scenario&amp;page=2"' in html and "Older" in html
    older = client.get("/audit/?model=workforce.Scenario&page=2").content.decode()
    assert "Scenario 0<" in older and "Newer" in older


def test_the_returns_list_pages_with_its_filter(rf):
    from django.core.paginator import Paginator
    from django.template.loader import render_to_string

    page = Paginator(list(range(120)), 50).get_page(2)
    html = render_to_string(
        "_pagination.html",
        {"page": page, "query": "organisation=R J1", "previous": "Previous", "next": "Next"},
    )
    assert 'href="?organisation=R J1&amp;page=1"' in html
    assert 'href="?organisation=R J1&amp;page=3"' in html
