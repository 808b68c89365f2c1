"""Backtests: a scenario projected from past baselines, set against what happened."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("workforce", "0005_scenario_archive_central"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Backtest",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "first_baseline",
                    models.DateField(help_text="The first day of the first baseline month."),
                ),
                (
                    "last_baseline",
                    models.DateField(help_text="The first day of the last baseline month."),
                ),
                (
                    "horizon",
                    models.PositiveSmallIntegerField(
                        help_text="Years projected from each baseline."
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("queued", "Queued"),
                            ("running", "Running"),
                            ("succeeded", "Succeeded"),
                            ("failed", "Failed"),
                        ],
                        default="queued",
                        max_length=10,
                    ),
                ),
                ("error", models.TextField(blank=True)),
                ("draws", models.PositiveIntegerField(blank=True, null=True)),
                ("seed", models.PositiveIntegerField(blank=True, null=True)),
                (
                    "results",
                    models.JSONField(
                        blank=True,
                        default=list,
                        help_text="One row per staff group and horizon: coverage, mape, bias, baselines.",
                    ),
                ),
                (
                    "bands",
                    models.JSONField(
                        blank=True,
                        default=list,
                        help_text="Each baseline's P10, P50, P90 and outcome by staff group and year.",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("finished_at", models.DateTimeField(blank=True, null=True)),
                (
                    "created_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "ics",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="backtests",
                        to="core.ics",
                    ),
                ),
                (
                    "scenario",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="backtests",
                        to="workforce.scenario",
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at", "-id"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("horizon__gte", 1), ("horizon__lte", 20)),
                        name="backtest_horizon_in_range",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("last_baseline__gte", models.F("first_baseline"))),
                        name="backtest_baselines_in_order",
                    ),
                ],
            },
        ),
    ]
