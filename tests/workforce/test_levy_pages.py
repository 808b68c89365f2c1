"""The levy page of a system's run, and its CSV."""

from __future__ import annotations

from .dashboard_data import system_with_a_run
from .levy_data import levy_system


def page(cast, run) -> str:
    return f"/systems/{cast.ics_x.code}/runs/{run.pk}/levy/"


def test_it_shows_each_employer_s_levy_and_the_system_s_transfers(client, cast):
    run = levy_system(cast)
    client.force_login(cast.lead_x)
    answer = client.get(page(cast, run))
    assert answer.status_code == 200
    text = answer.content.decode()
    assert "£38,500" in text  # trust A's 2025/26 funds
    assert "£19,250" in text  # what it could transfer
    assert "£12,000" in text  # the care home's starts, and what it could receive
    assert "Doctor degree apprenticeship" in text  # no price
    assert "Source:" in text


def test_it_says_a_run_has_no_costs_rather_than_zeros(client, cast):
    run = levy_system(cast, costed=False)
    client.force_login(cast.lead_x)
    text = client.get(page(cast, run)).content.decode()
    assert "This run has no costs:" in text
    assert "£0" not in text


def test_its_csv_downloads(client, cast):
    run = levy_system(cast)
    client.force_login(cast.lead_x)
    answer = client.get(page(cast, run), {"format": "csv"})
    assert answer["Content-Type"].startswith("text/csv")
    assert answer.content.decode().startswith("organisation,name,year,")


def test_it_validates_ownership(client, cast):
    run = levy_system(cast)
    client.force_login(cast.lead_y)
    assert client.get(page(cast, run)).status_code == 404
    other = f"/systems/{cast.ics_y.code}/runs/{run.pk}/levy/"
    assert client.get(other).status_code == 404


def test_the_dashboard_links_its_run_to_the_levy_page(
    client, cast, django_capture_on_commit_callbacks
):
    _ics, _plan, made = system_with_a_run(cast, django_capture_on_commit_callbacks)
    client.force_login(cast.lead_x)
    html = client.get(f"/systems/QKK/dashboard/?run={made.pk}").content.decode()
    assert f'href="/systems/QKK/runs/{made.pk}/levy/"' in html
    levy_page = client.get(f"/systems/QKK/runs/{made.pk}/levy/")
    assert levy_page.status_code == 200
    assert "<h1>Apprenticeship levy</h1>" in levy_page.content.decode()
