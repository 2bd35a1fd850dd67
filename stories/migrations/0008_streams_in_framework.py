"""A story's streams are the framework app's (issue 20). Only the state
changes: the foreign keys followed the table when framework 0001 renamed it."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("framework", "0001_initial"),
        ("stories", "0007_facet_keys"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="storystream",
                    name="stream",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="story_links",
                        to="framework.stream",
                    ),
                ),
                migrations.AlterField(
                    model_name="story",
                    name="streams",
                    field=models.ManyToManyField(
                        related_name="stories",
                        through="stories.StoryStream",
                        to="framework.stream",
                    ),
                ),
            ],
        ),
    ]
