"""Demo scenarios and plan targets for every system valid on 1 July 2026.

Scenarios: "Central (national)" with the national defaults; for each system "Central" (a
copy of it, the system's designated central scenario), "Retention push" (leaver rate one
point lower for nurses and the support to clinical staff groups) and "Lower international
recruitment" (international recruitment -30%), both based on the system's Central. 500
draws each, to keep the demo quick.

Plan targets: for each system, every reportable staff group with published FTE in it, for
2026/27 to 2030/31, sized from the system's published FTE of the latest month (an
organisation shared across systems by its share) and grown by the system's ambition, so that
systems differ as their plans would. Each system takes one of AMBITIONS by a stable rule
(holding: a little below today's workforce, where productivity is to carry demand; modest;
as planned nationally; stretching) and grows each group at that multiple of the group's
planned growth (GROWTH), with a small stable variation; holding and modest plans also make
the corporate reductions of REDUCTIONS. The ambitions are the demo's, illustrative, not any
system's published plan. From 2026/27 the strategic commissioning plan absorbs the joint
forward plan, so every demo target names the strategic commissioning plan. Bank and agency
targets follow national planning guidance (agency -30% in 2026/27 then held, bank -10% a
year) from demo baseline shares of FTE, for the clinical groups. Each NHS staff group's
target carries an illustrative financial plan: a pay budget, and bank and agency limits
where it has bank and agency targets, at what its target FTE would cost in the year
(`_with_money`). Limits are per staff group, as the targets are: there is no all-staff
target to carry a system-wide budget.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Max

from core.calendar import year_label
from core.demo.common import unit
from core.models import (
    ICS,
    OrganisationMembership,
    OrganisationShare,
    PublishedFigure,
    StaffGroup,
    User,
    valid_on_q,
)
from workforce.models import PlanTarget, Scenario, ScenarioAssumption
from workforce.plans.national_asks import AGENCY, BANK, asks_of
from workforce.projection.costs import DEFAULT_PAY_AWARD, default_cost_per_fte

DEMO_ON = datetime.date(2026, 7, 1)
BASE_YEAR = 2025  # the financial year of the latest published month (February 2026)
YEARS = range(2026, 2031)
DRAWS = 500
NATIONAL_NAME = "Central (national)"
# The costs of the levers in the demo's "Retention push", so that its cheapest plan has levers
# to choose from: illustrative round figures, not published ones (docs/model.md, "The demo's
# staffing returns (illustrative)").
ILLUSTRATIVE_LEVER_COSTS = {
    "training_place_cost": Decimal("15000"),
    "international_recruit_cost": Decimal("12000"),
    "retention_point_cost": Decimal("250"),
}
# Growth a year of the workforce plan, by staff group.
GROWTH = {
    "DOC": 0.03,
    "NUR": 0.025,
    "MID": 0.02,
    "AMB": 0.02,
    "STT": 0.025,
    "SUP-DNM": 0.02,
    "SUP-AMB": 0.02,
    "SUP-STT": 0.02,
    "INF-CEN": 0.005,
    "INF-HPE": 0.01,
    "INF-SM": 0.0,
    "INF-MGR": 0.0,
    "OTH": 0.0,
}
# A system's ambition: the multiple of GROWTH its plan targets grow at.
AMBITIONS = (("holding", -0.2), ("modest", 0.3), ("planned", 1.0), ("stretching", 1.8))
# Corporate reductions a year that holding and modest plans make (running cost reductions).
REDUCTIONS = {"INF-CEN": -0.01, "INF-SM": -0.03, "INF-MGR": -0.02}
# Bank and agency FTE at the baseline, as shares of FTE in post (demo figures).
BANK_SHARE = {"DOC": 0.05, "NUR": 0.09, "MID": 0.07, "AMB": 0.03, "STT": 0.04, "SUP-DNM": 0.10}
AGENCY_SHARE = {"DOC": 0.04, "NUR": 0.03, "MID": 0.02, "AMB": 0.01, "STT": 0.02, "SUP-DNM": 0.01}
# The national asks (workforce.plans.national_asks) of 2026/27.
AGENCY_CUT_2026 = asks_of(AGENCY)[2026].reduction
BANK_CUT_A_YEAR = asks_of(BANK)[2026].reduction
RETENTION_GROUPS = ("NUR", "SUP-DNM", "SUP-AMB", "SUP-STT")
# The financial plan of a target (illustrative): its FTE at the group's default cost per FTE
# (2025/26 pay scales with on-costs, a year), moved to the year's prices by the projection's
# default pay award, times a stable allowance of the system's between BUDGET_ALLOWANCE.
BUDGET_ALLOWANCE = (0.97, 1.03)


def _fte(value: float) -> Decimal:
    return Decimal(f"{value:.2f}")


def system_fte(systems: list[ICS]) -> dict[int, dict[str, float]]:
    """Published FTE of the latest month, by system (its members on DEMO_ON) and group."""
    latest = PublishedFigure.objects.aggregate(latest=Max("month"))["latest"]
    members = dict(
        OrganisationMembership.objects.filter(valid_on_q(DEMO_ON), ics__in=systems).values_list(
            "organisation_id", "ics_id"
        )
    )
    # An organisation shared across systems counts in each by its share, as the runs count it.
    parts: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for organisation_id, ics_id, share in OrganisationShare.objects.filter(
        valid_on_q(DEMO_ON), ics__in=systems
    ).values_list("organisation_id", "ics_id", "share"):
        parts[organisation_id].append((ics_id, float(share)))
    totals: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for organisation_id, code, fte in PublishedFigure.objects.filter(
        month=latest, organisation_id__in=list(members), staff_group__reportable=True
    ).values_list("organisation_id", "staff_group__code", "fte"):
        for ics_id, share in parts.get(organisation_id) or [(members[organisation_id], 1.0)]:
            totals[ics_id][code] += float(fte) * share
    return totals


def ambition(ics: ICS) -> tuple[str, float]:
    """The system's ambition (AMBITIONS), by a stable rule on its code."""
    return AMBITIONS[int(unit("ambition", ics.code) * len(AMBITIONS))]


def targets_for(ics: ICS, fte: dict[str, float], groups: dict[str, StaffGroup]) -> list[PlanTarget]:
    """One system's targets: each group with published FTE, for every year. No all-staff
    target: it would be the trusts' sum, while the projection's all staff is every sector's."""
    targets = []
    _name, multiple = ambition(ics)
    for code in sorted(fte, key=lambda c: groups[c].sort_order):
        if fte[code] <= 0:
            continue
        growth = (
            GROWTH.get(code, 0.0) * multiple + (unit("target growth", ics.code, code) - 0.5) * 0.005
        )
        if multiple < 1 and code in REDUCTIONS:
            growth = REDUCTIONS[code]
        for year in YEARS:
            years = year - BASE_YEAR
            target = fte[code] * (1 + growth) ** years
            bank = agency = None
            if code in BANK_SHARE:
                bank = fte[code] * BANK_SHARE[code] * (1 - BANK_CUT_A_YEAR) ** years
                agency = fte[code] * AGENCY_SHARE[code] * (1 - AGENCY_CUT_2026)
            made = _target(ics, groups[code], year, target, bank, agency)
            targets.append(_with_money(made, target, bank, agency))
    return targets


def _target(
    ics: ICS, group: StaffGroup, year: int, fte: float, bank: float | None, agency: float | None
) -> PlanTarget:
    return PlanTarget(
        ics=ics,
        staff_group=group,
        year=year,
        plan=PlanTarget.Plan.STRATEGIC_COMMISSIONING_PLAN,
        target_fte=_fte(fte),
        target_bank_fte=None if bank is None else _fte(bank),
        target_agency_fte=None if agency is None else _fte(agency),
    )


def _with_money(
    target: PlanTarget, fte: float, bank: float | None, agency: float | None
) -> PlanTarget:
    """The target with a pay budget, and bank and agency limits where it has bank and agency
    targets: what its FTE would cost in its year (BUDGET_ALLOWANCE). None for a group with no
    default cost per FTE."""
    cost = default_cost_per_fte(target.staff_group.code, "nhs_trust")
    if cost.pay is None:
        return target
    low, high = BUDGET_ALLOWANCE
    allowance = low + (high - low) * unit("budget", target.ics.code)
    a_year = 12 * (1 + DEFAULT_PAY_AWARD) ** (target.year - BASE_YEAR) * allowance
    target.pay_budget = _fte(fte * cost.pay * a_year)
    if bank is not None:
        target.bank_spend_limit = _fte(bank * cost.bank * a_year)
    if agency is not None:
        target.agency_spend_limit = _fte(agency * cost.agency * a_year)
    return target


def _scenarios(systems: list[ICS], author: User | None) -> int:
    """The national Central, each system's Central and its two variants; returns how many
    were added. Those that exist are kept as they are."""
    existing = {(s.ics_id, s.name): s for s in Scenario.objects.all()}

    def new(ics: ICS | None, name: str, description: str, based_on: Scenario | None) -> Scenario:
        return Scenario(
            ics=ics,
            name=name,
            description=description,
            based_on=based_on,
            draws=DRAWS,
            created_by=author,
        )

    national = existing.get((None, NATIONAL_NAME))
    added = 0
    # Each system's "Central", and the national one, is its designated central scenario,
    # unless the system has designated another.
    has_central = set(Scenario.objects.filter(central=True).values_list("ics_id", flat=True))
    if national is None:
        national = new(None, NATIONAL_NAME, "The national default assumptions.", None)
        national.central = None not in has_central
        national.save()
        added += 1
    centrals = [
        new(ics, "Central", f"A copy of {NATIONAL_NAME}: the national defaults.", national)
        for ics in systems
        if (ics.pk, "Central") not in existing
    ]
    for central in centrals:
        central.central = central.ics_id not in has_central
    Scenario.objects.bulk_create(centrals)
    central_of = {s.ics_id: s for s in centrals} | {
        ics_id: s for (ics_id, name), s in existing.items() if name == "Central"
    }
    variants, rows = [], []
    for ics in systems:
        central = central_of[ics.pk]
        if (ics.pk, "Retention push") not in existing:
            push = new(
                ics,
                "Retention push",
                "Leaver rate one point lower for nurses and support to clinical staff. Its "
                "levers' costs, for the cheapest plan, are illustrative, not published figures.",
                central,
            )
            variants.append(push)
            rows += [
                (push, code, {"leaver_rate_change": Decimal("-0.01")}) for code in RETENTION_GROUPS
            ]
            rows.append((push, None, ILLUSTRATIVE_LEVER_COSTS))
        if (ics.pk, "Lower international recruitment") not in existing:
            lower = new(
                ics,
                "Lower international recruitment",
                "International recruitment 30% lower for every staff group.",
                central,
            )
            variants.append(lower)
            rows.append((lower, None, {"international_change": Decimal("-0.3")}))
    Scenario.objects.bulk_create(variants)
    groups = {g.code: g for g in StaffGroup.objects.filter(code__in=RETENTION_GROUPS)}
    ScenarioAssumption.objects.bulk_create(
        ScenarioAssumption(scenario=s, staff_group=groups.get(code), **values)
        for s, code, values in rows
    )
    return added + len(centrals) + len(variants)


def seed(stdout) -> None:
    systems = list(ICS.objects.valid_on(DEMO_ON).order_by("code"))
    scenarios = _scenarios(systems, User.objects.filter(username="national").first())
    groups = {g.code: g for g in StaffGroup.objects.all()}
    fte = system_fte(systems)
    existing = set(PlanTarget.objects.values_list("ics_id", "staff_group_id", "year"))
    targets = [
        t
        for ics in systems
        for t in targets_for(ics, fte.get(ics.pk, {}), groups)
        if (ics.pk, t.staff_group_id, t.year) not in existing
    ]
    PlanTarget.objects.bulk_create(targets, batch_size=2000)
    stdout.write(
        f"Planning: {scenarios} scenarios and {len(targets)} plan targets "
        f"({year_label(YEARS[0])} to {year_label(YEARS[-1])}) added "
        f"for {len(systems)} systems."
    )
