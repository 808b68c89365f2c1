"""Projection runs and their results."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.models import ICS, StaffGroup

from .planning import Scenario


class ProjectionRun(models.Model):
    """A scenario projected for one ICS (or nationally) from a baseline month, on a worker."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    scenario = models.ForeignKey(Scenario, on_delete=models.PROTECT, related_name="runs")
    ics = models.ForeignKey(
        ICS, on_delete=models.PROTECT, null=True, blank=True, related_name="runs"
    )
    baseline_period = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    input_hash = models.CharField(max_length=64, blank=True)
    engine_version = models.CharField(max_length=20, blank=True)
    seed = models.PositiveIntegerField(null=True, blank=True)
    draws = models.PositiveIntegerField(null=True, blank=True)
    horizon = models.PositiveSmallIntegerField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    results_from = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reused_by",
        help_text="An earlier run with identical inputs whose results this run shows.",
    )
    notes = models.JSONField(
        default=dict,
        blank=True,
        help_text="What the run reports: organisations filled from published figures, "
        "training intakes capped at capacity.",
    )
    prices = models.JSONField(
        default=dict,
        blank=True,
        help_text="By financial year, the index that turns the year's prices into the baseline "
        "year's: the scenario's pay award for all staff, compounded (docs/model.md, 'Money').",
    )
    completeness = models.JSONField(
        default=dict,
        blank=True,
        help_text="What the run was built on, per organisation: the month used, months "
        "carried forward, figures filled from published data, returns under review left out.",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["input_hash", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=100), name="run_progress_0_100"
            )
        ]

    def __str__(self) -> str:
        return f"Run {self.pk} of {self.scenario} ({self.status})"

    @property
    def result_source_id(self) -> int:
        return self.results_from_id or self.pk


class ProjectionResult(models.Model):
    """One level's figures for one entity, staff group and year: P10, P50 and P90."""

    class Level(models.TextChoices):
        ORGANISATION = "organisation", "Organisation"
        ICS = "ics", "Integrated care system"
        NATIONAL = "national", "National"

    run = models.ForeignKey(ProjectionRun, on_delete=models.CASCADE, related_name="results")
    level = models.CharField(max_length=12, choices=Level.choices)
    entity_code = models.CharField(max_length=8, help_text="Organisation or ICS code; ENG.")
    sector = models.CharField(
        max_length=12,
        blank=True,
        help_text="Planning sector (core.kinds): an organisation's own; for an ICS or the "
        "nation, one of the sectors, or empty for all sectors together.",
    )
    staff_group = models.ForeignKey(StaffGroup, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(help_text="The financial year, by the year it starts.")
    supply_p10 = models.FloatField()
    supply_p50 = models.FloatField()
    supply_p90 = models.FloatField()
    demand_p10 = models.FloatField()
    demand_p50 = models.FloatField()
    demand_p90 = models.FloatField()
    gap_p10 = models.FloatField()
    gap_p50 = models.FloatField()
    gap_p90 = models.FloatField()
    target_fte = models.FloatField(null=True, blank=True)
    probability_meets_target = models.FloatField(null=True, blank=True)
    # Money: GBP in the year at that year's prices (nominal), None where the run has no
    # cost for the group (docs/model.md, "Money").
    pay_bill_p10 = models.FloatField(null=True, blank=True)
    pay_bill_p50 = models.FloatField(null=True, blank=True)
    pay_bill_p90 = models.FloatField(null=True, blank=True)
    bank_spend_p10 = models.FloatField(null=True, blank=True)
    bank_spend_p50 = models.FloatField(null=True, blank=True)
    bank_spend_p90 = models.FloatField(null=True, blank=True)
    agency_spend_p10 = models.FloatField(null=True, blank=True)
    agency_spend_p50 = models.FloatField(null=True, blank=True)
    agency_spend_p90 = models.FloatField(null=True, blank=True)
    total_spend_p10 = models.FloatField(null=True, blank=True)
    total_spend_p50 = models.FloatField(null=True, blank=True)
    total_spend_p90 = models.FloatField(null=True, blank=True)
    # The financial plan's limits (PlanTarget) and the share of draws within each.
    pay_budget = models.FloatField(null=True, blank=True)
    probability_within_pay_budget = models.FloatField(null=True, blank=True)
    bank_spend_limit = models.FloatField(null=True, blank=True)
    probability_within_bank_limit = models.FloatField(null=True, blank=True)
    agency_spend_limit = models.FloatField(null=True, blank=True)
    probability_within_agency_limit = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["run", "level", "entity_code", "staff_group__sort_order", "year"]
        indexes = [models.Index(fields=["run", "level", "staff_group", "entity_code"])]


class ProjectionRunChunk(models.Model):
    """A range of systems of a national run, carried out by one task: done once its
    organisations' and systems' rows are stored, with the per-draw sums it adds to the nation
    (its `parts`, cleared once the national figures are stored)."""

    run = models.ForeignKey(ProjectionRun, on_delete=models.CASCADE, related_name="chunks")
    index = models.PositiveSmallIntegerField()
    systems = models.JSONField(help_text="The ICS codes of the chunk, in the run's order.")
    done = models.BooleanField(default=False)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["run", "index"]
        constraints = [
            models.UniqueConstraint(fields=["run", "index"], name="run_chunk_once"),
        ]

    def __str__(self) -> str:
        return f"Chunk {self.index} of run {self.run_id}"


class ProjectionRunChunkPart(models.Model):
    """Part of one system's per-draw sums of a chunk (workforce.projection.national_split.pack),
    in pieces small enough for any database's largest value: a national run of many draws sums
    hundreds of megabytes a system."""

    chunk = models.ForeignKey(ProjectionRunChunk, on_delete=models.CASCADE, related_name="parts")
    system = models.PositiveSmallIntegerField(help_text="The system's place in the chunk.")
    part = models.PositiveIntegerField()
    data = models.BinaryField()

    class Meta:
        ordering = ["chunk", "system", "part"]
        constraints = [
            models.UniqueConstraint(fields=["chunk", "system", "part"], name="run_chunk_part_once"),
        ]
