"""Demo content for `make run`: communities, accounts, stories with their
illustrations (demo/pictures.py), lessons and collections, the home
community's self-assessments (demo/assessments.py) and the communities of
practice (demo/spaces.py), from fixtures/demo/.

Loaded by `manage.py load_demo`; refused where settings.P2S_DEMO_ALLOWED is
False, as in production.
"""

import tomllib
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from common.cache import changes_library
from communities.models import CORE_TEAM, Community, Membership, Role
from curation.models import (
    Action,
    Collection,
    CollectionEvent,
    CollectionItem,
    Visibility,
    new_share_token,
)
from demo.assessments import (
    ASSESSMENTS_FILE,
    current_practices,
    load_assessments,
    practice_named,
)
from demo.pictures import draw
from demo.spaces import SPACES_FILE, load_spaces
from discovery.search import refresh_story
from framework.models import Stream
from lessons.models import Lesson, Theme
from stories.images import clean_image
from stories.models import Status, Story, StoryEvent, StoryStream
from stories.services import image_add, image_delete, record_revision, snapshot_of

DEMO_FILE = settings.BASE_DIR / "fixtures" / "demo" / "stories.toml"
LESSONS_FILE = settings.BASE_DIR / "fixtures" / "demo" / "lessons.toml"
COLLECTIONS_FILE = settings.BASE_DIR / "fixtures" / "demo" / "collections.toml"
DEMO_PASSWORD = "p2s-demo"
DEMO_ACCOUNTS = {
    "core": {
        "name": "Casey (core team)",
        "is_staff": True,
        "is_superuser": True,
        "organisation": "Collective core team",
    },
    "lead": {"name": "Lee (backbone lead)", "organisation": "Backbone team"},
    "member": {"name": "Morgan (community member)", "organisation": "Playgroup"},
    "funder": {"name": "Frankie (funder)", "organisation": "A foundation"},
}


@changes_library
def load_demo(
    path=DEMO_FILE,
    *,
    with_images=True,
    lessons_path=LESSONS_FILE,
    collections_path=COLLECTIONS_FILE,
    assessments_path=ASSESSMENTS_FILE,
    spaces_path=SPACES_FILE,
):
    """Create or refresh the demo library. Returns (communities, stories)."""
    if not settings.P2S_DEMO_ALLOWED:
        raise ImproperlyConfigured("Demo content is not allowed in this configuration.")
    with open(path, "rb") as handle:
        data = tomllib.load(handle)
    with transaction.atomic():
        users = _accounts()
        communities = {row["slug"]: _community(row) for row in data["community"]}
        home = communities[data["community"][0]["slug"]]
        for username, role in [("lead", Role.LEAD), ("member", Role.MEMBER)]:
            Membership.objects.update_or_create(
                user=users[username], community=home, defaults={"role": role}
            )
        streams = {stream.slug: stream for stream in Stream.objects.all()}
        stories = [
            _story(row, communities, streams, users, with_images)
            for row in data["story"]
        ]
        with open(lessons_path, "rb") as handle:
            _lessons(tomllib.load(handle), streams, users["core"])
        with open(collections_path, "rb") as handle:
            _collections(tomllib.load(handle), users["core"])
        load_assessments(home, users, assessments_path)
        load_spaces(users, spaces_path)
    return list(communities.values()), stories


def _lessons(data, streams, codifier):
    """The demo's themes, and its stories' lessons made afresh (quietly: no
    citation emails for demo authors), some tied to a practice of their
    stream in the framework's current version."""
    themes = {}
    for row in data["theme"]:
        themes[row["slug"]], _ = Theme.objects.update_or_create(
            slug=row["slug"],
            defaults={"name": row["name"], "description": row["description"]},
        )
    by_slug = {
        story.slug: story
        for story in Story.objects.filter(slug__in={r["story"] for r in data["lesson"]})
    }
    Lesson.objects.filter(story__in=by_slug.values()).delete()
    practices = current_practices()
    positions = {}
    for row in data["lesson"]:
        story = by_slug[row["story"]]
        position = positions.get(story.pk, 0)
        positions[story.pk] = position + 1
        lesson = Lesson.objects.create(
            story=story,
            statement=row["statement"],
            kind=row["kind"],
            stream=streams[row["stream"]],
            condition=row.get("condition", ""),
            practice=practice_named(practices, row["stream"], row.get("practice")),
            position=position,
            created_by=codifier,
        )
        lesson.themes.set([themes[slug] for slug in row.get("themes", [])])


def _collections(data, curator):
    """The demo's collections, their stories, notes and history made afresh
    (quietly: no emails to demo authors). A link-only collection keeps its
    share link across reloads, so a link already handed out still works."""
    slugs = {item["story"] for row in data["collection"] for item in row["item"]}
    stories = {story.slug: story for story in Story.objects.filter(slug__in=slugs)}
    for row in data["collection"]:
        published_at = _demo_time(row["published"])
        collection = _collection(row, curator, published_at)
        collection.items.all().delete()
        collection.events.all().delete()
        items, events = _collection_history(
            collection, row["item"], stories, curator, published_at
        )
        CollectionItem.objects.bulk_create(items)
        CollectionEvent.objects.bulk_create(sorted(events, key=lambda e: e.created_at))


def _collection(row, curator, published_at):
    kept = (
        Collection.objects.filter(slug=row["slug"])
        .values_list("share_token", flat=True)
        .first()
    )
    link_only = row["visibility"] == Visibility.LINK
    collection, _ = Collection.objects.update_or_create(
        slug=row["slug"],
        defaults={
            "title": row["title"],
            "introduction": row["introduction"].strip(),
            "visibility": row["visibility"],
            "curator": curator,
            "published_at": published_at,
            "share_token": (kept or new_share_token()) if link_only else None,
        },
    )
    return collection


def _collection_history(collection, specs, stories, curator, published_at):
    """A collection's items and the events that made it: created two weeks
    before it was published, its n-th story added on its `added` day or else n
    days after that. Returns (items, events), unsaved."""
    made = published_at - timedelta(days=14)
    events = [
        CollectionEvent(
            collection=collection, action=Action.CREATED, actor=curator, created_at=made
        )
    ]
    items = []
    for position, spec in enumerate(specs):
        story = stories[spec["story"]]
        added = (
            _demo_time(spec["added"])
            if "added" in spec
            else made + timedelta(days=position + 1)
        )
        items.append(
            CollectionItem(
                collection=collection,
                story=story,
                position=position,
                note=spec.get("note", ""),
                added_by=curator,
                created_at=added,
                notified_at=max(added, published_at),
            )
        )
        events.append(
            CollectionEvent(
                collection=collection,
                story=story,
                story_title=story.title,
                action=Action.ADDED,
                actor=curator,
                created_at=added,
            )
        )
    events.append(
        CollectionEvent(
            collection=collection,
            action=Action.PUBLISHED,
            actor=curator,
            created_at=published_at,
        )
    )
    return items, events


def _demo_time(day):
    """A TOML date (or ISO string) as 9:30 on that day, in the site's time."""
    if isinstance(day, str):
        day = date.fromisoformat(day)
    return timezone.make_aware(datetime.combine(day, time(9, 30)))


def _accounts():
    User = get_user_model()
    core_team, _ = Group.objects.get_or_create(name=CORE_TEAM)
    users = {}
    for username, fields in DEMO_ACCOUNTS.items():
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={
                **fields,
                "email": f"{username}@example.org",
                "is_approved": True,
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        if username == "core":
            user.groups.add(core_team)
        users[username] = user
    return users


def _community(row):
    community, _ = Community.objects.update_or_create(
        slug=row["slug"],
        defaults={
            "name": row["name"],
            "state": row["state"],
            "place": row["place"],
            "backbone_organisation": row.get("backbone_organisation", ""),
            "description": row.get("description", "").strip(),
            "website": row.get("website", ""),
            "is_demo": True,
        },
    )
    return community


def _story(row, communities, streams, users, with_images):
    """A demo story from its row in stories.toml. Its first revision and its
    history are written once; its links, and its pictures if asked for, afresh."""
    story, _ = Story.objects.update_or_create(
        slug=row["slug"], defaults=_story_fields(row, communities)
    )
    _story_links(story, row, streams, users)
    if not story.revisions.exists():
        record_revision(
            story, story.authors.first() or users["core"], snapshot_of(story)
        )
    if not story.events.exists():
        _history(story, users, row.get("note", ""))
    if with_images:
        _story_images(story, row.get("image", []), streams[row["streams"][0]])
    return story


def _story_fields(row, communities):
    status = row.get("status", Status.PUBLISHED)
    return {
        "title": row["title"],
        "summary": row["summary"].strip(),
        "body": row["body"].strip(),
        "community": communities[row["community"]],
        "storytellers": row.get("storytellers", ""),
        "what_worked": row.get("what_worked", "").strip(),
        "what_didnt": row.get("what_didnt", "").strip(),
        "conditions": row.get("conditions", "").strip(),
        "year": row.get("year"),
        "status": status,
        "visibility": row.get("visibility", "public"),
        "is_featured": row.get("featured", False),
        "consent": status != Status.DRAFT,
        "is_demo": True,
        "published_at": _demo_time(row["published"]) if "published" in row else None,
        "publish_at": (
            timezone.now() + timedelta(days=row["scheduled_days"])
            if "scheduled_days" in row
            else None
        ),
    }


def _story_links(story, row, streams, users):
    """The story's authors, streams and tags, replacing the ones it had."""
    story.authors.set([users[name] for name in row.get("authors", [])])
    story.story_streams.all().delete()
    StoryStream.objects.bulk_create(
        StoryStream(story=story, stream=streams[slug], is_primary=index == 0)
        for index, slug in enumerate(row["streams"])
    )
    refresh_story(story)  # its facet keys: bulk_create sends no signal
    story.tags.set(row.get("tags", []), clear=True)


def _story_images(story, specs, primary):
    """The story's pictures drawn afresh in its primary stream's colour; the
    first is its cover."""
    for image in story.images.all():
        image_delete(image=image)
    for index, spec in enumerate(specs):
        content = draw(spec["motif"], primary.colour, seed=f"{story.slug}-{index}")
        image_add(
            story=story,
            clean=clean_image(ContentFile(content, name="demo.jpg")),
            alt_text=spec["alt"],
            credit=spec["credit"],
            caption=spec.get("caption", ""),
            is_cover=index == 0,
            position=index,
        )


# How each demo story reached its state: (action, who, to), oldest first.
SUBMITTED = [("submit", "author", Status.SUBMITTED)]
SIGNED_OFF = [
    *SUBMITTED,
    ("send_for_signoff", "core", Status.AWAITING_SIGNOFF),
    ("sign_off", "lead", Status.APPROVED),
]
PUBLISHED = [*SIGNED_OFF, ("publish", "core", Status.PUBLISHED)]
HISTORIES = {
    Status.DRAFT: [],
    Status.SUBMITTED: SUBMITTED,
    Status.CHANGES_REQUESTED: [
        *SUBMITTED,
        ("request_changes", "core", Status.CHANGES_REQUESTED),
    ],
    Status.AWAITING_SIGNOFF: SIGNED_OFF[:2],
    Status.APPROVED: SIGNED_OFF,
    Status.PUBLISHED: PUBLISHED,
    Status.REJECTED: [*SUBMITTED, ("reject", "core", Status.REJECTED)],
    Status.WITHDRAWN: [*SUBMITTED, ("withdraw", "author", Status.WITHDRAWN)],
    Status.ARCHIVED: [*PUBLISHED, ("archive", "core", Status.ARCHIVED)],
}


def _history(story, users, note):
    """The audit trail a demo story would have, so its review page tells how
    it got here; the demo's `note` goes with the last step."""
    steps = HISTORIES[story.status]
    author = story.authors.first() or users["lead"]
    end = story.published_at or timezone.now() - timedelta(days=3)
    if story.status == Status.PUBLISHED or story.status == Status.ARCHIVED:
        end = (story.published_at or end) + timedelta(
            days=30 if story.status == Status.ARCHIVED else 0
        )
    previous = Status.DRAFT
    events = []
    for index, (action, who, to) in enumerate(steps):
        actor = author if who == "author" else users[who]
        when = end - timedelta(days=2 * (len(steps) - 1 - index))
        last = index == len(steps) - 1
        events.append(
            StoryEvent(
                story=story,
                actor=actor,
                action=action,
                from_status=previous,
                to_status=to,
                note=note if last else "",
                created_at=when,
            )
        )
        previous = to
    StoryEvent.objects.bulk_create(events)
    if events:
        Story.objects.filter(pk=story.pk).update(
            status_changed_at=events[-1].created_at
        )
