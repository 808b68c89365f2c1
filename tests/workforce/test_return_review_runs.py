"""Runs leave out a return for review: the version before it is used, or the month before."""

from __future__ import annotations

import pytest

from workforce.models import StaffingReturn
from workforce.selectors.baseline import baseline_for, under_review_for
from workforce.services.return_review import return_accept, return_confirm

from .returns_data import month, store_return

pytestmark = pytest.mark.django_db

WARNING = [{"rule": "fte_move", "staff_group": "NUR", "message": "Nurses: FTE moved."}]
OCTOBER = month(2026, 10)


def nurses(ics, code: str, period=OCTOBER):
    found = [
        s
        for s in baseline_for(ics=ics, period=period)
        if s.organisation_code == code and s.staff_group_code == "NUR"
    ]
    assert len(found) == 1
    return found[0]


def two_versions(organisation):
    store_return(
        organisation,
        OCTOBER,
        {"NUR": {"fte": "100"}},
        version=1,
        status=StaffingReturn.Status.SUPERSEDED,
    )
    return store_return(organisation, OCTOBER, {"NUR": {"fte": "150"}}, version=2, warnings=WARNING)


def test_a_run_uses_the_version_before_one_under_review(cast):
    flagged = two_versions(cast.trust_a)
    used = nurses(cast.ics_x, "RJ1")
    assert (used.fte, used.period) == (100.0, OCTOBER)
    assert [r.return_id for r in under_review_for(ics=cast.ics_x, period=OCTOBER)] == [flagged.pk]
    return_confirm(user=cast.uploader_a, staffing_return=flagged)
    assert nurses(cast.ics_x, "RJ1").fte == 150.0
    assert under_review_for(ics=cast.ics_x, period=OCTOBER) == []


def test_an_accepted_return_is_used(cast):
    flagged = two_versions(cast.trust_a)
    return_accept(user=cast.lead_x, staffing_return=flagged, comment="Checked: a new ward.")
    assert nurses(cast.ics_x, "RJ1").fte == 150.0


def test_a_first_version_under_review_leaves_its_month_out(cast):
    store_return(cast.trust_a, month(2026, 9), {"NUR": {"fte": "90"}})
    store_return(cast.trust_a, OCTOBER, {"NUR": {"fte": "150"}}, warnings=WARNING)
    used = nurses(cast.ics_x, "RJ1")
    assert (used.fte, used.period) == (90.0, month(2026, 9))
    # The window of months behind the leaver rate leaves it out too.
    assert used.months_of_returns == 1


def test_a_later_clean_version_replaces_one_under_review(cast):
    two_versions(cast.trust_a)
    StaffingReturn.objects.filter(version=2).update(status=StaffingReturn.Status.SUPERSEDED)
    store_return(cast.trust_a, OCTOBER, {"NUR": {"fte": "120"}}, version=3)
    assert nurses(cast.ics_x, "RJ1").fte == 120.0
