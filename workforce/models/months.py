"""A system's month signed off by its ICB lead: its returns taken as the month's figures."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from core.models import ICS


class MonthSignOff(models.Model):
    """The ICB lead (or a national administrator) has taken `month`'s returns of `ics` as
    complete enough to stand for the system, though some expected returns have not come.
    A month every expected organisation has sent is complete without one."""

    ics = models.ForeignKey(ICS, on_delete=models.PROTECT, related_name="month_sign_offs")
    month = models.DateField(help_text="The first day of the month signed off.")
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signed_off_at = models.DateTimeField()
    note = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["ics__code", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["ics", "month"], name="one_sign_off_per_system_month"),
        ]

    def __str__(self) -> str:
        return f"{self.ics.code} {self.month:%Y-%m} signed off"
