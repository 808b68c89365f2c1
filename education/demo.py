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

Placement sectors. A trust's places are in the sector of its published organisation type (NHS
Sickness Absence Rates, March 2025, in core/reference_data/: acute, community provider, mental
health or ambulance trust; a trust not listed there is acute, its kind's default, unless its
name says it is an ambulance trust). Adult
nursing's 20 placement weeks a year take an illustrative split, a planning assumption and not
a published figure (no national source says where the weeks are spent): 14 acute, 3 community
and 3 in primary care or social care, set only while the programme has no split of its own.
Its acute places go to the acute trusts, its community places to the community trusts (or,
in a system without one, to its acute trusts, which run community services), and its primary
and social care places, illustrative too, to the system's social care providers and to a
fixed sample of its GP practices, about eight students each: no published figure says which
practices or care homes host students. About one system in seven holds those places at this
year's level while the plan grows, so the primary or social care part binds there. Practices
and care providers with places get practice educators by the trusts' rule, counting a place of
a split programme by its part's share of the weeks (educators supervise student-weeks).
Independent and voluntary providers get no demo places: no rule from published data gives any.

No international or return-to-practice intakes are seeded: the projection's scenario carries
international recruits and returners itself, and commissioning them here too would count those
people twice. Deterministic (`unit`), bulk-created, and a second run adds nothing.
"""

from __future__ import annotations

import csv
import datetime
from collections import defaultdict
from decimal import Decimal

from core.demo.common import LATEST_PUBLISHED_MONTH, unit
from core.models import ICS, Organisation, PublishedFigure
from core.selectors.reference import scope_members
from core.services.reference_data import REFERENCE_DATA_DIR
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
# An illustrative split (a planning assumption, not a published figure): see the docstring.
ILLUSTRATIVE_SPLITS = {
    "NUR-ADULT-BSC": [
        {"sectors": ["acute"], "weeks": 14.0},
        {"sectors": ["community"], "weeks": 3.0},
        {"sectors": ["primary_care", "social_care"], "weeks": 3.0},
    ],
}
# NHS Sickness Absence Rates' ORG_TYPE -> the placement sector of the trust's places.
TRUST_TYPE_SECTORS = {
    "Acute": "acute",
    "Community Provider Trust": "community",
    "Mental Health": "mental_health",
    "Ambulance": "ambulance",
}
# A practice or care home hosting students takes about eight of a year's starters (their three
# weeks in turn).
STUDENTS_PER_HOST = 8
PRIMARY_SHORT_SHARE = 0.15


def _fte_by_trust() -> tuple[dict[int, str], dict[int, dict[str, float]]]:
    """Member -> its ICS on DAY, and trust -> staff group -> published FTE (latest month)."""
    members = scope_members(ics=None, on=DAY)
    fte: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for org_id, group, value in PublishedFigure.objects.filter(
        organisation_id__in=list(members),
        organisation__kind=Organisation.Kind.NHS_TRUST,
        month=LATEST_PUBLISHED_MONTH,
    ).values_list("organisation_id", "staff_group__code", "fte"):
        fte[org_id][group] += float(value)
        fte[org_id][ALL_GROUPS] += float(value)
    return members, fte


def _trust_sectors() -> dict[str, str]:
    """Trust code -> the placement sector of its published organisation type."""
    path = REFERENCE_DATA_DIR / "nhs_sickness_absence_rates_2025-03_org_ics.csv"
    with path.open(encoding="utf-8-sig") as handle:
        return {
            row["ORG_CODE"]: TRUST_TYPE_SECTORS[row["ORG_TYPE"]]
            for row in csv.DictReader(handle)
            if row["ORG_TYPE"] in TRUST_TYPE_SECTORS
        }


def _illustrative_splits() -> None:
    """Adult nursing's illustrative split, unless the programme has a split of its own."""
    for programme in Programme.objects.filter(code__in=ILLUSTRATIVE_SPLITS):
        split = ILLUSTRATIVE_SPLITS[programme.code]
        weeks = sum(part["weeks"] for part in split)
        if not programme.placement_split and float(programme.placement_weeks_per_year) == weeks:
            programme.placement_split = split
            programme.save(update_fields=["placement_split"])


def _part_hosts(
    sectors: list[str],
    trusts: dict[int, tuple[str, float]],
    others: dict[str, list[int]],
    students: float,
) -> list[tuple[int, str, float]]:
    """(organisation, sector of its places, weight) for one part of a split programme.

    `trusts`: trust -> (its sector, its FTE in the group); `others`: "social_care" and
    "primary_care" -> the system's care providers, and its practices in a fixed sample order.
    """
    hosts = [(t, sector, w) for t, (sector, w) in trusts.items() if sector in sectors and w]
    if not hosts and "community" in sectors:
        # No community trust: the acute trusts run the community services.
        hosts = [
            (t, "community", w) for t, (sector, w) in trusts.items() if sector == "acute" and w
        ]
    if hosts or not {"primary_care", "social_care"} & set(sectors):
        return hosts
    wanted = max(1, round(students / STUDENTS_PER_HOST))
    care = others["social_care"] if "social_care" in sectors else []
    practices = others["primary_care"] if "primary_care" in sectors else []
    chosen = [(o, "social_care") for o in care][:wanted]
    chosen += [(o, "primary_care") for o in practices][: wanted - len(chosen)]
    return [(o, sector, 1.0) for o, sector in chosen]


def _shared(total: float, weights: list[float]) -> list[int]:
    """round(total) shared in proportion to `weights`, by largest remainder (so the whole
    numbers add up to it even when each host's share is small)."""
    whole = round(total)
    weight_sum = sum(weights)
    exact = [whole * w / weight_sum for w in weights]
    shares = [int(x) for x in exact]
    by_remainder = sorted(range(len(exact)), key=lambda i: (shares[i] - exact[i], i))
    for i in by_remainder[: whole - sum(shares)]:
        shares[i] += 1
    return shares


def _planned(ics: str, programme: Programme, base: float, year: int) -> int:
    apprenticeship = programme.route == Programme.Route.APPRENTICESHIP
    # Apprenticeships grow 10-45% a year (the system's ambition), degrees about 2%; the
    # noise is small enough that a plan never falls from one year to the next.
    growth = 0.1 + 0.35 * unit("growth", ics) if apprenticeship else 0.02
    level = 0.9 + 0.2 * unit("level", ics, programme.code)
    noise = 0.992 + 0.016 * unit("intake", ics, programme.code, year)
    return round(base * level * (1 + growth) ** (year - THIS_YEAR) * noise)


def _others_by_system() -> dict[str, dict[str, list[int]]]:
    """ICS -> "social_care" (its care providers) and "primary_care" (its GP practices in a
    fixed sample order) on DAY."""
    members = scope_members(ics=None, on=DAY)
    found: dict[str, dict[str, list[tuple[float, int]]]] = defaultdict(
        lambda: {"social_care": [], "primary_care": []}
    )
    kinds = {
        Organisation.Kind.SOCIAL_CARE: "social_care",
        Organisation.Kind.GP_PRACTICE: "primary_care",
    }
    for org_id, code, kind in Organisation.objects.filter(
        pk__in=list(members), kind__in=list(kinds), active=True
    ).values_list("pk", "code", "kind"):
        found[members[org_id]][kinds[kind]].append((unit("host", code), org_id))
    return {
        ics: {sector: [o for _, o in sorted(orgs)] for sector, orgs in by_sector.items()}
        for ics, by_sector in found.items()
    }


def seed(stdout) -> None:
    programmes_load()
    _illustrative_splits()
    catalogue = {p.code: p for p in Programme.objects.filter(code__in=SIZING)}
    members, fte = _fte_by_trust()
    sector_of_type = _trust_sectors()
    sector_of_trust = {
        t: sector_of_type.get(code, "ambulance" if "AMBULANCE" in name else "acute")
        for t, code, name in Organisation.objects.filter(pk__in=list(fte)).values_list(
            "pk", "code", "name"
        )
    }
    others_of = _others_by_system()
    trusts_of: dict[str, list[int]] = defaultdict(list)
    for org_id in sorted(fte):
        trusts_of[members[org_id]].append(org_id)
    intakes, placements, educators, apprenticeships = [], [], [], []
    for ics in ICS.objects.valid_on(DAY).order_by("code"):
        trusts = trusts_of.get(ics.code, [])
        others = others_of.get(ics.code, {"social_care": [], "primary_care": []})
        primary_short = unit("primary-short", ics.code) < PRIMARY_SHORT_SHARE
        # (organisation, year) -> places, each a student's share of the weeks there
        offered: dict[tuple[int, int], float] = defaultdict(float)
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
            # One group of hosts for unsplit weeks, one per part of a split: (hosts, held).
            trust_hosts = {t: (sector_of_trust[t], w) for t, w in weights.items()}
            # The weeks' share of each group, so that educators cover student-weeks.
            groups = [([(t, sector_of_trust[t], w) for t, w in weights.items()], over, 1.0)]
            if programme.placement_split:
                total_weeks = float(programme.placement_weeks_per_year)
                groups = [
                    (
                        _part_hosts(
                            part["sectors"], trust_hosts, others, plan[THIS_YEAR] * headroom
                        ),
                        over
                        if "acute" in part["sectors"]
                        else primary_short and "primary_care" in part["sectors"],
                        part["weeks"] / total_weeks,
                    )
                    for part in programme.placement_split
                ]
            for hosts, held, weeks_share in groups:
                weight_sum = sum(w for _, _, w in hosts)
                for year in CAPACITY_YEARS:
                    if held and year >= THIS_YEAR:
                        level = 0.8 + 0.1 * unit("short", ics.code, code)
                        capacity = plan[THIS_YEAR] * level
                    else:
                        capacity = plan[year] * headroom
                    shares = (
                        _shared(capacity, [w for _, _, w in hosts])
                        if programme.placement_split
                        else [round(capacity * w / weight_sum) for _, _, w in hosts]
                    )
                    for (host, sector, _), places in zip(hosts, shares, strict=True):
                        if places:
                            offered[host, year] += places * weeks_share
                            placements.append(
                                PlacementCapacity(
                                    organisation_id=host,
                                    programme=programme,
                                    sector=sector,
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
        for (host, year), places in sorted(offered.items()):
            cover = 0.93 if short and year >= EDUCATOR_SHORT_FROM else 1.1
            per_educator = Decimal(4 + int(4 * unit("per", host)) / 2)  # 4 to 5.5
            educators.append(
                EducatorCapacity(
                    organisation_id=host,
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
