"""The migrations that moved the streams and the failed notifications out of
the p2s app (issue 20) keep a running library's rows, foreign keys and
permissions: the database is taken back to before them, filled as the old
code would, and brought forward again."""

import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# the apps' migrations from the move on, undone together (and what depends
# on them)
MOVED = [("framework", None), ("notifications", None)]


def migrate(targets):
    """Migrate to `targets`; the models as the database then has them."""
    MigrationExecutor(connection).migrate(targets)
    loader = MigrationExecutor(connection).loader
    return loader.project_state(list(loader.applied_migrations)).apps


@pytest.fixture
def before_the_move(transactional_db):
    """The models as they were before the move, in a database taken back
    there; brought forward again afterwards, whatever the test found."""
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    old = migrate(MOVED)
    try:
        # the streams as the old migrations made them (a test before this one
        # may have emptied the tables)
        five = importlib.import_module("p2s.migrations.0002_the_five_streams")
        five.create_streams(old, None)
        yield old, leaves
    finally:
        migrate(leaves)


def test_the_move_keeps_rows_links_and_permissions(before_the_move):
    old, leaves = before_the_move
    plan = old.get_model("p2s", "Stream").objects.get(slug="plan")
    Community = old.get_model("communities", "Community")
    Story = old.get_model("stories", "Story")
    StoryStream = old.get_model("stories", "StoryStream")
    story = Story.objects.create(
        community=Community.objects.create(name="Old Town", slug="old", state="WA"),
        title="Before the move",
        slug="before-the-move",
        summary="s",
        body="b",
        consent=True,
    )
    StoryStream.objects.create(story=story, stream=plan, is_primary=True)
    old.get_model("p2s", "FailedNotification").objects.create(
        subject="Not sent", body="b", recipients=["a@example.org"], error="e"
    )
    ContentType = old.get_model("contenttypes", "ContentType")
    Permission = old.get_model("auth", "Permission")
    stream_type, _ = ContentType.objects.get_or_create(app_label="p2s", model="stream")
    editors = old.get_model("auth", "Group").objects.create(name="Stream editors")
    editors.permissions.add(
        Permission.objects.get_or_create(
            content_type=stream_type,
            codename="change_stream",
            defaults={"name": "Can change stream"},
        )[0]
    )

    new = migrate(leaves)

    story = new.get_model("stories", "Story").objects.get(slug="before-the-move")
    links = new.get_model("stories", "StoryStream").objects.filter(story=story)
    assert [link.stream.slug for link in links] == ["plan"]
    assert new.get_model("framework", "Stream").objects.count() == 5
    failed = new.get_model("notifications", "FailedNotification").objects.get()
    assert failed.subject == "Not sent"
    group = new.get_model("auth", "Group").objects.get(name="Stream editors")
    assert [
        (p.content_type.app_label, p.codename) for p in group.permissions.all()
    ] == [("framework", "change_stream")]
    # and the framework's first version is there again, for all five streams
    version = new.get_model("framework", "FrameworkVersion").objects.get(number=1)
    assert version.practices.count() == 15
    tables = connection.introspection.table_names()
    assert "framework_stream" in tables and "p2s_stream" not in tables
    assert "notifications_failednotification" in tables
