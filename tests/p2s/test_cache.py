"""Pages kept for anonymous visitors, and browse's cached facets: served from
the cache while the library stands still, never a moment after it changes."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stories.models import Status, Story
from stories.services import staged_publish, staged_sign_off, story_save
from stories.workflow import story_transition
from tests.factories import (
    make_community,
    make_core,
    make_member,
    make_story,
)

pytestmark = pytest.mark.django_db

BROWSE = reverse("stories:list")


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured), response.content.decode()


@pytest.fixture
def story(db):
    return make_story(title="Walking school bus", tags=["transport"], year=2022)


def pages_of(story):
    return [
        "/",
        BROWSE,
        f"{BROWSE}?q=bus",
        reverse("stories:stream", args=["plan"]),
        reverse("stories:tag", args=["transport"]),
        story.community.get_absolute_url(),
        reverse("communities:list"),
    ]


def test_a_visitor_is_served_a_kept_page_without_queries(client, story):
    for url in [*pages_of(story), story.get_absolute_url()]:
        first, html = queries(client, url)
        again, same = queries(client, url)
        assert first > 0 and again == 0, url
        assert same == html, url


def test_kept_pages_still_carry_the_security_headers(client, story):
    client.get(BROWSE)
    response = client.get(BROWSE)
    assert "Content-Security-Policy" in response
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_newly_published_story_appears_at_once(client, story):
    core = make_core()
    waiting = make_story(
        title="Toy library opens",
        body="A bus brings the toys.",
        status=Status.APPROVED,
        tags=["transport"],
        community=story.community,
    )
    urls = pages_of(story)
    for url in urls:
        assert "Toy library opens" not in client.get(url).content.decode(), url
    story_transition(story=waiting, actor=core, action="publish")
    for url in urls[:-1]:  # the community list shows counts, not titles
        assert "Toy library opens" in client.get(url).content.decode(), url
    assert client.get(waiting.get_absolute_url()).status_code == 200


def test_an_archived_story_disappears_at_once(client, story):
    core = make_core()
    urls = [*pages_of(story), story.get_absolute_url()]
    for url in urls:
        client.get(url)
    story_transition(story=story, actor=core, action="archive", note="Out of date.")
    for url in urls[:4]:
        assert "Walking school bus" not in client.get(url).content.decode(), url
    assert client.get(reverse("stories:tag", args=["transport"])).status_code == 404
    assert client.get(story.get_absolute_url()).status_code == 404


def test_an_edit_shows_at_once(client, story):
    author = make_member(story.community)
    story.authors.add(author)
    core = make_core()
    for url in pages_of(story):
        client.get(url)
    client.get(story.get_absolute_url())
    data = {
        "title": "Walking bus, two years on",
        "summary": story.summary,
        "body": story.body,
        "community": story.community,
        "streams": ["plan"],
        "primary_stream": "plan",
        "visibility": "public",
        "tags": ["transport"],
    }
    story_save(story=story, author=author, data=data, expected_version=story.version)
    story.refresh_from_db()
    staged_sign_off(story=story, actor=author)
    story.refresh_from_db()
    staged_publish(story=story, actor=core)
    for url in [*pages_of(story)[:2], story.get_absolute_url()]:
        assert "Walking bus, two years on" in client.get(url).content.decode(), url


def test_signed_in_readers_never_get_a_kept_page(client, story):
    client.get(BROWSE)  # kept for visitors
    member = make_member(make_community())
    reader = Client()
    reader.force_login(member)
    count, html = queries(reader, BROWSE)
    assert count > 0
    assert member.get_short_name() in html or "Sign out" in html
    assert "private" in reader.get(BROWSE)["Cache-Control"]


def test_a_visitor_with_a_session_or_a_message_gets_a_fresh_page(client, story):
    client.get(BROWSE)
    client.cookies["sessionid"] = "not-a-session"
    count, _ = queries(client, BROWSE)
    assert count > 0
    fresh = Client()
    fresh.cookies["messages"] = "x"
    count, _ = queries(fresh, BROWSE)
    assert count > 0


def test_facets_kept_for_members_are_never_shown_to_visitors(client, story):
    make_story(title="Collective plans", visibility="collective", year=1999)
    member = Client()
    member.force_login(make_member(make_community()))
    html = member.get(BROWSE).content.decode()
    assert '<option value="1999">1999 (1)</option>' in html
    assert "2 stories" in html
    html = client.get(BROWSE).content.decode()
    assert "1999" not in html and "1 story" in html
    html = member.get(BROWSE).content.decode()  # and back: kept per class
    assert "1999 (1)" in html


def test_an_error_page_is_not_kept(client, story):
    assert client.get(BROWSE, {"tag": "no-such-tag"}).status_code == 404
    with CaptureQueriesContext(connection) as captured:
        assert client.get(BROWSE, {"tag": "no-such-tag"}).status_code == 404
    assert len(captured) > 0


def test_the_cache_follows_writes_made_without_a_page(client, story):
    """A write from the admin, a command or the shell changes the library as
    surely as one from a page."""
    client.get(BROWSE)
    Story.objects.filter(pk=story.pk).first().delete()
    assert "Walking school bus" not in client.get(BROWSE).content.decode()


def test_signing_in_keeps_the_pages_kept_for_visitors(client, story):
    """Signing in stamps the account's last login: nothing a page shows, so
    the visitors' pages stay kept."""
    member = make_member(make_community(), email="ari@example.org")
    client.get(BROWSE)
    reader = Client()
    response = reader.post(
        reverse("accounts:login"),
        {"username": member.email, "password": "a-long-test-password"},
    )
    assert response.status_code == 302 and "_auth_user_id" in reader.session
    count, _ = queries(client, BROWSE)
    assert count == 0
