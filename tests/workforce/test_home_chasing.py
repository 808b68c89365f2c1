"""The home page says what is due, late or flagged this month, with the action to take."""

from __future__ import annotations

import pytest
from django.utils import timezone

from core.calendar import month_add
from workforce.selectors.tracker import due_date

from .returns_data import store_return

pytestmark = pytest.mark.django_db

WARNING = [{"rule": "fte_change", "staff_group": "NUR", "message": "nurses down 25%"}]


def last_months():
    first = timezone.localdate().replace(day=1)
    return month_add(first, -1), month_add(first, -2)


def test_a_trust_sees_its_return_due_or_late_with_the_upload(client, cast):
    last, before = last_months()
    store_return(cast.trust_a, before, warnings=WARNING)
    client.force_login(cast.uploader_a)
    page = client.get("/").content.decode()
    assert f"{last:%B %Y}&#x27;s return" in page or f"{last:%B %Y}'s return" in page
    assert f"{due_date(last):%-d %B %Y}" in page
    assert f"/returns/upload/?organisation=RJ1&amp;period={last:%Y-%m}" in page
    assert "1 warning" in page and "Review" in page
    # An earlier month that was never sent is late, with its own upload.
    earlier = month_add(before, -1)
    assert f"period={earlier:%Y-%m}" in page and "Late" in page


def test_a_trust_whose_return_is_in_has_nothing_to_send(client, cast):
    last, _ = last_months()
    store_return(cast.trust_a, last)
    client.force_login(cast.uploader_a)
    page = client.get("/").content.decode()
    assert "nothing to send" in page
    assert f"period={last:%Y-%m}" not in page


def test_the_system_sees_who_has_not_sent_and_what_is_flagged(client, cast):
    last, _ = last_months()
    store_return(cast.trust_a, last, warnings=WARNING)
    client.force_login(cast.lead_x)
    page = client.get("/").content.decode()
    assert "Returns this month" in page
    assert "1 of " in page and "returns sent" in page
    assert "Lewisham" in page  # not yet sent
    assert "For review" in page and "/returns/" in page
    assert "sign off a month" in page
    client.force_login(cast.analyst_x)
    page = client.get("/").content.decode()
    assert "Returns this month" in page and "sign off a month" not in page


def test_a_national_user_has_no_chasing_list(client, cast):
    client.force_login(cast.national)
    assert "Returns this month" not in client.get("/").content.decode()


def test_the_upload_form_takes_the_month_a_link_names(client, cast):
    client.force_login(cast.uploader_a)
    page = client.get("/returns/upload/?organisation=RJ1&period=2025-07").content.decode()
    assert 'value="7"' in page and 'value="2025"' in page


def test_a_month_its_lead_signed_off_is_not_chased_for_the_system_but_is_for_the_trust(
    client, cast
):
    from workforce.services.months import month_sign_off

    last, before = last_months()
    client.force_login(cast.lead_x)
    assert f"<strong>{before:%B %Y}</strong>" in client.get("/").content.decode()
    month_sign_off(user=cast.lead_x, ics=cast.ics_x, month=before)
    page = client.get("/").content.decode()
    assert f"<strong>{before:%B %Y}</strong>" not in page
    assert f"<strong>{last:%B %Y}</strong>" in page  # the month chased stays
    client.force_login(cast.uploader_a)
    assert f"period={before:%Y-%m}" in client.get("/").content.decode()
