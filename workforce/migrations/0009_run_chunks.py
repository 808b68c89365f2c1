

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('workforce', '0008_return_review'),
    ]

    operations = [
        migrations.CreateModel(
            name='ProjectionRunChunk',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('index', models.PositiveSmallIntegerField()),
                ('systems', models.JSONField(help_text="The ICS codes of the chunk, in the run's order.")),
                ('done', models.BooleanField(default=False)),
                ('sums', models.BinaryField(blank=True, help_text="The systems' per-draw sums (workforce.projection.national_split.pack); cleared once the national figures are stored.", null=True)),
                ('finished_at', models.DateTimeField(blank=True, null=True)),
                ('run', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='chunks', to='workforce.projectionrun')),
            ],
            options={
                'ordering': ['run', 'index'],
                'constraints': [models.UniqueConstraint(fields=('run', 'index'), name='run_chunk_once')],
            },
        ),
    ]
