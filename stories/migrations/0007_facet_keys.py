from django.db import migrations, models

import stories.models


def fill_facet_keys(apps, schema_editor):
    """Every story's keys from its links as they are (PostgreSQL only)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    from discovery.search import facet_keys

    Story = apps.get_model("stories", "Story")
    Story.objects.update(
        facet_keys=facet_keys(
            apps.get_model("stories", "StoryStream"),
            apps.get_model("taggit", "TaggedItem"),
            apps.get_model("lessons", "Lesson").themes.through,
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("lessons", "0001_initial"),
        ("stories", "0006_search_speed"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        migrations.AddField(
            model_name="story",
            name="facet_keys",
            field=stories.models.FacetKeysField(
                base_field=models.CharField(max_length=24),
                editable=False,
                help_text="Its streams, tags, lessons' themes, community and year "
                "as keys (s<id>, t<id>, h<id>, c<id>-<year>), for browse's counts; "
                "kept current with the search vector (PostgreSQL only).",
                null=True,
                size=None,
            ),
        ),
        migrations.RunPython(fill_facet_keys, migrations.RunPython.noop),
    ]
