"""What each "what it takes" lever costs, year by year to the target year. Pure, no Django.

The costs are the levers' own (commissioning places, recruiting from abroad, keeping staff),
not the pay of the extra staff in post, which every lever adds alike. Years are financial
years; an academic year's training cost falls in the financial year its September is in.

- Training places: every extra student costs `training_place_cost` for each year of the
  course (attrition is not taken off, so the figure errs high).
- International recruits: `international_recruit_cost` once for each recruit, at the planned
  number (the run's draws move how many arrive, not what was paid for).
- Leaver-rate reduction: `retention_point_cost` a year for each FTE in post for each point,
  on the baseline FTE of the system's staff group: known before any plan, and so linear in
  the points (the P50 FTE would itself move with the cut).
- Extra joiners: no cost assumption exists for domestic recruitment, so none is shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

TRAINING_PLACES = "training_places"
INTERNATIONAL_RECRUITS = "international_recruits"
RETENTION = "leaver_rate_reduction"
EXTRA_JOINERS = "extra_joiners"

NOT_SET = {
    TRAINING_PLACES: "No cost set for training places: set training_place_cost in the scenario.",
    INTERNATIONAL_RECRUITS: (
        "No cost set for international recruits: set international_recruit_cost in the scenario."
    ),
    RETENTION: ("No cost set for a lower leaver rate: set retention_point_cost in the scenario."),
    EXTRA_JOINERS: (
        "No cost assumption for domestic joiners: the scenario has none, and the cost of an "
        "international recruit (visas, travel, agency fees) would misprice them."
    ),
}


@dataclass(frozen=True)
class LeverCost:
    """A lever's cost by financial year and in total to the target year, or why there is none."""

    by_year: Mapping[int, float]  # financial year -> GBP; empty when not costed
    total: float | None
    not_set: str | None = None

    def as_dict(self) -> dict:
        return {
            "total_gbp": self.total,
            "by_year": [{"year": y, "gbp": v} for y, v in sorted(self.by_year.items())],
            "not_set": self.not_set,
        }


def not_costed(lever: str) -> LeverCost:
    return LeverCost({}, None, NOT_SET[lever])


def _costed(by_year: dict[int, float]) -> LeverCost:
    return LeverCost(by_year, float(sum(by_year.values())))


def training_places_cost(
    places_by_academic_year: Mapping[int, float],
    course_years: int,
    cost_a_year: float | None,
    last_year: int,
) -> LeverCost:
    """Extra places started in each academic year, each costing `cost_a_year` for every year
    of the course up to financial year `last_year`."""
    if cost_a_year is None:
        return not_costed(TRAINING_PLACES)
    by_year: dict[int, float] = {}
    for start, places in places_by_academic_year.items():
        for year in range(start, min(start + course_years, last_year + 1)):
            by_year[year] = by_year.get(year, 0.0) + places * cost_a_year
    return _costed(by_year)


def international_recruits_cost(
    recruits_a_year: float, cost_each: float | None, first_year: int, last_year: int
) -> LeverCost:
    """`recruits_a_year` recruited in each financial year from `first_year` to `last_year`."""
    if cost_each is None:
        return not_costed(INTERNATIONAL_RECRUITS)
    return _costed({y: recruits_a_year * cost_each for y in range(first_year, last_year + 1)})


def retention_cost(
    points: float, cost_per_fte_point: float | None, fte: float, first_year: int, last_year: int
) -> LeverCost:
    """A leaver rate `points` lower from `first_year` to `last_year`, on `fte` in post."""
    if cost_per_fte_point is None:
        return not_costed(RETENTION)
    a_year = points * cost_per_fte_point * fte
    return _costed({y: a_year for y in range(first_year, last_year + 1)})
