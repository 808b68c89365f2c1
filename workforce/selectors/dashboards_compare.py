"""Scenario comparison: two to four scenarios of one system, their latest runs side by side,
and which assumptions differ. A fixed number of queries whatever the scenarios."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Prefetch

from core.access import in_scope
from core.errors import ApplicationError
from core.models import ICS, User
from workforce.models import ProjectionRun, Scenario, ScenarioAssumption
from workforce.plans.assumptions import effective_assumptions
from workforce.projection.completeness import same_baseline
from workforce.selectors.planning import scenario_rows

from .dashboards import groups_shown, target_year
from .dashboards_results import (
    GroupYear,
    StaffGroupLabel,
    group_years,
    ics_results,
    staff_group_labels,
)
from .dashboards_scenarios import scenarios_for_system

FEWEST, MOST = 2, 4


@dataclass(frozen=True)
class ScenarioRun:
    scenario: Scenario
    run: ProjectionRun | None  # its latest succeeded run for the system
    results: list[GroupYear]

    def series(self, staff_group: str) -> list[GroupYear]:
        return [r for r in self.results if r.staff_group == staff_group]

    def in_year(self, year: int | None) -> list[GroupYear]:
        return [r for r in self.results if r.year == year]


@dataclass(frozen=True)
class AssumptionDifference:
    """One assumption that is not the same in every scenario compared."""

    staff_group: str  # the staff group's name, or "Every staff group" for settings
    label: str
    values: tuple[str, ...]  # as a workforce lead reads them, one per scenario


@dataclass
class Comparison:
    ics: ICS
    choices: list[Scenario]  # every scenario that may be compared, with `latest_run_id`
    compared: list[ScenarioRun]
    staff_groups: list[StaffGroupLabel]
    staff_group: str
    years: list[int]
    year: int | None
    differences: list[AssumptionDifference]
    names: dict[str, str] = field(default_factory=dict)

    @property
    def reportable(self) -> set[str]:
        return {g.code for g in self.staff_groups if g.reportable}

    @property
    def runs(self) -> list[ProjectionRun]:
        return [c.run for c in self.compared if c.run is not None]

    @property
    def comparable(self) -> bool:
        """Whether the runs stand on one baseline: the same month, built on the same figures.
        Runs of different baselines differ by their data as well as by their assumptions, so
        the page does not draw them side by side."""
        return same_baseline([(r.baseline_period, r.completeness) for r in self.runs])

    @property
    def chosen(self) -> list[tuple[ScenarioRun, GroupYear | None]]:
        """Each scenario with its figures for the chosen staff group and year (None: none)."""
        return [
            (
                item,
                next(
                    (r for r in item.in_year(self.year) if r.staff_group == self.staff_group), None
                ),
            )
            for item in self.compared
        ]

    @property
    def has_money(self) -> bool:
        return any(r is not None and r.money is not None for _item, r in self.chosen)

    @property
    def baselines(self) -> list:
        """The compared runs' baseline months, the newest first: those offered to run every
        scenario on."""
        return sorted({r.baseline_period for r in self.runs}, reverse=True)


def parse_scenario_ids(text: str | None) -> list[int]:
    """ "1,2,3" -> [1, 2, 3], in order and without repeats; anything else is an error."""
    ids: list[int] = []
    for part in (text or "").replace(" ", "").split(","):
        if not part:
            continue
        if not part.isdigit():
            raise ApplicationError("Choose scenarios by their numbers, e.g. ?scenarios=1,2.")
        if int(part) not in ids:
            ids.append(int(part))
    return ids


SETTINGS = (("horizon", "Years projected"), ("draws", "Draws (uncertainty samples)"))


EVERY_GROUP = "Every staff group"


def assumption_differences(
    scenarios: Sequence[Scenario], groups: Sequence[StaffGroupLabel]
) -> list[AssumptionDifference]:
    """Every setting and every staff group's effective assumption that differs between the
    scenarios (their assumption rows prefetched). A difference that every one of `groups`
    shares alike (a scenario-wide assumption) reads as one line for every staff group."""
    found = [
        AssumptionDifference(EVERY_GROUP, label, tuple(str(getattr(s, n)) for s in scenarios))
        for n, label in SETTINGS
        if len({getattr(s, n) for s in scenarios}) > 1
    ]
    leaves = [(g.code, g.name) for g in groups]
    resolved = [effective_assumptions(leaves, scenario_rows(s)) for s in scenarios]
    by_assumption: dict[tuple[str, tuple[str, ...]], list[AssumptionDifference]] = {}
    for per_group in zip(*resolved, strict=True):
        for values in zip(*(g.values for g in per_group), strict=True):
            if len({v.value for v in values}) > 1:
                texts = tuple(v.text for v in values)
                difference = AssumptionDifference(
                    per_group[0].staff_group_name, values[0].label, texts
                )
                by_assumption.setdefault((values[0].label, texts), []).append(difference)
    per_group_found = []
    for (label, texts), items in by_assumption.items():
        if len(leaves) > 1 and len(items) == len(leaves):
            found.append(AssumptionDifference(EVERY_GROUP, label, texts))
        else:
            per_group_found += items
    order = {name: i for i, (_, name) in enumerate(leaves)}
    return found + sorted(per_group_found, key=lambda d: order[d.staff_group])


def scenario_comparison(
    *,
    user: User,
    ics: ICS,
    scenario_ids: Sequence[int],
    staff_group: str | None = None,
    year: int | None = None,
) -> Comparison:
    """The scenarios asked for (2 to 4 of the system's and the national ones) with their latest
    succeeded runs here. Raises ApplicationError for fewer, more, or unknown ones."""
    choices = list(scenarios_for_system(user=user, ics=ics))
    by_id = {s.pk: s for s in choices}
    unknown = [i for i in scenario_ids if i not in by_id]
    if unknown:
        raise ApplicationError(f"No scenario {unknown[0]} of {ics.name} to compare.")
    if not FEWEST <= len(scenario_ids) <= MOST:
        raise ApplicationError(f"Choose from {FEWEST} to {MOST} scenarios to compare.")
    rows = ScenarioAssumption.objects.select_related("staff_group")
    scenarios = list(
        Scenario.objects.filter(pk__in=list(scenario_ids)).prefetch_related(
            Prefetch("assumptions", rows)
        )
    )
    scenarios.sort(key=lambda s: list(scenario_ids).index(s.pk))
    run_ids = [by_id[s.pk].latest_run_id for s in scenarios if by_id[s.pk].latest_run_id]
    runs = {
        r.pk: r for r in in_scope(ProjectionRun.objects.filter(pk__in=run_ids), user, ics="ics")
    }
    results_of = {run_id: [] for run_id in {r.result_source_id for r in runs.values()}}
    for row in ics_results(list(results_of), ics.code):
        results_of[row["run_id"]].append(row)
    compared = []
    for scenario in scenarios:
        run = runs.get(by_id[scenario.pk].latest_run_id)
        results = group_years(results_of[run.result_source_id]) if run else []
        compared.append(ScenarioRun(scenario, run, results))
    labels = staff_group_labels()
    every = [r for c in compared for r in c.results]
    groups, staff_group = groups_shown(labels, every, staff_group)
    years = sorted({r.year for r in every})
    return Comparison(
        ics=ics,
        choices=choices,
        compared=compared,
        staff_groups=groups,
        staff_group=staff_group,
        years=years,
        year=target_year(every, years, year),
        differences=assumption_differences(
            scenarios, [g for g in groups if g.reportable] or [g for g in labels if g.reportable]
        ),
        names={g.code: g.name for g in labels},
    )
