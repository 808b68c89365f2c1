"""The three-year plan page, its edit form, and an organisation's capacity pages."""

import pytest
from django.utils import timezone

from core.calendar import financial_year, year_label
from core.models import AuditEntry
from education.models import CommissionedIntake
from education.pipeline import first_changeable_academic_year

from .data import figures, programme

pytestmark = pytest.mark.django_db

# The first academic year a plan made today can change: the plan pages count from today.
FIRST = first_changeable_academic_year(financial_year(timezone.localdate()))
THIS_YEAR = FIRST - 1


def page(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_the_lead_sees_intakes_against_capacity_with_the_shortfalls_flagged(client, cast):
    figures(cast, FIRST)  # 100 planned; 90 placement places; 10 educators x 5 students
    response = page(client, cast.lead_x, "/education/plan/QKK/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "exceed capacity" in html
    assert "Over by 50" in html  # capped at the 50 students the educators supervise
    assert "Practice educators" in html
    assert "Short of educators" in html
    assert "/education/plan/QKK/intakes/NUR-ADULT-BSC/" in html
    plan = response.context["plan"]
    [row] = plan.programmes
    cell = next(c for c in row.cells if c.year == FIRST)
    assert (cell.planned, cell.capacity, cell.cap.capacity) == (100.0, 90.0, 50.0)
    assert [cap.academic_year for _, cap in plan.shortfalls] == list(
        range(FIRST, plan.years[-1] + 1)
    )
    assert "<script>" not in html.split("</main>")[0]


def test_a_plan_that_fits_its_capacity_says_so(client, cast):
    adult = programme()
    CommissionedIntake.objects.create(
        ics=cast.ics_x, programme=adult, academic_year=FIRST, planned_places=50
    )
    html = page(client, cast.lead_x, "/education/plan/QKK/").content.decode()
    assert "Every planned intake fits" in html
    assert "Over by" not in html


def test_the_effect_on_supply_compares_the_plan_with_this_years_level(client, cast):
    adult = programme()
    for year, places in [(THIS_YEAR, 100), (FIRST, 150)]:
        CommissionedIntake.objects.create(
            ics=cast.ics_x, programme=adult, academic_year=year, planned_places=places
        )
    response = page(client, cast.analyst_x, "/education/plan/QKK/")
    plan = response.context["plan"]
    [nurses] = plan.supply
    assert nurses.staff_group.code == "NUR"
    arrives = plan.supply_years.index(FIRST + 3)  # a three-year course
    assert nurses.difference[arrives - 1] == 0
    assert nurses.difference[arrives] == pytest.approx(50 * 0.8 * 0.9)
    assert 'id="effect-on-supply"' in response.content.decode()


def test_the_apprenticeship_share_is_set_against_the_national_ambition(client, cast):
    for code, places in [("NUR-ADULT-BSC", 90), ("NUR-RNDA", 10), ("HCSW-APP", 500)]:
        CommissionedIntake.objects.create(
            ics=cast.ics_x, programme=programme(code), academic_year=FIRST, planned_places=places
        )
    response = page(client, cast.lead_x, "/education/plan/QKK/")
    share = {s.year: s for s in response.context["plan"].share}
    # Support workers' apprenticeships are not training for clinical staff.
    assert (share[2031].apprenticeships, share[2031].total) == (10.0, 100.0)
    assert share[2031].ambition == 0.22 and share[2031].below_ambition
    assert "Below the ambition" in response.content.decode()


def test_an_analyst_reads_the_plan_without_the_means_to_change_it(client, cast):
    figures(cast, FIRST)
    html = page(client, cast.analyst_x, "/education/plan/QKK/").content.decode()
    assert "You can read this plan" in html
    assert "/intakes/NUR-ADULT-BSC/" not in html


@pytest.mark.parametrize(
    ("user", "url"),
    [
        ("uploader_a", "/education/plan/QKK/"),  # trusts read no system's plan
        ("uploader_b", "/education/plan/QOP/"),  # nor another system's
        ("lead_x", "/education/plan/QOP/"),
        ("analyst_x", "/education/plan/QOP/"),
        ("lead_y", "/education/plan/QKK/intakes/NUR-ADULT-BSC/"),
        ("uploader_a", "/education/organisations/RJ2/"),
        ("uploader_a", "/education/organisations/R0A/educators/"),
        ("lead_x", "/education/organisations/R0A/"),
    ],
)
def test_pages_outside_the_scope_are_404(client, cast, user, url):
    assert page(client, getattr(cast, user), url).status_code == 404


@pytest.mark.parametrize(
    ("user", "url"),
    [
        ("analyst_x", "/education/plan/QKK/intakes/NUR-ADULT-BSC/"),
        ("analyst_x", "/education/organisations/RJ1/educators/"),
        ("analyst_x", "/education/organisations/RJ1/placements/?programme=NUR-ADULT-BSC"),
    ],
)
def test_forms_are_refused_to_those_who_only_read(client, cast, user, url):
    assert page(client, getattr(cast, user), url).status_code == 403


def test_the_education_link_takes_each_user_to_their_place(client, cast):
    assert client.get("/education/").status_code == 302  # to the login page
    lead = page(client, cast.lead_x, "/education/")
    assert lead["Location"] == "/education/plan/QKK/"
    trust = page(client, cast.uploader_a, "/education/")
    assert trust["Location"] == "/education/organisations/RJ1/"
    national = page(client, cast.national, "/education/").content.decode()
    assert "/education/plan/QKK/" in national and "/education/plan/QOP/" in national
    assert page(client, cast.national, "/education/plan/QOP/").status_code == 200
    assert 'href="/education/"' in national  # the navigation link


def test_the_lead_changes_planned_places_and_the_change_is_recorded(client, cast):
    figures(cast, FIRST)
    client.force_login(cast.lead_x)
    url = "/education/plan/QKK/intakes/NUR-ADULT-BSC/"
    form = client.get(url).context["form"]
    assert form.years == [FIRST, FIRST + 1, FIRST + 2, FIRST + 3]
    assert form.initial == {f"places_{FIRST}": 100}
    response = client.post(url, {f"places_{FIRST}": "120", f"places_{FIRST + 1}": "130"})
    assert response.status_code == 302 and response["Location"] == "/education/plan/QKK/"
    planned = dict(
        CommissionedIntake.objects.filter(ics=cast.ics_x).values_list(
            "academic_year", "planned_places"
        )
    )
    assert planned == {FIRST: 120, FIRST + 1: 130}
    assert sorted(e.action for e in AuditEntry.objects.filter(user=cast.lead_x)) == [
        "create",
        "update",
    ]


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("-5", "Planned places in {year} must be 0 or more, not -5."),
        ("lots", "Planned places in {year} must be a whole number."),
        ("", "Enter the planned places in {year}."),
    ],
)
def test_bad_planned_places_are_shown_and_nothing_is_saved(client, cast, given, message):
    figures(cast, FIRST)
    client.force_login(cast.lead_x)
    response = client.post(
        "/education/plan/QKK/intakes/NUR-ADULT-BSC/",
        {f"places_{FIRST}": given, f"places_{FIRST + 1}": "130"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert message.format(year=year_label(FIRST)) in html
    assert f'href="#id_places_{FIRST}"' in html
    assert CommissionedIntake.objects.get(ics=cast.ics_x).planned_places == 100
    assert not AuditEntry.objects.exists()


def test_a_trust_sees_its_own_capacity_and_may_change_it(client, cast):
    figures(cast, FIRST)
    response = page(client, cast.uploader_a, "/education/organisations/RJ1/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Guy&#x27;s and St Thomas&#x27;" in html
    placements = response.context["capacity"].placements
    assert [(p.code, sector, places.count(60)) for p, sector, places in placements] == [
        ("NUR-ADULT-BSC", "acute", 1)
    ]
    assert "/education/organisations/RJ1/placements/?programme=NUR-ADULT-BSC" in html
    assert "/education/organisations/RJ1/educators/" in html


def test_an_analyst_reads_a_trusts_capacity_without_the_means_to_change_it(client, cast):
    figures(cast, FIRST)
    html = page(client, cast.analyst_x, "/education/organisations/RJ1/").content.decode()
    assert "/placements/?programme=" not in html
    assert "Change the practice educator figures" not in html


def test_a_trust_updates_its_placement_places(client, cast):
    figures(cast, FIRST)
    client.force_login(cast.uploader_a)
    url = "/education/organisations/RJ1/placements/"
    assert client.get(f"{url}?programme=NUR-ADULT-BSC").context["form"].initial == {
        f"places_{FIRST}": 60
    }
    response = client.post(url, {"programme": "NUR-ADULT-BSC", f"places_{FIRST}": "75"})
    assert response["Location"] == "/education/organisations/RJ1/"
    entry = AuditEntry.objects.get()
    assert (entry.user, entry.changes) == (cast.uploader_a, {"places": [60, 75]})
    assert client.get(f"{url}?programme=NOPE").status_code == 404


def test_a_trust_updates_its_educators_and_bad_figures_are_shown(client, cast):
    client.force_login(cast.uploader_a)
    url = "/education/organisations/RJ1/educators/"
    label = year_label(FIRST)
    refused = client.post(url, {f"fte_{FIRST}": "12", f"per_educator_{FIRST}": "0"})
    html = refused.content.decode()
    assert f"Students one educator supports in {label} must be more than 0" in html
    missing = client.post(url, {f"fte_{FIRST}": "12"}).content.decode()
    assert f"Students one educator supports in {label} is required." in missing
    saved = client.post(url, {f"fte_{FIRST}": "12.5", f"per_educator_{FIRST}": "4"})
    assert saved.status_code == 302
    [educators] = cast.trust_a.educators.all()
    assert (educators.academic_year, float(educators.educator_fte)) == (FIRST, 12.5)
