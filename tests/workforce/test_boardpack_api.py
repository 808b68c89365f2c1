"""The board pack at /api/v1/runs/{id}/board-pack/: PDF and PowerPoint of a known run, its
file names, and the answers to what it cannot make (409, 404, 400)."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pypdf import PdfReader

from workforce import charts
from workforce.models import ProjectionRun
from workforce.selectors.dashboards import system_dashboard
from workforce.templatetags.dashboards import completeness_line

from .dashboard_data import system_with_a_run, two_months_of_returns
from .projection_data import scenario

pytestmark = pytest.mark.django_db
needs_chromium = pytest.mark.skipif(
    not Path(settings.CHROMIUM_PATH).exists(),
    reason=f"needs Debian's Chromium at {settings.CHROMIUM_PATH} (apt-get install chromium)",
)
# System X's nurses in 2027/28: 3,300 FTE in a run of one draw, against a target of 5,000.
SUPPLY = (
    "Nurses & health visitors: supply reaches 3,300 FTE by 2027/28 against a target of "
    "5,000: a 0% chance of meeting it."
)
SHORTFALL = "Demand reaches 3,660 FTE, a shortfall of 359 FTE against demand."
TARGETS = "One staff group has a plan target in 2027/28: it is red."


@pytest.fixture
def system(cast, django_capture_on_commit_callbacks):
    two_months_of_returns(cast)
    return system_with_a_run(cast, django_capture_on_commit_callbacks)


def board_pack(client, user, run, query: str):
    client.force_login(user)
    return client.get(f"/api/v1/runs/{run.pk}/board-pack/?{query}")


def texts(deck) -> list[str]:
    return [
        shape.text_frame.text
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_text_frame
    ]


def pictures(deck) -> int:
    return sum(
        shape.shape_type == MSO_SHAPE_TYPE.PICTURE
        for slide in deck.slides
        for shape in slide.shapes
    )


@needs_chromium
def test_the_powerpoint_has_the_title_narrative_and_a_picture_per_chart(client, cast, system):
    ics, _plan, made = system
    response = board_pack(client, cast.lead_x, made, "format=pptx&staff_group=NUR&year=2027")
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"] == (
        'attachment; filename="board-pack_south-east-london_central_'
        'nurses-health-visitors_2027-28.pptx"'
    )
    deck = Presentation(io.BytesIO(response.content))
    assert deck.slides[0].shapes.title.text == "South East London: Central"
    assert "Nurses & health visitors, 2027/28" in texts(deck)[1]
    summary = "\n".join(texts(deck))
    assert SUPPLY in summary and SHORTFALL in summary and TARGETS in summary
    assert "Data date: Returns of February 2026." in summary
    assert "General practice and PCNs: 3 organisations" in summary  # the run's "Built on"
    # The run's completeness: which organisations' returns of which month it stands on.
    assert f"{completeness_line(made.completeness)}." in summary
    assert "organisations' February 2026 returns" in summary
    # A picture for each chart the dashboard draws for this run, group and year.
    shown = system_dashboard(
        user=cast.lead_x, ics=ics, run_id=made.pk, staff_group="NUR", year=2027
    )
    drawn = [c for c in charts.system_charts(shown).values() if c.figure is not None]
    assert pictures(deck) == len(drawn) == 8  # all but the sectors' (one sector projected)
    titles = [slide.shapes.title.text for slide in deck.slides]
    assert "Probability of meeting each plan target in 2027/28" in titles


@needs_chromium
def test_the_pdf_holds_the_narrative_and_the_assumptions(client, cast, system):
    _ics, _plan, made = system
    response = board_pack(client, cast.analyst_x, made, "format=pdf&staff_group=NUR&year=2027/28")
    assert response.status_code == 200, response.content[:500]
    assert response.content.startswith(b"%PDF")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].endswith('_nurses-health-visitors_2027-28.pdf"')
    text = " ".join(
        " ".join(page.extract_text().split())
        for page in PdfReader(io.BytesIO(response.content)).pages
    )
    assert SUPPLY in text and SHORTFALL in text
    assert "The scenario's assumptions" in text and "Returns of February 2026" in text


@needs_chromium
def test_without_a_group_or_year_it_is_the_dashboards_default(client, cast, system):
    _ics, _plan, made = system
    response = board_pack(client, cast.lead_x, made, "format=pptx")
    assert response.status_code == 200
    # The total, in the last year with a target (2028/29), as the dashboard opens.
    assert response["Content-Disposition"].endswith('_central_all-staff-groups_2028-29.pptx"')


def test_a_run_that_has_not_succeeded_is_409(client, cast, system):
    ics, plan, _made = system
    queued = ProjectionRun.objects.create(
        scenario=plan, ics=ics, baseline_period="2026-02-01", requested_by=cast.lead_x
    )
    response = board_pack(client, cast.lead_x, queued, "format=pdf")
    assert response.status_code == 409
    assert "succeeded" in response.json()["errors"][0]["message"]


def test_another_systems_run_is_404(client, cast, system):
    _ics, _plan, made = system
    response = board_pack(client, cast.lead_y, made, "format=pdf")
    assert response.status_code == 404
    assert response.json()["errors"][0]["message"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("format=docx", "format"),
        ("", "format"),
        ("format=pdf&staff_group=XYZ", "staff_group"),
        ("format=pdf&year=2040", "year"),
        ("format=pdf&year=soon", "year"),
    ],
)
def test_an_unknown_format_group_or_year_is_400_naming_it(client, cast, system, query, field):
    _ics, _plan, made = system
    response = board_pack(client, cast.lead_x, made, query)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [e["field"] for e in errors] == [field] and errors[0]["message"]


def test_a_national_run_has_no_board_pack(client, cast):
    made = ProjectionRun.objects.create(
        scenario=scenario(name="National"),
        ics=None,
        baseline_period="2026-02-01",
        status=ProjectionRun.Status.SUCCEEDED,
        requested_by=cast.national,
    )
    response = board_pack(client, cast.national, made, "format=pdf")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "run"


def test_the_dashboard_links_to_the_board_pack_of_the_run_group_and_year(client, cast, system):
    _ics, _plan, made = system
    client.force_login(cast.lead_x)
    page = client.get("/systems/QKK/dashboard/?staff_group=NUR&year=2027").content.decode()
    query = "staff_group=NUR&amp;year=2027"
    assert f'href="/api/v1/runs/{made.pk}/board-pack/?format=pdf&amp;{query}"' in page, page[
        page.find("app-board-pack") :
    ][:600]
    assert f'href="/api/v1/runs/{made.pk}/board-pack/?format=pptx&amp;{query}"' in page
    assert "Board pack (PDF)" in page and "Board pack (PowerPoint)" in page
