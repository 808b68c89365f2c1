"""The board pack's words from its numbers: pure, no Django.

"Nurses & health visitors: supply reaches 12,900 FTE by 2028/29 (likely 12,400 to 13,300)
against a target of 13,600: a 15% chance of meeting it." Figures are rounded as a board reads
them (three significant figures from 1,000 up); the likely range is P10 to P90, left out where
the run has no spread (one draw).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from core.calendar import year_label


@dataclass(frozen=True)
class Range:
    """A figure's P10, P50 (median) and P90."""

    p10: float
    p50: float
    p90: float


@dataclass(frozen=True)
class Outlook:
    """One staff group of one system in the target year."""

    group: str  # the staff group's name
    year: int  # the target financial year, as the year it starts
    supply: Range
    demand: Range
    gap: Range  # demand - supply: above zero is a shortfall
    target: float | None
    probability: float | None  # of supply meeting the target


def rounded(value: float) -> str:
    """A figure as a board reads it: 12,900 for 12,873; 450 for 453; 7 for 7.4."""
    size = abs(value)
    if size < 100:
        shown = round(size)
    else:
        digits = math.floor(math.log10(size)) + 1
        shown = round(size, 3 - digits)
    text = f"{int(shown):,}"
    return f"-{text}" if value < 0 and shown else text


def _likely(band: Range, magnitude: bool = False) -> str:
    """ " (likely 12,400 to 13,300)", or "" where the range rounds to one figure."""
    low, high = (abs(band.p10), abs(band.p90)) if magnitude else (band.p10, band.p90)
    low, high = min(low, high), max(low, high)
    if rounded(low) == rounded(high):
        return ""
    return f" (likely {rounded(low)} to {rounded(high)})"


def chance(probability: float) -> str:
    """ "a 15% chance", "an 80% chance", "an 8% chance": "an" where the number is said with a
    vowel first (eight, eleven, eighteen, eighty-)."""
    percent = round(probability * 100)
    article = "an" if percent in (8, 11, 18) or 80 <= percent <= 89 else "a"
    return f"{article} {percent}% chance"


def supply_sentence(o: Outlook) -> str:
    head = (
        f"{o.group}: supply reaches {rounded(o.supply.p50)} FTE by {year_label(o.year)}"
        f"{_likely(o.supply)}"
    )
    if o.target is None:
        return f"{head}; there is no plan target for that year."
    if o.probability is None:
        return f"{head} against a target of {rounded(o.target)}."
    return f"{head} against a target of {rounded(o.target)}: {chance(o.probability)} of meeting it."


def demand_sentence(o: Outlook) -> str:
    """The shortfall against demand (or the surplus), beside demand itself."""
    demand = f"Demand reaches {rounded(o.demand.p50)} FTE"
    if rounded(o.gap.p50) == "0":
        return f"{demand}, in line with supply."
    if o.gap.p50 > 0:
        return f"{demand}, a shortfall of {rounded(o.gap.p50)} FTE against demand{_likely(o.gap)}."
    return f"{demand}: supply exceeds it by {rounded(-o.gap.p50)} FTE."


def target_gap_sentence(o: Outlook) -> str | None:
    """The gap to target (the plan target minus median supply), where there is a target."""
    if o.target is None:
        return None
    gap = o.target - o.supply.p50
    if rounded(gap) == "0":
        return "Median supply meets the plan target."
    if gap > 0:
        return f"Median supply falls {rounded(gap)} FTE short of the plan target."
    return f"Median supply exceeds the plan target by {rounded(-gap)} FTE."


def targets_sentence(year: int, counts: dict[str, int]) -> str:
    """How the staff groups' targets of the year stand: "Of the 4 staff groups with a plan
    target in 2028/29, 2 are red, 1 amber and 1 green." """
    total = sum(counts.values())
    if not total:
        return f"No staff group has a plan target in {year_label(year)}."
    if total == 1:
        colour = next(colour for colour, n in counts.items() if n)
        return f"One staff group has a plan target in {year_label(year)}: it is {colour}."
    parts = f"{counts.get('red', 0)} are red, {counts.get('amber', 0)} amber and " + (
        f"{counts.get('green', 0)} green"
    )
    return f"Of the {total} staff groups with a plan target in {year_label(year)}, {parts}."


def largest_shortfall_sentence(year: int, shortfalls: Sequence[tuple[str, float]]) -> str | None:
    """The staff group with the largest median shortfall against demand in the year, of
    (name, shortfall) pairs."""
    short = [(name, gap) for name, gap in shortfalls if rounded(gap) != "0" and gap > 0]
    if not short:
        return None
    name, gap = max(short, key=lambda pair: pair[1])
    return f"The largest shortfall in {year_label(year)} is in {name}: {rounded(gap)} FTE."


def narrative(
    o: Outlook, counts: dict[str, int], shortfalls: Sequence[tuple[str, float]]
) -> list[str]:
    """The pack's summary, sentence by sentence."""
    sentences = [supply_sentence(o), demand_sentence(o), target_gap_sentence(o)]
    sentences += [targets_sentence(o.year, counts), largest_shortfall_sentence(o.year, shortfalls)]
    return [s for s in sentences if s]


def slug(text: str) -> str:
    """Lower case words joined by hyphens: "South East London" -> "south-east-london"."""
    words = re.findall(r"[a-z0-9]+", text.lower().replace("'", ""))
    return "-".join(words) or "none"


def file_name(system: str, scenario: str, group: str, year: int, extension: str) -> str:
    """ "board-pack_south-east-london_central_nurses_2028-29.pdf"."""
    parts = [slug(system), slug(scenario), slug(group), year_label(year).replace("/", "-")]
    return f"board-pack_{'_'.join(parts)}.{extension}"
