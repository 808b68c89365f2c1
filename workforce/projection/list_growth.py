"""General practice demand grows with the system's registered list: a pure rule, no Django.

The default demand growth of the general practice groups (PC and every group under it, PCN
Additional Roles included) is the compound annual growth of the patients registered at the
system's member practices over the last `WINDOW_YEARS` financial years of the shipped practice
series up to the baseline year: with figures to 2023/24, from 2018/19 to 2023/24, so
(patients 2023/24 / patients 2018/19) ** (1/5) - 1. Fewer years are used where the series is
shorter (at least one year apart). A scenario that sets demand growth, for the group or for
every group, overrides it; where a system has no registered-list figures, the national
default of defaults.py stands. The run's notes say which applied.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from . import defaults
from .run_data import AssumptionRow, BaselineSeries, StaffGroupNode

WINDOW_YEARS = 5


@dataclass(frozen=True)
class ListGrowth:
    """A system's registered-list growth a year, and the financial years it was measured over."""

    rate: float
    first_year: int
    last_year: int
    first_patients: int
    last_patients: int


def list_growth(
    patients_by_year: Mapping[int, int], up_to_year: int, window: int = WINDOW_YEARS
) -> ListGrowth | None:
    """The compound annual growth over the last `window` years with figures at or before
    `up_to_year` (a financial year, by the year it starts); None when there are not two
    years to compare or the first has no patients. Kept within -100% to +100%, the bounds
    of a drawn demand growth."""
    years = sorted(y for y, patients in patients_by_year.items() if y <= up_to_year and patients)
    if len(years) < 2:
        return None
    last = years[-1]
    first = min((y for y in years if y >= last - window), default=last)
    if first == last:
        return None
    start, end = patients_by_year[first], patients_by_year[last]
    rate = (end / start) ** (1 / (last - first)) - 1
    return ListGrowth(min(1.0, max(-1.0, rate)), first, last, int(start), int(end))


def general_practice_groups(groups: Sequence[StaffGroupNode]) -> set[str]:
    """The general practice group and every group under it, by the hierarchy: a group added
    under it later is one of them without a list to update."""
    children: dict[str | None, list[str]] = {}
    for g in groups:
        children.setdefault(g.parent, []).append(g.code)
    found, todo = set(), [defaults.GENERAL_PRACTICE]
    while todo:
        code = todo.pop()
        if code in found:
            continue
        found.add(code)
        todo.extend(children.get(code, ()))
    return found if any(g.code == defaults.GENERAL_PRACTICE for g in groups) else set()


def scenario_sets_growth(rows: Mapping[str | None, AssumptionRow], group: str) -> bool:
    """Whether the scenario sets demand growth for `group`, in its row for the group or for
    every group."""
    return any(rows.get(key, {}).get("demand_growth") is not None for key in (None, group))


@dataclass(frozen=True)
class GeneralPracticeGrowth:
    """Which general practice groups follow the registered lists, and each system's growth."""

    following: frozenset[str]  # groups of the run whose growth follows the lists
    set_by_scenario: frozenset[str]  # general practice groups whose growth the scenario sets
    by_ics: Mapping[str, ListGrowth | None]  # None: no figures, the national default stands

    def rates(
        self, series: Sequence[BaselineSeries], a_of: Sequence[defaults.Assumptions]
    ) -> np.ndarray:
        """Each series' demand growth: its group's, except that a general practice group the
        scenario leaves unset follows its system's registered-list growth where there is one."""
        rates = []
        for s, a in zip(series, a_of, strict=True):
            growth = self.by_ics.get(s.ics_code) if s.staff_group_code in self.following else None
            rates.append(a.demand_growth if growth is None else growth.rate)
        return np.array(rates)

    def notes(self) -> dict:
        """What the run's notes say about general practice demand growth."""
        return {
            "window_years": WINDOW_YEARS,
            "groups_following_registered_lists": sorted(self.following),
            "groups_set_by_scenario": sorted(self.set_by_scenario),
            "by_ics": {
                ics: (
                    None
                    if growth is None
                    else {
                        "rate": growth.rate,
                        "from_year": growth.first_year,
                        "to_year": growth.last_year,
                        "patients_from": growth.first_patients,
                        "patients_to": growth.last_patients,
                    }
                )
                for ics, growth in sorted(self.by_ics.items())
            },
        }


def general_practice_growth(
    groups: Sequence[StaffGroupNode],
    leaves: Iterable[str],
    rows: Mapping[str | None, AssumptionRow],
    registered_patients: Mapping[str, Mapping[int, int]],
    ics_codes: Iterable[str],
    baseline_year: int,
) -> GeneralPracticeGrowth:
    """The rule of this module for one run's leaf groups and systems."""
    general_practice = general_practice_groups(groups) & set(leaves)
    set_by_scenario = frozenset(g for g in general_practice if scenario_sets_growth(rows, g))
    following = frozenset(general_practice - set_by_scenario)
    by_ics = (
        {code: list_growth(registered_patients.get(code, {}), baseline_year) for code in ics_codes}
        if following
        else {}
    )
    return GeneralPracticeGrowth(following, set_by_scenario, by_ics)
