"""The one write: problems listed together, the save and its one audit entry, typed actions."""

import pytest

from core.errors import ApplicationError
from core.models import AuditEntry, StaffGroup
from core.services.audit import audit_record
from core.services.writes import Problems, delete_audited, store_audited

pytestmark = pytest.mark.django_db


def test_problems_are_raised_together_as_one_error():
    problems = Problems()
    problems.raise_any()  # nothing found: nothing raised
    problems.add("year", "year is required.")
    problems.add("fte", "fte must be a number.")
    with pytest.raises(ApplicationError) as refused:
        problems.raise_any()
    assert refused.value.errors == [
        {"field": "year", "message": "year is required."},
        {"field": "fte", "message": "fte must be a number."},
    ]
    assert refused.value.status_code == 400


def test_problems_say_whether_they_name_an_identifying_field():
    problems = Problems([{"field": "places", "message": "places must be 0 or more."}])
    assert not problems.about(["organisation", "academic_year"])
    assert problems.about(["academic_year", "places"])


def test_a_bare_string_is_not_an_audit_action(cast):
    group = StaffGroup.objects.get(code="NUR")
    with pytest.raises(TypeError, match=r"AuditEntry\.Action"):
        audit_record(user=cast.national, action="create", instance=group)
    assert not AuditEntry.objects.exists()


def test_a_create_an_update_and_a_delete_each_leave_one_entry_with_their_action(cast):
    group = StaffGroup(code="ZZ-TEST", name="Test group", sort_order=999, reportable=False)
    store_audited(
        user=cast.national,
        instance=group,
        ics=None,
        before=None,
        after=lambda g: {"name": g.name},
    )
    group.name = "Renamed"
    store_audited(
        user=cast.national,
        instance=group,
        ics=None,
        before={"name": "Test group"},
        after=lambda g: {"name": g.name},
    )
    delete_audited(user=cast.national, instance=group, ics=None, before={"name": "Renamed"})
    entries = list(AuditEntry.objects.order_by("id").values_list("action", "changes"))
    assert entries == [
        (AuditEntry.Action.CREATE, {"name": [None, "Test group"]}),
        (AuditEntry.Action.UPDATE, {"name": ["Test group", "Renamed"]}),
        (AuditEntry.Action.DELETE, {"name": ["Renamed", None]}),
    ]
    assert not StaffGroup.objects.filter(code="ZZ-TEST").exists()


def test_a_save_that_collides_is_the_duplicate_error_and_leaves_no_entry(cast):
    taken = StaffGroup.objects.get(code="NUR")
    copy = StaffGroup(code=taken.code, name="Again", sort_order=999, reportable=False)
    with pytest.raises(ApplicationError, match="already a group NUR"):
        store_audited(
            user=cast.national,
            instance=copy,
            ics=None,
            before=None,
            after=lambda g: {},
            duplicate=lambda: ApplicationError("There is already a group NUR."),
        )
    assert not AuditEntry.objects.exists()
