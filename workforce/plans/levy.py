"""The apprenticeship levy of an employer, against the cost of its apprenticeship starts. Pure.

The rules as they stand, each with its source (docs/model.md, "Apprenticeship levy", gives the
derivation and says which figures could not be checked against a published page):

- Levy: 0.5% of the employer's annual pay bill, less an allowance of £15,000 a year, which
  connected employers share (HMRC; gov.uk "How to register and use the apprenticeship service
  as an employer"). The pay bill is the earnings subject to Class 1 secondary National
  Insurance: gross pay, not employer pension or National Insurance contributions.
- From 1 April 2024 (gov.uk "Apprenticeship funding", updated 28 March 2024): levy-paying
  employers may transfer up to 50% of their annual funds, up from 25%. English employers'
  funds get a 10% government top-up and expire 24 months after they enter the account;
  employers who pay no levy have 95% of training costs paid by government (5% co-investment).
- From 1 August 2026 (the 2026 to 2027 apprenticeship funding rules; a written answer of the
  Department for Work and Pensions, 11 February 2026): the 10% top-up ends, funds expire 12
  months after they enter, and a levy payer whose funds are spent pays 25% of further costs
  (government 75%). The transfer limit and the non-levy 95% stay as they were.

Money is GBP a financial year (2027 = 2027/28), nominal, as the projection's pay bill is.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from workforce.projection.costs import AFC_2025_26, on_costs

LEVY_RATE = 0.005  # HMRC: 0.5% of the annual pay bill
LEVY_ALLOWANCE = 15_000.0  # HMRC: a year per employer; connected employers share one
LEVY_THRESHOLD = LEVY_ALLOWANCE / LEVY_RATE  # £3m: below it the levy is nil


@dataclass(frozen=True)
class FundingRules:
    """The apprenticeship funding rules in force from a date."""

    valid_from: datetime.date
    top_up: float  # share added to levy funds of English employers
    expiry_months: int  # funds expire this long after they enter the account
    transfer_share: float  # of the annual funds, the most a levy payer may transfer
    government_share_non_levy: float  # of training costs, for an employer paying no levy
    government_share_funds_spent: float  # for a levy payer whose funds are spent
    source: str


RULES: tuple[FundingRules, ...] = (
    FundingRules(
        valid_from=datetime.date(2024, 4, 1),
        top_up=0.10,
        expiry_months=24,
        transfer_share=0.50,
        government_share_non_levy=0.95,
        government_share_funds_spent=0.95,
        source="gov.uk, Apprenticeship funding (updated 28 March 2024): transfers up to 50% "
        "from April 2024; 10% top-up, 24-month expiry and 95% government co-investment as "
        "training providers and colleges report them (not read on gov.uk here)",
    ),
    FundingRules(
        valid_from=datetime.date(2026, 8, 1),
        top_up=0.0,
        expiry_months=12,
        transfer_share=0.50,
        government_share_non_levy=0.95,
        government_share_funds_spent=0.75,
        source="Department for Work and Pensions, written answer of 11 February 2026: from "
        "August 2026 no 10% top-up, funds expire after 12 months, government co-investment "
        "95% to 75% for levy payers whose funds are spent",
    ),
)


def rules_on(day: datetime.date) -> FundingRules:
    """The rules in force on `day` (the earliest set for days before it)."""
    in_force = [rules for rules in RULES if rules.valid_from <= day]
    return in_force[-1] if in_force else RULES[0]


def _months(year: int) -> list[datetime.date]:
    """The first days of the twelve months of financial year `year` (April to March)."""
    return [datetime.date(year + (m > 12), (m - 1) % 12 + 1, 1) for m in range(4, 16)]


def rules_for_year(year: int) -> FundingRules:
    """The rules of most of the financial year's months: 2026/27 takes August 2026's."""
    months = [rules_on(day) for day in _months(year)]
    return max(RULES, key=months.count)


def top_up_share(year: int) -> float:
    """The top-up of the year's funds, month by month: 2026/27 has it for April to July."""
    return sum(rules_on(day).top_up for day in _months(year)) / 12


# The pay bill the projection stores includes employer pension and National Insurance; the
# levy is on gross pay. The ratio of employer cost to gross pay at the representative pay of
# nurses (the midpoint of Agenda for Change bands 5 and 6, 2025/26) takes the on-costs out:
# about 1.368. Bands 2 to 9 give 1.35 to 1.38, so the levy base is right to about 1-2%.
REPRESENTATIVE_PAY = (AFC_2025_26["5"][0] + AFC_2025_26["6"][1]) / 2
ON_COST_RATIO = on_costs(REPRESENTATIVE_PAY) / REPRESENTATIVE_PAY


def levy_base(pay_bill: float) -> float:
    """Gross pay (the levy's pay bill) from a pay bill with on-costs: approximate."""
    return pay_bill / ON_COST_RATIO


def levy(gross_pay: float) -> float:
    """The year's levy on an employer's gross pay: 0.5% less the £15,000 allowance."""
    return max(LEVY_RATE * gross_pay - LEVY_ALLOWANCE, 0.0)


@dataclass(frozen=True)
class StandardPrice:
    """A funding band maximum (the most levy funds pay for one apprentice) and its source."""

    band_maximum: float
    years: int  # the usual length, where no programme gives one
    source: str


# A few NHS standards only; a start on any other has no price and is listed as such.
STANDARD_PRICES: dict[str, StandardPrice] = {
    "NUR-RNDA": StandardPrice(
        26_000.0,
        4,
        "Skills for Health (HASO), Registered Nurse Degree Apprenticeship: funding band "
        "maximum £26,000; 4 years (gov.uk nursing degree apprenticeship factsheet). gov.uk's "
        "current band (bands run up to £27,000) not checked",
    ),
    "NUR-NA-APP": StandardPrice(
        15_000.0,
        2,
        "Derived, not published here: a training provider gives the 5% co-investment of the "
        "nursing associate standard as £750, so a band of £15,000; 2 years (Hansard, Lords, "
        "25 June 2018)",
    ),
    "HCSW-APP": StandardPrice(
        3_000.0,
        1,
        "Skills for Health (HASO), 4 April 2019: healthcare support worker (level 2) band 4, "
        "upper limit £3,000. The level 3 (senior) band is not checked, so level 3 starts are "
        "costed at the level 2 band: a lower bound",
    ),
}
# Standards recorded by name with no programme: the names the table knows.
STANDARD_NAMES: dict[str, str] = {
    "registered nurse degree apprenticeship": "NUR-RNDA",
    "registered nurse degree (nmc 2018)": "NUR-RNDA",
    "nursing associate apprenticeship": "NUR-NA-APP",
    "nursing associate (nmc 2018)": "NUR-NA-APP",
    "healthcare support worker": "HCSW-APP",
    "healthcare support worker apprenticeship (level 2/3)": "HCSW-APP",
}


def price_of(programme_code: str | None, standard: str) -> tuple[str, StandardPrice] | None:
    """The price key and price of a start's standard, None where the table has none."""
    key = programme_code if programme_code in STANDARD_PRICES else None
    key = key or STANDARD_NAMES.get(standard.strip().lower())
    return (key, STANDARD_PRICES[key]) if key else None


@dataclass(frozen=True)
class Start:
    """Apprentices started on one standard in one year (the academic year taken as the
    financial year it starts in), with the band maximum and length that cost them."""

    year: int
    starts: int
    band_maximum: float
    years: int


def starts_cost(starts: Iterable[Start]) -> dict[int, float]:
    """Cost a year: each start's band maximum spread evenly over its years."""
    cost: dict[int, float] = {}
    for start in starts:
        a_year = start.starts * start.band_maximum / start.years
        for offset in range(start.years):
            cost[start.year + offset] = cost.get(start.year + offset, 0.0) + a_year
    return cost


@dataclass(frozen=True)
class LevyYear:
    year: int
    pay_bill: float  # with on-costs, as projected
    gross_pay: float  # the levy's pay bill, derived
    levy: float
    top_up: float
    funds: float  # levy + top-up: what enters the account in the year
    starts_cost: float
    paid_from_funds: float  # of the starts cost, what the account pays (oldest funds first)
    beyond_funds: float  # the rest, co-invested with government
    employer_co_investment: float
    expired: float  # funds whose life ends in the year unspent
    unspent: float  # the year's funds its own starts do not use
    transfer_limit: float
    could_transfer: float  # min(transfer limit, unspent)


def levy_years(pay_bills: Mapping[int, float], costs: Mapping[int, float]) -> list[LevyYear]:
    """An employer's levy, funds and their use, year by year, from its pay bill a year.

    A year's funds count as entering together and are spent oldest first; with a life of 24
    months they pay for that year's and the next year's starts, with 12 months that year's
    only (the life of the rules the funds entered under)."""
    years = sorted(pay_bills)
    pots: list[list[float]] = []  # [amount left, last year it may be spent]
    answer = []
    for year in years:
        rules = rules_for_year(year)
        gross = levy_base(pay_bills[year])
        charged = levy(gross)
        top_up = charged * top_up_share(year)
        funds = charged + top_up
        pots.append([funds, year + rules.expiry_months // 12 - 1])
        cost = costs.get(year, 0.0)
        owed = cost
        for pot in pots:
            paid = min(pot[0], owed)
            pot[0] -= paid
            owed -= paid
        expired = sum(pot[0] for pot in pots if pot[1] <= year)
        pots = [pot for pot in pots if pot[1] > year]
        share = (
            rules.government_share_funds_spent if charged > 0 else rules.government_share_non_levy
        )
        unspent = max(funds - cost, 0.0)
        limit = rules.transfer_share * funds
        answer.append(
            LevyYear(
                year=year,
                pay_bill=pay_bills[year],
                gross_pay=gross,
                levy=charged,
                top_up=top_up,
                funds=funds,
                starts_cost=cost,
                paid_from_funds=cost - owed,
                beyond_funds=owed,
                employer_co_investment=owed * (1 - share),
                expired=expired,
                unspent=unspent,
                transfer_limit=limit,
                could_transfer=min(limit, unspent),
            )
        )
    return answer
