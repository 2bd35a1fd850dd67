"""The streams and the failed notifications now live in the framework and
notifications apps (issue 20); their tables went with them. This removes
only their state from p2s, once every foreign key points at the new homes."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("p2s", "0003_failed_notification"),
        ("framework", "0001_initial"),
        ("notifications", "0001_initial"),
        ("stories", "0008_streams_in_framework"),
        ("lessons", "0003_stream_in_framework"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="Stream"),
                migrations.DeleteModel(name="FailedNotification"),
            ],
        ),
    ]
