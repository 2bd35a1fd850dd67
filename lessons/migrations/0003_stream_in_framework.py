"""A lesson's stream is the framework app's (issue 20). Only the state
changes: the foreign keys followed the table when framework 0001 renamed it."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("framework", "0001_initial"),
        ("lessons", "0002_citation"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="lesson",
                    name="stream",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="lessons",
                        to="framework.stream",
                    ),
                ),
            ],
        ),
    ]
