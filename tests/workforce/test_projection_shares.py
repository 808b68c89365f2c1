"""A trust shared across systems in runs: its host and the other system each count their
share of it, the nation all of it once, and a run of the other system takes its part."""

from __future__ import annotations

import datetime

import pytest

from core.models import OrganisationShare
from workforce.models import ProjectionResult, ProjectionRun
from workforce.services.runs import projection_run_start

from .projection_data import BASELINE, publish, scenario

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared_trust(cast):
    """RJ1 (hosted in South East London) counted 60% there and 40% in Greater Manchester
    from January 2026; R0A in Greater Manchester and RJ2 in South East London not shared."""
    publish(cast.trust_a, {"NUR": 1000, "DOC": 200})
    publish(cast.trust_b, {"NUR": 500})
    publish(cast.trust_c, {"NUR": 800})
    january = datetime.date(2026, 1, 1)
    OrganisationShare.objects.create(
        organisation=cast.trust_a, ics=cast.ics_x, share="0.6", valid_from=january
    )
    OrganisationShare.objects.create(
        organisation=cast.trust_a, ics=cast.ics_y, share="0.4", valid_from=january
    )


def _run(cast, capture, ics=None) -> ProjectionRun:
    plan = scenario(None, draws=1, name=f"Shares {ics}")
    with capture(execute=True):
        run = projection_run_start(
            user=cast.national, scenario=plan, ics=ics, baseline_period=BASELINE
        )
    run.refresh_from_db()
    assert run.status == ProjectionRun.Status.SUCCEEDED, run.error
    return run


def _p50(run, level, code, group="NUR", year=2030, sector=None) -> float:
    if sector is None:  # an organisation's rows carry its sector, a system's all-sector rows ""
        sector = "nhs_trusts" if level == "organisation" else ""
    return ProjectionResult.objects.get(
        run=run, level=level, entity_code=code, staff_group__code=group, year=year, sector=sector
    ).supply_p50


def test_each_system_counts_its_share_and_the_nation_all_of_it(
    cast, shared_trust, django_capture_on_commit_callbacks
):
    run = _run(cast, django_capture_on_commit_callbacks)
    rj1, rj2, r0a = (_p50(run, "organisation", code) for code in ("RJ1", "RJ2", "R0A"))
    assert _p50(run, "organisation", "RJ1", year=2025) == pytest.approx(1000)
    assert _p50(run, "ics", "QKK") == pytest.approx(rj2 + 0.6 * rj1, abs=0.02)
    assert _p50(run, "ics", "QOP") == pytest.approx(r0a + 0.4 * rj1, abs=0.02)
    assert _p50(run, "national", "ENG") == pytest.approx(rj1 + rj2 + r0a, abs=0.02)
    # The trust's doctors: Greater Manchester has rows for them through its share alone.
    assert _p50(run, "ics", "QOP", "DOC", 2025) == pytest.approx(80)
    assert _p50(run, "ics", "QOP", "DOC", 2025, "nhs_trusts") == pytest.approx(80)


def test_a_run_of_the_other_system_takes_its_part_and_keeps_the_trust_whole(
    cast, shared_trust, django_capture_on_commit_callbacks
):
    run = _run(cast, django_capture_on_commit_callbacks, ics=cast.ics_y)
    assert set(
        ProjectionResult.objects.filter(run=run, level="ics").values_list("entity_code", flat=True)
    ) == {"QOP"}
    assert _p50(run, "organisation", "RJ1", year=2025) == pytest.approx(1000)
    assert _p50(run, "ics", "QOP", year=2025) == pytest.approx(800 + 400)
    rj1, r0a = _p50(run, "organisation", "RJ1"), _p50(run, "organisation", "R0A")
    assert _p50(run, "ics", "QOP") == pytest.approx(r0a + 0.4 * rj1, abs=0.02)


def test_before_the_shares_start_the_host_counts_all_of_it(
    cast, shared_trust, django_capture_on_commit_callbacks
):
    OrganisationShare.objects.update(valid_from=datetime.date(2026, 3, 1))
    run = _run(cast, django_capture_on_commit_callbacks)
    assert _p50(run, "ics", "QKK", year=2025) == pytest.approx(1500)
    assert _p50(run, "ics", "QOP", year=2025) == pytest.approx(800)


def test_the_run_says_which_organisations_it_counted_by_their_share(
    cast, shared_trust, django_capture_on_commit_callbacks
):
    from workforce.templatetags.dashboards import coverage_lines

    run = _run(cast, django_capture_on_commit_callbacks)
    assert run.notes["shared_organisations"] == {"RJ1": [["QKK", 0.6], ["QOP", 0.4]]}
    assert coverage_lines(run.notes)[-1] == (
        "Counted in each system it serves by its share: RJ1 (QKK 60%, QOP 40%)."
    )
