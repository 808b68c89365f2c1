"""The demo leaves every dashboard page with data for every demo user."""

from __future__ import annotations

import io
import re
from importlib import import_module

import pytest
from django.db import transaction

from core.models import ICS, Role, User
from workforce.demo import STEPS
from workforce.models import ProjectionRun, Scenario

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The whole demo, seeded once for the module and rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        for step in STEPS:
            import_module(step).seed(io.StringIO())
        yield
        transaction.set_rollback(True)


def drawn(html: str) -> set[str]:
    return set(re.findall(r'<script id="chart-([a-z-]+)-figure"', html))


def test_every_system_has_a_run_of_each_demo_scenario_and_there_is_a_national_run(demo):
    runs = ProjectionRun.objects.filter(status="succeeded")
    with_runs = set(runs.filter(scenario__name="Central").values_list("ics__code", flat=True))
    systems = set(
        Scenario.objects.filter(name="Central", ics__isnull=False).values_list(
            "ics__code", flat=True
        )
    )
    assert systems and with_runs == systems
    assert runs.filter(ics__isnull=True, scenario__name="Central (national)").count() == 1
    assert not ProjectionRun.objects.exclude(status="succeeded").exists()


def test_every_icb_lead_sees_a_dashboard_with_every_chart_and_so_do_analysts(client, demo):
    # A system's analyst reads what its lead reads: every lead, and analysts of a few systems.
    leads = list(User.objects.filter(role=Role.ICB_LEAD).select_related("ics"))
    analysts = list(
        User.objects.filter(role=Role.ANALYST, ics__isnull=False).select_related("ics")[:3]
    )
    assert len(leads) > 30
    for user in leads + analysts:
        client.force_login(user)
        html = client.get(f"/systems/{user.ics.code}/dashboard/").content.decode()
        assert drawn(html) >= {"supply-demand", "probability", "gap-by-group", "trend-staff"}, user


def test_every_lead_can_compare_the_demo_scenarios(client, demo):
    for user in User.objects.filter(role=Role.ICB_LEAD).select_related("ics")[:40]:
        ids = Scenario.objects.filter(ics=user.ics).values_list("pk", flat=True)
        client.force_login(user)
        html = client.get(
            f"/systems/{user.ics.code}/compare/?scenarios={','.join(map(str, ids))}"
        ).content.decode()
        assert "not run yet" not in html and drawn(html) == {
            "compare-supply",
            "compare-gap",
            "compare-probability",
        }


def test_national_users_see_every_system_and_trusts_see_their_returns(client, demo):
    systems = ICS.objects.filter(runs__isnull=False).distinct().count()
    for username in ("national", "analyst-national"):
        client.force_login(User.objects.get(username=username))
        html = client.get("/national/").content.decode()
        assert len(re.findall(r'<a href="/systems/\w+/dashboard/">', html)) == systems
    trust = User.objects.filter(role=Role.TRUST_UPLOADER).first()
    client.force_login(trust)
    assert client.get("/returns/").status_code == 200
    assert client.get("/systems/QKK/dashboard/").status_code == 404
