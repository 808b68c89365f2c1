"""A return with warnings is for review until confirmed or accepted: the API's rules."""

from __future__ import annotations

import pytest

from core.models import AuditEntry
from workforce.models import ReturnComment, StaffingReturn

from .returns_data import month, store_return

pytestmark = pytest.mark.django_db

WARNING = [{"rule": "fte_move", "staff_group": "NUR", "message": "Nurses: FTE moved."}]
OCTOBER = month(2026, 10)


def flagged(organisation, period=OCTOBER, **kwargs) -> StaffingReturn:
    return store_return(organisation, period, warnings=WARNING, **kwargs)


def url(staffing_return, step: str) -> str:
    return f"/api/v1/returns/{staffing_return.pk}/{step}/"


def test_a_return_with_warnings_is_for_review_until_reviewed(cast, api):
    clean = store_return(cast.trust_a, month(2026, 9))
    shown = api(cast.lead_x).get(f"/api/v1/returns/{flagged(cast.trust_a).pk}/").json()
    assert shown["for_review"] is True and shown["review"] == ""
    assert api(cast.lead_x).get(f"/api/v1/returns/{clean.pk}/").json()["for_review"] is False


def test_the_organisation_confirms_its_return_once_and_it_is_audited(cast, api):
    staffing_return = flagged(cast.trust_a)
    response = api(cast.uploader_a).post(
        url(staffing_return, "confirm"), {"comment": "Ward opened: right."}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["for_review"] is False and body["review"] == "confirmed"
    assert body["reviewed_by"] == "trust-rj1" and body["reviewed_at"]
    entry = AuditEntry.objects.get(model="workforce.StaffingReturn", object_id=staffing_return.pk)
    assert entry.changes["review"] == ["for review", "confirmed"]
    assert entry.ics == cast.ics_x and entry.user == cast.uploader_a
    comment = ReturnComment.objects.get(staffing_return=staffing_return)
    assert comment.kind == "confirmation" and comment.text == "Ward opened: right."
    again = api(cast.uploader_a).post(url(staffing_return, "confirm"), {}, format="json")
    assert again.status_code == 200 and again.json()["review"] == "confirmed"
    assert AuditEntry.objects.filter(model="workforce.StaffingReturn").count() == 1


@pytest.mark.parametrize("who", ["lead_x", "analyst_x", "national", "uploader_b"])
def test_only_the_organisations_own_users_confirm(cast, api, who):
    staffing_return = flagged(cast.trust_a)
    response = api(getattr(cast, who)).post(url(staffing_return, "confirm"), {}, format="json")
    # Trust B's uploader does not see trust A's return at all.
    assert response.status_code == (404 if who == "uploader_b" else 403)
    assert response.json()["errors"][0]["message"]
    staffing_return.refresh_from_db()
    assert staffing_return.for_review


def test_the_icb_lead_accepts_with_a_comment(cast, api):
    staffing_return = flagged(cast.trust_a)
    missing = api(cast.lead_x).post(url(staffing_return, "accept"), {}, format="json")
    assert missing.status_code == 400 and missing.json()["errors"][0]["field"] == "comment"
    staffing_return.refresh_from_db()
    assert staffing_return.for_review
    response = api(cast.lead_x).post(
        url(staffing_return, "accept"), {"comment": "New unit; checked."}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["review"] == "accepted" and response.json()["reviewed_by"] == "icb-qkk"
    comment = ReturnComment.objects.get(staffing_return=staffing_return)
    assert comment.kind == "acceptance" and comment.author == cast.lead_x
    assert AuditEntry.objects.filter(
        model="workforce.StaffingReturn", changes__review=["for review", "accepted"]
    ).exists()
    # Accepted: the organisation's confirmation comes too late, and says so.
    late = api(cast.uploader_a).post(url(staffing_return, "confirm"), {}, format="json")
    assert late.status_code == 400 and "no longer for review" in late.json()["errors"][0]["message"]


def test_a_national_administrator_accepts_too(cast, api):
    staffing_return = flagged(cast.trust_c)
    response = api(cast.national).post(
        url(staffing_return, "accept"), {"comment": "Checked with the trust."}, format="json"
    )
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("who", "code"), [("lead_y", 404), ("analyst_x", 403), ("uploader_a", 403)]
)
def test_who_may_not_accept(cast, api, who, code):
    staffing_return = flagged(cast.trust_a)
    response = api(getattr(cast, who)).post(
        url(staffing_return, "accept"), {"comment": "Fine."}, format="json"
    )
    assert response.status_code == code
    assert set(response.json()) == {"errors"}
    assert not ReturnComment.objects.exists()


def test_another_systems_lead_cannot_accept_a_former_members_return(cast, api):
    """Lead Y reads a return of an organisation that was once in Y; its month is X's."""
    from core.models import OrganisationMembership

    OrganisationMembership.objects.create(
        organisation=cast.trust_a,
        ics=cast.ics_y,
        valid_from=month(2019, 1),
        valid_to=month(2019, 6),
    )
    staffing_return = flagged(cast.trust_a)
    assert api(cast.lead_y).get(f"/api/v1/returns/{staffing_return.pk}/").status_code == 200
    response = api(cast.lead_y).post(
        url(staffing_return, "accept"), {"comment": "Fine."}, format="json"
    )
    assert response.status_code == 404


def test_a_return_without_warnings_or_superseded_is_not_reviewed(cast, api):
    clean = store_return(cast.trust_a, month(2026, 9))
    response = api(cast.uploader_a).post(url(clean, "confirm"), {}, format="json")
    assert (
        response.status_code == 400
        and "nothing to review" in response.json()["errors"][0]["message"]
    )
    old = flagged(cast.trust_a, version=1, status=StaffingReturn.Status.SUPERSEDED)
    store_return(cast.trust_a, OCTOBER, version=2)
    response = api(cast.lead_x).post(url(old, "accept"), {"comment": "Fine."}, format="json")
    assert response.status_code == 400 and "superseded" in response.json()["errors"][0]["message"]


def test_comments_are_kept_with_the_return(cast, api):
    staffing_return = flagged(cast.trust_a)
    query = api(cast.lead_x).post(
        url(staffing_return, "comments"), {"text": "Why did nurses rise 30%?"}, format="json"
    )
    assert query.status_code == 201, query.json()
    answer = api(cast.uploader_a).post(
        url(staffing_return, "comments"), {"text": "A new ward opened."}, format="json"
    )
    assert answer.status_code == 201
    listed = api(cast.analyst_x).get(url(staffing_return, "comments")).json()
    assert listed["count"] == 2
    assert [(c["author"], c["text"]) for c in listed["results"]] == [
        ("icb-qkk", "Why did nurses rise 30%?"),
        ("trust-rj1", "A new ward opened."),
    ]
    assert {c["kind"] for c in listed["results"]} == {"comment"}
    assert AuditEntry.objects.filter(model="workforce.ReturnComment").count() == 2
    # Still for review: a comment is not a confirmation.
    staffing_return.refresh_from_db()
    assert staffing_return.for_review


@pytest.mark.parametrize("text", ["", "   ", "x" * 2001])
def test_a_comment_empty_or_too_long_is_refused(cast, api, text):
    staffing_return = flagged(cast.trust_a)
    response = api(cast.lead_x).post(
        url(staffing_return, "comments"), {"text": text}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "comment"
    assert not ReturnComment.objects.exists()
    long = api(cast.lead_x).post(
        url(staffing_return, "accept"), {"comment": "x" * 2001}, format="json"
    )
    assert long.status_code == 400
    staffing_return.refresh_from_db()
    assert staffing_return.for_review


def test_a_comment_of_2000_characters_is_kept(cast, api):
    staffing_return = flagged(cast.trust_a)
    response = api(cast.uploader_a).post(
        url(staffing_return, "comments"), {"text": "y" * 2000}, format="json"
    )
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("who", "code"), [("analyst_x", 403), ("uploader_b", 404), ("lead_y", 404)]
)
def test_who_may_not_comment(cast, api, who, code):
    staffing_return = flagged(cast.trust_a)
    response = api(getattr(cast, who)).post(
        url(staffing_return, "comments"), {"text": "A query."}, format="json"
    )
    assert response.status_code == code
    assert set(response.json()) == {"errors"}
    if code == 404:
        assert api(getattr(cast, who)).get(url(staffing_return, "comments")).status_code == 404


@pytest.mark.parametrize("body", [{"text": 0}, {"text": ["a"]}, {"text": None}])
def test_a_comment_that_is_not_text_is_refused(cast, api, body):
    staffing_return = flagged(cast.trust_a)
    response = api(cast.uploader_a).post(url(staffing_return, "comments"), body, format="json")
    assert response.status_code == 400 and set(response.json()) == {"errors"}
    response = api(cast.lead_x).post(
        url(staffing_return, "accept"), {"comment": body["text"]}, format="json"
    )
    assert response.status_code == 400
    assert not ReturnComment.objects.exists()
