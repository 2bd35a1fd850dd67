"""The streams move from the p2s app into this one (issue 20): the model's
state is created here over the table p2s made, then the table takes this
app's name, and the content type (with its permissions, and the groups that
hold them) follows. p2s 0004 removes the old state once every foreign key
points here. It runs after the migrations that made foreign keys to the old
table, so that on a new database they find it where they expect it."""

from django.db import migrations, models


def content_type_follows(apps, schema_editor):
    move_content_type(apps, "stream", "p2s", "framework")


def content_type_goes_back(apps, schema_editor):
    move_content_type(apps, "stream", "framework", "p2s")


def move_content_type(apps, model, old, new):
    content_types = apps.get_model("contenttypes", "ContentType").objects
    if not content_types.filter(app_label=new, model=model).exists():
        content_types.filter(app_label=old, model=model).update(app_label=new)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("p2s", "0003_failed_notification"),
        ("stories", "0007_facet_keys"),
        ("lessons", "0002_citation"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Stream",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.CharField(max_length=40, unique=True)),
                        ("slug", models.SlugField(max_length=40, unique=True)),
                        ("order", models.PositiveSmallIntegerField(unique=True)),
                        ("tagline", models.CharField(help_text="What the stream is, briefly.", max_length=200, verbose_name="one-line description")),
                        ("description", models.TextField(blank=True)),
                        ("colour", models.CharField(help_text="Hex colour, e.g. #1f5f99. White text must read well on it.", max_length=7)),
                    ],
                    options={
                        "ordering": ["order"],
                        "constraints": [models.CheckConstraint(condition=models.Q(("order__gte", 1), ("order__lte", 20)), name="stream_order_range")],
                        "db_table": "p2s_stream",
                    },
                ),
            ],
        ),
        migrations.AlterModelTable(name="stream", table=None),
        migrations.RunPython(content_type_follows, content_type_goes_back),
    ]
