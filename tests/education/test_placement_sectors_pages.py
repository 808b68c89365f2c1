"""The plan and capacity pages by placement sector: capacity by sector, the split programme's
parts with the binding one, educators by sector, and places recorded by a practice."""

import pytest
from django.utils import timezone

from core.calendar import financial_year
from core.models import AuditEntry
from education.models import CommissionedIntake, EducatorCapacity, PlacementCapacity
from education.pipeline import first_changeable_academic_year

from .sectors_data import providers, split_adult_nursing

pytestmark = pytest.mark.django_db

FIRST = first_changeable_academic_year(financial_year(timezone.localdate()))


def page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response


@pytest.fixture
def split_plan(cast):
    """Adult nursing in X, split: 100 planned; acute 120, community 90, primary 30 + social
    40 places; educators at trust A and at the practice."""
    x = providers(cast)
    adult = split_adult_nursing()
    CommissionedIntake.objects.create(
        ics=cast.ics_x, programme=adult, academic_year=FIRST, planned_places=100
    )
    for organisation, sector, places in [
        (cast.trust_a, "acute", 120),
        (cast.trust_b, "community", 90),
        (x.practice, "primary_care", 30),
        (x.care_home, "social_care", 40),
        (cast.trust_a, "mental_health", 15),
    ]:
        PlacementCapacity.objects.create(
            organisation=organisation,
            programme=adult,
            sector=sector,
            academic_year=FIRST,
            places=places,
        )
    for organisation, fte in [(cast.trust_a, 40), (x.practice, 2)]:
        EducatorCapacity.objects.create(
            organisation=organisation,
            academic_year=FIRST,
            educator_fte=fte,
            students_per_educator=5,
        )
    return x


def test_the_plan_shows_the_intake_capped_by_its_tightest_sector(client, cast, split_plan):
    response = page(client, cast.lead_x, "/education/plan/QKK/")
    html = response.content.decode()
    plan = response.context["plan"]
    [(_, cap)] = plan.shortfalls[:1]
    assert (cap.capacity, cap.sectors) == (70.0, ("primary_care", "social_care"))
    assert "Placement places: primary care or social care" in html
    cell = next(c for c in plan.programmes[0].cells if c.year == FIRST)
    assert cell.capacity == 70.0  # the tightest part's places, not every sector's 295


def test_the_plan_shows_each_part_of_the_split_with_weeks_needed_and_offered(
    client, cast, split_plan
):
    response = page(client, cast.lead_x, "/education/plan/QKK/")
    html = response.content.decode()
    [split] = response.context["plan"].splits
    column = response.context["plan"].years.index(FIRST)
    acute, community, primary = (part.cells[column] for part in split.parts)
    assert (acute.demand_weeks, acute.capacity_weeks) == (1400.0, 1680.0)
    assert community.short and not community.binding
    assert primary.binding and primary.short_by == 30.0
    assert split.uncounted[column] == 15.0  # mental health places: outside the split
    assert 'id="split-nur-adult-bsc"' in html
    assert "Binding: short of 30 places" in html
    assert "Places in other sectors" in html


def test_the_plan_shows_capacity_and_educators_by_sector(client, cast, split_plan):
    response = page(client, cast.analyst_x, "/education/plan/QKK/")
    html = response.content.decode()
    plan = response.context["plan"]
    column = plan.years.index(FIRST)
    by_sector = {row.sector: row.years[column] for row in plan.sector_capacity}
    assert list(by_sector) == ["acute", "community", "mental_health", "primary_care", "social_care"]
    assert (by_sector["acute"].places, by_sector["acute"].weeks) == (120.0, 1680.0)
    assert (by_sector["social_care"].places, by_sector["social_care"].weeks) == (40.0, 120.0)
    assert by_sector["mental_health"].weeks == 0.0  # gives adult nursing no weeks
    educators = {row.sector: row.students[column] for row in plan.educators_by_sector}
    assert educators == {"nhs_trusts": 200.0, "primary_care": 10.0}
    assert 'id="sector-capacity"' in html and 'id="educators-by-sector"' in html
    assert "General practice and PCNs" in html


def test_a_programme_whose_weeks_are_not_split_shows_no_parts(client, cast):
    providers(cast)
    html = page(client, cast.lead_x, "/education/plan/QKK/").content.decode()
    assert "Placements split across sectors" not in html


def test_a_practices_capacity_page_records_places_in_primary_care(client, cast):
    x = providers(cast)
    url = f"/education/organisations/{x.practice.code}/"
    html = page(client, x.practice_uploader, url).content.decode()
    assert "its placements are in primary care" in html
    assert 'name="sector" value="primary_care"' in html  # its only sector, not a choice
    edit = f"{url}placements/"
    assert client.get(f"{edit}?programme=NUR-ADULT-BSC").context["sector"] == "primary_care"
    saved = client.post(
        edit, {"programme": "NUR-ADULT-BSC", "sector": "primary_care", f"places_{FIRST}": "4"}
    )
    assert saved["Location"] == url
    record = PlacementCapacity.objects.get(organisation=x.practice)
    assert (record.sector, record.places) == ("primary_care", 4)
    assert AuditEntry.objects.filter(model="education.PlacementCapacity").count() == 1
    shown = page(client, x.practice_uploader, url)
    assert shown.context["capacity"].placements[0][1] == "primary_care"


def test_a_practice_may_not_open_a_sector_it_does_not_offer(client, cast):
    x = providers(cast)
    client.force_login(x.practice_uploader)
    edit = f"/education/organisations/{x.practice.code}/placements/"
    assert client.get(f"{edit}?programme=NUR-ADULT-BSC&sector=acute").status_code == 404


def test_a_care_homes_lead_records_its_places_and_educators(client, cast):
    x = providers(cast)
    client.force_login(cast.lead_x)
    url = f"/education/organisations/{x.care_home.code}/"
    response = client.post(
        f"{url}placements/", {"programme": "NUR-ADULT-BSC", f"places_{FIRST}": "3"}
    )
    assert response["Location"] == url
    assert PlacementCapacity.objects.get(organisation=x.care_home).sector == "social_care"
    response = client.post(
        f"{url}educators/", {f"fte_{FIRST}": "0.5", f"per_educator_{FIRST}": "2"}
    )
    assert response["Location"] == url
    assert EducatorCapacity.objects.get(organisation=x.care_home).educator_fte == 0.5


def test_a_trust_chooses_the_sector_of_its_places(client, cast):
    html = page(client, cast.uploader_a, "/education/organisations/RJ1/").content.decode()
    assert '<select class="nhsuk-select" id="sector" name="sector">' in html
    assert '<option value="acute" selected>Acute</option>' in html
    client.post(
        "/education/organisations/RJ1/placements/",
        {"programme": "NUR-MH-BSC", "sector": "mental_health", f"places_{FIRST}": "12"},
    )
    record = PlacementCapacity.objects.get(organisation=cast.trust_a)
    assert (record.programme.code, record.sector, record.places) == (
        "NUR-MH-BSC",
        "mental_health",
        12,
    )
