"""The demo signs off the months still open after chasing, up to its last month of returns."""

import io

import pytest

from core.models import AuditEntry
from workforce.demo import months
from workforce.demo.returns import FINAL_MONTH
from workforce.models import MonthSignOff
from workforce.selectors.months import system_months

pytestmark = pytest.mark.django_db


def test_open_months_up_to_the_last_demo_month_are_signed_off_by_the_lead(cast):
    months.seed(io.StringIO())
    signed = MonthSignOff.objects.filter(ics=cast.ics_x)
    assert signed.exists()
    assert max(signed.values_list("month", flat=True)) <= FINAL_MONTH
    assert {s.signed_off_by for s in signed} == {cast.lead_x}
    assert "no return from:" in signed.first().note
    after = [m for m in system_months(ics=cast.ics_x) if m.period > FINAL_MONTH]
    assert after and all(m.status == "open" for m in after)  # still being chased
    entries = AuditEntry.objects.filter(model="workforce.MonthSignOff").count()
    assert entries == MonthSignOff.objects.count()
    out = io.StringIO()
    months.seed(out)
    assert "Months signed off: 0" in out.getvalue()
    assert all(m.period > FINAL_MONTH or m.closed for m in system_months(ics=cast.ics_x))
