"""The workforce by planning sector on the system dashboard and the national view: the
totals read only the all-sector results, a sector's own rows fill its filter, and every
sector is listed, those without figures said to have none."""

import csv
import datetime
import io
import re

import pytest
from openpyxl import load_workbook

from core.errors import ApplicationError
from core.kinds import PLANNING_SECTOR_CODES
from core.models import Organisation, OrganisationMembership, PublishedFigure, StaffGroup
from workforce.models import ProjectionResult, Scenario
from workforce.projection import defaults
from workforce.selectors.dashboards import system_dashboard
from workforce.selectors.dashboards_compare import scenario_comparison
from workforce.selectors.dashboards_national import national_overview
from workforce.selectors.dashboards_results import staff_group_labels
from workforce.selectors.dashboards_sector_figures import current_figures
from workforce.selectors.dashboards_sectors import (
    EACH_SYSTEM,
    NO_TARGET,
    WHOLE_SYSTEM,
    reportable_under,
    sector_choice,
    sectors_employing,
    sole_sector,
)

from .dashboard_data import TODAY, run
from .projection_data import BASELINE, scenario
from .returns_data import month, store_return
from .sector_data import (
    YEAR,
    YEARS,
    figures_of_now,
    known_national_results,
    known_results,
    publish,
)
from .test_dashboards_pages import figures, scripts_are_files_or_data, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def known(cast, django_capture_on_commit_callbacks):
    """A succeeded run of QKK whose results are the known ones, and QKK's figures of now."""
    figures_of_now(cast)
    plan = scenario(cast.ics_x, name="Central")
    made = run(cast.lead_x, plan, cast.ics_x, django_capture_on_commit_callbacks)
    known_results(made)
    return made


def national(capture, cast) -> None:
    """A national run with the known results. QOP has figures too: a national run of QKK's
    figures alone has a QKK run's inputs, and would reuse its results."""
    publish("R0A", "NUR", 2000, "NHS Workforce Statistics", BASELINE)
    plan = Scenario.objects.create(name="Central (national)", draws=1, horizon=5, seed=7)
    known_national_results(run(cast.national, plan, None, capture))


@pytest.fixture
def national_run(cast, django_capture_on_commit_callbacks):
    """A national run whose results are the known ones, and QKK's figures of now."""
    figures_of_now(cast)
    national(django_capture_on_commit_callbacks, cast)


def dashboard(cast, **choice):
    return system_dashboard(user=cast.lead_x, ics=cast.ics_x, today=TODAY, **choice)


def by_sector(rows):
    return {row.sector: row for row in rows}


# The rules.


def test_a_sector_is_one_of_the_planning_sectors_or_none():
    assert sector_choice(None) == sector_choice("") == ""
    assert [sector_choice(code) for code in PLANNING_SECTOR_CODES] == list(PLANNING_SECTOR_CODES)
    for wrong in ("NHS_TRUSTS", "nhs", "all", " primary_care"):
        with pytest.raises(ApplicationError, match="There is no sector"):
            sector_choice(wrong)


def test_general_practice_groups_belong_to_one_sector_and_the_others_to_several():
    assert sectors_employing("primary_care") == {"primary_care"}
    assert sectors_employing("hchs") == {"nhs_trusts", "independent"}
    assert sectors_employing("social_care") == {"social_care", "independent"}
    assert sectors_employing("all") == set(PLANNING_SECTOR_CODES)
    assert [sole_sector(s) for s in ("primary_care", "hchs", "social_care", "all")] == [
        "primary_care",
        None,
        None,
        None,
    ]


def test_a_group_rolls_up_from_its_reportable_groups():
    labels = staff_group_labels()
    assert reportable_under(labels, "NUR") == ["NUR"]
    assert {"PC-GP", "PC-NUR", "PC-DPC", "PC-ADM"} <= set(reportable_under(labels, "PC"))
    every = set(reportable_under(labels, "ALL"))
    assert every == {g.code for g in labels if g.reportable}
    assert "ALL" not in every and "PC" not in every


# Totals never take in the sector rows.


def test_the_system_dashboard_reads_the_all_sector_results_only(cast, known):
    d = dashboard(cast)
    assert len(d.results) == 3 * len(YEARS)  # ALL, NUR and PC-GP once each a year
    headline = d.headline
    assert (d.staff_group, d.year) == ("ALL", YEAR)
    assert (headline.supply.p50, headline.demand.p50, headline.gap.p50) == (1000, 1300, 300)
    assert (headline.target_fte, headline.probability) == (1200, 0.3)
    assert [r.gap.p50 for r in d.series("NUR")] == [70, 80, 90, 100]


def test_the_comparison_and_the_national_view_read_the_all_sector_results_only(
    cast, known, django_capture_on_commit_callbacks
):
    national(django_capture_on_commit_callbacks, cast)
    plan = known.scenario
    other = scenario(cast.ics_x, name="Other")
    compared = scenario_comparison(
        user=cast.lead_x, ics=cast.ics_x, scenario_ids=[plan.pk, other.pk]
    )
    assert [r.gap.p50 for r in compared.compared[0].series("ALL")] == [270, 280, 290, 300]
    n = national_overview(user=cast.national, year=YEAR)
    assert {(r.ics_code, r.result.gap.p50) for r in n.rows} == {("QKK", 300), ("QOP", 600)}
    assert len(n.cells) == 2 * 3  # two systems, three staff groups, every sector together


def test_the_organisations_heatmap_and_its_sector(cast, known):
    everyone = dashboard(cast, staff_group="NUR").organisation_gaps
    assert {(c.organisation_code, c.value) for c in everyone} == {("RJ1", 60), ("G83031", 7)}
    trusts = dashboard(cast, sector="nhs_trusts").organisation_gaps
    assert [c.organisation_code for c in trusts] == ["RJ1"]


# The table by sector.


def test_the_sector_table_sums_each_sectors_figures_of_now(cast, known):
    rows = by_sector(dashboard(cast).sectors)
    assert list(rows) == [*PLANNING_SECTOR_CODES, ""]
    trusts = rows["nhs_trusts"].figures
    assert (trusts.organisations, trusts.fte, trusts.vacancies_fte) == (3, 910, 20)
    assert (trusts.vacancies_unknown, trusts.published) == (1, 1)  # RJZ's published figures
    assert trusts.vacancy_rate == pytest.approx(20 / (410 + 20))  # the returns that give them
    practices = rows["primary_care"].figures
    assert (practices.organisations, practices.fte, practices.vacancies_unknown) == (2, 8, 2)
    assert not practices.vacancies_known and practices.vacancy_rate is None
    assert practices.sources == ("NHS Digital General Practice Workforce",)
    for nobody in ("social_care", "independent"):
        assert rows[nobody].no_figures and rows[nobody].figures.organisations == 0
    total = rows[""].figures
    assert (total.organisations, total.fte, total.vacancies_unknown) == (5, 918, 3)


def test_the_sector_table_takes_the_staff_group_shown(cast, known):
    rows = by_sector(dashboard(cast, staff_group="PC-GP").sectors)
    assert rows["primary_care"].figures.fte == 8
    assert not rows["nhs_trusts"].employs and not rows["social_care"].employs
    rows = by_sector(dashboard(cast, staff_group="NUR").sectors)
    assert (rows["nhs_trusts"].figures.fte, rows["primary_care"].employs) == (910, False)


def test_each_sectors_gap_is_its_own_and_the_total_the_all_sector_one(cast, known):
    rows = by_sector(dashboard(cast).sectors)
    assert rows["nhs_trusts"].gap.p50 == 250 and rows["primary_care"].gap.p50 == 50
    assert (rows[""].gap.p10, rows[""].gap.p50, rows[""].gap.p90) == (250, 300, 350)
    assert rows["social_care"].projected is None


def test_a_target_is_the_whole_systems_unless_one_sector_alone_employs_the_group(cast, known):
    rows = by_sector(dashboard(cast).sectors)
    assert (rows[""].target_fte, rows[""].probability, rows[""].target_note) == (1200, 0.3, "")
    assert rows["nhs_trusts"].probability is None
    assert rows["nhs_trusts"].target_note == WHOLE_SYSTEM
    rows = by_sector(dashboard(cast, staff_group="PC-GP").sectors)
    assert (rows["primary_care"].target_fte, rows["primary_care"].probability) == (170, 0.6)
    rows = by_sector(dashboard(cast, staff_group="ALL", year=2026).sectors)
    assert rows[""].target_note == NO_TARGET and rows[""].probability is None


# The sector filter.


def test_a_sector_filter_shows_that_sectors_results_and_returns(cast, known):
    d = dashboard(cast, sector="nhs_trusts")
    assert d.sector == "nhs_trusts" and d.sector_name == "NHS trusts"
    assert {r.staff_group for r in d.results} == {"ALL", "NUR"}
    assert d.headline.gap.p50 == 250
    assert d.headline.target_fte is None  # every sector's target, not the trusts' alone
    assert "PC-GP" not in {g.code for g in d.staff_groups}  # trusts employ no GPs
    assert d.year == YEAR  # the target year of every sector's targets
    assert {v.organisation_code for v in d.vacancies} == {"RJ1", "RJ2"}
    assert [m.fte for m in d.trend] == [400, 110]  # the trusts' returns by month
    practices = dashboard(cast, sector="primary_care", staff_group="PC-GP")
    assert (practices.headline.target_fte, practices.headline.probability) == (170, 0.6)
    assert practices.vacancies == []  # its return leaves vacancies blank: no rate
    assert [m.fte for m in practices.trend] == [5]
    assert practices.baseline_period == dashboard(cast).baseline_period  # a run is for all


def test_a_sector_without_organisations_shows_no_figures(cast, known):
    d = dashboard(cast, sector="social_care")
    assert d.results == [] and d.vacancies == [] and d.trend == []
    assert d.staff_groups == [] or all(g.code != "NUR" for g in d.staff_groups)


def test_the_national_view_by_sector(cast, national_run):
    n = national_overview(user=cast.national, year=YEAR)
    rows = by_sector(n.sectors)
    assert rows[""].gap.p50 == 900 and rows["nhs_trusts"].gap.p50 == 750
    assert rows["nhs_trusts"].figures.fte == 910 + 2000  # QKK's and QOP's R0A, published
    assert rows["nhs_trusts"].figures.organisations == 4
    assert (rows[""].systems_with_target, rows[""].systems_likely) == (2, 0)
    assert rows["nhs_trusts"].target_note == EACH_SYSTEM
    assert rows["social_care"].no_figures
    gps = by_sector(national_overview(user=cast.national, year=YEAR, staff_group="PC-GP").sectors)
    assert (gps["primary_care"].systems_with_target, gps["primary_care"].systems_likely) == (2, 1)
    trusts = national_overview(user=cast.national, year=YEAR, sector="nhs_trusts")
    assert {(r.ics_code, r.result.gap.p50) for r in trusts.rows} == {("QKK", 250), ("QOP", 500)}
    assert all(r.result.target_fte is None for r in trusts.rows)
    gp = national_overview(
        user=cast.national, year=YEAR, sector="primary_care", staff_group="PC-GP"
    )
    assert {(r.ics_code, r.result.probability) for r in gp.rows} == {("QKK", 0.6), ("QOP", 0.9)}


# The pages.


@pytest.mark.parametrize("sector", PLANNING_SECTOR_CODES)
def test_the_dashboard_page_of_each_sector(client, cast, known, sector):
    response = signed_in(client, cast.lead_x).get(f"/systems/QKK/dashboard/?sector={sector}")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<option value="{sector}" selected>' in html
    assert "only.</strong>" in html and 'aria-current="true"' in html
    assert scripts_are_files_or_data(html)
    assert (
        f"sectors.csv?run={known.pk}&amp;staff_group=ALL&amp;year={YEAR}&amp;sector={sector}"
        in (html)
    )
    table = html.split('class="nhsuk-table app-sector-table"')[1].split("</table>")[0]
    assert table.count('scope="row"') == 5
    if sector in ("social_care", "independent"):
        assert "chart-supply-demand-figure" not in figures(html)  # nothing projected for it
    else:
        assert "(" in figures(html)["chart-supply-demand-figure"]["layout"]["title"]["text"]


def test_the_dashboard_lists_every_sector_and_says_which_have_no_figures(client, cast, known):
    html = signed_in(client, cast.lead_x).get("/systems/QKK/dashboard/").content.decode()
    table = html.split('class="nhsuk-table app-sector-table"')[1].split("</table>")[0]
    for label in ("NHS trusts", "General practice and PCNs", "Social care", "All sectors"):
        assert label in table
    assert table.count("No figures yet") == 2  # social care, independent
    assert "unknown for 1 of 3 organisations" in table
    assert "Targets are set for the whole system" in table
    assert '30% <strong class="nhsuk-tag nhsuk-tag--red">Red</strong>' in table
    assert 'href="/systems/QKK/dashboard/?run=' in table and "&amp;sector=nhs_trusts" in table
    assert "counted from published figures (NHS Digital General Practice Workforce)" in html
    bars = figures(html)["chart-sectors-figure"]["data"][0]
    assert (bars["y"], bars["x"]) == (["NHS trusts", "General practice and PCNs"], [250, 50])


def test_an_unknown_sector_is_a_400_that_says_so(client, cast, known):
    client = signed_in(client, cast.lead_x)
    response = client.get("/systems/QKK/dashboard/?sector=hospices")
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is no sector &#x27;hospices&#x27;" in html and "Every sector is shown" in html
    download = client.get("/systems/QKK/dashboard/sectors.csv?sector=hospices")
    assert download.status_code == 400 and b"There is no sector" in download.content
    national = signed_in(client, cast.national)
    assert national.get("/national/?sector=hospices").status_code == 400
    assert national.get("/national/data/sectors.csv?sector=NHS").status_code == 400


def test_the_sector_table_downloads_as_csv_and_xlsx(client, cast, known):
    client = signed_in(client, cast.lead_x)
    body = client.get(f"/systems/QKK/dashboard/sectors.csv?run={known.pk}").content.decode()
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:3] == ["Sector", "Organisations with figures", "FTE in post"]
    lines = {row[0]: row for row in rows[1:]}
    assert lines["NHS trusts"][1:4] == ["3", "910.0", "20.0"]
    assert lines["Social care"][-1] == "No figures yet"
    assert lines["All sectors"][rows[0].index("Shortfall, median")] == "300.0"
    assert lines["All sectors"][rows[0].index("Status")] == "Red"
    workbook = load_workbook(
        io.BytesIO(client.get("/systems/QKK/dashboard/sectors.xlsx?sector=primary_care").content)
    )
    about = {row[0]: row[1] for row in workbook["About"].iter_rows(values_only=True)}
    assert about["Sector"] == "General practice and PCNs"
    sheet = workbook.worksheets[0]
    assert sheet.cell(2, 1).value == "NHS trusts" and sheet.cell(2, 3).value == 910


@pytest.mark.parametrize("sector", PLANNING_SECTOR_CODES)
def test_the_national_page_of_each_sector(client, cast, national_run, sector):
    html = signed_in(client, cast.national).get(f"/national/?sector={sector}").content.decode()
    assert f'<option value="{sector}" selected>' in html and "only.</strong>" in html
    assert scripts_are_files_or_data(html)
    table = html.split('class="nhsuk-table app-sector-table"')[1].split("</table>")[0]
    assert "systems 80% or more likely" in table and table.count('scope="row"') == 5
    systems = html.split('id="systems-table"')
    if sector in ("social_care", "independent"):
        assert len(systems) == 1 or not re.findall(r"/systems/\w+/dashboard/", systems[1])
    else:
        found = re.findall(r'<a href="/systems/(\w+)/dashboard/">', systems[1])
        assert set(found) == {"QKK", "QOP"}


def test_the_sector_pages_take_a_fixed_number_of_queries(
    client, cast, known, django_assert_num_queries
):
    client = signed_in(client, cast.lead_x)
    # One sector: two more, every sector's targets and the latest month a run starts from;
    # each with one to find the central scenario, one for GPs' published headcounts and one
    # for the national backtest's band record; and four for the system's months (the
    # tracker's three and the sign-offs), where the trend's complete months end; and one
    # for the bank and agency spend against the national asks.
    with django_assert_num_queries(28):
        assert client.get("/systems/QKK/dashboard/?sector=primary_care").status_code == 200
    with django_assert_num_queries(26):
        assert client.get("/systems/QKK/dashboard/").status_code == 200


def test_results_of_runs_before_sectors_still_read_as_every_sectors(cast, known):
    """Results stored before sectors all carry sector "": the dashboard reads them as before,
    and its sector lines show only the figures of now."""
    ProjectionResult.objects.filter(run=known).exclude(sector="").delete()
    ProjectionResult.objects.filter(run=known, level="organisation").update(sector="")
    d = dashboard(cast)
    assert d.headline.gap.p50 == 300
    rows = by_sector(d.sectors)
    assert rows["nhs_trusts"].projected is None and rows["nhs_trusts"].figures.fte == 910
    assert rows[""].gap.p50 == 300


def test_gp_headcounts_count_as_fte_and_illustrative_figures_are_said_to_be(client, cast, known):
    """The sector's figures of now are the baseline's: a practice with only its GPs'
    published headcount counts at the national FTE per head; an illustrative organisation's
    figures are said to be illustrative, on the page and in the download's note."""

    def now():
        return current_figures(
            user=cast.lead_x,
            organisations=Organisation.objects.filter(memberships__ics=cast.ics_x).values("pk"),
            staff_groups=["PC-GP", "SC-CW"],
        )

    before = now().get("primary_care")
    practice = (
        Organisation.objects.filter(memberships__ics=cast.ics_x, kind="gp_practice")
        .exclude(published_figures__isnull=False)
        .order_by("code")
        .first()
    )
    PublishedFigure.objects.create(
        organisation=practice,
        staff_group=StaffGroup.objects.get(code="PC-GP"),
        period=PublishedFigure.Period.FINANCIAL_YEAR,
        month=datetime.date(2023, 4, 1),
        headcount=100,
        source="test series",
    )
    home = Organisation.objects.create(
        code="CILLUS", name="Care (illustrative)", kind="social_care", illustrative=True
    )
    OrganisationMembership.objects.create(
        organisation=home, ics=cast.ics_x, valid_from=datetime.date(2022, 7, 1)
    )
    store_return(home, month(2026, 1), {"SC-CW": {"fte": "40", "headcount": "50"}})
    after = now()
    gps = 100 * defaults.FTE_PER_HEAD["PC-GP"].ratio
    assert after["primary_care"].fte == pytest.approx((before.fte if before else 0) + gps)
    assert after["primary_care"].organisations == (before.organisations if before else 0) + 1
    assert after["social_care"].illustrative == 1 and after["primary_care"].illustrative == 0
    page = signed_in(client, cast.lead_x).get("/systems/QKK/dashboard/?staff_group=SC-CW")
    text = page.content.decode()
    assert "1 illustrative" in text
    assert "are illustrative, made for the demo by a stated rule" in text
