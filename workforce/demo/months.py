"""The demo's sign-offs: in every system, each month up to the last month of the demo returns
that is still open (an organisation that has sent no return, such as a trust opened in 2026
with no published figures to size its demo returns from) is signed off by the system's ICB
lead, as a lead does once the month has been chased, through the same service. The month being
chased now, whose returns are due on the 15th, stays open.

Depends on the people and returns steps.
"""

from __future__ import annotations

from django.utils import timezone

from core.models import ICS, User
from workforce.selectors.months import MonthStatus, system_months
from workforce.services.months import month_sign_off

from .returns import FINAL_MONTH


def seed(stdout) -> None:
    today = timezone.localdate()
    signed = 0
    for ics in ICS.objects.valid_on(today).order_by("code"):
        lead = User.objects.filter(username=f"icb-{ics.code.lower()}").first()
        if lead is None:
            continue
        for month in system_months(ics=ics, today=today):
            if month.status != MonthStatus.OPEN or month.period > FINAL_MONTH:
                continue
            missing = ", ".join(month.outstanding) or "none"
            month_sign_off(
                user=lead,
                ics=ics,
                month=month.period,
                note=f"Signed off after chasing; no return from: {missing}.",
                today=today,
            )
            signed += 1
    stdout.write(f"Months signed off: {signed} (the months still open after chasing).")
