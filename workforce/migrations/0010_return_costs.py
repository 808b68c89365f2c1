"""A return row's optional costs for the month: substantive pay, bank and agency (GBP)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("workforce", "0009_run_chunks")]

    operations = [
        migrations.AddField(
            model_name="staffingreturnrow",
            name=name,
            field=models.DecimalField(blank=True, decimal_places=2, max_digits=12, null=True),
        )
        for name in ("pay_cost", "bank_cost", "agency_cost")
    ]
