"""A system's apprenticeship levy from a run's projected pay bill: each levy-paying employer's
levy and funds against the cost of its apprenticeship starts, and what the system could
transfer to its social care and general practice partners (workforce.plans.levy has the
rules). Three queries; nothing is written."""

from __future__ import annotations

import dataclasses
from collections import defaultdict

from core.models import Organisation
from education.models import ApprenticeshipStart
from workforce.models import ProjectionResult, ProjectionRun
from workforce.plans import levy as rules

TOTAL = "ALL"  # the staff group that sums every other
PARTNER_KINDS = (
    Organisation.Kind.SOCIAL_CARE,
    Organisation.Kind.GP_PRACTICE,
    Organisation.Kind.PRIMARY_CARE_NETWORK,
)
NO_COSTS = (
    "This run has no costs: its pay bill was not projected (a run from before money was "
    "projected, or one whose returns and defaults give no cost), so it has no levy to show. "
    "Run the scenario again once its organisations' costs are known."
)
SYSTEM_FIELDS = ("levy", "top_up", "funds", "starts_cost", "unspent", "could_transfer")


def _pay_bills(run: ProjectionRun) -> dict[str, dict[int, float | None]]:
    """Organisation code -> year -> P50 pay bill of all staff (None: not costed)."""
    rows = ProjectionResult.objects.filter(
        run_id=run.result_source_id,
        level=ProjectionResult.Level.ORGANISATION,
        staff_group__code=TOTAL,
    ).values_list("entity_code", "year", "pay_bill_p50")
    bills: dict[str, dict[int, float | None]] = defaultdict(dict)
    for code, year, pay_bill in rows:
        bills[code][year] = pay_bill
    return bills


def _starts(codes: list[str]) -> tuple[dict[str, list], dict[str, list], list[dict]]:
    """Priced starts of the organisations (levy funded, and all), and those with no price."""
    levy_funded: dict[str, list[rules.Start]] = defaultdict(list)
    every: dict[str, list[rules.Start]] = defaultdict(list)
    unpriced: dict[tuple[str, str], int] = defaultdict(int)
    starts = ApprenticeshipStart.objects.filter(organisation__code__in=codes).values_list(
        "organisation__code",
        "standard",
        "programme__code",
        "programme__course_years",
        "academic_year",
        "starts",
        "levy_funded",
    )
    for code, standard, programme, course_years, year, count, funded in starts:
        priced = rules.price_of(programme, standard)
        if priced is None:
            unpriced[code, standard] += count
            continue
        price = priced[1]
        start = rules.Start(year, count, price.band_maximum, course_years or price.years)
        every[code].append(start)
        if funded:
            levy_funded[code].append(start)
    no_price = [
        {"organisation": code, "standard": standard, "starts": count}
        for (code, standard), count in sorted(unpriced.items())
    ]
    return levy_funded, every, no_price


def _rules() -> list[dict]:
    return [
        {
            **dataclasses.asdict(r),
            "valid_from": r.valid_from.isoformat(),
            "levy_rate": rules.LEVY_RATE,
            "allowance": rules.LEVY_ALLOWANCE,
        }
        for r in rules.RULES
    ]


def levy_for(run: ProjectionRun) -> dict:
    """The levy view of a system's run (run.ics set): `costed` False with a `message` when
    the run has no pay bill. `employers`: those paying levy in some year, each with `years`
    (workforce.plans.levy.LevyYear's fields); `system`: their totals a year with what the
    `partners` (social care and general practice organisations paying no levy) would need
    for their own starts and could receive; `unpriced`: starts whose standard has no price;
    `not_costed`: organisations without a pay bill."""
    bills = _pay_bills(run)
    years = sorted({year for by_year in bills.values() for year in by_year})
    answer: dict = {
        "run": run.pk,
        "ics": run.ics.code if run.ics else None,
        "years": years,
        "rules": _rules(),
        "on_cost_ratio": rules.ON_COST_RATIO,
        "levy_threshold": rules.LEVY_THRESHOLD,
    }
    costed = {
        code: {year: bill for year, bill in by_year.items() if bill is not None}
        for code, by_year in bills.items()
        if any(bill is not None for bill in by_year.values())
    }
    if not costed:
        return {**answer, "costed": False, "message": NO_COSTS}
    organisations = {
        o.code: o for o in Organisation.objects.filter(code__in=list(bills)).order_by("code")
    }
    levy_funded, every, unpriced = _starts(list(bills))
    employers = []
    for code, pay_bills in sorted(costed.items()):
        cost = rules.starts_cost(levy_funded.get(code, []))
        by_year = rules.levy_years(pay_bills, cost)
        if any(y.levy > 0 for y in by_year):
            employers.append(_employer(organisations.get(code), code, by_year))
    payers = {e["organisation"] for e in employers}
    partners = [
        o for code, o in organisations.items() if o.kind in PARTNER_KINDS and code not in payers
    ]
    need: dict[int, float] = defaultdict(float)
    for partner in partners:
        for year, cost in rules.starts_cost(every.get(partner.code, [])).items():
            need[year] += cost
    system = []
    for year in years:
        total = {f: sum(_field(e, year, f) for e in employers) for f in SYSTEM_FIELDS}
        system.append(
            {
                "year": year,
                **total,
                "partners_starts_cost": need.get(year, 0.0),
                "partners_could_receive": min(total["could_transfer"], need.get(year, 0.0)),
            }
        )
    return {
        **answer,
        "costed": True,
        "message": None,
        "employers": employers,
        "system": system,
        "partners": [{"organisation": p.code, "name": p.name, "kind": p.kind} for p in partners],
        "unpriced": unpriced,
        "not_costed": sorted(set(bills) - set(costed)),
    }


def _employer(organisation: Organisation | None, code: str, years: list) -> dict:
    return {
        "organisation": code,
        "name": organisation.name if organisation else code,
        "kind": organisation.kind if organisation else "",
        "years": [dataclasses.asdict(y) for y in years],
    }


def _field(employer: dict, year: int, field: str) -> float:
    return next((y[field] for y in employer["years"] if y["year"] == year), 0.0)


CSV_FIELDS = ("organisation", "name", *(f.name for f in dataclasses.fields(rules.LevyYear)))


def levy_rows(answer: dict) -> list[tuple]:
    """The employers' years as CSV rows, in CSV_FIELDS' order."""
    return [
        (e["organisation"], e["name"], *(y[f] for f in CSV_FIELDS[2:]))
        for e in answer.get("employers", [])
        for y in e["years"]
    ]
