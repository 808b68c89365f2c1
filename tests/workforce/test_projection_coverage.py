"""A system's projection covers every kind of organisation: from its returns, else its latest
published FTE at any age, else a published headcount turned into FTE by a published national
FTE per head; the run's notes say per sector which."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from core.errors import ApplicationError
from core.models import Organisation, OrganisationMembership, PublishedFigure, StaffGroup
from workforce.projection import defaults
from workforce.projection.inputs import prepare_run
from workforce.selectors.baseline import baseline_for, published_headcounts_for
from workforce.templatetags.dashboards import coverage_lines

from .projection_data import BASELINE, scenario
from .returns_data import month, store_return

pytestmark = pytest.mark.django_db

GP_FTE_PER_HEAD = 27_574 / 37_399


def figure(
    organisation: Organisation,
    group: str,
    when: datetime.date,
    *,
    fte: str | None = None,
    headcount: int | None = None,
    period: str = PublishedFigure.Period.MONTH,
) -> None:
    PublishedFigure.objects.create(
        organisation=organisation,
        staff_group=StaffGroup.objects.get(code=group),
        period=period,
        month=when,
        fte=None if fte is None else Decimal(fte),
        headcount=headcount,
        source="test",
    )


def of_kind(cast, kind: str, index: int = 0) -> Organisation:
    return Organisation.objects.filter(
        memberships__ics=cast.ics_x, kind=kind, active=True
    ).order_by("code")[index]


def care_home(cast) -> Organisation:
    home = Organisation.objects.create(
        code="CTEST9", name="Test Care Home", kind=Organisation.Kind.SOCIAL_CARE
    )
    OrganisationMembership.objects.create(
        organisation=home, ics=cast.ics_x, valid_from=datetime.date(2022, 7, 1)
    )
    return home


def headcount_year(practice: Organisation, group: str = "PC-GP", headcount: int = 10) -> None:
    """The shipped practice series: a financial year's mean headcount, no FTE."""
    figure(
        practice,
        group,
        datetime.date(2023, 4, 1),
        headcount=headcount,
        period=PublishedFigure.Period.FINANCIAL_YEAR,
    )


def test_published_fte_of_any_age_stands_in_for_a_missing_return(cast):
    network = of_kind(cast, Organisation.Kind.PRIMARY_CARE_NETWORK)
    figure(network, "PC-DPC", month(2021, 9), fte="4")
    figure(network, "PC-DPC", month(2022, 9), fte="7.5")  # 41 months before the baseline
    series = [
        s
        for s in baseline_for(ics=cast.ics_x, period=BASELINE)
        if s.organisation_code == network.code
    ]
    assert [(s.staff_group_code, s.source, s.period, s.fte) for s in series] == [
        ("PC-DPC", "published", month(2022, 9), 7.5)
    ]


def test_a_headcount_only_practice_is_projected_by_the_published_gp_fte_per_head(cast):
    practice = of_kind(cast, Organisation.Kind.GP_PRACTICE)
    headcount_year(practice, headcount=10)
    prepared = prepare_run(scenario=scenario(cast.ics_x), ics=cast.ics_x, baseline_period=BASELINE)
    (gps,) = [s for s in prepared.series if s.organisation_code == practice.code]
    assert gps.source == "published_headcount"
    assert gps.fte == pytest.approx(10 * GP_FTE_PER_HEAD)
    assert defaults.FTE_PER_HEAD["PC-GP"].ratio == pytest.approx(GP_FTE_PER_HEAD)
    coverage = prepared.notes["coverage_by_sector"]["primary_care"]
    assert coverage["from_headcount"] == 1 and coverage["headcount_periods"] == {"2023/24": 1}
    assert "37,399" in prepared.notes["fte_per_head"]["PC-GP"]["source"]
    assert practice.code in prepared.notes["filled_from_published"]


def test_a_headcount_of_a_group_with_no_published_fte_per_head_is_not_projected_but_counted(cast):
    practice = of_kind(cast, Organisation.Kind.GP_PRACTICE)
    other = of_kind(cast, Organisation.Kind.GP_PRACTICE, 1)
    headcount_year(practice, group="PC-NUR", headcount=4)
    figure(other, "PC-GP", month(2025, 6), fte="3")
    prepared = prepare_run(scenario=scenario(cast.ics_x), ics=cast.ics_x, baseline_period=BASELINE)
    assert practice.code not in prepared.organisations
    coverage = prepared.notes["coverage_by_sector"]["primary_care"]
    assert coverage["headcount_only_not_projected"] == 1
    assert coverage["organisations"] == 1 and coverage["from_published"] == 1


def test_a_published_fte_beats_a_headcount_and_a_return_beats_both(cast):
    practice = of_kind(cast, Organisation.Kind.GP_PRACTICE)
    headcount_year(practice, headcount=10)
    figure(practice, "PC-GP", month(2022, 9), fte="6")  # older than the headcount, still FTE
    series = baseline_for(ics=cast.ics_x, period=BASELINE)
    without = {s.organisation_code for s in series}
    assert practice.code in without
    assert not published_headcounts_for(ics=cast.ics_x, period=BASELINE, without=without)
    store_return(practice, month(2026, 1), {"PC-GP": {"fte": "5", "headcount": "7"}})
    (gps,) = [
        s
        for s in baseline_for(ics=cast.ics_x, period=BASELINE)
        if s.organisation_code == practice.code
    ]
    assert gps.source == "return" and gps.fte == 5


def test_the_notes_say_per_sector_where_every_organisations_figures_came_from(cast):
    store_return(cast.trust_a, month(2026, 1), {"NUR": {}})
    figure(cast.trust_b, "NUR", month(2026, 2), fte="800")
    practice = of_kind(cast, Organisation.Kind.GP_PRACTICE)
    figure(practice, "PC-GP", month(2025, 6), fte="4")
    network = of_kind(cast, Organisation.Kind.PRIMARY_CARE_NETWORK)
    figure(network, "PC-DPC", month(2022, 9), fte="7.5")
    headcount_year(of_kind(cast, Organisation.Kind.GP_PRACTICE, 1))
    home = care_home(cast)
    store_return(home, month(2026, 2), {"SC-CW": {"fte": "40", "headcount": "50"}})
    prepared = prepare_run(scenario=scenario(cast.ics_x), ics=cast.ics_x, baseline_period=BASELINE)
    notes = prepared.notes["coverage_by_sector"]
    assert list(notes) == ["nhs_trusts", "primary_care", "social_care"]
    assert notes["nhs_trusts"] == {
        "organisations": 2,
        "from_returns": 1,
        "from_published": 1,
        "published_months": {"2026-02": 1},
        "from_headcount": 0,
        "headcount_periods": {},
        "headcount_only_not_projected": 0,
        "illustrative": 0,
    }
    assert notes["primary_care"]["organisations"] == 3
    assert notes["primary_care"]["published_months"] == {"2022-09": 1, "2025-06": 1}
    assert notes["primary_care"]["from_headcount"] == 1
    assert notes["social_care"]["from_returns"] == 1
    assert prepared.axes.sectors.codes == ("nhs_trusts", "primary_care", "social_care")


def test_a_scope_with_only_headcounts_no_one_can_convert_is_refused_with_a_reason(cast):
    headcount_year(of_kind(cast, Organisation.Kind.GP_PRACTICE), group="PC-NUR")
    with pytest.raises(ApplicationError, match="no FTE figures"):
        prepare_run(scenario=scenario(cast.ics_x), ics=cast.ics_x, baseline_period=BASELINE)


def test_the_notes_count_illustrative_organisations_and_the_run_card_says_so(cast):
    store_return(cast.trust_a, month(2026, 1), {"NUR": {}})
    home = care_home(cast)
    home.illustrative = True
    home.save()
    store_return(home, month(2026, 2), {"SC-CW": {"fte": "40", "headcount": "50"}})
    network = of_kind(cast, Organisation.Kind.PRIMARY_CARE_NETWORK)
    figure(network, "PC-DPC", month(2022, 9), fte="7.5")
    prepared = prepare_run(scenario=scenario(cast.ics_x), ics=cast.ics_x, baseline_period=BASELINE)
    coverage = prepared.notes["coverage_by_sector"]
    assert coverage["social_care"]["illustrative"] == 1
    assert coverage["nhs_trusts"]["illustrative"] == 0
    lines = coverage_lines(prepared.notes)
    assert (
        "Social care: 1 organisation, 1 from their returns; the figures of 1 are "
        "illustrative, not published." in lines
    )
    assert (
        "General practice and PCNs: 1 organisation, 0 from their returns; 1 from published "
        "figures (1 of September 2022)." in lines
    )
    assert not any("illustrative" in line for line in lines if line.startswith("NHS trusts"))
