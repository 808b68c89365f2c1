import io

import pytest
from django.core.management import call_command

from core.models import PublishedFigure, User

pytestmark = pytest.mark.django_db


def test_the_home_page_needs_a_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_an_icb_lead_sees_its_system_and_its_organisations(client, cast):
    client.force_login(cast.lead_x)
    page = client.get("/").content.decode()
    assert "NHS South East London Integrated Care Board" in page
    assert "Guy&#x27;s and St Thomas&#x27; NHS Foundation Trust" in page
    assert "MANCHESTER UNIVERSITY" not in page


def test_a_trust_uploader_sees_only_its_trust(client, cast):
    client.force_login(cast.uploader_b)
    page = client.get("/").content.decode()
    assert "Lewisham and Greenwich" in page
    assert "GUY&#x27;S" not in page
    assert "Your integrated care systems" not in page


def test_the_login_page_is_served(client):
    assert b'name="password"' in client.get("/accounts/login/").content


def test_seed_demo_creates_users_of_every_role_and_figures_once(settings):
    settings.DEMO_PASSWORD = "a-demo-password-7"
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "a-demo-password-7" in out.getvalue()
    for username, role in [
        ("national", "national_admin"),
        ("icb-qkk", "icb_lead"),
        ("analyst-qkk", "analyst"),
        ("trust-rj1", "trust_uploader"),
    ]:
        assert User.objects.get(username=username).role == role
    assert User.objects.get(username="icb-qkk").check_password("a-demo-password-7")
    figures = PublishedFigure.objects.filter(organisation__code="RJ1")
    assert figures.values("month").distinct().count() == 24
    assert figures.filter(staff_group__code="AMB").count() == 0
    ambulance = PublishedFigure.objects.filter(organisation__code="RRU", staff_group__code="AMB")
    assert ambulance.count() == 24  # London Ambulance Service
    count = PublishedFigure.objects.count()
    call_command("seed_demo", "--once", stdout=io.StringIO())
    assert PublishedFigure.objects.count() == count
    call_command("seed_demo", stdout=io.StringIO())
    assert PublishedFigure.objects.count() == count
