"""The full visibility matrix: every kind of hidden story against every kind of
viewer, on every surface that lists, counts or serves stories.

Why this module exists: `Story.objects.visible_to(user)` is the one rule for who
may read what, and every page, count and file is meant to go through it. A
surface that forgets it (a count taken over `Story.objects.all()`, a facet built
from every tag, an image served by name) leaks a draft, a scheduled story or a
Collective-only story without any other test noticing. tests/stories/
test_visibility.py covers part of this; here each cell of
(kind of story) x (viewer) is checked on one table of surfaces, so a new surface
is covered by appending one entry to SURFACES.

Three things keep the checks honest:

- a unique MARKER in the hidden stories' titles, summaries, slugs and their
  hidden-only tag, so "absent" can't pass because of a coincidence;
- positive controls: two visible public neighbours sharing the hidden story's
  streams, tag, community, state and year must appear on every surface (and
  their images must be served), so a page that shows nothing fails;
- the flipped cells: a published Collective-only story *is* shown to approved
  accounts (a member of another community, a funder in no community), and every
  probe then asserts it is present, which proves the probes can see a story
  when it is there.
"""

import re
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from framework.models import Stream
from lessons.models import Kind, Lesson, Theme
from stories.images import RENDITIONS, rendition_name
from stories.models import EditorImage, Status, Story, Visibility
from stories.workflow import story_transition
from tests.factories import (
    HIDDEN_STATUSES,
    make_assessment,
    make_collection,
    make_community,
    make_core,
    make_image,
    make_member,
    make_story,
    make_user,
    png_bytes,
)

pytestmark = pytest.mark.django_db

MARKER = "Qx7Vellichor"  # in no template, fixture or word: its presence is a leak
HIDDEN_TAG = f"{MARKER} only"  # used by hidden stories only
SHARED_TAG = "harbour practice"  # used by the hidden story and the neighbours
SHARED_YEAR = 2021
HIDDEN_YEAR = 2003  # the year of a hidden story only
STREAMS = ("evaluate", "learn")
STATE = "TAS"

SCHEDULED = "scheduled"  # approved, with publish_at in the future
COLLECTIVE = "collective"  # published, Collective only
KINDS = [*HIDDEN_STATUSES, SCHEDULED, COLLECTIVE]  # HIDDEN_STATUSES has archived
VIEWERS = ["anonymous", "pending", "other_member", "funder"]

# The design rule (stories/models/story.py, StoryQuerySet.visible_to): a published
# Collective-only story is for approved members of the Collective, funders in
# no community included; nothing unpublished is for any of these viewers.
SHOWN = {(COLLECTIVE, "other_member"), (COLLECTIVE, "funder")}


@dataclass
class World:
    shown: bool  # whether this viewer may read the hidden stories
    community: object
    hidden: Story  # featured; shares streams, SHARED_TAG and SHARED_YEAR
    twin: Story  # same kind; HIDDEN_TAG and HIDDEN_YEAR only
    neighbour: Story  # published, public, not featured
    sibling: Story  # published, public, featured
    hidden_files: list = field(default_factory=list)
    neighbour_files: list = field(default_factory=list)
    hidden_tag: object = None
    shared_tag: object = None
    theme: object = None
    neighbour_lesson: object = None
    collection: object = None  # published, public: all four stories
    shared_collection: object = None  # the same, for anyone with the link
    assessment: object = None  # closed, shared with the Collective: all gaps
    approved: bool = False  # whether the viewer is an approved member

    @property
    def controls(self):
        return [self.neighbour, self.sibling]

    @property
    def total(self):
        """Stories this viewer may read: the two neighbours, and the two hidden
        stories when the matrix flips."""
        return 2 + (2 if self.shown else 0)

    def leak_tokens(self):
        """What must not be on a page that doesn't show the hidden stories:
        the marker (titles, summaries, slugs, the hidden-only tag) and the
        server-made names of their image files."""
        return [MARKER.lower()] + [
            re.search(r"[0-9a-f]{32}", url)[0] for url in self.hidden_files
        ]


# Building the world ------------------------------------------------------------


def upload_editor_image(author_client):
    """An image dropped into the editor, through /markdownx/upload/."""
    upload = SimpleUploadedFile("box.png", png_bytes(), content_type="image/png")
    response = author_client.post(reverse("markdownx_upload"), {"image": upload})
    assert response.status_code == 200, response.content
    code = response.json()["image_code"]
    url = code[code.index("(") + 1 : -1]
    return url, EditorImage.objects.get(image=url.removeprefix("/media/"))


def with_editor_image(author_client, story_fields):
    """Story fields whose body uses a freshly uploaded editor image, and the
    image, linked to the story as story_save does (_link_editor_images)."""
    url, image = upload_editor_image(author_client)
    story_fields["body"] = f"Look at this: ![A blue box]({url})"
    return url, image


def make_hidden(kind, core, **fields):
    now = timezone.now()
    if kind == COLLECTIVE:
        return make_story(
            status=Status.PUBLISHED,
            visibility=Visibility.COLLECTIVE,
            published_at=now,  # the newest story: first in every list
            **fields,
        )
    if kind == SCHEDULED:
        story = make_story(status=Status.APPROVED, **fields)
        story_transition(
            story=story,
            actor=core,
            action="publish",
            publish_at=now + timedelta(days=7),
        )
        story.refresh_from_db()
        assert story.status == Status.APPROVED and story.publish_at > now
        return story
    # A date never makes a story visible, only its status: give every hidden
    # story the newest date, so a missing filter puts it first.
    return make_story(status=kind, published_at=now, **fields)


def image_urls(image):
    return [image.image.url] + [
        "/media/" + rendition_name(image.image.name, kind) for kind in RENDITIONS
    ]


def build_world(kind, viewer):
    community = make_community(name="Harbour Hills", slug="harbour-hills", state=STATE)
    author = make_member(community, name="Ari Author")
    author_client = Client()
    author_client.force_login(author)
    core = make_core()

    common = {"community": community, "streams": STREAMS}
    fields = {
        "title": f"The {MARKER} story",
        "slug": f"{MARKER.lower()}-story",
        "summary": f"Summary of the {MARKER} story.",
        "tags": [SHARED_TAG, HIDDEN_TAG],
        "year": SHARED_YEAR,
        "is_featured": True,
    }
    hidden_editor_url, hidden_editor = with_editor_image(author_client, fields)
    hidden = make_hidden(kind, core, **common, **fields)
    twin = make_hidden(
        kind,
        core,
        **common,
        title=f"The {MARKER} twin",
        slug=f"{MARKER.lower()}-twin",
        summary=f"Summary of the {MARKER} twin.",
        tags=[HIDDEN_TAG],
        year=HIDDEN_YEAR,
    )
    for story in (hidden, twin):
        story.authors.add(author)
    hidden_editor.stories.add(hidden)

    fields = {"title": "Neighbour on the harbour", "summary": "A visible neighbour."}
    neighbour_editor_url, neighbour_editor = with_editor_image(author_client, fields)
    neighbour = make_story(
        **common, tags=[SHARED_TAG], year=SHARED_YEAR, slug="neighbour", **fields
    )
    neighbour_editor.stories.add(neighbour)
    sibling = make_story(
        **common,
        title="Sibling by the bay",
        summary="A visible, featured sibling.",
        slug="sibling",
        tags=[SHARED_TAG],
        year=SHARED_YEAR,
        is_featured=True,
    )

    world = World(
        shown=(kind, viewer) in SHOWN,
        community=community,
        hidden=hidden,
        twin=twin,
        neighbour=neighbour,
        sibling=sibling,
        hidden_files=[*image_urls(make_image(hidden)), hidden_editor_url],
        neighbour_files=[*image_urls(make_image(neighbour)), neighbour_editor_url],
        hidden_tag=Tag.objects.get(name=HIDDEN_TAG),
        shared_tag=Tag.objects.get(name=SHARED_TAG),
    )
    assert MARKER.lower() in world.hidden_tag.slug
    # lessons: one of each hidden story and one of the neighbour, in one theme
    world.theme = Theme.objects.create(name="Shared practice", slug="shared-practice")
    evaluate = Stream.objects.get(slug=STREAMS[0])
    for story, statement in [
        (hidden, f"The {MARKER} lesson."),
        (twin, f"The {MARKER} twin's lesson."),
        (neighbour, "Walk the data with families."),
    ]:
        lesson = Lesson.objects.create(
            story=story, statement=statement, kind=Kind.WORKS, stream=evaluate
        )
        lesson.themes.add(world.theme)
    world.neighbour_lesson = lesson
    # collections holding every story, as if the hidden ones were added while
    # published and later unpublished (or are Collective only): the neighbours
    # first, so a page that shows nothing fails
    stories = [neighbour, hidden, sibling, twin]
    world.collection = make_collection(
        title="Harbour practice", slug="harbour-practice", stories=stories
    )
    world.shared_collection = make_collection(
        title="Harbour practice, by link", visibility="link", stories=stories
    )
    world.assessment = make_assessment(community, levels=1, close=True, shared=True)
    world.approved = viewer in ("other_member", "funder")
    return world


def login(client, viewer):
    """Sign in as `viewer`; returns the user (None for anonymous)."""
    if viewer == "anonymous":
        return None
    if viewer == "pending":
        user = make_user(approved=False)
    elif viewer == "other_member":
        elsewhere = make_community(name="Elsewhere", slug="elsewhere", state="NT")
        user = make_member(elsewhere)
    else:  # funder: approved, in no community
        user = make_user(approved=True)
    client.force_login(user)
    return user


# Checks -------------------------------------------------------------------------


def fetch(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (
        f"{url} answered {response.status_code}, expected {status}"
    )
    return response, response.content.decode()


def fetch_file(client, url, status=200):
    """An image file: its bytes are a PNG when served, nothing when not."""
    response = client.get(url)
    assert response.status_code == status, (
        f"{url} answered {response.status_code}, expected {status}"
    )
    if response.streaming:
        data = b"".join(response.streaming_content)
        assert data.startswith(b"\x89PNG"), url
    return response


def assert_stories(html, world, expected_hidden, url, echoed=()):
    """The controls are on the page; the hidden stories in `expected_hidden`
    are there when the matrix flips, and nothing of them is there otherwise.
    `echoed` is what the visitor typed that the page may repeat back."""
    for value in echoed:
        html = html.replace(f"“{value}”", "")
    if world.shown:
        for story in expected_hidden:
            shown = story.title in html and story.get_absolute_url() in html
            assert shown, f"{url}: {story.title!r} should be shown"
    else:
        lowered = html.lower()
        leaked = [token for token in world.leak_tokens() if token in lowered]
        assert not leaked, f"{url}: leaks {leaked}"


def assert_listed(response, html, world, controls, expected_hidden, url, echoed=()):
    missing = [story.title for story in controls if story.title not in html]
    assert not missing, f"{url}: controls missing {missing}"
    assert_stories(html, world, expected_hidden, url, echoed)
    listed = {story.pk for story in response.context["page_obj"].object_list}
    expected = {s.pk for s in controls}
    if world.shown:
        expected |= {s.pk for s in expected_hidden}
    assert listed == expected, url
    assert response.context["page_obj"].paginator.count == len(expected), url


def option(value):
    return f'<option value="{value}"'


# The surfaces -------------------------------------------------------------------


def probe_home(client, world):
    response, html = fetch(client, "/")
    assert_stories(html, world, [world.hidden, world.twin], "/")
    missing = [story.title for story in world.controls if story.title not in html]
    assert not missing, f"/: controls missing {missing}"
    featured = {s.pk for s in response.context["featured"]}
    latest = {s.pk for s in response.context["latest"]}
    assert featured == {world.sibling.pk} | (
        {world.hidden.pk} if world.shown else set()
    )
    assert latest == {world.neighbour.pk} | ({world.twin.pk} if world.shown else set())
    assert response.context["story_total"] == world.total
    assert f"Browse all {world.total} stories" in html
    counts = {s.stream.slug: s.stream.story_count for s in response.context["wheel"]}
    assert counts == {
        stream.slug: world.total if stream.slug in STREAMS else 0
        for stream in Stream.objects.all()
    }
    for stream in Stream.objects.filter(slug__in=STREAMS):
        assert f'aria-label="{stream.name}: {world.total} stories"' in html
        assert f'<p class="stream-list__count">{world.total} stories</p>' in html


def probe_browse(client, world):
    url = reverse("stories:list")
    response, html = fetch(client, url)
    hidden = [world.hidden, world.twin]
    assert_listed(response, html, world, world.controls, hidden, url)
    assert f"{world.total} stories" in html
    # the facets: tags and years come from what the viewer may read
    assert option(world.shared_tag.slug) in html
    assert option(SHARED_YEAR) in html
    assert (option(world.hidden_tag.slug) in html) == world.shown
    assert (HIDDEN_TAG in html) == world.shown
    assert (option(HIDDEN_YEAR) in html) == world.shown
    tags = [slug for slug, _ in response.context["form"].fields["tag"].choices]
    years = [value for value, _ in response.context["form"].fields["year"].choices]
    assert (world.hidden_tag.slug in tags) == world.shown
    assert (str(HIDDEN_YEAR) in years) == world.shown


def browse_by(name, value, matches):
    """Browse filtered by `name`=`value`, a value the neighbours share with the
    hidden stories named in `matches`."""

    def probe(client, world):
        wanted = value(world) if callable(value) else value
        url = f"{reverse('stories:list')}?{name}={wanted}"
        response, html = fetch(client, url)
        expected = [getattr(world, which) for which in matches]
        assert_listed(response, html, world, world.controls, expected, url)

    return probe


def browse_by_hidden_only(name, value, matches):
    """Browse filtered by a value only hidden stories have: an unknown choice
    (404, the form's error) unless the viewer may read them."""

    def probe(client, world):
        wanted = value(world) if callable(value) else value
        url = f"{reverse('stories:list')}?{name}={wanted}"
        response, html = fetch(client, url, 200 if world.shown else 404)
        expected = [getattr(world, which) for which in matches]
        echoed = [] if world.shown else [wanted]
        assert_listed(response, html, world, [], expected, url, echoed)
        if not world.shown:
            assert "No stories: check the filters" in html
            assert response.context["form"].errors

    return probe


def probe_stream_pages(client, world):
    for slug in STREAMS:
        url = reverse("stories:stream", args=[slug])
        response, html = fetch(client, url)
        hidden = [world.hidden, world.twin]
        assert_listed(response, html, world, world.controls, hidden, url)


def probe_shared_tag_page(client, world):
    url = reverse("stories:tag", args=[world.shared_tag.slug])
    response, html = fetch(client, url)
    assert_listed(response, html, world, world.controls, [world.hidden], url)


def probe_hidden_tag_page(client, world):
    url = reverse("stories:tag", args=[world.hidden_tag.slug])
    response, html = fetch(client, url, 200 if world.shown else 404)
    assert_stories(html, world, [world.hidden, world.twin], url)
    if world.shown:
        listed = {s.pk for s in response.context["page_obj"].object_list}
        assert listed == {world.hidden.pk, world.twin.pk}


def probe_community_page(client, world):
    url = world.community.get_absolute_url()
    response, html = fetch(client, url)
    hidden = [world.hidden, world.twin]
    assert_listed(response, html, world, world.controls, hidden, url)


def probe_community_list(client, world):
    url = reverse("communities:list")
    response, html = fetch(client, url)
    assert_stories(html, world, [], url)
    groups = response.context["by_state"].values()
    counts = {c.slug: c.story_count for group in groups for c in group}
    assert counts[world.community.slug] == world.total
    entry = re.search(
        rf'href="{re.escape(world.community.get_absolute_url())}">.*?'
        r'<p class="count">(\d+) stor',
        html,
        re.S,
    )
    assert entry and int(entry[1]) == world.total, url


def probe_related(client, world):
    """The neighbour's page lists related stories: its sibling, and the hidden
    stories (sharing streams and a tag) only when the viewer may read them."""
    url = world.neighbour.get_absolute_url()
    response, html = fetch(client, url)
    assert world.neighbour.title in html
    assert 'id="related-heading"' in html, f"{url}: no related stories at all"
    related = html[html.index('id="related-heading"') :]
    assert world.sibling.title in related, f"{url}: control missing from related"
    assert_stories(related, world, [world.hidden, world.twin], url)
    assert_stories(html, world, [], url)
    listed = {s.pk for s in response.context["related"]}
    expected = {world.sibling.pk}
    if world.shown:
        expected |= {world.hidden.pk, world.twin.pk}
    assert listed == expected


def probe_story_pages(client, world):
    for story in (world.neighbour, world.sibling):
        fetch(client, story.get_absolute_url())
    for story in (world.hidden, world.twin):
        url = story.get_absolute_url()
        response, html = fetch(client, url, 200 if world.shown else 404)
        assert_stories(html, world, [story], url)
        if world.shown:  # Collective only: never kept by a shared cache
            assert "private" in response["Cache-Control"], url


def probe_image_files(client, world):
    """The cover of each, as original and card, page and social renditions,
    and the image dropped into each body through the editor."""
    for url in world.neighbour_files:
        fetch_file(client, url)
    for url in world.hidden_files:
        response = fetch_file(client, url, 200 if world.shown else 404)
        if world.shown:
            assert response.streaming, url
            assert response["Cache-Control"] == "private, no-store", url
        else:
            assert not response.streaming, url


def lesson_total(world):
    """Lessons this viewer may read: the neighbour's, and the hidden stories'
    two when the matrix flips."""
    return 1 + (2 if world.shown else 0)


def probe_theme_list(client, world):
    url = reverse("themes:list")
    response, html = fetch(client, url)
    assert world.theme.name in html, f"{url}: control theme missing"
    assert_stories(html, world, [], url)
    theme = next(t for t in response.context["themes"] if t.pk == world.theme.pk)
    assert theme.lesson_count == lesson_total(world), url
    assert theme.story_count == lesson_total(world), url


def probe_theme_page(client, world):
    url = world.theme.get_absolute_url()
    response, html = fetch(client, url)
    assert world.neighbour_lesson.statement in html, f"{url}: control missing"
    assert_stories(html, world, [world.hidden, world.twin], url)
    evidence = response.context["evidence"]
    assert evidence["lessons"] == evidence["stories"] == lesson_total(world), url


def probe_assessment_gap(client, world):
    """A gap of an assessment shared with the Collective leads to its
    stream's stories and lessons, through the one read rule; a visitor is
    sent to sign in and a pending account finds no assessment at all."""
    practice = world.assessment.version.practices.filter(stream__slug=STREAMS[0])[0]
    url = reverse("assessments:gap", args=[world.assessment.pk, practice.pk])
    if not world.approved:
        response = client.get(url)
        assert response.status_code in (302, 404), url
        assert_stories(response.content.decode(), world, [], url)
        return
    response, html = fetch(client, url)
    assert world.neighbour.title in html, f"{url}: control story missing"
    assert world.neighbour_lesson.statement in html, f"{url}: control lesson missing"
    assert_stories(html, world, [world.hidden, world.twin], url)
    assert response.context["evidence"].weight["lessons"] == lesson_total(world), url


def probe_synthesis(client, world, viewer):
    """The synthesis is open to all, counted over what the viewer may read:
    the whole of it for members of the Collective, the public summary (what a
    visitor may read) for anyone else, with the lessons behind its numbers;
    filtered by the hidden stories' own year, it counts them only when the
    matrix flips. Its CSV is for members: others are sent to sign in or
    refused."""
    page = reverse("synthesis:page")
    csv_url = reverse("synthesis:csv")
    lessons = reverse("synthesis:lessons")
    response, html = fetch(client, page)  # each address once: a visitor's is kept
    assert_stories(html, world, [], page)
    assert response.context["lesson_total"] == lesson_total(world), page
    assert response.context["story_total"] == world.total, page
    for url in (
        f"{page}?state={STATE}&year={SHARED_YEAR}",
        f"{lessons}?stream={STREAMS[0]}&theme={world.theme.slug}&state={STATE}",
    ):
        response, html = fetch(client, url)
        assert_stories(html, world, [], url)
    hidden_year = f"{page}?year={HIDDEN_YEAR}"
    response, html = fetch(client, hidden_year)
    assert_stories(html, world, [], hidden_year)
    assert response.context["story_total"] == (1 if world.shown else 0), hidden_year
    response, html = fetch(client, lessons)
    assert world.neighbour_lesson.statement in html, f"{lessons}: control missing"
    assert response.context["page_obj"].paginator.count == lesson_total(world)
    assert (MARKER in html) == world.shown, f"{lessons}: hidden lessons"
    if viewer == "anonymous":
        response = client.get(csv_url)
        assert response.status_code == 302, csv_url
        assert "/accounts/login/" in response["Location"], csv_url
        return
    if viewer == "pending":
        assert client.get(csv_url).status_code == 403, csv_url
        return
    response = client.get(csv_url)
    assert response.status_code == 200, csv_url
    text = b"".join(response.streaming_content).decode()
    assert world.neighbour_lesson.statement in text, f"{csv_url}: control missing"
    if world.shown:
        assert MARKER in text, f"{csv_url}: readable lessons missing"
    else:
        assert MARKER not in text, f"{csv_url}: leaks the hidden lessons"


def assert_public_only(text, world, url):
    """Feeds and the sitemap are public whoever fetches them: the controls are
    there, and the hidden stories never are, not even in the flipped cells
    where the viewer may read them elsewhere."""
    missing = [
        story.title
        for story in world.controls
        if f"http://testserver{story.get_absolute_url()}" not in text
    ]
    assert not missing, f"{url}: controls missing {missing}"
    lowered = text.lower()
    leaked = [token for token in world.leak_tokens() if token in lowered]
    assert not leaked, f"{url}: leaks {leaked}"


def probe_feeds(client, world):
    """The stories feed and the feeds of both the hidden stories' streams."""
    urls = [reverse("feeds:stories")]
    urls += [reverse("feeds:stream", args=[slug]) for slug in STREAMS]
    for url in urls:
        _, text = fetch(client, url)
        for story in world.controls:
            assert story.title in text, f"{url}: {story.title!r} missing"
        assert_public_only(text, world, url)


def probe_sitemap(client, world):
    """The index and every section it names, read as one text."""
    _, index = fetch(client, reverse("sitemap"))
    sections = re.findall(r"<loc>http://testserver([^<]+)</loc>", index)
    assert sections, "/sitemap.xml: no sections"
    text = index + "".join(
        fetch(client, url.replace("&amp;", "&"))[1] for url in sections
    )
    assert_public_only(text, world, "/sitemap.xml")
    shared = reverse("stories:tag", args=[world.shared_tag.slug])
    assert f"http://testserver{shared}" in text, "/sitemap.xml: shared tag missing"
    community = world.community.get_absolute_url()
    assert f"http://testserver{community}" in text, "/sitemap.xml: community missing"


def probe_collection_list(client, world):
    url = reverse("collections:list")
    response, html = fetch(client, url)
    assert world.collection.title in html, f"{url}: control collection missing"
    assert_stories(html, world, [], url)
    counts = {c.pk: c.story_count for c in response.context["collections"]}
    assert counts == {world.collection.pk: world.total}, url
    assert f"{world.total} stories" in html, url


def assert_collected(response, html, world, url):
    """A collection's page: the neighbours, the hidden stories only when the
    matrix flips, in its items, its count and its history alike."""
    missing = [story.title for story in world.controls if story.title not in html]
    assert not missing, f"{url}: controls missing {missing}"
    hidden = [world.hidden, world.twin]
    assert_stories(html, world, hidden, url)
    expected = {story.pk for story in world.controls}
    if world.shown:
        expected |= {story.pk for story in hidden}
    listed = {item.story.pk for item in response.context["items"]}
    assert listed == expected, url
    assert f"{world.total} stories" in html, url
    if "history" in response.context:
        told = {event.story_id for event in response.context["history"]} - {None}
        assert told == expected, f"{url}: history"


def probe_collection_pages(client, world):
    """A published public collection and its print view."""
    for url in [world.collection.get_absolute_url(), world.collection.get_print_url()]:
        response, html = fetch(client, url)
        assert_collected(response, html, world, url)


def probe_shared_collection(client, world):
    """The same stories by share link: the link opens the collection, and the
    viewer's own rights still decide which stories they read in it."""
    token = world.shared_collection.share_token
    for name in ["collections:shared", "collections:shared-print"]:
        url = reverse(name, args=[token])
        response, html = fetch(client, url)
        assert_collected(response, html, world, url)


def probe_search_for_the_marker(client, world):
    """Searching for what only the hidden stories say finds them only for a
    viewer who may read them, and no count or facet gives them away."""
    url = f"{reverse('stories:list')}?q={MARKER}"
    response, html = fetch(client, url)
    # what the visitor typed comes back in the box, the title and the chips
    for echo in [f'value="{MARKER}"', f"Search: {MARKER}"]:
        html = html.replace(echo, "")
    expected = [world.hidden, world.twin]
    assert_listed(response, html, world, [], expected, url, echoed=[MARKER])
    if not world.shown:
        assert "No stories match this search." in html
        counts = response.context["form"].fields["stream"].choices
        assert all(label.endswith("(0)") for value, label in counts if value), url


def probe_search_for_a_shared_word(client, world):
    """A word the neighbours share with the hidden story (its tag): the
    neighbours are found, the hidden story only when the viewer may read it."""
    url = f"{reverse('stories:list')}?q=harbour"
    response, html = fetch(client, url)
    assert_listed(response, html, world, world.controls, [world.hidden], url)


# One table: a new surface is one more entry. Feeds and the sitemap are public
# whatever the viewer, so their probes never expect a hidden story.
SURFACES = [
    ("search for the hidden stories' marker", probe_search_for_the_marker),
    (
        "search for a word they share with the neighbours",
        probe_search_for_a_shared_word,
    ),
    ("home: lists, wheel counts, story total", probe_home),
    ("browse: list, count, tag and year options", probe_browse),
    ("browse ?stream=", browse_by("stream", STREAMS[0], ["hidden", "twin"])),
    (
        "browse ?community=",
        browse_by("community", lambda w: w.community.slug, ["hidden", "twin"]),
    ),
    ("browse ?state=", browse_by("state", STATE, ["hidden", "twin"])),
    ("browse ?tag= shared", browse_by("tag", lambda w: w.shared_tag.slug, ["hidden"])),
    ("browse ?year= shared", browse_by("year", SHARED_YEAR, ["hidden"])),
    (
        "browse ?tag= hidden-only",
        browse_by_hidden_only("tag", lambda w: w.hidden_tag.slug, ["hidden", "twin"]),
    ),
    ("browse ?year= hidden-only", browse_by_hidden_only("year", HIDDEN_YEAR, ["twin"])),
    ("stream pages", probe_stream_pages),
    ("tag page, shared tag", probe_shared_tag_page),
    ("tag page, hidden-only tag", probe_hidden_tag_page),
    ("community page", probe_community_page),
    ("community list counts", probe_community_list),
    ("related stories of a neighbour", probe_related),
    ("story pages", probe_story_pages),
    ("image files, renditions and editor images", probe_image_files),
    ("themes: list and counts", probe_theme_list),
    ("theme page: lessons and evidence", probe_theme_page),
    ("collections: list and counts", probe_collection_list),
    ("collection page and print view", probe_collection_pages),
    ("collection by share link and its print view", probe_shared_collection),
    ("RSS feeds: latest stories and both streams", probe_feeds),
    ("sitemap: index and every section", probe_sitemap),
    ("an assessment's gap: its stories, lessons and themes", probe_assessment_gap),
]


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("kind", KINDS)
def test_visibility_matrix(client, kind, viewer):
    user = login(client, viewer)
    world = build_world(kind, viewer)

    # the expectation is the code's rule, not this module's opinion
    rule = Story.objects.visible_to(user or AnonymousUser())
    assert rule.filter(pk=world.hidden.pk).exists() == world.shown
    assert rule.filter(pk=world.twin.pk).exists() == world.shown
    assert set(rule.filter(pk__in=[s.pk for s in world.controls])) == set(
        world.controls
    )

    failures = []
    for name, probe in SURFACES:
        try:
            probe(client, world)
        except AssertionError as error:
            failures.append(f"{name}: {error}")
    try:
        probe_synthesis(client, world, viewer)
    except AssertionError as error:
        failures.append(f"synthesis and its CSV: {error}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("viewer", ["other_member", "funder"])
def test_collective_only_is_read_by_approved_members_of_the_collective(client, viewer):
    """The flipped cells, said plainly: an approved member of another community
    and a funder in no community open a Collective-only story and find it when
    browsing; an anonymous visitor doesn't."""
    login(client, viewer)
    world = build_world(COLLECTIVE, viewer)
    assert world.shown
    page = client.get(world.hidden.get_absolute_url())
    assert page.status_code == 200
    assert world.hidden.title in page.content.decode()
    browse = client.get(reverse("stories:list"))
    assert browse.status_code == 200
    assert world.hidden.title in browse.content.decode()
    anonymous = Client()
    assert anonymous.get(world.hidden.get_absolute_url()).status_code == 404
    assert (
        world.hidden.title
        not in anonymous.get(reverse("stories:list")).content.decode()
    )
