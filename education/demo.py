"""Demo education plans for every system: intakes, placement and educator capacity, apprentices.

Sized from each system's workforce: a programme's yearly intake is a share of the published FTE
of the staff group it feeds at the system's trusts (adult nursing about 3% of nursing FTE, all
nursing degrees together about 4.5%). Degree places grow about 2% a year, apprenticeships
faster, as the Long Term Workforce Plan asks. Intakes run from 2020/21 (actual starts to
2025/26), so the students who qualify from 2026/27 on are there; capacity from 2024/25.
Placement capacity is shared among the trusts by
their FTE in that group, with headroom over the plan, except for about one programme in ten,
whose capacity stays at this year's level while its plan grows: those are flagged over
capacity. About one system in ten runs short of practice educators from 2029/30.

No international or return-to-practice intakes are seeded: the projection's scenario carries
international recruits and returners itself, and commissioning them here too would count those
people twice. Deterministic (`unit`), bulk-created, and a second run adds nothing.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from core.demo.common import LATEST_PUBLISHED_MONTH, unit
from core.models import ICS, PublishedFigure
from core.selectors.reference import scope_members
from education.models import (
    ApprenticeshipStart,
    CommissionedIntake,
    EducatorCapacity,
    PlacementCapacity,
    Programme,
)
from education.services import programmes_load

DAY = datetime.date(2026, 7, 1)
# Intakes from 2020, so that the students qualifying in 2026/27 and after (up to five-year
# courses) are there; capacity from 2024, the first year the page shows.
YEARS = range(2020, 2031)
CAPACITY_YEARS = range(2024, 2031)
THIS_YEAR = 2026  # the demo's current academic year: its capacity is what the flagged keep
STARTED = range(2020, 2026)  # academic years whose actual starts are recorded
APPRENTICES_RECORDED = (2024, 2025)
ALL_GROUPS = "ALL"
# programme -> (the staff group whose FTE sizes it, intake a year as a share of that FTE)
SIZING = {
    "NUR-ADULT-BSC": ("NUR", 0.030),
    "NUR-MH-BSC": ("NUR", 0.008),
    "NUR-CHILD-BSC": ("NUR", 0.005),
    "NUR-LD-BSC": ("NUR", 0.0015),
    "NUR-PREREG-MSC": ("NUR", 0.002),
    "NUR-RNDA": ("NUR", 0.005),
    "NUR-NA-APP": ("NUR", 0.006),
    "MID-BSC": ("MID", 0.08),
    "MID-RMDA": ("MID", 0.006),
    "MED-MBBS": ("DOC", 0.05),
    "MED-DDA": ("DOC", 0.002),
    "GP-ST": ("DOC", 0.025),
    "PARA-BSC": ("AMB", 0.05),
    "PARA-DA": ("AMB", 0.01),
    "PHYSIO-BSC": ("STT", 0.012),
    "PHYSIO-DA": ("STT", 0.001),
    "OT-BSC": ("STT", 0.010),
    "OT-DA": ("STT", 0.001),
    "RAD-DIAG-BSC": ("STT", 0.007),
    "RAD-THER-BSC": ("STT", 0.002),
    "SLT-BSC": ("STT", 0.003),
    "DIET-BSC": ("STT", 0.002),
    "POD-BSC": ("STT", 0.0015),
    "ODP-BSC": ("STT", 0.004),
    "HCS-PTP-BSC": ("STT", 0.003),
    "PHARM-MPHARM": ("STT", 0.004),
    "PHARM-TECH-APP": ("STT", 0.002),
    "HCSW-APP": ("SUP-DNM", 0.01),
    "SC-CW-APP": (ALL_GROUPS, 0.002),
}
OVER_CAPACITY_SHARE = 0.07
EDUCATOR_SHORT_SHARE = 0.1
EDUCATOR_SHORT_FROM = 2029
OTHER_STANDARD = "Business administrator (level 3)"


def _fte_by_trust() -> tuple[dict[int, str], dict[int, dict[str, float]]]:
    """Trust -> its ICS on DAY, and trust -> staff group -> published FTE (latest month)."""
    members = scope_members(ics=None, on=DAY)
    fte: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for org_id, group, value in PublishedFigure.objects.filter(
        organisation_id__in=list(members), month=LATEST_PUBLISHED_MONTH
    ).values_list("organisation_id", "staff_group__code", "fte"):
        fte[org_id][group] += float(value)
        fte[org_id][ALL_GROUPS] += float(value)
    return members, fte


def _planned(ics: str, programme: Programme, base: float, year: int) -> int:
    apprenticeship = programme.route == Programme.Route.APPRENTICESHIP
    # Apprenticeships grow 10-45% a year (the system's ambition), degrees about 2%; the
    # noise is small enough that a plan never falls from one year to the next.
    growth = 0.1 + 0.35 * unit("growth", ics) if apprenticeship else 0.02
    level = 0.9 + 0.2 * unit("level", ics, programme.code)
    noise = 0.992 + 0.016 * unit("intake", ics, programme.code, year)
    return round(base * level * (1 + growth) ** (year - THIS_YEAR) * noise)


def seed(stdout) -> None:
    programmes_load()
    catalogue = {p.code: p for p in Programme.objects.filter(code__in=SIZING)}
    members, fte = _fte_by_trust()
    trusts_of: dict[str, list[int]] = defaultdict(list)
    for org_id in sorted(fte):
        trusts_of[members[org_id]].append(org_id)
    intakes, placements, educators, apprenticeships = [], [], [], []
    for ics in ICS.objects.valid_on(DAY).order_by("code"):
        trusts = trusts_of.get(ics.code, [])
        offered: dict[tuple[int, int], int] = defaultdict(int)  # (trust, year) -> places
        for code, (group, share) in SIZING.items():
            programme = catalogue[code]
            weights = {t: fte[t].get(group, 0.0) for t in trusts}
            base = share * sum(weights.values())
            if base < 1:
                continue  # no such staff at the system's trusts (paramedics: no ambulance trust)
            plan = {year: _planned(ics.code, programme, base, year) for year in YEARS}
            for year in YEARS:
                started = None
                if year in STARTED:
                    started = round(plan[year] * (0.88 + 0.14 * unit("starts", ics.code, code)))
                intakes.append(
                    CommissionedIntake(
                        ics=ics,
                        programme=programme,
                        academic_year=year,
                        planned_places=plan[year],
                        actual_starts=started,
                    )
                )
            if programme.placement_weeks_per_year == 0:
                continue
            over = unit("over", ics.code, code) < OVER_CAPACITY_SHARE
            headroom = 1.05 + 0.2 * unit("headroom", ics.code, code)
            total_weight = sum(weights.values())
            for year in CAPACITY_YEARS:
                if over and year >= THIS_YEAR:
                    capacity = plan[THIS_YEAR] * (0.8 + 0.1 * unit("short", ics.code, code))
                else:
                    capacity = plan[year] * headroom
                for trust, weight in weights.items():
                    places = round(capacity * weight / total_weight)
                    if places:
                        offered[trust, year] += places
                        placements.append(
                            PlacementCapacity(
                                organisation_id=trust,
                                programme=programme,
                                academic_year=year,
                                places=places,
                            )
                        )
            if programme.route == Programme.Route.APPRENTICESHIP:
                for trust, weight in weights.items():
                    for year in APPRENTICES_RECORDED:
                        starts = round(plan[year] * weight / total_weight)
                        if starts:
                            apprenticeships.append(
                                ApprenticeshipStart(
                                    organisation_id=trust,
                                    standard=programme.name,
                                    programme=programme,
                                    academic_year=year,
                                    starts=starts,
                                    levy_funded=unit("levy", trust, code) < 0.85,
                                )
                            )
        short = unit("educators", ics.code) < EDUCATOR_SHORT_SHARE
        for (trust, year), places in sorted(offered.items()):
            cover = 0.93 if short and year >= EDUCATOR_SHORT_FROM else 1.1
            per_educator = Decimal(4 + int(4 * unit("per", trust)) / 2)  # 4 to 5.5
            educators.append(
                EducatorCapacity(
                    organisation_id=trust,
                    academic_year=year,
                    educator_fte=Decimal(f"{places * cover / float(per_educator):.2f}"),
                    students_per_educator=per_educator,
                )
            )
        for trust in trusts:
            for year in APPRENTICES_RECORDED:
                apprenticeships.append(
                    ApprenticeshipStart(
                        organisation_id=trust,
                        standard=OTHER_STANDARD,
                        academic_year=year,
                        starts=1 + int(10 * unit("admin", trust, year)),
                        levy_funded=True,
                    )
                )
    for model, rows in (
        (CommissionedIntake, intakes),
        (PlacementCapacity, placements),
        (EducatorCapacity, educators),
        (ApprenticeshipStart, apprenticeships),
    ):
        model.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    stdout.write(
        f"Education: {len(intakes)} intakes, {len(placements)} placement and {len(educators)} "
        f"educator figures, {len(apprenticeships)} apprenticeship counts (existing ones kept)."
    )
