"""Known figures by planning sector for the dashboard tests: results written by hand (so the
sums are known whatever the engine does) and figures of now in South East London (QKK).

The results of 2028/29 for QKK, all sectors ("") and by sector:

| group | sector       | supply | demand | gap | target | probability |
|-------|--------------|--------|--------|-----|--------|-------------|
| ALL   | ""           | 1000   | 1300   | 300 | 1200   | 0.3         |
| ALL   | nhs_trusts   | 800    | 1050   | 250 |        |             |
| ALL   | primary_care | 200    | 250    | 50  |        |             |
| NUR   | ""           | 800    | 900    | 100 | 900    | 0.9         |
| NUR   | nhs_trusts   | 800    | 900    | 100 |        |             |
| PC-GP | ""           | 150    | 190    | 40  | 170    | 0.6         |
| PC-GP | primary_care | 150    | 190    | 40  |        |             |

Gaps' P10 and P90 are 50 below and above; other years add 10 a year to the gap. Adding
the sector rows to the totals would double every one of them.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from core.models import ICS, Organisation, PublishedFigure, StaffGroup
from workforce.models import ProjectionResult, ProjectionRun, StaffingReturnRow

from .projection_data import BASELINE
from .returns_data import month, store_return

YEAR = 2028
YEARS = (2025, 2026, 2027, 2028)
# (group, sector, supply, demand, target, probability) in YEAR.
ICS_ROWS = (
    ("ALL", "", 1000, 1300, 1200, 0.3),
    ("ALL", "nhs_trusts", 800, 1050, None, None),
    ("ALL", "primary_care", 200, 250, None, None),
    ("NUR", "", 800, 900, 900, 0.9),
    ("NUR", "nhs_trusts", 800, 900, None, None),
    ("PC-GP", "", 150, 190, 170, 0.6),
    ("PC-GP", "primary_care", 150, 190, None, None),
)
TRUST_WITH_PUBLISHED_FIGURES = "RJZ"  # King's College Hospital, in QKK, sends no return
PRACTICE_WITH_A_RETURN = "G83031"
PRACTICE_WITH_PUBLISHED_FIGURES = "G85721"


def result(
    run: ProjectionRun,
    level: str,
    entity: str,
    sector: str,
    group: str,
    year: int,
    supply: float,
    demand: float,
    target: float | None = None,
    probability: float | None = None,
) -> ProjectionResult:
    gap = demand - supply + 10 * (year - YEAR)
    return ProjectionResult(
        run=run,
        level=level,
        entity_code=entity,
        sector=sector,
        staff_group=StaffGroup.objects.get(code=group),
        year=year,
        supply_p10=supply - 20,
        supply_p50=supply,
        supply_p90=supply + 20,
        demand_p10=demand - 20,
        demand_p50=demand,
        demand_p90=demand + 20,
        gap_p10=gap - 50,
        gap_p50=gap,
        gap_p90=gap + 50,
        target_fte=target if year == YEAR else None,
        probability_meets_target=probability if year == YEAR else None,
    )


def ics_results(run: ProjectionRun, ics: str, *, scale: float = 1.0) -> list[ProjectionResult]:
    """The table above for one system (figures times `scale`), every year."""
    return [
        result(
            run,
            ProjectionResult.Level.ICS,
            ics,
            sector,
            group,
            year,
            supply * scale,
            demand * scale,
            None if target is None else target * scale,
            probability,
        )
        for group, sector, supply, demand, target, probability in ICS_ROWS
        for year in YEARS
    ]


def known_results(run: ProjectionRun) -> None:
    """Replace a system run's results with the known ones, and two organisations' own."""
    ProjectionResult.objects.filter(run=run).delete()
    rows = ics_results(run, run.ics.code)
    organisation = ProjectionResult.Level.ORGANISATION
    rows += [
        result(run, organisation, "RJ1", "nhs_trusts", "NUR", year, 500, 560) for year in YEARS
    ]
    rows += [
        result(run, organisation, PRACTICE_WITH_A_RETURN, "primary_care", "PC-GP", year, 20, 27)
        for year in YEARS
    ]
    ProjectionResult.objects.bulk_create(rows)


def known_national_results(run: ProjectionRun) -> None:
    """Replace a national run's results: QKK as above, QOP twice its size (PC-GP 0.9 likely),
    and the nation: the sum of the two."""
    ProjectionResult.objects.filter(run=run).delete()
    rows = ics_results(run, "QKK") + ics_results(run, "QOP", scale=2)
    for row in rows:
        if row.entity_code == "QOP" and row.probability_meets_target is not None:
            row.probability_meets_target = 0.9 if row.staff_group.code == "PC-GP" else 0.5
    national = ProjectionResult.Level.NATIONAL
    rows += [
        result(run, national, "ENG", sector, group, year, supply * 3, demand * 3)
        for group, sector, supply, demand, _target, _probability in ICS_ROWS
        for year in YEARS
    ]
    ProjectionResult.objects.bulk_create(rows)


def publish(code: str, group: str, fte: float, source: str, when: datetime.date) -> None:
    PublishedFigure.objects.create(
        organisation=Organisation.objects.get(code=code),
        staff_group=StaffGroup.objects.get(code=group),
        month=when,
        fte=Decimal(str(fte)),
        source=source,
    )


def figures_of_now(cast) -> None:
    """QKK's figures of now, for every staff group together:

    - NHS trusts: RJ1's October return (nurses 110 FTE, 20 vacancies; its September one and
      its published figures do not count), RJ2's September return (300 FTE, no vacancies),
      and RJZ's published 500 FTE: 3 organisations, 910 FTE, 20 vacancies known, 1 unknown.
    - General practice: a practice's return (GPs 5 FTE, vacancies left blank) and another's
      published 3 FTE (an older month of 9 FTE does not count): 2 organisations, 8 FTE,
      vacancies unknown for both.
    - Social care, independent: nobody.
    """
    figures_a = {"NUR": {"fte": "100", "vacancies_fte": "10"}}
    store_return(cast.trust_a, month(2026, 9), figures_a)
    store_return(cast.trust_a, month(2026, 10), {"NUR": {"fte": "110", "vacancies_fte": "20"}})
    store_return(cast.trust_b, month(2026, 9), {"NUR": {"fte": "300", "vacancies_fte": "0"}})
    publish("RJ1", "NUR", 9999, "NHS Workforce Statistics", month(2026, 8))
    for when, fte in ((BASELINE, 450), (month(2026, 8), 500)):  # the runs' baseline, and now
        publish(TRUST_WITH_PUBLISHED_FIGURES, "NUR", fte, "NHS Workforce Statistics", when)
    practice = Organisation.objects.get(code=PRACTICE_WITH_A_RETURN)
    store_return(practice, month(2026, 10), {"PC-GP": {"fte": "5"}})
    StaffingReturnRow.objects.filter(staffing_return__organisation=practice).update(
        vacancies_fte=None
    )
    source = "NHS Digital General Practice Workforce"
    publish(PRACTICE_WITH_PUBLISHED_FIGURES, "PC-GP", 9, source, month(2026, 6))
    publish(PRACTICE_WITH_PUBLISHED_FIGURES, "PC-GP", 3, source, month(2026, 9))


def system(code: str = "QKK") -> ICS:
    return ICS.objects.get(code=code)
