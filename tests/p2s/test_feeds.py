"""RSS feeds: /feeds/stories/ and /feeds/streams/<slug>/.

A feed is public whoever asks for it: only published, public stories, never a
Collective-only one, even for a signed-in member. Whatever a story's text holds,
the feed is well-formed XML that feedparser reads without complaint, and its HTML
is the one sanitising renderer's.
"""

import html
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import feedparser
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from stories.feeds import FEED_ITEMS
from stories.models import Status, Visibility
from tests.factories import (
    HIDDEN_STATUSES,
    fill_library,
    forget_kept,
    make_community,
    make_core,
    make_story,
)
from tests.security import hostile_strings as hostile
from tests.stories.test_story_page_codification import Links

pytestmark = pytest.mark.django_db

STORIES_FEED = "/feeds/stories/"
BASE = "http://testserver"


def read_feed(client, url=STORIES_FEED):
    """The feed, checked to be well-formed RSS that feedparser reads cleanly."""
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"
    ET.fromstring(response.content)  # well-formed XML, or this raises
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def raw_items(client, url=STORIES_FEED):
    """Each <item> as a dict of its elements' text, as any XML reader gets it
    (before feedparser's own sanitising)."""
    root = ET.fromstring(client.get(url).content)
    return [
        {child.tag: child.text or "" for child in item} for item in root.iter("item")
    ]


def links(feed):
    return [entry.link for entry in feed.entries]


def absolute(story):
    return BASE + story.get_absolute_url()


def hidden_stories(**fields):
    """One story of every kind a visitor may not read, all newer than anything
    else, so a missing filter would put them first."""
    now = timezone.now()
    stories = [
        make_story(status=status, published_at=now, **fields)
        for status in HIDDEN_STATUSES
    ]
    stories.append(
        make_story(visibility=Visibility.COLLECTIVE, published_at=now, **fields)
    )
    stories.append(
        make_story(
            status=Status.APPROVED,
            publish_at=now + timedelta(days=3),
            **fields,
        )
    )
    return stories


# What each feed shows and never shows -------------------------------------------


def test_the_stories_feed_holds_exactly_the_public_published_stories(client):
    older = make_story(streams=["plan"])
    newer = make_story(streams=["learn"])
    hidden = hidden_stories(streams=["plan"])
    feed = read_feed(client)
    assert links(feed) == [absolute(newer), absolute(older)]  # newest first
    text = client.get(STORIES_FEED).content.decode()
    for story in hidden:
        assert story.title not in text and story.slug not in text, story.status
    assert feed.feed.title == "Latest stories · Pathway to Scale Interactive"
    assert feed.feed.link == BASE + "/stories/"


@pytest.mark.parametrize("who", ["member", "core"])
def test_a_feed_is_the_same_for_a_signed_in_reader(client, who, member):
    """A Collective-only story is never in a feed, even for the members who
    may read it: a feed is public, and aggregators share what they fetch."""
    public = make_story()
    collective = make_story(visibility=Visibility.COLLECTIVE, streams=["plan"])
    client.force_login(member if who == "member" else make_core())
    for url in [STORIES_FEED, "/feeds/streams/plan/"]:
        feed = read_feed(client, url)
        assert links(feed) == [absolute(public)], url
        assert collective.title not in client.get(url).content.decode(), url


def test_a_stream_feed_holds_only_that_streams_public_stories(client):
    in_plan = make_story(streams=["plan", "learn"])
    secondary = make_story(streams=["learn", "plan"])  # plan, not as primary
    elsewhere = make_story(streams=["monitor"])
    hidden_stories(streams=["plan"])
    feed = read_feed(client, "/feeds/streams/plan/")
    assert links(feed) == [absolute(secondary), absolute(in_plan)]
    assert absolute(elsewhere) not in links(feed)
    assert feed.feed.title == "Plan stories · Pathway to Scale Interactive"
    assert feed.feed.link == BASE + "/streams/plan/"
    assert links(read_feed(client, "/feeds/streams/monitor/")) == [absolute(elsewhere)]
    assert links(read_feed(client, "/feeds/streams/evaluate/")) == []


def test_an_unknown_stream_has_no_feed(client):
    assert client.get("/feeds/streams/nope/").status_code == 404


def test_a_feed_only_answers_reads(client):
    assert client.head(STORIES_FEED).status_code == 200
    assert client.post(STORIES_FEED).status_code == 405
    assert client.post("/feeds/streams/plan/").status_code == 405


def test_an_item_carries_title_link_text_date_credit_and_categories(client):
    community = make_community(name="Harbour Hills")
    story = make_story(
        title="Walking the data",
        summary="We walked the data with families.",
        body="It **worked**: see [the report](https://example.org/report).",
        storytellers="Aunty May",
        community=community,
        streams=["evaluate", "learn"],
        tags=["data walks", "Families"],
    )
    anonymous = make_story(community=community, storytellers="")
    feed = read_feed(client)
    entry = next(e for e in feed.entries if e.link == absolute(story))
    assert entry.title == "Walking the data"
    assert entry.id == absolute(story)
    assert "<p>We walked the data with families.</p>" in entry.summary
    assert "<strong>worked</strong>" in entry.summary
    assert 'href="https://example.org/report"' in entry.summary
    published = datetime(*entry.published_parsed[:6], tzinfo=UTC)
    assert published == story.published_at.replace(microsecond=0)
    assert entry.author == "Aunty May, Harbour Hills"
    assert [tag.term for tag in entry.tags] == [
        "Evaluate",
        "Learn",
        "data walks",
        "Families",
    ]
    other = next(e for e in feed.entries if e.link == absolute(anonymous))
    assert other.author == "Harbour Hills"  # account names are never shown
    item = next(i for i in raw_items(client) if i["link"] == absolute(story))
    assert item["description"].startswith("<p>We walked the data with families.</p>")


def test_a_feed_is_bounded(client):
    fill_library(FEED_ITEMS + 5)
    feed = read_feed(client)
    assert len(feed.entries) == FEED_ITEMS
    dates = [entry.published_parsed for entry in feed.entries]
    assert dates == sorted(dates, reverse=True)


def test_the_pages_announce_their_feeds(client):
    make_story(slug="a-story")
    home = client.get("/").content.decode()
    assert (
        '<link rel="alternate" type="application/rss+xml" '
        'title="Latest stories (RSS)" href="/feeds/stories/">'
    ) in home
    stream = client.get("/streams/learn/").content.decode()
    assert 'href="/feeds/streams/learn/"' in stream
    assert 'href="/feeds/stories/"' in stream
    story = client.get("/stories/a-story/").content.decode()
    assert 'href="/feeds/stories/"' in story


@pytest.mark.parametrize(
    "page, text, feed",
    [
        ("/streams/learn/", "RSS feed of this stream", "/feeds/streams/learn/"),
        ("/stories/", "RSS feed of new stories", STORIES_FEED),
        ("/stories/?stream=plan", "RSS feed of new stories", STORIES_FEED),
    ],
)
def test_the_stream_and_browse_pages_link_their_feed_in_words(client, page, text, feed):
    """A link a reader sees, not only the <link> a feed reader finds; the same
    for every reader (the page's kept part holds it), and the feed it opens
    is still public stories only."""
    make_story(slug="a-story", streams=("learn", "plan"))
    make_story(slug="members-only", visibility=Visibility.COLLECTIVE)
    member = Client()
    member.force_login(make_core())
    for reader in (client, member, client):  # drawn, then kept
        assert Links(reader.get(page).content.decode()).href(text) == feed
    assert links(read_feed(member, feed)) == [f"{BASE}/stories/a-story/"]


# Query budgets -------------------------------------------------------------------


def count_queries(client, url):
    forget_kept()  # the page drawn afresh, not the one kept
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200, url
    return len(captured)


@pytest.mark.parametrize(
    "url, budget", [(STORIES_FEED, 3), ("/feeds/streams/plan/", 4)]
)
def test_a_feed_keeps_a_fixed_query_budget(
    client, url, budget, django_assert_max_num_queries
):
    """The stories, their streams and their tags (and the stream): the same
    for a handful of stories as for a full feed."""
    fill_library(5)
    few = count_queries(client, url)
    fill_library(FEED_ITEMS + 10)
    assert count_queries(client, url) == few
    with django_assert_max_num_queries(budget):
        client.get(url)


# Hostile text --------------------------------------------------------------------


def assert_inert(client, *markers):
    """Every item's title and description, as XML gives them, are HTML with
    nothing live in them and no payload left raw; feedparser reads the feed
    cleanly."""
    read_feed(client)
    for item in raw_items(client):
        for part in ("title", "description"):
            text = item.get(part, "")
            assert hostile.live_markup(text) == [], (part, text)
            for marker in markers:
                assert hostile.raw_markers(text, marker) == [], (part, text)


@pytest.mark.parametrize("kind", list(hostile.xss("m")))
def test_html_in_a_story_is_text_in_the_feed(client, kind):
    payload = hostile.xss("feedx")[kind]
    story = make_story(
        title=f"Title {payload}"[:150],
        summary=f"Summary {payload}",
        body=f"Body {payload}",
        storytellers=f"Teller {payload}",
        tags=[f"tag {payload}"[:100]],
    )
    assert_inert(client, "feedx")
    feed = read_feed(client)
    (entry,) = feed.entries
    assert html.unescape(entry.title) == story.title  # shown, as text
    item = raw_items(client)[0]
    assert html.unescape(item["title"]) == story.title
    assert hostile.shown_text(item["description"]).startswith(
        hostile.squash(f"Summary {payload}")
    )


@pytest.mark.parametrize("kind", list(hostile.markdown_xss("m")))
def test_hostile_markdown_is_neutralised_in_the_feed(client, kind):
    make_story(body=hostile.markdown_xss("feedmd")[kind])
    assert_inert(client, "feedmd")
    description = raw_items(client)[0]["description"]
    assert "feedmd" in hostile.shown_text(description)  # shown as text, not lost


def control_characters():
    """Characters XML 1.0 forbids; PostgreSQL refuses NUL in text, so it is
    tried only where the database can hold it."""
    forbidden = "\x01\x08\x0b\x0c\x0e\x1f\ufffe\uffff"
    return ("\x00" if connection.vendor == "sqlite" else "") + forbidden


def test_control_characters_never_break_a_feed(client):
    bad = control_characters()
    community = make_community(name=f"Bay{bad}side")
    make_story(
        title=f"Ti{bad}tle",
        summary=f"Sum{bad}mary",
        body=f"Bo{bad}dy &#11; &#0; &#xFFFF;",
        storytellers=f"Tell{bad}er",
        community=community,
        tags=[f"ta{bad}g"],
    )
    for url in [STORIES_FEED, "/feeds/streams/plan/"]:
        feed = read_feed(client, url)
        (entry,) = feed.entries
        assert entry.title == "Title"
        assert "<p>Summary</p>" in entry.summary
        assert "Body" in entry.summary
        assert entry.author == "Teller, Bayside"
        assert "tag" in [tag.term for tag in entry.tags]


def test_naughty_strings_never_break_a_feed(client):
    strings = hostile.sample(hostile.blns(), 60)
    if connection.vendor != "sqlite":
        strings = [text.replace("\x00", "") for text in strings]
    for start in range(0, len(strings), FEED_ITEMS):
        for text in strings[start : start + FEED_ITEMS]:
            make_story(title=text[:150], summary=text[:300], body=text,
                       storytellers=text[:300])  # fmt: skip
        assert_inert(client)
        assert len(read_feed(client).entries) == FEED_ITEMS
