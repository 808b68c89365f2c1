"""A scenario's standing: archived or not, and which is its system's central scenario.

Archiving hides a scenario from lists and choices and keeps it, for its runs and their pages;
it can be undone. Each system, and the nation, designates at most one central scenario:
the one its pages open on (`workforce.selectors.planning.central_scenario`). Whoever writes
a system's scenarios (its ICB lead, or a national administrator) does both, and each change
is recorded in the audit trail, as `core.services.writes` describes.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from core.errors import ApplicationError
from core.models import User
from core.services.writes import store_audited
from workforce.models import Scenario

from .scenarios import refuse_unless_planner, scenario_snapshot

CENTRAL_CANNOT_BE_ARCHIVED = (
    "This is the central scenario of its system: make another scenario central before "
    "archiving this one."
)
ARCHIVED_CANNOT_BE_CENTRAL = "An archived scenario cannot be central: unarchive it first."


def _locked(scenario: Scenario) -> Scenario:
    return (
        Scenario.objects.select_for_update(of=("self",)).select_related("ics").get(pk=scenario.pk)
    )


def _store(user: User, scenario: Scenario, before: dict) -> Scenario:
    return store_audited(
        user=user,
        instance=scenario,
        ics=scenario.ics,
        before=before,
        after=scenario_snapshot,
        duplicate=lambda: ApplicationError(
            "Another scenario was made central at the same moment: reload the page to see "
            "which, and try again.",
            status_code=409,
        ),
    )


def scenario_archive(*, user: User, scenario: Scenario) -> Scenario:
    """Hide the scenario from lists and choices; its runs keep it. Archiving an archived
    scenario changes nothing. The central scenario is not archived (409)."""
    refuse_unless_planner(user, scenario.ics)
    with transaction.atomic():
        scenario = _locked(scenario)
        if scenario.archived_at is not None:
            return scenario
        if scenario.central:
            raise ApplicationError(CENTRAL_CANNOT_BE_ARCHIVED, status_code=409)
        before = scenario_snapshot(scenario)
        scenario.archived_at = timezone.now()
        return _store(user, scenario, before)


def scenario_unarchive(*, user: User, scenario: Scenario) -> Scenario:
    """Show an archived scenario in lists and choices again."""
    refuse_unless_planner(user, scenario.ics)
    with transaction.atomic():
        scenario = _locked(scenario)
        if scenario.archived_at is None:
            return scenario
        before = scenario_snapshot(scenario)
        scenario.archived_at = None
        return _store(user, scenario, before)


def scenario_make_central(*, user: User, scenario: Scenario) -> Scenario:
    """Designate the scenario as its system's central one (national: England's); the one
    that was central stops being so, in the same transaction, and both are recorded."""
    refuse_unless_planner(user, scenario.ics)
    with transaction.atomic():
        scenario = _locked(scenario)
        if scenario.central:
            return scenario
        if scenario.archived_at is not None:
            raise ApplicationError(ARCHIVED_CANNOT_BE_CENTRAL, status_code=409)
        # Lock the one it replaces too, so that two designations at once take turns.
        for previous in (
            Scenario.objects.select_for_update(of=("self",))
            .select_related("ics")
            .filter(ics=scenario.ics, central=True)
        ):
            before = scenario_snapshot(previous)
            previous.central = False
            _store(user, previous, before)
        before = scenario_snapshot(scenario)
        scenario.central = True
        return _store(user, scenario, before)
