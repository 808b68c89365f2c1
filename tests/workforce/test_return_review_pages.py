"""A return for review on its page, the tracker and the home page."""

from __future__ import annotations

import pytest

from core.models import AuditEntry
from workforce.models import ReturnComment, StaffingReturn

from .returns_data import store_return
from .test_home_chasing import WARNING, last_months

pytestmark = pytest.mark.django_db


def flagged(cast):
    last, _ = last_months()
    return store_return(cast.trust_a, last, warnings=WARNING)


def test_the_page_says_for_review_with_its_warnings_and_forms(client, cast):
    staffing_return = flagged(cast)
    ReturnComment.objects.create(
        staffing_return=staffing_return,
        author=cast.lead_x,
        text="Why did sickness rise?",
        created=staffing_return.submitted_at,
    )
    client.force_login(cast.uploader_a)
    page = client.get(f"/returns/{staffing_return.pk}/").content.decode()
    assert "For review" in page and "Projections leave this return out" in page
    assert WARNING[0]["message"] in page
    assert "Why did sickness rise?" in page and "icb-qkk" in page
    assert "Confirm the figures" in page and "Accept the figures" not in page
    client.force_login(cast.lead_x)
    page = client.get(f"/returns/{staffing_return.pk}/").content.decode()
    assert "Accept the figures" in page and "Confirm the figures" not in page
    client.force_login(cast.analyst_x)
    page = client.get(f"/returns/{staffing_return.pk}/").content.decode()
    assert "Why did sickness rise?" in page
    assert "Accept the figures" not in page and "Add the comment" not in page


def test_the_forms_confirm_accept_and_comment(client, cast):
    staffing_return = flagged(cast)
    client.force_login(cast.lead_x)
    refused = client.post(f"/returns/{staffing_return.pk}/accept/", {"comment": ""}, follow=True)
    assert "a comment is required" in refused.content.decode()
    client.post(f"/returns/{staffing_return.pk}/comments/", {"comment": "Please check nurses."})
    client.force_login(cast.uploader_a)
    response = client.post(f"/returns/{staffing_return.pk}/confirm/", {"comment": ""})
    assert response.status_code == 302
    staffing_return.refresh_from_db()
    assert staffing_return.review == StaffingReturn.Review.CONFIRMED
    assert AuditEntry.objects.filter(model="workforce.StaffingReturn").count() == 1
    page = client.get(f"/returns/{staffing_return.pk}/").content.decode()
    assert "Confirmed by its organisation" in page and "Please check nurses." in page
    assert "Confirm the figures" not in page


def test_who_may_not_use_the_forms(client, cast):
    staffing_return = flagged(cast)
    client.force_login(cast.analyst_x)
    assert (
        client.post(f"/returns/{staffing_return.pk}/accept/", {"comment": "x"}).status_code == 403
    )
    client.force_login(cast.lead_y)
    assert (
        client.post(f"/returns/{staffing_return.pk}/accept/", {"comment": "x"}).status_code == 404
    )
    client.force_login(cast.uploader_a)
    assert (
        client.post(f"/returns/{staffing_return.pk}/accept/", {"comment": "x"}).status_code == 403
    )
    staffing_return.refresh_from_db()
    assert staffing_return.for_review


def test_the_tracker_and_home_mark_a_return_for_review_until_it_is_reviewed(client, cast):
    staffing_return = flagged(cast)
    client.force_login(cast.lead_x)
    assert "For review: 1 warning" in client.get("/returns/tracker/?ics=QKK").content.decode()
    assert "For review" in client.get("/").content.decode()
    StaffingReturn.objects.filter(pk=staffing_return.pk).update(review="accepted")
    tracker = client.get("/returns/tracker/?ics=QKK").content.decode()
    assert "For review" not in tracker and "1 warning, reviewed" in tracker
    assert "For review" not in client.get("/").content.decode()
