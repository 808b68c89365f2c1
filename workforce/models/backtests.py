"""Backtests: a scenario projected from past baselines and set against what happened."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.models import ICS

from .planning import Scenario


class Backtest(models.Model):
    """A scenario projected from a baseline each year from `first_baseline` to
    `last_baseline`, for one ICS (from its returns and published figures) or nationally (from
    the published national series), each compared with the figures `horizon` years on."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    scenario = models.ForeignKey(Scenario, on_delete=models.PROTECT, related_name="backtests")
    ics = models.ForeignKey(
        ICS, on_delete=models.PROTECT, null=True, blank=True, related_name="backtests"
    )
    first_baseline = models.DateField(help_text="The first day of the first baseline month.")
    last_baseline = models.DateField(help_text="The first day of the last baseline month.")
    horizon = models.PositiveSmallIntegerField(help_text="Years projected from each baseline.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(blank=True)
    draws = models.PositiveIntegerField(null=True, blank=True)
    seed = models.PositiveIntegerField(null=True, blank=True)
    results = models.JSONField(
        default=list,
        blank=True,
        help_text="One row per staff group and horizon: coverage, mape, bias, baselines.",
    )
    bands = models.JSONField(
        default=list,
        blank=True,
        help_text="Each baseline's P10, P50, P90 and outcome by staff group and year.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(horizon__gte=1) & Q(horizon__lte=20), name="backtest_horizon_in_range"
            ),
            models.CheckConstraint(
                condition=Q(last_baseline__gte=models.F("first_baseline")),
                name="backtest_baselines_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"Backtest {self.pk} of {self.scenario} ({self.status})"
