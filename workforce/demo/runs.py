"""Demo projection runs, so that every dashboard has results for every demo user.

For every system with demo scenarios: its "Central" scenario and the two variants the
planning step adds (so the comparison page has something to compare), and one national run
of "Central (national)" for the national view. All from the last month of the demo returns,
run here, synchronously, through the same service a worker calls (a national run in one
call, not chunks): no worker is needed, and the draws are the demo scenarios' own (500),
which keeps the step to seconds.

Depends on the planning (scenarios, targets), returns and education steps.
"""

from __future__ import annotations

from core.models import User
from workforce.models import ProjectionRun, Scenario
from workforce.projection.input_hash import ENGINE_VERSION
from workforce.services.runs import projection_run_execute

from .planning import NATIONAL_NAME
from .returns import FINAL_MONTH

SYSTEM_SCENARIOS = ("Central", "Retention push", "Lower international recruitment")


def _run(scenario: Scenario, author: User | None) -> ProjectionRun:
    return ProjectionRun.objects.create(
        scenario=scenario,
        ics=scenario.ics,
        baseline_period=FINAL_MONTH,
        requested_by=author,
        seed=scenario.seed,
        draws=scenario.draws,
        horizon=scenario.horizon,
        engine_version=ENGINE_VERSION,
    )


def seed(stdout) -> None:
    author = User.objects.filter(username="national").first()
    done = set(
        ProjectionRun.objects.filter(
            status=ProjectionRun.Status.SUCCEEDED, baseline_period=FINAL_MONTH
        ).values_list("scenario_id", flat=True)
    )
    scenarios = list(
        Scenario.objects.filter(ics__isnull=False, name__in=SYSTEM_SCENARIOS)
        .select_related("ics")
        .order_by("ics__code", "name")
    ) + list(Scenario.objects.filter(ics__isnull=True, name=NATIONAL_NAME))
    failed, count = [], 0
    for scenario in scenarios:
        if scenario.pk in done:
            continue
        run = _run(scenario, author)
        projection_run_execute(run_id=run.pk, in_chunks=False)
        run.refresh_from_db()
        count += 1
        if run.status != ProjectionRun.Status.SUCCEEDED:
            failed.append(f"{scenario.ics.code if scenario.ics else 'national'}: {run.error}")
    stdout.write(
        f"Projection runs: {count} added from {FINAL_MONTH:%B %Y} "
        f"({len(failed)} failed{': ' + '; '.join(failed[:3]) if failed else ''})."
    )
