"""A projection result's planning sector: an organisation's own; for an ICS or the nation, one
sector, or empty for all sectors together (the rows every result had before)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("workforce", "0003_return_rows_optional"),
    ]

    operations = [
        migrations.AddField(
            model_name="projectionresult",
            name="sector",
            field=models.CharField(
                blank=True,
                help_text="Planning sector (core.kinds): an organisation's own; for an ICS or "
                "the nation, one of the sectors, or empty for all sectors together.",
                max_length=12,
            ),
        ),
    ]
