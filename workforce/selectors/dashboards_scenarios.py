"""Which system, scenario and run a dashboard shows: a system in the user's scope by its
code, the scenarios it may choose from, and the run whose results it shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import F, OuterRef, Q, QuerySet, Subquery

from core.access import in_scope, systems_in_scope
from core.models import ICS, User
from workforce.models import ProjectionRun, Scenario
from workforce.selectors.planning import central_scenario, scenarios_visible


@dataclass(frozen=True)
class ShownRun:
    scenarios: list[Scenario]  # each with `latest_run_id` and `newest_run_id`
    scenario: Scenario | None
    run: ProjectionRun | None  # the succeeded run whose results are shown
    latest_run: ProjectionRun | None  # the scenario's newest run for the system, any status


def system_for(*, user: User, code: str) -> ICS | None:
    """A system in the user's scope by its code, or None (a page for it is then 404)."""
    return systems_in_scope(user).filter(code__iexact=code).select_related("region").first()


def scenarios_for_system(*, user: User, ics: ICS) -> QuerySet[Scenario]:
    """The system's scenarios and the national ones not archived, each with `latest_run_id`:
    its newest succeeded run for this system (None if it has none). The system's own come
    first."""
    latest = ProjectionRun.objects.filter(
        scenario=OuterRef("pk"), ics=ics, status=ProjectionRun.Status.SUCCEEDED
    ).order_by("-created_at", "-id")
    return (
        scenarios_visible(user=user)
        .active()
        .filter(Q(ics=ics) | Q(ics__isnull=True))
        .annotate(latest_run_id=Subquery(latest.values("pk")[:1]))
        .order_by(F("ics").asc(nulls_last=True), "name")
    )


def _runs(user: User, ics: ICS) -> QuerySet[ProjectionRun]:
    return in_scope(ProjectionRun.objects.filter(ics=ics), user, ics="ics").select_related(
        "scenario", "requested_by", "ics"
    )


def default_scenario(scenarios: Sequence[Scenario], ics: ICS) -> Scenario | None:
    """With no run to go by: the system's "Central", else its first, else the first national."""
    own = [s for s in scenarios if s.ics_id == ics.pk]
    central = [s for s in own if s.name.lower() == "central"]
    return (central or own or list(scenarios) or [None])[0]


def _newest_run(
    runs: QuerySet[ProjectionRun], scenario: Scenario | None, fetched: ProjectionRun | None
) -> ProjectionRun | None:
    """The scenario's newest run for the system, whatever its status: most often the run
    already fetched, which then costs no query. `scenario.newest_run_id` is read unscoped,
    so it only tells which run to take; the run itself always comes through `runs`."""
    if scenario is None:
        return None
    newest = getattr(scenario, "newest_run_id", None)
    if newest is None and hasattr(scenario, "newest_run_id"):
        return None  # no run of it here at all
    if fetched is not None and fetched.pk == newest:
        return fetched
    return runs.filter(scenario=scenario).first()


def shown_run(
    *, user: User, ics: ICS, scenario_id: int | None = None, run_id: int | None = None
) -> ShownRun:
    """The scenarios a system's dashboard offers and the run it shows, for a system already
    known to be in scope.

    The run shown: `run_id` if it is a run of this system; else the latest succeeded run of
    `scenario_id`; else the latest succeeded run of the system's central scenario
    (`central_scenario`: the system's designated one, else the national one); else, where
    that has none, the latest succeeded run of any of the system's scenarios. With no run at
    all, the central scenario, else the one named "Central" (docs/decisions.md).
    """
    newest = ProjectionRun.objects.filter(scenario=OuterRef("pk"), ics=ics).order_by(
        "-created_at", "-id"
    )
    scenarios = list(
        scenarios_for_system(user=user, ics=ics).annotate(
            newest_run_id=Subquery(newest.values("pk")[:1])
        )
    )
    by_id = {s.pk: s for s in scenarios}
    runs = _runs(user, ics)
    run = scenario = None
    if run_id is not None:
        run = runs.filter(pk=run_id).first()
    if run is not None:
        scenario = by_id.get(run.scenario_id, run.scenario)
    elif scenario_id in by_id:
        scenario = by_id[scenario_id]
        run = runs.filter(pk=scenario.latest_run_id).first() if scenario.latest_run_id else None
    else:
        central = central_scenario(ics)
        scenario = by_id.get(central.pk) if central is not None else None
        if scenario is not None and scenario.latest_run_id:
            run = runs.filter(pk=scenario.latest_run_id).first()
        else:
            run = runs.filter(
                status=ProjectionRun.Status.SUCCEEDED, scenario__in=list(by_id)
            ).first()
            if run is not None:
                scenario = by_id[run.scenario_id]
            elif scenario is None:
                scenario = default_scenario(scenarios, ics)
    latest_run = _newest_run(runs, scenario, run)
    if run is not None and run.status != ProjectionRun.Status.SUCCEEDED:
        run = None
    return ShownRun(scenarios=scenarios, scenario=scenario, run=run, latest_run=latest_run)
