"""Returns for review (confirmed or accepted, with comments), and what a run was built on."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("workforce", "0007_month_sign_off"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="projectionrun",
            name="completeness",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text="What the run was built on, per organisation: the month used, months carried forward, figures filled from published data, returns under review left out.",
            ),
        ),
        migrations.AddField(
            model_name="staffingreturn",
            name="review",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "Not reviewed"),
                    ("confirmed", "Confirmed by its organisation"),
                    ("accepted", "Accepted by the ICB lead"),
                ],
                default="",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="staffingreturn",
            name="reviewed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="staffingreturn",
            name="reviewed_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.CreateModel(
            name="ReturnComment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("text", models.TextField(max_length=2000)),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("comment", "Comment"),
                            ("confirmation", "Confirmed"),
                            ("acceptance", "Accepted"),
                        ],
                        default="comment",
                        max_length=12,
                    ),
                ),
                ("created", models.DateTimeField()),
                (
                    "author",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "staffing_return",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="comments",
                        to="workforce.staffingreturn",
                    ),
                ),
            ],
            options={
                "ordering": ["staffing_return", "created", "id"],
            },
        ),
    ]
