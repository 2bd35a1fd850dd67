"""A story page shows what the library made of it, and lets a reader pass it
on (issue 22, point 1): the lessons codified from it (kind, stream, themes)
and the themes it feeds, as far as the reader may read them; the community's
sign-off from the audit trail; share links without another site's script;
print; and a citation with its address and dates."""

from datetime import date, datetime
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

import stories.views as story_views
from lessons.models import Kind
from lessons.services import lesson_add
from stories.models import Status, StoryEvent, Visibility
from stories.workflow import story_transition
from tests.factories import (
    ensure_streams,
    forget_kept,
    make_community,
    make_core,
    make_lesson,
    make_member,
    make_story,
    make_theme,
)

pytestmark = pytest.mark.django_db

SYDNEY = ZoneInfo("Australia/Sydney")


class Links(HTMLParser):
    """Every <a>'s href and text, every <script>'s src, every element's id."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.links, self.scripts, self.ids, self._open = [], [], {}, None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids[attrs["id"]] = (tag, attrs)
        if tag == "script":
            self.scripts.append(attrs.get("src"))
        if tag == "a":
            self._open = [attrs.get("href"), ""]
            self.links.append(self._open)

    def handle_endtag(self, tag):
        if tag == "a":
            self._open = None

    def handle_data(self, data):
        if self._open is not None:
            self._open[1] += data

    def href(self, text):
        found = [href for href, words in self.links if words.strip() == text]
        assert len(found) == 1, (text, found)
        return found[0]


def codified_story(**fields):
    community = make_community(name="Harbour Hills Together", slug="hh", state="WA")
    story = make_story(community=community, streams=["plan", "learn"], **fields)
    trust = make_theme(name="Trust takes time", slug="trust")
    data = make_theme(name="Data & <voice>", slug="data")
    make_lesson(story, statement="Listen before you plan.", themes=[trust])
    make_lesson(
        story,
        statement="Long meetings lost people <b>.",
        stream="learn",
        kind=Kind.DOESNT_WORK,
        themes=[trust, data],
    )
    return story


# Lessons and themes ------------------------------------------------------------


def test_the_page_shows_its_lessons_with_kind_stream_and_theme_links(client):
    story = codified_story()
    html = client.get(story.get_absolute_url()).content.decode()
    section = html[
        html.index('id="lessons"') : html.index(
            "</section>", html.index('id="lessons"')
        )
    ]
    assert "What this story teaches" in section
    assert "Listen before you plan." in section
    assert "Long meetings lost people &lt;b&gt;." in section
    assert '<span class="kind kind--works">Works</span>' in section
    assert '<span class="kind kind--doesnt_work">Doesn&#x27;t work</span>' in section
    hrefs = [href for href, _ in Links(section).links]
    assert hrefs.count("/themes/trust/") == 3  # two lessons, and the themes it feeds
    assert hrefs.count("/themes/data/") == 2
    assert "/streams/plan/" in hrefs and "/streams/learn/" in hrefs
    feeds = section[section.index("The learning themes it feeds") :]
    assert feeds.index("Data &amp; &lt;voice&gt;") < feeds.index("Trust takes time")


def test_a_story_with_no_lessons_has_no_lessons_section(client):
    story = make_story()
    html = client.get(story.get_absolute_url()).content.decode()
    assert "What this story teaches" not in html


def test_lessons_of_a_story_not_yet_published_are_not_on_its_page(client):
    """Its authors may open the page before it is published; its lessons are
    shown to readers only with it (Lesson.objects.visible_to)."""
    community = make_community()
    author = make_member(community)
    story = make_story(community=community, status=Status.SUBMITTED)
    story.authors.add(author)
    make_lesson(story, statement="Not for readers yet.")
    client.force_login(author)
    response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    assert b"Not for readers yet." not in response.content


def test_a_collective_only_story_shows_its_lessons_to_members(member_client):
    story = codified_story(visibility=Visibility.COLLECTIVE)
    html = member_client.get(story.get_absolute_url()).content.decode()
    assert "Listen before you plan." in html


def test_a_lesson_codified_later_shows_on_the_next_request(client, committed):
    """The lessons are kept with the story's own part, per visibility class:
    codifying retires it (lesson_add changes the library)."""
    story = codified_story(status=Status.PUBLISHED)
    member = Client()
    member.force_login(make_member(make_community()))
    for reader in (client, member):
        assert b"A third lesson" not in reader.get(story.get_absolute_url()).content
    with committed():
        lesson_add(
            story=story,
            actor=make_core(),
            data={
                "statement": "A third lesson.",
                "kind": Kind.ENABLING,
                "stream": ensure_streams()[0],
                "condition": "",
                "themes": [],
            },
        )
    for reader in (client, member):
        assert b"A third lesson." in reader.get(story.get_absolute_url()).content


def test_the_lessons_cost_the_same_however_many_there_are(client):
    story = codified_story()
    forget_kept()
    with CaptureQueriesContext(connection) as few:
        client.get(story.get_absolute_url())
    theme = make_theme()
    for n in range(15):
        make_lesson(story, statement=f"More {n}.", themes=[theme])
    forget_kept()
    with CaptureQueriesContext(connection) as many:
        html = client.get(story.get_absolute_url()).content.decode()
    assert "More 14." in html
    assert len(many) == len(few) <= 11  # the budget, and the themes


# The community's sign-off ------------------------------------------------------


def signed_off_story():
    """A story through the whole workflow, its lead signing it off."""
    community = make_community(name="Harbour Hills Together", slug="hh", state="WA")
    author = make_member(community)
    lead = make_member(community, role="lead")
    core = make_core()
    story = make_story(community=community, status=Status.DRAFT, consent=True)
    story.authors.add(author)
    story_transition(story=story, actor=author, action="submit")
    story_transition(story=story, actor=core, action="send_for_signoff")
    event = story_transition(story=story, actor=lead, action="sign_off")
    story_transition(story=story, actor=core, action="publish")
    return story, event


def test_the_community_s_sign_off_is_shown_from_the_audit_trail(client):
    story, event = signed_off_story()
    when = datetime(2025, 3, 3, 23, 30, tzinfo=SYDNEY)  # 3 March in Sydney
    StoryEvent.objects.filter(pk=event.pk).update(created_at=when)
    html = client.get(story.get_absolute_url()).content.decode()
    mark = html[html.index('class="signoff-mark"') :]
    mark = mark[: mark.index("</p>")]
    assert "Signed off by Harbour Hills Together on" in mark
    assert '<time datetime="2025-03-03">3 March 2025</time>' in mark
    assert "lead" not in mark.lower() and "@" not in mark  # the community, no person


def test_no_sign_off_event_no_mark(client):
    story = make_story()  # published without the workflow (an import, say)
    StoryEvent.objects.create(story=story, action="publish", to_status="published")
    html = client.get(story.get_absolute_url()).content.decode()
    assert "Signed off by" not in html and "signoff-mark" not in html


# Share, print and cite ---------------------------------------------------------


def test_a_public_story_offers_plain_share_links_and_no_other_site_s_script(client):
    story = codified_story(title='Drawing "our" hopes & more', summary="A mural.")
    html = client.get(story.get_absolute_url()).content.decode()
    page = Links(html)
    address = f"http://testserver/stories/{story.slug}/"
    tag, attrs = page.ids["share-address"]
    assert tag == "input" and attrs["value"] == address and "readonly" in attrs
    mail = urlsplit(page.href("Email"))
    assert mail.scheme == "mailto"
    assert parse_qs(mail.query) == {
        "subject": ['Drawing "our" hopes & more'],
        "body": [f"A mural.\n\n{address}"],
    }
    assert "+" not in mail.query  # spaces as %20: mail programs read + as a plus
    expected = {
        "LinkedIn": ("www.linkedin.com", {"url": [address]}),
        "Facebook": ("www.facebook.com", {"u": [address]}),
        "X (Twitter)": (
            "twitter.com",
            {"text": ['Drawing "our" hopes & more'], "url": [address]},
        ),
        "Bluesky": ("bsky.app", {"text": [f'Drawing "our" hopes & more {address}']}),
    }
    for network, (host, query) in expected.items():
        link = urlsplit(page.href(network))
        assert (link.scheme, link.netloc) == ("https", host), network
        assert parse_qs(link.query) == query, network
    assert "/static/js/share.js" in page.scripts
    assert all(src.startswith("/static/js/") for src in page.scripts)  # ours alone
    assert 'data-copy="share-address"' in html and 'data-copy="citation"' in html
    assert "data-print" in html


def test_a_collective_only_story_is_shared_by_email_only(member_client):
    story = make_story(visibility=Visibility.COLLECTIVE)
    html = member_client.get(story.get_absolute_url()).content.decode()
    page = Links(html)
    assert page.href("Email").startswith("mailto:?")
    for network in ("LinkedIn", "Facebook", "X (Twitter)", "Bluesky"):
        assert all(words.strip() != network for _, words in page.links), network
    assert "offered by email rather than on social networks" in html


def test_a_story_not_published_offers_print_but_no_share_or_citation(client):
    community = make_community()
    author = make_member(community)
    story = make_story(community=community, status=Status.DRAFT)
    story.authors.add(author)
    client.force_login(author)
    html = client.get(story.get_absolute_url()).content.decode()
    assert "Share this story" not in html and "Cite this story" not in html
    assert "mailto:" not in html and "data-print" in html


def test_the_citation_names_community_year_title_site_address_and_dates(
    client, monkeypatch
):
    published = datetime(2024, 12, 31, 23, 0, tzinfo=SYDNEY)
    story = codified_story(title="Drawing our hopes", published_at=published)
    monkeypatch.setattr(story_views.timezone, "localdate", lambda: date(2025, 6, 5))
    html = client.get(story.get_absolute_url()).content.decode()
    citation = html[html.index('id="citation">') + len('id="citation">') :]
    citation = citation[: citation.index("</p>")]
    assert citation == (
        "Harbour Hills Together (2024). Drawing our hopes. Pathway to Scale "
        "Interactive. Published 31 December 2024. "
        f"http://testserver/stories/{story.slug}/ (accessed 5 June 2025)."
    )


def test_the_citation_s_accessed_date_is_today_s_even_when_the_story_is_kept(
    monkeypatch,
):
    """The share and cite parts sit between the story's kept parts: a member
    reading tomorrow a part kept today is given tomorrow's date."""
    story = make_story()
    member = Client()
    member.force_login(make_member(make_community()))
    monkeypatch.setattr(story_views.timezone, "localdate", lambda: date(2030, 1, 1))
    assert b"(accessed 1 January 2030)" in member.get(story.get_absolute_url()).content
    monkeypatch.setattr(story_views.timezone, "localdate", lambda: date(2030, 1, 2))
    assert b"(accessed 2 January 2030)" in member.get(story.get_absolute_url()).content


def test_hostile_text_stays_text_in_the_share_links_and_citation(client):
    hostile = '"><script>alert(1)</script>'
    story = make_story(title=hostile, summary=hostile)
    html = client.get(story.get_absolute_url()).content.decode()
    assert "<script>alert" not in html
    page = Links(html)
    assert parse_qs(urlsplit(page.href("Email")).query)["subject"] == [hostile]
    assert all(src.startswith("/static/js/") for src in page.scripts)


# The impact page's link --------------------------------------------------------


@pytest.mark.parametrize("who", ["author", "co-author", "lead", "core"])
def test_its_authors_lead_and_the_core_team_are_linked_to_the_impact_page(client, who):
    community = make_community()
    author, co_author = make_member(community), make_member(community)
    readers = {
        "author": author,
        "co-author": co_author,
        "lead": make_member(community, role="lead"),
        "core": make_core(),
    }
    story = make_story(community=community)
    story.authors.add(author, co_author)
    client.force_login(readers[who])
    html = client.get(story.get_absolute_url()).content.decode()
    assert Links(html).href("Where this story has been used") == (
        f"/stories/{story.slug}/impact/"
    )


def test_other_readers_are_not_linked_to_the_impact_page(client, member_client):
    story = make_story()
    for reader in (client, member_client):
        assert b"/impact/" not in reader.get(story.get_absolute_url()).content
