"""A system's month signed off by its ICB lead."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_organisation_share"),
        ("workforce", "0006_backtest"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="MonthSignOff",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("month", models.DateField(help_text="The first day of the month signed off.")),
                ("signed_off_at", models.DateTimeField()),
                ("note", models.TextField(blank=True, max_length=2000)),
                (
                    "ics",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="month_sign_offs",
                        to="core.ics",
                    ),
                ),
                (
                    "signed_off_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["ics__code", "-month"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("ics", "month"), name="one_sign_off_per_system_month"
                    )
                ],
            },
        ),
    ]
