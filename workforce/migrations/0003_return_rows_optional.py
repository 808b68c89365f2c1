"""Vacancies, joiners and leavers in a return row may be left blank: stored as NULL, "not given"."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("workforce", "0002_staffingreturn_workers"),
    ]

    operations = [
        migrations.AlterField(
            model_name="staffingreturnrow",
            name="vacancies_fte",
            field=models.DecimalField(blank=True, decimal_places=2, max_digits=10, null=True),
        ),
        migrations.AlterField(
            model_name="staffingreturnrow",
            name="joiners_fte",
            field=models.DecimalField(blank=True, decimal_places=2, max_digits=10, null=True),
        ),
        migrations.AlterField(
            model_name="staffingreturnrow",
            name="leavers_fte",
            field=models.DecimalField(blank=True, decimal_places=2, max_digits=10, null=True),
        ),
    ]
