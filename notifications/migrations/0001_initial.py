"""Failed notifications move from the p2s app into this one (issue 20): the
model's state is created here over the table p2s made, then the table takes
this app's name, and the content type (with its permissions) follows. p2s
0004 removes the old state."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def content_type_follows(apps, schema_editor):
    move_content_type(apps, "failednotification", "p2s", "notifications")


def content_type_goes_back(apps, schema_editor):
    move_content_type(apps, "failednotification", "notifications", "p2s")


def move_content_type(apps, model, old, new):
    content_types = apps.get_model("contenttypes", "ContentType").objects
    if not content_types.filter(app_label=new, model=model).exists():
        content_types.filter(app_label=old, model=model).update(app_label=new)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("p2s", "0003_failed_notification"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='FailedNotification',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('subject', models.TextField()),
                        ('body', models.TextField()),
                        ('recipients', models.JSONField(default=list, help_text='The addresses it was for.')),
                        ('what', models.CharField(blank=True, help_text='What the email was, e.g. “publish notification for story 12”.', max_length=200, verbose_name='about')),
                        ('error', models.TextField(help_text='What went wrong the last time it was tried.')),
                        ('attempts', models.PositiveSmallIntegerField(default=1)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='failed at')),
                        ('last_tried_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('resolved_at', models.DateTimeField(blank=True, null=True)),
                        ('resolution', models.CharField(blank=True, choices=[('sent', 'Sent on a retry'), ('dismissed', 'Dismissed')], max_length=10)),
                        ('resolved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'ordering': ['created_at', 'pk'],
                        'db_table': 'p2s_failednotification',
                        'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('resolution', ''), ('resolved_at', None)), models.Q(('resolved_at__isnull', False), models.Q(('resolution', ''), _negated=True)), _connector='OR'), name='failed_notification_resolved_with_a_resolution')],
                    },
                ),
            ],
        ),
        migrations.AlterModelTable(name="failednotification", table=None),
        migrations.RunPython(content_type_follows, content_type_goes_back),
    ]
