"""The system dashboard's money: the pay bill, bank and agency spend of the chosen staff group
and year against the financial plan's limits, and the years' spend."""

from __future__ import annotations

import pytest

from workforce.models import PlanTarget, ProjectionResult, ScenarioAssumption
from workforce.templatetags.planning import gbp

from .dashboard_data import run, target
from .projection_data import publish, scenario

pytestmark = pytest.mark.django_db


def page(client, user, query: str = "") -> str:
    client.force_login(user)
    return client.get(f"/systems/QKK/dashboard/{query}").content.decode()


def test_the_dashboard_shows_what_the_chosen_group_costs_against_its_budget(
    client, cast, django_capture_on_commit_callbacks
):
    ics = cast.ics_x
    publish(cast.trust_a, {"NUR": 1000, "DOC": 300})
    publish(cast.trust_b, {"NUR": 500})
    target(ics, "NUR", 2027, 5000)
    PlanTarget.objects.filter(ics=ics).update(pay_budget=1e12, agency_spend_limit=1)
    made = run(cast.lead_x, scenario(ics), ics, django_capture_on_commit_callbacks)
    shown = ProjectionResult.objects.get(run=made, level="ics", sector="", year=2027,
                                         staff_group__code="NUR")  # fmt: skip

    html = page(client, cast.lead_x, "?staff_group=NUR&year=2027")

    assert "What it costs" in html
    assert gbp(shown.pay_bill_p50) in html and gbp(shown.total_spend_p50) in html
    assert f"Pay budget {gbp(1e12)}: 100% likely to keep within it" in html
    assert "Agency limit £1: 0% likely to keep within it" in html
    assert "No bank or agency limit" not in html
    # The years' table: one row a year of the run, 2025/26 to 2030/31.
    table = html[html.index("spend by year") :]
    assert table.count('<th scope="row">') >= 6 and "2030/31" in table


def test_a_group_with_no_cost_says_so_rather_than_showing_zeros(
    client, cast, django_capture_on_commit_callbacks
):
    publish(cast.trust_a, {"PC-GP": 12})
    run(cast.lead_x, scenario(cast.ics_x), cast.ics_x, django_capture_on_commit_callbacks)

    html = page(client, cast.lead_x, "?staff_group=PC-GP")

    assert "This run has no costs for" in html and "£0" not in html


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1.2345e9, "£1.23bn"),
        (412_340_000, "£412m"),
        (41_234_000, "£41.2m"),
        (950_400, "£950k"),
        (640, "£640"),
        (-2_500_000, "-£2.50m"),
        (None, "\u2013"),
    ],
)
def test_pounds_read_as_a_board_paper_writes_them(value, text) -> None:
    assert gbp(value) == text


def test_the_comparison_shows_what_each_scenario_costs(
    client, cast, django_capture_on_commit_callbacks
):
    publish(cast.trust_a, {"NUR": 1000})
    plans = [scenario(cast.ics_x, name=name) for name in ("Flat pay", "Five per cent")]
    ScenarioAssumption.objects.create(scenario=plans[0], pay_award="0")
    ScenarioAssumption.objects.create(scenario=plans[1], pay_award="0.05")
    made = [run(cast.lead_x, p, cast.ics_x, django_capture_on_commit_callbacks) for p in plans]
    bills = [
        ProjectionResult.objects.get(
            run=r, level="ics", sector="", year=2027, staff_group__code="NUR"
        ).pay_bill_p50
        for r in made
    ]
    assert bills[1] == pytest.approx(bills[0] * 1.05**2, abs=100)

    ids = ",".join(str(p.pk) for p in plans)
    client.force_login(cast.lead_x)
    text = client.get(f"/systems/QKK/compare/?scenarios={ids}&staff_group=NUR&year=2027")
    text = text.content.decode()
    table = text[text.index("What each scenario costs") :]
    assert gbp(bills[0]) in table and gbp(bills[1]) in table
    assert table.index("Flat pay") < table.index("Five per cent")


def test_the_national_table_gives_each_systems_spend_and_sorts_by_it(
    client, cast, django_capture_on_commit_callbacks
):
    publish(cast.trust_a, {"NUR": 1000})
    publish(cast.trust_c, {"NUR": 3000})
    plan = scenario(None, name="National")
    made = run(cast.national, plan, None, django_capture_on_commit_callbacks)
    spend = {
        r.entity_code: r.total_spend_p50
        for r in ProjectionResult.objects.filter(
            run=made, level="ics", sector="", year=2027, staff_group__code="NUR"
        )
    }
    client.force_login(cast.national)

    html = client.get("/national/?staff_group=NUR&year=2027&sort=spend&order=desc")
    text = html.content.decode()

    assert "Bank and agency" in text
    table = text[text.index('id="systems-table"') :]
    biggest, smallest = sorted(spend, key=spend.get, reverse=True)
    assert gbp(spend[biggest]) in table and gbp(spend[smallest]) in table
    assert table.index(gbp(spend[biggest])) < table.index(gbp(spend[smallest]))
