"""Reading projection runs and their results."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from core.access import in_scope
from core.models import User
from workforce.models import ProjectionResult, ProjectionRun


def runs_visible_to(user: User) -> QuerySet[ProjectionRun]:
    """Runs of the user's systems; national runs for national users only."""
    return in_scope(
        ProjectionRun.objects.select_related("scenario", "ics", "requested_by"), user, ics="ics"
    )


def run_for(user: User, run_id: int) -> ProjectionRun | None:
    """One run, as it stands: failing runs whose worker died and sending again those saved
    while the broker was down is upkeep on a timer (`workforce.tasks.UPKEEP`), not a read's."""
    return runs_visible_to(user).filter(pk=run_id).first()


def run_results(
    run: ProjectionRun,
    *,
    level: str | None = None,
    sector: str | None = None,
    staff_group: str | None = None,
    entity: str | None = None,
    year: int | None = None,
) -> QuerySet[ProjectionResult]:
    """The run's results (or those of the earlier identical run it reuses), ordered.

    With a `sector`, the rows of that planning sector at every level; without, every
    organisation's rows and the all-sector rows (sector "") of the systems and the nation."""
    results = ProjectionResult.objects.filter(run_id=run.result_source_id)
    if level:
        results = results.filter(level=level)
    if sector is None:
        results = results.filter(Q(level=ProjectionResult.Level.ORGANISATION) | Q(sector=""))
    else:
        results = results.filter(sector=sector)
    if staff_group:
        results = results.filter(staff_group__code=staff_group)
    if entity:
        results = results.filter(entity_code=entity)
    if year:
        results = results.filter(year=year)
    return results.select_related("staff_group").order_by(
        "level", "entity_code", "sector", "staff_group__sort_order", "year"
    )


PRICES = ("nominal", "baseline")


def price_divisors(run: ProjectionRun, prices: str) -> dict[int, float] | None:
    """By financial year, what a run's spend is divided by to give it at `prices`: None for
    each year's own prices (nominal, as stored), the run's index for the baseline year's."""
    if prices == "nominal":
        return None
    stored = run.prices or (run.results_from.prices if run.results_from_id else {})
    return {int(year): float(index) for year, index in stored.items()}
