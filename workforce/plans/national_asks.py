"""The national planning asks on temporary staffing, with their sources: pure, no Django.

Each ask is a cut in a year's spend on bank or on agency staff against the year before, in
cash (nominal) terms, as the asks are written ("a 30% reduction based on current spending").
From a baseline year's spend, `ask_limits` gives the most each later year may spend if every
ask from then on is met; after the last year any ask covers, the limit holds at the level
reached (the asks expect reductions to be kept, never to be spent again).

`confirmed` says whether the figure was checked against the text of the source. The
2025/26 asks were; the 2026/27 to 2028/29 figures are those of issue 13 and were not found
in the text of the Medium Term Planning Framework that could be searched, so they are shown
as "to be confirmed" until someone checks them against the framework (docs/model.md,
"National asks on temporary staffing").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

BANK = "bank"
AGENCY = "agency"
KINDS = (BANK, AGENCY)

PLANNING_GUIDANCE_2025 = (
    "NHS England, 2025/26 priorities and operational planning guidance (30 January 2025)"
)
PLANNING_GUIDANCE_2025_URL = (
    "https://www.england.nhs.uk/long-read/2025-26-priorities-and-operational-planning-guidance/"
)
MEDIUM_TERM_FRAMEWORK = (
    "NHS England and DHSC, Medium Term Planning Framework, 2026/27 to 2028/29 (24 October 2025)"
)
MEDIUM_TERM_FRAMEWORK_URL = "https://www.england.nhs.uk/publication/medium-term-planning-framework/"


@dataclass(frozen=True)
class SpendAsk:
    """A cut of `reduction` (0.3 = 30%) in `kind` spend in financial `year` against the
    year before."""

    kind: str
    year: int  # the financial year, by the year it starts
    reduction: float
    source: str
    url: str
    wording: str  # what the source asks, in its words or close to them
    confirmed: bool  # checked against the source's text


NATIONAL_ASKS: tuple[SpendAsk, ...] = (
    SpendAsk(
        kind=AGENCY,
        year=2025,
        reduction=0.30,
        source=PLANNING_GUIDANCE_2025,
        url=PLANNING_GUIDANCE_2025_URL,
        wording="Reduce agency expenditure: as a minimum, every system delivers a 30% "
        "reduction based on current spending, with further reductions over this Parliament.",
        confirmed=True,
    ),
    SpendAsk(
        kind=BANK,
        year=2025,
        reduction=0.10,
        source=PLANNING_GUIDANCE_2025,
        url=PLANNING_GUIDANCE_2025_URL,
        wording="Reduce bank use: every system delivers a minimum 10% reduction.",
        confirmed=True,
    ),
    SpendAsk(
        kind=AGENCY,
        year=2026,
        reduction=0.30,
        source=MEDIUM_TERM_FRAMEWORK,
        url=MEDIUM_TERM_FRAMEWORK_URL,
        wording="Agency spend 30% lower in 2026/27 than in 2025/26.",
        confirmed=False,
    ),
    *(
        SpendAsk(
            kind=BANK,
            year=year,
            reduction=0.10,
            source=MEDIUM_TERM_FRAMEWORK,
            url=MEDIUM_TERM_FRAMEWORK_URL,
            wording="Bank spend 10% lower each year.",
            confirmed=False,
        )
        for year in (2026, 2027, 2028)
    ),
)


def asks_of(kind: str, asks: Iterable[SpendAsk] = NATIONAL_ASKS) -> dict[int, SpendAsk]:
    """The asks on `kind` spend by year. ValueError for a kind that is not bank or agency."""
    if kind not in KINDS:
        raise ValueError(f"kind must be bank or agency, not {kind!r}")
    return {ask.year: ask for ask in asks if ask.kind == kind}


def ask_limits(
    kind: str,
    *,
    baseline_year: int,
    baseline_spend: float,
    years: Iterable[int],
    asks: Iterable[SpendAsk] = NATIONAL_ASKS,
) -> dict[int, float]:
    """The most `kind` spend may be in each of `years` after `baseline_year` if every ask
    after the baseline is met, from the baseline year's spend (GBP, nominal). Asks of the
    baseline year or before are already in its spend; years not after it are left out."""
    by_year = asks_of(kind, asks)
    years = tuple(years)
    limits: dict[int, float] = {}
    limit = float(baseline_spend)
    for year in range(baseline_year + 1, max(years, default=baseline_year) + 1):
        ask = by_year.get(year)
        if ask is not None:
            limit *= 1 - ask.reduction
        limits[year] = limit
    return {year: limits[year] for year in years if year in limits}
