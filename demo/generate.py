"""A synthetic library for load tests and benchmarks: communities across the
states and territories, their accounts, stories with streams, tags and
reflections, and the lessons and themes codified from them.

Everything is made up (and marked `is_demo`), drawn from a seeded random
generator so the same seed on the same database gives the same library, and
written with `bulk_create` in batches: no `save()` per row and no images, so a
hundred thousand stories load in minutes. Used by `manage.py generate_stories`.
"""

import itertools
import random
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify
from taggit.models import Tag, TaggedItem

from common.cache import changes_library
from communities.models import Community, Membership, Role
from demo.compose import compose_story
from demo.vocabulary import (
    BACKBONES,
    COMMUNITY_NAMES,
    FIRST_NAMES,
    LAST_NAMES,
    LESSONS,
    ORGANISATIONS,
    PLACES,
    TAG_AREAS,
    TAG_PRACTICES,
    TAG_TOPICS,
    THEMES,
)
from framework.models import Stream
from lessons.models import Condition, Lesson, Theme
from stories.models import Status, Story, StoryStream

BATCH_SIZE = 1000
STORIES_PER_COMMUNITY = 250
MAX_COMMUNITIES = 400
LESSON_SHARE = 0.35


@dataclass
class Generated:
    """What one run added."""

    communities: int = 0
    accounts: int = 0
    stories: int = 0
    tags: int = 0
    lessons: int = 0
    status_counts: dict = field(default_factory=dict)
    added: object = None  # a queryset of the stories added


@changes_library
def generate_library(*, count, seed=1, progress=None, batch_size=BATCH_SIZE):
    """Add `count` synthetic stories (with their communities, accounts, tags
    and lessons) to the database. `progress(done, total)` is called after each
    batch. Refused where demo content isn't allowed (production). `bulk_create`
    skips `save()` and its signals, so the caller then refreshes the search
    vectors of `result.added` (discovery.search.refresh_search_vectors)."""
    if not settings.P2S_DEMO_ALLOWED:
        raise ImproperlyConfigured(
            "Generated content is not allowed in this configuration."
        )
    rng = random.Random(seed)
    result = Generated()
    with transaction.atomic():
        communities = _communities(rng, _community_count(count))
        members = _accounts(rng, communities)
        result.communities = len(communities)
        result.accounts = sum(len(people) for people in members.values())
        streams = {stream.slug: stream for stream in Stream.objects.all()}
        tag_names = _tag_vocabulary(rng)
        tags = _tags(tag_names)
        result.tags = len(tag_names)
        themes = _themes()
    # a few busy communities and many quieter ones; a long tail of tags
    activity = [rng.random() ** 2 + 0.05 for _ in communities]
    pick_community = _picker(rng, communities, activity)
    popularity = [1 / (rank + 1) ** 0.7 for rank in range(len(tag_names))]
    pick_tag = _picker(rng, tag_names, popularity)
    story_type = ContentType.objects.get_for_model(Story)
    start = Story.objects.aggregate(last=Max("pk"))["last"] or 0
    done = 0
    if progress:
        progress(0, count)
    while done < count:
        size = min(batch_size, count - done)
        drafts = []
        for index in range(size):
            names = dict.fromkeys(pick_tag(rng.randint(2, 6)))
            drafts.append(
                compose_story(
                    rng,
                    number=start + done + index + 1,
                    community=pick_community(1)[0],
                    tags=[tags[name.lower()] for name in names],
                )
            )
        with transaction.atomic():
            stories = Story.objects.bulk_create([draft.story for draft in drafts])
            result.lessons += _story_rows(
                rng, drafts, stories, streams, members, story_type, themes
            )
        for story in stories:
            result.status_counts[story.status] = (
                result.status_counts.get(story.status, 0) + 1
            )
        done += size
        result.stories = done
        if progress:
            progress(done, count)
    result.added = Story.objects.filter(pk__gt=start)
    return result


def _community_count(count):
    return max(3, min(MAX_COMMUNITIES, round(count / STORIES_PER_COMMUNITY)))


def _communities(rng, number):
    taken = set(Community.objects.values_list("slug", flat=True))
    states = list(PLACES)
    state_weights = [PLACES[state][0] for state in states]
    rows = []
    for _ in range(number):
        state = rng.choices(states, state_weights)[0]
        place = rng.choice(PLACES[state][1])
        name = rng.choice(COMMUNITY_NAMES).format(place=place)
        slug = _unique(slugify(name)[:70], taken)
        backbone = rng.choice(BACKBONES).format(place=place)
        rows.append(
            Community(
                name=name,
                slug=slug,
                state=state,
                place=place,
                backbone_organisation=backbone,
                description=(
                    f"A place-based collaboration in {place}, backed by {backbone}, "
                    "working with families so that every child has a good start."
                ),
                is_demo=True,
            )
        )
    return Community.objects.bulk_create(rows)


def _accounts(rng, communities):
    """A lead and a few members for each community: {community pk: [users]}."""
    User = get_user_model()
    taken = set(User.objects.values_list("username", flat=True))
    unusable = make_password(None)  # generated people never sign in
    plan = []
    for community in communities:
        for index in range(rng.randint(3, 5)):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            username = _unique(slugify(f"{first} {last}"), taken)
            user = User(
                username=username,
                email=f"{username}@example.org",
                name=f"{first} {last}",
                organisation=rng.choice(ORGANISATIONS),
                is_approved=rng.random() < 0.9,
                password=unusable,
            )
            plan.append((community, user, Role.LEAD if index == 0 else Role.MEMBER))
    users = User.objects.bulk_create([user for _, user, _ in plan])
    Membership.objects.bulk_create(
        Membership(community=community, user=user, role=role)
        for (community, _, role), user in zip(plan, users, strict=True)
    )
    members = {}
    for (community, _, _), user in zip(plan, users, strict=True):
        members.setdefault(community.pk, []).append(user)
    return members


def _unique(slug, taken):
    candidate, number = slug, 1
    while candidate in taken:
        number += 1
        candidate = f"{slug}-{number}"
    taken.add(candidate)
    return candidate


def _tag_vocabulary(rng):
    """A few hundred tag names in a fixed order: the first are used most."""
    names = TAG_TOPICS + [f"{a} {p}" for a in TAG_AREAS for p in TAG_PRACTICES]
    names = list({name.lower(): name for name in reversed(names)}.values())[::-1]
    rng.shuffle(names)
    return names


def _tags(names):
    """{lowercased name: Tag}, creating the ones the database doesn't have
    (tags are case-insensitive)."""
    existing = {tag.name.lower(): tag for tag in Tag.objects.all()}
    slugs = {tag.slug for tag in existing.values()}
    missing = [
        Tag(name=name, slug=_unique(slugify(name), slugs))
        for name in names
        if name.lower() not in existing
    ]
    for tag in Tag.objects.bulk_create(missing):
        existing[tag.name.lower()] = tag
    return existing


def _picker(rng, population, weights):
    """`pick(k)`: k weighted draws, with the running totals worked out once."""
    totals = list(itertools.accumulate(weights))
    return lambda k: rng.choices(population, cum_weights=totals, k=k)


def _themes():
    themes = []
    for name, description in THEMES:
        theme, _ = Theme.objects.get_or_create(
            slug=slugify(name), defaults={"name": name, "description": description}
        )
        themes.append(theme)
    return themes


def _story_rows(rng, drafts, stories, streams, members, story_type, themes):
    """Streams, tags, authors and lessons of a batch of stories just created;
    returns how many lessons."""
    links, tagged, authors, lessons, lesson_themes = [], [], [], [], []
    Authors = Story.authors.through
    for draft, story in zip(drafts, stories, strict=True):
        links += [
            StoryStream(story=story, stream=streams[slug], is_primary=index == 0)
            for index, slug in enumerate(draft.streams)
        ]
        tagged += [
            TaggedItem(tag=tag, content_type=story_type, object_id=story.pk)
            for tag in draft.tags
        ]
        people = members[story.community_id]
        authors += [
            Authors(story=story, user=user)
            for user in rng.sample(people, rng.choice((1, 1, 1, 2)))
        ]
        if story.status == Status.PUBLISHED and rng.random() < LESSON_SHARE:
            for position in range(rng.randint(1, 3)):
                kind = rng.choice(list(LESSONS))
                lessons.append(
                    Lesson(
                        story=story,
                        statement=rng.choice(LESSONS[kind]),
                        kind=kind,
                        stream=streams[rng.choice(draft.streams)],
                        condition=(
                            rng.choice(Condition.values) if rng.random() < 0.6 else ""
                        ),
                        position=position,
                    )
                )
                lesson_themes.append(rng.sample(themes, rng.randint(1, 2)))
    StoryStream.objects.bulk_create(links, batch_size=5000)
    TaggedItem.objects.bulk_create(tagged, batch_size=5000)
    Authors.objects.bulk_create(authors, batch_size=5000)
    lessons = Lesson.objects.bulk_create(lessons, batch_size=5000)
    LessonThemes = Lesson.themes.through
    LessonThemes.objects.bulk_create(
        [
            LessonThemes(lesson=lesson, theme=theme)
            for lesson, chosen in zip(lessons, lesson_themes, strict=True)
            for theme in chosen
        ],
        batch_size=5000,
    )
    return len(lessons)
