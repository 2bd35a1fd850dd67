"""Small factories: just enough data for each test to say what it means."""

import importlib
import io
import itertools
from datetime import date, timedelta

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from assessments import services as assessment_services
from communities.models import Community, State
from discovery.search import refresh_story
from framework.models import FrameworkVersion, Practice, Stream
from lessons.models import Kind, Lesson, Theme
from stories.images import clean_image
from stories.models import Status, Story, StoryStream, Visibility
from stories.services import image_add

_sequence = itertools.count(1)


def ensure_streams():
    """The five streams. A transactional test empties every table, the streams
    made by the data migration included, so they are made again when missing."""
    streams = list(Stream.objects.all())
    if not streams:
        migration = importlib.import_module("p2s.migrations.0002_the_five_streams")
        for order, slug, name, colour, tagline, description in migration.STREAMS:
            Stream.objects.create(
                order=order,
                slug=slug,
                name=name,
                colour=colour,
                tagline=tagline,
                description=description,
            )
        streams = list(Stream.objects.all())
    return streams


def ensure_framework():
    """The framework's first version, as its data migration loads it (a
    transactional test may have emptied it)."""
    ensure_streams()
    if not FrameworkVersion.objects.exists():
        migration = importlib.import_module("framework.migrations.0003_first_version")
        migration.load(apps, None)
    return FrameworkVersion.objects.current()


def make_user(*, approved=True, **fields):
    number = next(_sequence)
    fields.setdefault("username", f"user{number}")
    fields.setdefault("email", f"user{number}@example.org")
    return get_user_model().objects.create_user(
        password="a-long-test-password", is_approved=approved, **fields
    )


def make_member(community, *, role="member", approved=True, **fields):
    """An account with a membership of `community`."""
    from communities.models import Membership

    user = make_user(approved=approved, **fields)
    Membership.objects.create(user=user, community=community, role=role)
    return user


def make_core(**fields):
    from django.contrib.auth.models import Group

    from communities.models import CORE_TEAM

    user = make_user(approved=True, **fields)
    user.groups.add(Group.objects.get_or_create(name=CORE_TEAM)[0])
    return user


def make_community(**fields):
    number = next(_sequence)
    fields.setdefault("name", f"Community {number}")
    fields.setdefault("slug", f"community-{number}")
    fields.setdefault("state", State.NSW)
    fields.setdefault("place", f"Town {number}")
    return Community.objects.create(**fields)


def make_story(
    *,
    streams=("plan",),
    tags=(),
    status=Status.PUBLISHED,
    visibility=Visibility.PUBLIC,
    community=None,
    **fields,
):
    number = next(_sequence)
    fields.setdefault("title", f"Story {number}")
    fields.setdefault("slug", f"story-{number}")
    fields.setdefault("summary", f"Summary of story {number}.")
    fields.setdefault("body", f"Body of story {number}.")
    if status == Status.PUBLISHED:
        # later-made stories are newer
        published = timezone.now() - timedelta(days=30) + timedelta(minutes=number)
        fields.setdefault("published_at", published)
    fields.setdefault("consent", status != Status.DRAFT)
    story = Story.objects.create(
        community=community or make_community(),
        status=status,
        visibility=visibility,
        **fields,
    )
    by_slug = {stream.slug: stream for stream in ensure_streams()}
    StoryStream.objects.bulk_create(
        StoryStream(story=story, stream=by_slug[slug], is_primary=index == 0)
        for index, slug in enumerate(streams)
    )
    refresh_story(story)  # as the services do after bulk_create
    if tags:
        story.tags.add(*tags)
    return story


def png_bytes(size=(32, 18), colour="#1d5a96"):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


def make_authored_story(*, author_email="author@example.org", **fields):
    """A story (`make_story`'s fields) in a community of its own, with one
    author, a member there with `author_email`."""
    community = make_community()
    author = make_member(community, email=author_email)
    story = make_story(community=community, **fields)
    story.authors.add(author)
    return story


def make_image(story, *, cover=True, alt_text="A blue square", credit="Test"):
    upload = ContentFile(png_bytes(), name="picture.png")
    return image_add(
        story=story,
        clean=clean_image(upload),
        alt_text=alt_text,
        credit=credit,
        is_cover=cover,
    )


HIDDEN_STATUSES = [status for status in Status.values if status != Status.PUBLISHED]


def fill_library(count, community_slug="budget-town"):
    """`count` more published stories, half in one WA community, some with a
    cover, some featured, all in two streams and sharing a tag. Returns the last."""
    community = Community.objects.filter(slug=community_slug).first()
    community = community or make_community(slug=community_slug, state="WA")
    story = None
    for n in range(count):
        story = make_story(
            community=community if n % 2 else None,
            streams=["plan", "learn"],
            tags=["shared", f"tag {n % 7}"],
            year=2024,
            visibility="collective" if n % 10 == 5 else "public",
            is_featured=n % 5 == 0,
        )
        if n % 3 == 0:
            make_image(story)
    return story


def make_theme(**fields):
    number = next(_sequence)
    fields.setdefault("name", f"Theme {number}")
    fields.setdefault("slug", f"theme-{number}")
    return Theme.objects.create(**fields)


def make_lesson(story, *, stream="plan", kind=Kind.WORKS, themes=(), **fields):
    """A lesson codified from `story` in `stream`, filed under `themes`."""
    fields.setdefault("statement", f"Lesson {next(_sequence)} of {story.title}.")
    lesson = Lesson.objects.create(
        story=story,
        stream=next(s for s in ensure_streams() if s.slug == stream),
        kind=kind,
        **fields,
    )
    lesson.themes.add(*themes)
    return lesson


def fill_lessons(stories=1_000, lessons_per_story=5, themes=10):
    """A big codified library in a few bulk inserts, for query budgets:
    `stories` stories across twenty communities of every state (one in ten
    Collective-only, one in ten a draft, ten to each year 2015-2024 in turn),
    `lessons_per_story` lessons each of every kind and stream, each lesson
    under two of `themes` themes. Returns the themes."""
    streams = ensure_streams()
    states = State.values
    communities = Community.objects.bulk_create(
        Community(
            name=f"Big {n}",
            slug=f"big-{n}",
            state=states[n % len(states)],
            place="Town",
        )
        for n in range(20)
    )
    now = timezone.now()
    made = Story.objects.bulk_create(
        Story(
            community=communities[n % 20],
            slug=f"big-story-{n}",
            title=f"Big story {n}",
            summary="A summary.",
            body="A body.",
            status=Status.DRAFT if n % 10 == 9 else Status.PUBLISHED,
            published_at=now - timedelta(minutes=n),
            visibility=Visibility.COLLECTIVE if n % 10 == 3 else Visibility.PUBLIC,
            consent=True,
            year=2015 + n // 10 % 10,
        )
        for n in range(stories)
    )
    StoryStream.objects.bulk_create(
        StoryStream(story=story, stream=streams[n % 5], is_primary=True)
        for n, story in enumerate(made)
    )
    made_themes = Theme.objects.bulk_create(
        Theme(name=f"Big theme {n}", slug=f"big-theme-{n}") for n in range(themes)
    )
    lessons = Lesson.objects.bulk_create(
        Lesson(
            story=story,
            statement=f"Lesson {i} of story {n}.",
            kind=Kind.values[(n + i) % 3],
            stream=streams[(n + i) % 5],
            position=i,
        )
        for n, story in enumerate(made)
        for i in range(lessons_per_story)
    )
    through = Lesson.themes.through
    through.objects.bulk_create(
        through(lesson_id=lesson.pk, theme_id=made_themes[(n + extra) % themes].pk)
        for n, lesson in enumerate(lessons)
        for extra in (0, 3)
    )
    return made_themes


def make_collection(*, stories=(), visibility="public", published=True, **fields):
    """A collection holding `stories` in order, made directly (no emails), with
    the history the curating page would have written: added, then published."""
    from curation.models import (
        Action,
        Collection,
        CollectionEvent,
        CollectionItem,
        new_share_token,
    )

    number = next(_sequence)
    fields.setdefault("title", f"Collection {number}")
    fields.setdefault("slug", f"collection-{number}")
    fields.setdefault("introduction", f"Why collection {number} exists.")
    now = timezone.now()
    collection = Collection.objects.create(
        visibility=visibility,
        share_token=new_share_token() if visibility == "link" else None,
        published_at=now if published else None,
        **fields,
    )
    earlier = now - timedelta(days=1)
    for position, story in enumerate(stories):
        CollectionItem.objects.create(
            collection=collection, story=story, position=position, created_at=earlier
        )
        CollectionEvent.objects.create(
            collection=collection,
            story=story,
            story_title=story.title,
            action=Action.ADDED,
            created_at=earlier,
        )
    if published:
        CollectionEvent.objects.create(
            collection=collection, action=Action.PUBLISHED, created_at=now
        )
    return collection


def forget_kept():
    """Leave behind everything kept (a new library version on the next read),
    as the services' writes do: for a test that measures a page drawn
    afresh after writing with these builders."""
    from django.core.cache import caches

    from common.cache import VERSION_KEY

    caches["default"].delete(VERSION_KEY)


def mails(callbacks):
    """The on-commit callbacks that send mail (the cache's own are left out)."""
    return [callback for callback in callbacks if callback.__module__ != "common.cache"]


def story_data(community, **overrides):
    """What the story form posts for a new draft in `community`, with
    `overrides`."""
    return {
        "title": "Drawing our hopes",
        "summary": "A graphic recorder drew what the community hopes for.",
        "body": "## The day\n\nWe **gathered**.",
        "community": community.pk,
        "storytellers": "A parent (anonymous)",
        "streams": ["communicate", "plan"],
        "primary_stream": "plan",
        "tags": "Graphic Recording, community voice",
        "what_worked": "Pictures.",
        "what_didnt": "Rain.",
        "conditions": "A trusted venue.",
        "year": "2024",
        "visibility": "public",
        "action": "draft",
    } | overrides


def make_assessment(
    community,
    *,
    lead=None,
    title="Leadership table workshop",
    held_on=None,
    levels=None,
    targets=None,
    evidence="We have started.",
    close=False,
    shared=False,
):
    """An assessment of `community` started by its lead (made if not given),
    each stream's one group answering every practice at `levels` (a level
    for all, or {practice name: level} with "*" for the others; None
    leaves them unanswered) with
    `targets` ({practice name: level}), done when every level is given;
    closed and shared if asked."""
    if lead is None:
        lead = make_member(community, role="lead")
    ensure_framework()
    assessment = assessment_services.assessment_start(
        community=community,
        actor=lead,
        title=title,
        held_on=held_on or timezone.localdate(),
    )
    targets = targets or {}
    if levels is not None:
        for group in assessment.groups.all():
            practices = group.assessment.version.practices.filter(stream=group.stream)
            answers = {
                p.pk: {
                    "level": (
                        levels.get(p.name, levels.get("*"))
                        if isinstance(levels, dict)
                        else levels
                    ),
                    "evidence": evidence,
                    "target_level": targets.get(p.name),
                    "target_date": None,
                }
                for p in practices
            }
            complete = all(a["level"] for a in answers.values())
            assessment_services.group_save(
                group=group, actor=lead, revision=0, answers=answers, done=complete
            )
    if close:
        assessment_services.assessment_close(assessment=assessment, actor=lead)
    if shared:
        assessment_services.assessment_share(
            assessment=assessment, actor=lead, shared=True
        )
    assessment.refresh_from_db()
    return assessment


def make_assessment_history(community, lead, *, first="First workshop", evidence=None):
    """A lead's three assessments: a closed one (2024, with targets), a closed
    and shared one a year on (its levels spread over all four, so its results
    show gaps, strengths and a comparison) and an open one with nothing
    answered. Returns the second and the third."""
    names = list(
        Practice.objects.filter(version=ensure_framework()).values_list(
            "name", flat=True
        )
    )
    make_assessment(
        community, lead=lead, title=first, held_on=date(2024, 3, 1),
        levels=2, targets={names[0]: 3, names[1]: 4}, close=True,
    )  # fmt: skip
    closed = make_assessment(
        community, lead=lead, title="Second workshop", held_on=date(2025, 3, 1),
        levels={name: [1, 2, 3, 4][i % 4] for i, name in enumerate(names)},
        targets={names[2]: 4}, evidence=evidence or "We have started.",
        close=True, shared=True,
    )  # fmt: skip
    current = make_assessment(
        community, lead=lead, title="Third workshop", held_on=date(2026, 3, 1)
    )
    return closed, current
