"""Every write that changes what a reader can see retires the cache itself,
through the service or command that makes it: not through a signal.

Each case warms the page that shows the change, for a visitor and for a
member (or, where only they can see it, the reader who can), then makes the
write as a real commit would, with the admin's safety net disconnected, and
reads the page again."""

import inspect
import io
from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.core.cache import caches
from django.core.management import call_command
from django.db.models.signals import post_save
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import common.cache
import curation.services
import lessons.services
import stories.services
import stories.workflow
from common.cache import VERSION_KEY
from framework.models import Stream
from lessons.models import Kind, Lesson, Theme
from lessons.services import lesson_add, lesson_move, lesson_remove, lesson_update
from library_io.exporting import export_library
from stories.images import clean_image
from stories.models import Status, Story
from stories.services import (
    image_add,
    image_delete,
    revision_restore,
    staged_publish,
    staged_sign_off,
    story_save,
)
from stories.workflow import publish_due, story_transition
from tests.factories import (
    make_collection,
    make_community,
    make_core,
    make_image,
    make_member,
    make_story,
    png_bytes,
)
from tests.library_io.test_library_io import empty_the_database
from tests.library_io.test_library_io import media as media  # the fixture

pytestmark = pytest.mark.django_db(databases="__all__")

# Services that change nothing a cached page shows: asked of the database on
# every request (the review page, the queue, /me/), or emails only.
SHOWN_NOWHERE_CACHED = {
    "stories.services": {
        "unique_slug",
        "snapshot_of",
        "snapshot_from_form",
        "record_revision",
        "editor_image_add",
        # images no story uses, of accounts that are gone: on no page
        "editor_images_orphaned_forget",
        "staged_sign_off",
        "staged_discard",
    },
    "stories.workflow": {"roles_of", "allowed_actions", "story_claim"},
    # citations_record: who was told, shown on no kept page; it runs inside
    # lesson_add (which retires the cache) or after an admin save (whose log does)
    "lessons.services": {"can_codify", "why_not_codify", "citations_record"},
    "curation.services": {"can_curate"},
}


@pytest.fixture(autouse=True)
def no_safety_net():
    """The admin's signal stays out of it: the services must retire alone."""
    assert post_save.disconnect(sender=LogEntry, dispatch_uid="p2s-cache-admin")
    yield
    post_save.connect(
        common.cache._admin_wrote, sender=LogEntry, dispatch_uid="p2s-cache-admin"
    )


@pytest.fixture
def readers(db):
    community = make_community(name="Harbour Hills")
    author = make_member(community, name="Ari Author")
    member = Client()
    member.force_login(make_member(make_community(name="Elsewhere")))
    mine = Client()
    mine.force_login(author)
    core = make_core()
    core_client = Client()
    core_client.force_login(core)
    return {
        "community": community,
        "author": author,
        "core": core,
        "visitor": Client(),
        "member": member,
        "mine": mine,
        "core_client": core_client,
    }


def story_data(story, **changes):
    return {
        "title": story.title,
        "summary": story.summary,
        "body": story.body,
        "community": story.community,
        "streams": ["plan"],
        "primary_stream": "plan",
        "visibility": story.visibility,
        "tags": [],
        "storytellers": "",
        "what_worked": "",
        "what_didnt": "",
        "conditions": "",
        "year": None,
        "consent": True,
        **changes,
    }


def upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return clean_image(SimpleUploadedFile("a.png", png_bytes(), "image/png"))


def published(readers, **fields):
    story = make_story(community=readers["community"], **fields)
    story.authors.add(readers["author"])
    return story


def theme_with_lessons(readers):
    story = published(readers, title="Bus stop")
    theme = Theme.objects.create(name="Trust takes time", slug="trust-takes-time")
    plan = Stream.objects.get(slug="plan")
    for n, statement in enumerate(["First lesson.", "Second lesson."]):
        lesson = Lesson.objects.create(
            story=story, stream=plan, kind=Kind.WORKS, statement=statement, position=n
        )
        lesson.themes.add(theme)
    return story, theme


def lesson_data(statement):
    return {
        "statement": statement,
        "kind": Kind.WORKS,
        "stream": Stream.objects.get(slug="plan"),
        "condition": "",
        "themes": list(Theme.objects.all()),
    }


def in_order(html, first, second):
    return first in html and second in html and html.index(first) < html.index(second)


# Each case: (covers, who reads, set up -> (url, write, shown(html) -> bool)).
# The page must not show it before the write, and must show it after.


def case_story_save(r, tmp_path):
    story = make_story(community=r["community"], status=Status.DRAFT, title="Draft")
    story.authors.add(r["author"])

    def write():
        story_save(
            author=r["author"],
            data=story_data(story, title="Draft, retold"),
            story=story,
            expected_version=story.version,
        )

    return story.get_absolute_url(), write, lambda html: "Draft, retold" in html


def case_story_save_new(r, tmp_path):
    def write():
        story_save(
            author=r["author"],
            data=story_data(
                Story(
                    title="A new one",
                    summary="S.",
                    body="B.",
                    community=r["community"],
                    visibility="public",
                )
            ),
        )

    return reverse("me"), write, lambda html: "A new one" in html


def case_revision_restore(r, tmp_path):
    story = make_story(community=r["community"], status=Status.DRAFT, title="First")
    story.authors.add(r["author"])
    story_save(
        author=r["author"],
        data=story_data(story),
        story=story,
        expected_version=story.version,
    )
    first = story.revisions.get()
    story.refresh_from_db()
    story_save(
        author=r["author"],
        data=story_data(story, title="Second"),
        story=story,
        expected_version=story.version,
    )
    story.refresh_from_db()

    def write():
        revision_restore(story=story, revision=first, actor=r["author"])

    return story.get_absolute_url(), write, lambda html: "<h1>First</h1>" in html


def case_staged_publish(r, tmp_path):
    story = published(r, title="Walking bus")
    story_save(
        author=r["author"],
        data=story_data(story, title="Walking bus, retold"),
        story=story,
        expected_version=story.version,
    )
    story.refresh_from_db()
    staged_sign_off(story=story, actor=r["author"])
    story.refresh_from_db()

    def write():
        staged_publish(story=story, actor=r["core"])

    return story.get_absolute_url(), write, lambda html: "Walking bus, retold" in html


def case_image_add(r, tmp_path):
    story = published(r)

    def write():
        image_add(
            story=story,
            clean=upload(),
            alt_text="Elders at the table",
            credit="Ari",
            is_cover=True,
        )

    return story.get_absolute_url(), write, lambda h: "Elders at the table" in h


def case_image_delete(r, tmp_path):
    story = published(r)
    image = make_image(story, alt_text="Elders at the table")

    def write():
        image_delete(image=image)

    return story.get_absolute_url(), write, lambda h: "Elders at the table" not in h


def case_story_transition(r, tmp_path):
    story = published(r, title="To be archived")

    def write():
        story_transition(story=story, actor=r["core"], action="archive", note="Old.")

    return reverse("stories:list"), write, lambda h: "To be archived" not in h


def case_publish_due(r, tmp_path):
    story = make_story(
        community=r["community"],
        status=Status.APPROVED,
        title="Due now",
        publish_at=timezone.now() - timedelta(1),
    )
    assert story.status == Status.APPROVED
    return reverse("stories:list"), publish_due, lambda h: "Due now" in h


def case_lesson_add(r, tmp_path):
    story, theme = theme_with_lessons(r)

    def write():
        lesson_add(story=story, actor=r["core"], data=lesson_data("Third lesson."))

    return theme.get_absolute_url(), write, lambda h: "Third lesson." in h


def case_lesson_update(r, tmp_path):
    story, theme = theme_with_lessons(r)
    lesson = story.lessons.get(statement="First lesson.")

    def write():
        lesson_update(lesson=lesson, actor=r["core"], data=lesson_data("Reworded."))

    return theme.get_absolute_url(), write, lambda h: "Reworded." in h


def case_lesson_remove(r, tmp_path):
    story, theme = theme_with_lessons(r)
    lesson = story.lessons.get(statement="First lesson.")

    def write():
        lesson_remove(lesson=lesson, actor=r["core"])

    return theme.get_absolute_url(), write, lambda h: "First lesson." not in h


def case_lesson_move(r, tmp_path):
    story, theme = theme_with_lessons(r)
    lesson = story.lessons.get(statement="Second lesson.")

    def write():
        assert lesson_move(lesson=lesson, actor=r["core"], direction="up")

    return (
        theme.get_absolute_url(),
        write,
        lambda h: in_order(h, "Second lesson.", "First lesson."),
    )


def a_collection(r, *, published=True, **fields):
    stories = [published_story(r, "Kept first"), published_story(r, "Kept second")]
    return make_collection(stories=stories, published=published, **fields)


def published_story(r, title):
    return published(r, title=title)


def collection_data(collection, **changes):
    return {
        "title": collection.title,
        "slug": collection.slug,
        "introduction": collection.introduction,
        "visibility": collection.visibility,
        **changes,
    }


def case_collection_create(r, tmp_path):
    def write():
        curation.services.collection_create(
            actor=r["core"],
            data={
                "title": "Fresh draft",
                "slug": "fresh-draft",
                "introduction": "I.",
                "visibility": "public",
            },
        )

    return reverse("collections:list"), write, lambda h: "Fresh draft" in h


def case_collection_update(r, tmp_path):
    collection = a_collection(r, title="Old name")

    def write():
        curation.services.collection_update(
            collection=collection,
            actor=r["core"],
            data=collection_data(collection, title="New name"),
        )

    return collection.get_absolute_url(), write, lambda h: "New name" in h


def case_collection_add(r, tmp_path):
    collection = a_collection(r)
    extra = published_story(r, "Added later")

    def write():
        curation.services.collection_add(
            collection=collection, story=extra, actor=r["core"], note="Why."
        )

    return collection.get_absolute_url(), write, lambda h: "Added later" in h


def case_collection_remove(r, tmp_path):
    collection = a_collection(r)
    item = collection.items.get(story__title="Kept first")

    def write():
        curation.services.collection_remove(item=item, actor=r["core"])

    return collection.get_absolute_url(), write, lambda h: "Kept first</a> removed" in h


def case_collection_move(r, tmp_path):
    collection = a_collection(r)
    item = collection.items.get(story__title="Kept second")

    def write():
        curation.services.collection_move(item=item, actor=r["core"], direction="up")

    return (
        collection.get_absolute_url(),
        write,
        lambda h: in_order(h, "Kept second", "Kept first"),
    )


def case_collection_annotate(r, tmp_path):
    collection = a_collection(r)
    item = collection.items.get(story__title="Kept first")

    def write():
        curation.services.collection_annotate(
            item=item, actor=r["core"], note="Because it shows the way."
        )

    return collection.get_absolute_url(), write, lambda h: "shows the way" in h


def case_collection_publish(r, tmp_path):
    collection = a_collection(r, published=False, title="Soon public")

    def write():
        curation.services.collection_publish(collection=collection, actor=r["core"])

    return reverse("collections:list"), write, lambda h: "Soon public" in h


def case_collection_unpublish(r, tmp_path):
    collection = a_collection(r, title="Soon gone")

    def write():
        curation.services.collection_unpublish(collection=collection, actor=r["core"])

    return reverse("collections:list"), write, lambda h: "Soon gone" not in h


def case_collection_regenerate_link(r, tmp_path):
    collection = a_collection(r, visibility="link", title="By link")
    old = collection.share_token or ""

    def write():
        curation.services.collection_regenerate_link(
            collection=collection, actor=r["core"]
        )

    def shown(html):
        collection.refresh_from_db()
        return (
            collection.share_token
            and collection.share_token in html
            and (not old or old not in html)
        )

    return reverse("collections:edit", args=[collection.slug]), write, shown


def case_collection_revoke_link(r, tmp_path):
    collection = a_collection(r, visibility="link", title="By link")
    curation.services.collection_regenerate_link(collection=collection, actor=r["core"])
    collection.refresh_from_db()
    token = collection.share_token

    def write():
        curation.services.collection_revoke_link(collection=collection, actor=r["core"])

    return (
        reverse("collections:edit", args=[collection.slug]),
        write,
        lambda h: token not in h,
    )


def case_publish_scheduled(r, tmp_path):
    make_story(
        community=r["community"],
        status=Status.APPROVED,
        title="Due now",
        publish_at=timezone.now() - timedelta(1),
    )

    def write():
        call_command("publish_scheduled", stdout=io.StringIO())

    return reverse("stories:list"), write, lambda h: "Due now" in h


def case_generate_stories(r, tmp_path):
    def write():
        call_command(
            "generate_stories",
            "--count",
            "3",
            "--seed",
            "7",
            verbosity=0,
            stdout=io.StringIO(),
        )

    def shown(html):
        count = Story.objects.visible_to(None).count()
        return count > 0 and f"{count} stor" in html

    return reverse("stories:list"), write, shown


def case_load_demo(r, tmp_path):
    def write():
        call_command("load_demo", stdout=io.StringIO())

    return (
        reverse("collections:list"),
        write,
        lambda h: "Community voice, in practice" in h,
    )


def case_import_library(r, tmp_path):
    published(r, title="Carried over")
    export_library(tmp_path / "export")
    empty_the_database()

    def write():
        call_command("import_library", tmp_path / "export", stdout=io.StringIO())

    return reverse("stories:list"), write, lambda h: "Carried over" in h


CASES = {
    "story_save": (case_story_save, ["mine"]),
    "story_save (new)": (case_story_save_new, ["mine"]),
    "revision_restore": (case_revision_restore, ["mine"]),
    "staged_publish": (case_staged_publish, ["visitor", "member"]),
    "image_add": (case_image_add, ["visitor", "member"]),
    "image_delete": (case_image_delete, ["visitor", "member"]),
    "story_transition": (case_story_transition, ["visitor", "member"]),
    "publish_due": (case_publish_due, ["visitor", "member"]),
    "lesson_add": (case_lesson_add, ["visitor", "member"]),
    "lesson_update": (case_lesson_update, ["visitor", "member"]),
    "lesson_remove": (case_lesson_remove, ["visitor", "member"]),
    "lesson_move": (case_lesson_move, ["visitor", "member"]),
    "collection_create": (case_collection_create, ["core_client"]),
    "collection_update": (case_collection_update, ["visitor", "member"]),
    "collection_add": (case_collection_add, ["visitor", "member"]),
    "collection_remove": (case_collection_remove, ["visitor", "member"]),
    "collection_move": (case_collection_move, ["visitor", "member"]),
    "collection_annotate": (case_collection_annotate, ["visitor", "member"]),
    "collection_publish": (case_collection_publish, ["visitor", "member"]),
    "collection_unpublish": (case_collection_unpublish, ["visitor", "member"]),
    "collection_regenerate_link": (case_collection_regenerate_link, ["core_client"]),
    "collection_revoke_link": (case_collection_revoke_link, ["core_client"]),
    "publish_scheduled": (case_publish_scheduled, ["visitor", "member"]),
    "generate_stories": (case_generate_stories, ["visitor", "member"]),
    "load_demo": (case_load_demo, ["visitor", "member"]),
    "import_library": (case_import_library, ["visitor", "member"]),
}


@pytest.mark.parametrize("name", CASES)
def test_a_write_shows_on_the_next_request_to_every_reader(
    name, readers, committed, tmp_path, media
):
    make_case, who = CASES[name]
    url, write, shown = make_case(readers, tmp_path)
    for reader in who:
        for _ in range(2):  # drawn, then kept
            response = readers[reader].get(url)
            assert response.status_code == 200, (reader, url)
            assert not shown(response.content.decode()), (reader, url)
    version = caches["default"].get(VERSION_KEY)
    with committed():
        write()
    assert caches["default"].get(VERSION_KEY) != version
    for reader in who:
        html = readers[reader].get(url).content.decode()
        assert shown(html), (name, reader, url)


def test_every_write_service_retires_the_cache_or_shows_nowhere_cached():
    """A service added later must retire the cache, or be named here as
    changing nothing a kept page shows."""
    covered = {name.split(" ")[0] for name in CASES}
    for module in (
        stories.services,
        stories.workflow,
        lessons.services,
        curation.services,
    ):
        public = {
            name
            for name, function in inspect.getmembers(module, inspect.isfunction)
            if function.__module__ == module.__name__ and not name.startswith("_")
        }
        exempt = SHOWN_NOWHERE_CACHED[module.__name__]
        for name in public - exempt:
            assert name in covered, f"{module.__name__}.{name} has no case"
            assert getattr(getattr(module, name), "changes_library", False), name


def test_the_admin_is_the_safety_net(admin_client, committed):
    """An admin edit (which no service of ours makes) retires the cache too,
    through the one signal on the admin's log."""
    post_save.connect(
        common.cache._admin_wrote, sender=LogEntry, dispatch_uid="p2s-cache-admin"
    )
    story = make_story(title="Admin's")
    Client().get(reverse("stories:list"))
    version = caches["default"].get(VERSION_KEY)
    url = reverse("admin:stories_story_change", args=[story.pk])
    with committed():
        admin_client.post(
            reverse("admin:stories_story_delete", args=[story.pk]), {"post": "yes"}
        )
    assert url and not Story.objects.filter(pk=story.pk).exists()
    assert caches["default"].get(VERSION_KEY) != version
    assert "Admin's" not in Client().get(reverse("stories:list")).content.decode()
