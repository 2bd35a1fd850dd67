"""Demo content for `make run`: communities, accounts, stories and their
illustrations (drawn here with Pillow, so no outside image is used).

Loaded by `manage.py load_demo`; refused where settings.P2S_DEMO_ALLOWED is
False, as in production.
"""

import io
import math
import random
import tomllib
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from communities.models import CORE_TEAM, Community, Membership, Role
from curation.models import (
    Action,
    Collection,
    CollectionEvent,
    CollectionItem,
    Visibility,
    new_share_token,
)
from lessons.models import Lesson, Theme
from p2s.cache import changes_library
from p2s.models import Stream
from stories.images import clean_image
from stories.models import Status, Story, StoryEvent, StoryStream
from stories.search import refresh_story
from stories.services import image_add, image_delete, record_revision, snapshot_of

DEMO_FILE = settings.BASE_DIR / "fixtures" / "demo" / "stories.toml"
LESSONS_FILE = settings.BASE_DIR / "fixtures" / "demo" / "lessons.toml"
COLLECTIONS_FILE = settings.BASE_DIR / "fixtures" / "demo" / "collections.toml"
DEMO_PASSWORD = "p2s-demo"
DEMO_ACCOUNTS = {
    "core": {"name": "Casey (core team)", "is_staff": True, "is_superuser": True,
             "organisation": "Collective core team"},
    "lead": {"name": "Lee (backbone lead)", "organisation": "Backbone team"},
    "member": {"name": "Morgan (community member)", "organisation": "Playgroup"},
    "funder": {"name": "Frankie (funder)", "organisation": "A foundation"},
}  # fmt: skip
IMAGE_SIZE = (1200, 675)


@changes_library
def load_demo(
    path=DEMO_FILE,
    *,
    with_images=True,
    lessons_path=LESSONS_FILE,
    collections_path=COLLECTIONS_FILE,
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
    return list(communities.values()), stories


def _lessons(data, streams, codifier):
    """The demo's themes, and its stories' lessons made afresh (quietly: no
    citation emails for demo authors)."""
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
        collection.items.all().delete()
        collection.events.all().delete()
        made = published_at - timedelta(days=14)
        events = [CollectionEvent(collection=collection, action=Action.CREATED,
                                  actor=curator, created_at=made)]  # fmt: skip
        items = []
        for position, spec in enumerate(row["item"]):
            story = stories[spec["story"]]
            added = (
                _demo_time(spec["added"])
                if "added" in spec
                else made + timedelta(days=position + 1)
            )
            items.append(CollectionItem(
                collection=collection, story=story, position=position,
                note=spec.get("note", ""), added_by=curator, created_at=added,
                notified_at=max(added, published_at),
            ))  # fmt: skip
            events.append(CollectionEvent(
                collection=collection, story=story, story_title=story.title,
                action=Action.ADDED, actor=curator, created_at=added,
            ))  # fmt: skip
        events.append(CollectionEvent(
            collection=collection, action=Action.PUBLISHED, actor=curator,
            created_at=published_at,
        ))  # fmt: skip
        CollectionItem.objects.bulk_create(items)
        CollectionEvent.objects.bulk_create(sorted(events, key=lambda e: e.created_at))


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
    published = row.get("published")
    if isinstance(published, str):
        published = date.fromisoformat(published)
    published_at = (
        timezone.make_aware(datetime.combine(published, time(9, 30)))
        if published
        else None
    )
    story, _ = Story.objects.update_or_create(
        slug=row["slug"],
        defaults={
            "title": row["title"],
            "summary": row["summary"].strip(),
            "body": row["body"].strip(),
            "community": communities[row["community"]],
            "storytellers": row.get("storytellers", ""),
            "what_worked": row.get("what_worked", "").strip(),
            "what_didnt": row.get("what_didnt", "").strip(),
            "conditions": row.get("conditions", "").strip(),
            "year": row.get("year"),
            "status": row.get("status", Status.PUBLISHED),
            "visibility": row.get("visibility", "public"),
            "is_featured": row.get("featured", False),
            "consent": row.get("status", Status.PUBLISHED) != Status.DRAFT,
            "is_demo": True,
            "published_at": published_at,
            "publish_at": (
                timezone.now() + timedelta(days=row["scheduled_days"])
                if "scheduled_days" in row
                else None
            ),
        },
    )
    story.authors.set([users[name] for name in row.get("authors", [])])
    story.story_streams.all().delete()
    StoryStream.objects.bulk_create(
        StoryStream(story=story, stream=streams[slug], is_primary=index == 0)
        for index, slug in enumerate(row["streams"])
    )
    refresh_story(story)  # its facet keys: bulk_create sends no signal
    story.tags.set(row.get("tags", []), clear=True)
    if not story.revisions.exists():
        record_revision(
            story, story.authors.first() or users["core"], snapshot_of(story)
        )
    if not story.events.exists():
        _history(story, users, row.get("note", ""))
    if with_images:
        for image in story.images.all():
            image_delete(image=image)
        primary = streams[row["streams"][0]]
        for index, spec in enumerate(row.get("image", [])):
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
    return story


# How each demo story reached its state: (action, who, to), oldest first.
SUBMITTED = [("submit", "author", Status.SUBMITTED)]
SIGNED_OFF = [*SUBMITTED, ("send_for_signoff", "core", Status.AWAITING_SIGNOFF),
              ("sign_off", "lead", Status.APPROVED)]  # fmt: skip
PUBLISHED = [*SIGNED_OFF, ("publish", "core", Status.PUBLISHED)]
HISTORIES = {
    Status.DRAFT: [],
    Status.SUBMITTED: SUBMITTED,
    Status.CHANGES_REQUESTED: [
        *SUBMITTED, ("request_changes", "core", Status.CHANGES_REQUESTED)],
    Status.AWAITING_SIGNOFF: SIGNED_OFF[:2],
    Status.APPROVED: SIGNED_OFF,
    Status.PUBLISHED: PUBLISHED,
    Status.REJECTED: [*SUBMITTED, ("reject", "core", Status.REJECTED)],
    Status.WITHDRAWN: [*SUBMITTED, ("withdraw", "author", Status.WITHDRAWN)],
    Status.ARCHIVED: [*PUBLISHED, ("archive", "core", Status.ARCHIVED)],
}  # fmt: skip


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
        events.append(StoryEvent(
            story=story, actor=actor, action=action, from_status=previous,
            to_status=to, note=note if last else "", created_at=when,
        ))  # fmt: skip
        previous = to
    StoryEvent.objects.bulk_create(events)
    if events:
        Story.objects.filter(pk=story.pk).update(
            status_changed_at=events[-1].created_at
        )


# Drawing -------------------------------------------------------------------

PALETTE = ["#1d5a96", "#22703a", "#7a3587", "#a4461b", "#a3234f"]
BACKGROUND = "#f4efe6"
INK = "#2a2a2a"


def draw(motif, colour, *, seed):
    """A flat illustration of `motif` in the stream's colour, as JPEG bytes."""
    rng = random.Random(seed)
    image = Image.new("RGB", IMAGE_SIZE, BACKGROUND)
    canvas = ImageDraw.Draw(image)
    MOTIFS.get(motif, _gathering)(canvas, rng, colour)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=82, optimize=True, progressive=True)
    return buffer.getvalue()


def _figure(canvas, x, y, scale, colour):
    head = 26 * scale
    canvas.ellipse([x - head, y - 3 * head, x + head, y - head], fill=colour)
    canvas.rounded_rectangle(
        [x - 1.6 * head, y - 0.8 * head, x + 1.6 * head, y + 2.6 * head],
        radius=int(head),
        fill=colour,
    )


def _gathering(canvas, rng, colour):
    cx, cy = 600, 380
    canvas.ellipse([cx - 170, cy - 90, cx + 170, cy + 90], fill="#c9b79c")
    count = 8
    for i in range(count):
        angle = 2 * math.pi * i / count
        x = cx + 330 * math.cos(angle)
        y = cy + 190 * math.sin(angle)
        _figure(canvas, x, y, 1.0, rng.choice(PALETTE + [colour]))


def _mural(canvas, rng, colour):
    canvas.rectangle([90, 70, 1110, 600], fill="#ffffff", outline=INK, width=6)
    for _ in range(7):
        x, y = rng.randint(130, 900), rng.randint(110, 470)
        canvas.rounded_rectangle(
            [x, y, x + rng.randint(110, 190), y + rng.randint(60, 100)],
            radius=14,
            outline=rng.choice(PALETTE),
            width=6,
        )
    for _ in range(6):
        x1, y1 = rng.randint(150, 1050), rng.randint(120, 560)
        x2, y2 = x1 + rng.randint(-200, 200), y1 + rng.randint(-120, 120)
        canvas.line([x1, y1, x2, y2], fill=INK, width=5)
        canvas.ellipse([x2 - 9, y2 - 9, x2 + 9, y2 + 9], fill=INK)
    canvas.ellipse([960, 110, 1060, 210], fill="#f2b134")  # sun
    canvas.polygon([(170, 540), (240, 470), (310, 540)], fill=colour)  # house roof
    canvas.rectangle([190, 540, 290, 590], fill=colour)
    canvas.ellipse([880, 470, 940, 530], fill="#c0392b")  # heart
    canvas.ellipse([930, 470, 990, 530], fill="#c0392b")
    canvas.polygon([(882, 510), (988, 510), (935, 580)], fill="#c0392b")


def _chart(canvas, rng, colour):
    canvas.line([140, 580, 1080, 580], fill=INK, width=6)
    canvas.line([140, 90, 140, 580], fill=INK, width=6)
    points = []
    height = 120
    for i in range(7):
        height = min(460, height + rng.randint(20, 70))
        x = 190 + i * 125
        canvas.rectangle([x, 580 - height, x + 80, 576], fill=colour)
        points.append((x + 40, 560 - height))
    canvas.line(points, fill="#f2b134", width=8, joint="curve")


def _network(canvas, rng, colour):
    nodes = [(rng.randint(120, 1080), rng.randint(100, 580)) for _ in range(11)]
    for i, (x1, y1) in enumerate(nodes):
        for x2, y2 in nodes[i + 1 : i + 3]:
            canvas.line([x1, y1, x2, y2], fill="#8a8f98", width=4)
    for x, y in nodes:
        canvas.ellipse([x - 22, y - 22, x + 22, y + 22], fill=rng.choice(PALETTE))
    x, y = nodes[0]
    canvas.ellipse([x - 34, y - 34, x + 34, y + 34], outline=colour, width=8)


def _cafe(canvas, rng, colour):
    canvas.rounded_rectangle([150, 380, 1050, 430], radius=12, fill="#8b5e3c")
    canvas.rectangle([260, 430, 290, 620], fill="#8b5e3c")
    canvas.rectangle([910, 430, 940, 620], fill="#8b5e3c")
    for x in (300, 460, 780):
        canvas.rounded_rectangle(
            [x, 290, x + 90, 380], radius=10, fill="#ffffff", outline=INK, width=5
        )
        canvas.arc([x + 70, 310, x + 120, 360], 270, 90, fill=INK, width=6)
    canvas.rectangle([560, 260, 740, 380], fill=colour)
    canvas.polygon([(560, 260), (600, 180), (780, 180), (740, 260)], fill="#d8c9a8")
    for i in range(3):
        canvas.rectangle(
            [585 + i * 45, 200 + i * 8, 625 + i * 45, 262],
            fill="#ffffff",
            outline=INK,
            width=3,
        )


def _steps(canvas, rng, colour):
    for i in range(6):
        x = 150 + i * 150
        top = 560 - (i + 1) * 70
        canvas.rectangle(
            [x, top, x + 150, 600], fill=PALETTE[i % len(PALETTE)] if i else colour
        )
    canvas.line([1040, 130, 1040, 40], fill=INK, width=8)
    canvas.polygon([(1044, 40), (1120, 62), (1044, 86)], fill="#f2b134")


def _wheel(canvas, rng, colour):
    box = [350, 90, 850, 590]
    for i, segment_colour in enumerate(PALETTE):
        canvas.pieslice(
            box, -90 + i * 72 + 1, -90 + (i + 1) * 72 - 1, fill=segment_colour
        )
    canvas.ellipse([500, 240, 700, 440], fill=BACKGROUND)


def _conversation(canvas, rng, colour):
    bubbles = [(160, 120, 620, 360, colour), (520, 230, 1040, 480, "#f2b134"),
               (260, 380, 700, 600, rng.choice(PALETTE))]  # fmt: skip
    for x1, y1, x2, y2, fill in bubbles:
        canvas.rounded_rectangle([x1, y1, x2, y2], radius=60, fill=fill)
        canvas.polygon(
            [(x1 + 80, y2 - 10), (x1 + 60, y2 + 50), (x1 + 150, y2 - 10)], fill=fill
        )
        for line in range(3):
            ly = y1 + 60 + line * 45
            if ly < y2 - 30:
                canvas.rounded_rectangle(
                    [x1 + 50, ly, x2 - 80 - line * 60, ly + 18],
                    radius=9,
                    fill="#ffffff",
                )


MOTIFS = {
    "gathering": _gathering,
    "mural": _mural,
    "chart": _chart,
    "network": _network,
    "cafe": _cafe,
    "steps": _steps,
    "wheel": _wheel,
    "conversation": _conversation,
}
