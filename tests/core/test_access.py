"""The one scope-narrowing place: every role sees exactly its scope."""

import pytest

from core.access import (
    can_plan_for,
    can_run_projection,
    can_submit_for,
    in_scope,
    organisations_in_scope,
    systems_in_scope,
)
from core.models import ICS, Organisation, StaffGroup
from workforce.models import PlanTarget

pytestmark = pytest.mark.django_db


def codes(queryset) -> set[str]:
    return set(queryset.values_list("code", flat=True))


def test_a_trust_uploader_sees_its_organisation_and_no_system(cast):
    assert codes(organisations_in_scope(cast.uploader_a)) == {"RJ1"}
    assert not systems_in_scope(cast.uploader_a).exists()


def test_an_icb_lead_sees_the_organisations_of_its_system_only(cast):
    seen = codes(organisations_in_scope(cast.lead_x))
    assert {"RJ1", "RJ2"} <= seen
    assert "R0A" not in seen
    assert codes(systems_in_scope(cast.lead_x)) == {"QKK"}


def test_an_analyst_of_a_system_sees_what_its_lead_sees(cast):
    assert codes(organisations_in_scope(cast.analyst_x)) == codes(
        organisations_in_scope(cast.lead_x)
    )


def test_a_national_user_sees_everything(cast):
    assert organisations_in_scope(cast.national).count() == Organisation.objects.count()
    assert systems_in_scope(cast.national).count() == ICS.objects.count()


def test_anonymous_sees_nothing(cast):
    from django.contrib.auth.models import AnonymousUser

    assert not organisations_in_scope(AnonymousUser()).exists()


def test_ics_owned_rows_narrow_to_the_users_system(cast):
    group = StaffGroup.objects.get(code="NUR")
    for ics in (cast.ics_x, cast.ics_y):
        PlanTarget.objects.create(ics=ics, staff_group=group, year=2028, target_fte=100)
    targets = PlanTarget.objects.all()
    assert set(in_scope(targets, cast.lead_x, ics="ics").values_list("ics__code", flat=True)) == {
        "QKK"
    }
    assert not in_scope(targets, cast.uploader_a, ics="ics").exists()
    assert in_scope(targets, cast.national, ics="ics").count() == 2


def test_write_rights_follow_the_role(cast):
    assert can_plan_for(cast.lead_x, cast.ics_x)
    assert not can_plan_for(cast.lead_x, cast.ics_y)
    assert not can_plan_for(cast.analyst_x, cast.ics_x)
    assert not can_plan_for(cast.uploader_a, cast.ics_x)
    assert can_run_projection(cast.analyst_x, cast.ics_x)
    assert not can_run_projection(cast.analyst_x, None)
    assert not can_run_projection(cast.uploader_a, cast.ics_x)
    assert can_run_projection(cast.national, None)
    assert can_submit_for(cast.uploader_a, cast.trust_a)
    assert not can_submit_for(cast.uploader_a, cast.trust_b)
    assert not can_submit_for(cast.analyst_x, cast.trust_a)
    assert can_submit_for(cast.lead_x, cast.trust_a)
    assert not can_submit_for(cast.lead_x, cast.trust_c)


def test_in_scope_refuses_to_guess_the_path(cast):
    with pytest.raises(ValueError, match="path"):
        in_scope(PlanTarget.objects.all(), cast.lead_x)
