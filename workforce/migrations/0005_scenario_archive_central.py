"""Scenarios can be archived (hidden from lists and choices, kept for their runs), and each
system, and the nation, designates one central scenario. Where a system already has a
scenario named "Central" (the demo's, and the dashboards' choice until now), it becomes the
central one; nationally, "Central (national)"."""

from django.db import migrations, models


def mark_existing_centrals(apps, schema_editor):
    Scenario = apps.get_model("workforce", "Scenario")
    chosen: dict[int | None, int] = {}
    for pk, ics_id, name in Scenario.objects.order_by("pk").values_list("pk", "ics_id", "name"):
        wanted = "central" if ics_id is not None else "central (national)"
        if name.strip().lower() == wanted and ics_id not in chosen:
            chosen[ics_id] = pk
    Scenario.objects.filter(pk__in=list(chosen.values())).update(central=True)


class Migration(migrations.Migration):
    dependencies = [
        ("workforce", "0004_result_sector"),
    ]

    operations = [
        migrations.AddField(
            model_name="scenario",
            name="archived_at",
            field=models.DateTimeField(
                blank=True,
                help_text="When it was archived: hidden from lists and choices, kept for its runs.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="scenario",
            name="central",
            field=models.BooleanField(
                default=False,
                help_text="The central scenario of its system (or, national, of England): the "
                "one the dashboards open on.",
            ),
        ),
        migrations.RunPython(mark_existing_centrals, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="scenario",
            constraint=models.UniqueConstraint(
                condition=models.Q(("central", True)),
                fields=("ics",),
                name="one_central_scenario_per_ics",
            ),
        ),
        migrations.AddConstraint(
            model_name="scenario",
            constraint=models.UniqueConstraint(
                condition=models.Q(("central", True), ("ics__isnull", True)),
                fields=("central",),
                name="one_national_central_scenario",
            ),
        ),
        migrations.AddConstraint(
            model_name="scenario",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("central", False), ("archived_at__isnull", True), _connector="OR"
                ),
                name="central_scenario_not_archived",
            ),
        ),
    ]
