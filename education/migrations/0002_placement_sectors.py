"""Placement sectors: a programme's placement weeks may be split across sectors, and each
placement figure names the sector of its places.

Figures recorded before this take the sector an organisation's places are in when it does not
name one (education.placement_sectors.default_sector), written out here so that the migration
does not change when that module does: a GP practice or PCN primary care, a social care
provider social care, an independent provider independent and voluntary, an NHS trust acute.
A higher education institution's figures stay blank (not attributed): it has no default.
"""

from django.db import migrations, models

DEFAULT_SECTOR_OF_KIND = {
    "nhs_trust": "acute",
    "gp_practice": "primary_care",
    "pcn": "primary_care",
    "social_care": "social_care",
    "independent": "independent",
}
SECTORS = [
    ("acute", "Acute"),
    ("community", "Community"),
    ("mental_health", "Mental health"),
    ("ambulance", "Ambulance"),
    ("primary_care", "Primary care"),
    ("social_care", "Social care"),
    ("independent", "Independent and voluntary"),
]


def attribute_recorded_places(apps, schema_editor):
    PlacementCapacity = apps.get_model("education", "PlacementCapacity")
    for kind, sector in DEFAULT_SECTOR_OF_KIND.items():
        PlacementCapacity.objects.filter(organisation__kind=kind, sector="").update(sector=sector)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("education", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="placementcapacity",
            options={
                "ordering": ["organisation__code", "programme__code", "sector", "academic_year"],
                "verbose_name_plural": "placement capacities",
            },
        ),
        migrations.RemoveConstraint(
            model_name="placementcapacity",
            name="one_placement_capacity_per_year",
        ),
        migrations.AddField(
            model_name="placementcapacity",
            name="sector",
            field=models.CharField(blank=True, choices=SECTORS, max_length=20),
        ),
        migrations.AddField(
            model_name="programme",
            name="placement_split",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.RunPython(attribute_recorded_places, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="placementcapacity",
            constraint=models.UniqueConstraint(
                fields=("organisation", "programme", "sector", "academic_year"),
                name="one_placement_capacity_per_sector_and_year",
            ),
        ),
        migrations.AddConstraint(
            model_name="placementcapacity",
            constraint=models.CheckConstraint(
                condition=models.Q(("sector__in", ("", *(code for code, _ in SECTORS)))),
                name="placement_capacity_known_sector",
            ),
        ),
    ]
