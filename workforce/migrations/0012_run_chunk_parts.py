"""A chunk's per-draw sums in parts, one system at a time: one value per chunk outgrew
PostgreSQL's largest (1 GB) in a national run of 4,000 draws with money."""

import django.db.models.deletion
from django.db import migrations, models


def sums_to_parts(apps, schema_editor):
    """A chunk's sums stored whole are kept as its one part: the same bytes unpack alike."""
    Chunk = apps.get_model("workforce", "ProjectionRunChunk")
    Part = apps.get_model("workforce", "ProjectionRunChunkPart")
    for chunk_id, data in Chunk.objects.filter(sums__isnull=False).values_list("pk", "sums"):
        Part.objects.create(chunk_id=chunk_id, system=0, part=0, data=data)


def parts_to_sums(apps, schema_editor):
    Chunk = apps.get_model("workforce", "ProjectionRunChunk")
    Part = apps.get_model("workforce", "ProjectionRunChunkPart")
    for chunk in Chunk.objects.filter(parts__isnull=False).distinct():
        pieces = Part.objects.filter(chunk=chunk).order_by("system", "part")
        chunk.sums = b"".join(bytes(p.data) for p in pieces)
        chunk.save(update_fields=["sums"])


class Migration(migrations.Migration):
    dependencies = [
        ("workforce", "0011_money"),
    ]

    operations = [
        migrations.CreateModel(
            name="ProjectionRunChunkPart",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "system",
                    models.PositiveSmallIntegerField(help_text="The system's place in the chunk."),
                ),
                ("part", models.PositiveIntegerField()),
                ("data", models.BinaryField()),
                (
                    "chunk",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="parts",
                        to="workforce.projectionrunchunk",
                    ),
                ),
            ],
            options={
                "ordering": ["chunk", "system", "part"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("chunk", "system", "part"), name="run_chunk_part_once"
                    )
                ],
            },
        ),
        migrations.RunPython(sums_to_parts, parts_to_sums),
        migrations.RemoveField(
            model_name="projectionrunchunk",
            name="sums",
        ),
    ]
