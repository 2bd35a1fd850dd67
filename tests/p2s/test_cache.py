"""Pages kept for anonymous visitors, and parts kept per visibility class:
served from the cache while the library stands still, never a moment after
it changes, never across classes."""

import itertools

import pytest
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template import RequestContext, Template
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import path, reverse

from common.cache import VERSION_KEY, cached, library_changed
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


@pytest.fixture(params=["visitor", "member"])
def reader(request, client, db):
    """A visitor (whole pages kept) or a signed-in member (parts of pages
    kept per visibility class): both must see a change at once."""
    if request.param == "member":
        client.force_login(make_member(make_community(name="Elsewhere")))
    return client


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


def test_a_newly_published_story_appears_at_once(reader, story, committed):
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
        assert "Toy library opens" not in reader.get(url).content.decode(), url
    with committed():
        story_transition(story=waiting, actor=core, action="publish")
    for url in urls[:-1]:  # the community list shows counts, not titles
        assert "Toy library opens" in reader.get(url).content.decode(), url
    assert reader.get(waiting.get_absolute_url()).status_code == 200


def test_an_archived_story_disappears_at_once(reader, story, committed):
    core = make_core()
    urls = [*pages_of(story), story.get_absolute_url()]
    for url in urls:
        reader.get(url)
    with committed():
        story_transition(story=story, actor=core, action="archive", note="Old.")
    for url in urls[:4]:
        assert "Walking school bus" not in reader.get(url).content.decode(), url
    assert reader.get(reverse("stories:tag", args=["transport"])).status_code == 404
    assert reader.get(story.get_absolute_url()).status_code == 404


def test_an_edit_shows_at_once(reader, story, committed):
    author = make_member(story.community)
    story.authors.add(author)
    core = make_core()
    for url in pages_of(story):
        reader.get(url)
    reader.get(story.get_absolute_url())
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
    for url in [*pages_of(story)[:2], story.get_absolute_url()]:
        assert "two years on" not in reader.get(url).content.decode(), url
    with committed():
        staged_publish(story=story, actor=core)
    for url in [*pages_of(story)[:2], story.get_absolute_url()]:
        assert "Walking bus, two years on" in reader.get(url).content.decode(), url


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
    """The view runs and draws the page (its parts may be kept: the card
    list, the facets), rather than a kept page being replayed."""
    client.get(BROWSE)
    client.cookies["sessionid"] = "not-a-session"
    assert client.get(BROWSE).templates
    fresh = Client()
    fresh.cookies["messages"] = "x"
    assert fresh.get(BROWSE).templates
    assert not Client().get(BROWSE).templates  # the kept page


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


@pytest.mark.parametrize("url", [BROWSE, "/"])
def test_browse_and_home_are_drawn_once_per_class_around_each_readers_own_menu(
    client, story, url, django_assert_num_queries
):
    """Browse's and home's content is kept per visibility class; the layout
    around it is each reader's own: a pending account shares the visitors'
    content, never the Collective's, and never anyone's menu."""
    make_story(title="Collective plans", visibility="collective")
    member, pending, core = Client(), Client(), Client()
    member.force_login(make_member(make_community(name="Elsewhere")))
    pending.force_login(make_member(story.community, approved=False))
    core.force_login(make_core())
    for _ in range(2):  # drawn, then kept
        html = member.get(url).content.decode()
        assert "Collective plans" in html and "Share a story" in html
        assert "2 stories" in html
        html = pending.get(url).content.decode()
        assert "Collective plans" not in html and "Walking school bus" in html
        assert "Sign out" in html and "Share a story" not in html
        assert "1 story" in html and "2 stories" not in html
        html = client.get(url).content.decode()
        assert "Collective plans" not in html and "Sign in" in html
        html = core.get(url).content.decode()
        assert "Collective plans" in html and "Synthesis" in html
    with django_assert_num_queries(2):  # the session and the reader
        assert member.get(url).status_code == 200


def test_an_error_page_is_not_kept(client, story):
    assert client.get(BROWSE, {"tag": "no-such-tag"}).status_code == 404
    with CaptureQueriesContext(connection) as captured:
        assert client.get(BROWSE, {"tag": "no-such-tag"}).status_code == 404
    assert len(captured) > 0


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


# Pages of this module's own (`@pytest.mark.urls(__name__)`), each answering
# with a new number: the same number twice means the second was a kept page.
ANSWERS = itertools.count()


def answer(status=200):
    return HttpResponse(f"answer {next(ANSWERS)}", status=status)


def plain(request):
    return answer()


def sets_a_cookie(request):
    response = answer()
    response.set_cookie("seen", "1")
    return response


def uses_a_csrf_token(request):
    get_token(request)
    return answer()


def private(request):
    response = answer()
    response["Cache-Control"] = "private"
    return response


def not_found(request):
    return answer(status=404)


def writes_while_answering(request):
    response = answer()
    # another request's write, committed meanwhile
    caches["default"].set(VERSION_KEY, f"written-{next(ANSWERS)}", None)
    return response


def readers_own(request):
    """A throwaway page kept per class, as a new page would be: what the
    reader's class may read, through `cached` and `{% cachedpart %}`."""
    stories = Story.objects.visible_to(request.user)
    titles = cached(request, "throwaway", (), lambda: sorted(s.title for s in stories))
    html = Template(
        "{% load p2s_tags %}{% cachedpart 'throwaway' %}"
        "{% for s in stories %}[{{ s.title }}]{% endfor %}{% endcachedpart %}"
    ).render(RequestContext(request, {"stories": stories}))
    return HttpResponse(f"{titles}|{html}")


urlpatterns = [
    path("plain/", plain),
    path("sets-a-cookie/", sets_a_cookie),
    path("uses-a-csrf-token/", uses_a_csrf_token),
    path("private/", private),
    path("not-found/", not_found),
    path("writes/", writes_while_answering),
    path("readers-own/", readers_own),
]


def headers_of(response):
    return {k: v for k, v in response.items() if k not in {"X-Request-ID", "Age"}}


def test_a_kept_page_is_answered_before_the_view(
    client, story, django_assert_num_queries
):
    first = client.get(BROWSE)
    with django_assert_num_queries(0):
        again = client.get(BROWSE)
    assert again.context is None  # no template rendered
    assert again.status_code == first.status_code == 200
    assert again.content == first.content
    assert headers_of(again) == headers_of(first)
    for header in [
        "Content-Security-Policy",
        "X-Frame-Options",
        "Referrer-Policy",
        "X-Content-Type-Options",
    ]:
        assert again[header] == first[header], header
    assert again["X-Request-ID"] != first["X-Request-ID"]


def test_browsers_and_proxies_ask_again_for_every_page(client, story):
    """The server's copy follows every write; one kept by a browser or a
    proxy wouldn't, so they are told to ask each time."""
    for response in (client.get(BROWSE), client.get(BROWSE)):
        assert response["Cache-Control"] == "no-cache"
        assert "Expires" not in response
    assert "Vary" in response and "Cookie" in response["Vary"]


def test_a_kept_page_is_left_behind_by_a_write(client, story, committed):
    core = make_core()
    waiting = make_story(title="Toy library opens", status=Status.APPROVED)
    client.get(BROWSE)
    with committed():
        story_transition(story=waiting, actor=core, action="publish")
    assert "Toy library opens" in client.get(BROWSE).content.decode()
    with committed():
        story_transition(story=story, actor=core, action="archive", note="Old.")
    html = client.get(BROWSE).content.decode()
    assert "Walking school bus" not in html and "Toy library opens" in html


def test_a_write_is_seen_once_it_commits_not_before(client, story, committed):
    """The version is replaced after the commit: a write still open, or
    rolled back, leaves what is kept as it was."""
    client.get(BROWSE)
    with committed() as callbacks:
        version = caches["default"].get(VERSION_KEY)
        library_changed()
        assert caches["default"].get(VERSION_KEY) == version  # not yet
    assert len(callbacks) == 1
    assert caches["default"].get(VERSION_KEY) != version


@pytest.mark.urls(__name__)
def test_a_write_while_the_view_runs_leaves_its_page_stale(client):
    """The version is read before the view: a page made while the library
    changed is kept as of the old version, and made afresh next time."""
    first = client.get("/writes/")
    second = client.get("/writes/")
    assert second.content != first.content
    assert client.get("/writes/").content != second.content


def test_a_lost_version_makes_the_page_afresh(client, story):
    client.get(BROWSE)
    caches["default"].delete(VERSION_KEY)  # evicted, or Redis restarted empty
    count, _ = queries(client, BROWSE)
    assert count > 0
    count, _ = queries(client, BROWSE)
    assert count == 0


@pytest.mark.parametrize("cookie", ["sessionid", "messages"])
def test_a_session_or_a_message_is_never_served_nor_keeps_a_page(client, story, cookie):
    reader = Client()
    reader.cookies[cookie] = "x"
    reader.get(BROWSE)
    assert client.get(BROWSE).templates  # the reader's page wasn't kept
    assert reader.get(BROWSE).templates  # drawn by the view, not replayed


def test_a_members_page_is_never_kept_for_visitors(client, story):
    reader = Client()
    reader.force_login(make_member(make_community()))
    assert "Sign out" in reader.get(BROWSE).content.decode()
    assert "Sign out" not in client.get(BROWSE).content.decode()


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    "url", ["/sets-a-cookie/", "/uses-a-csrf-token/", "/private/", "/not-found/"]
)
def test_a_page_not_fit_to_share_is_not_kept(client, url):
    first = client.get(url)
    assert Client().get(url).content != first.content


@pytest.mark.urls(__name__)
def test_a_plain_page_is_kept(client):
    first = client.get("/plain/")
    assert client.get("/plain/").content == first.content


@pytest.mark.urls(__name__)
def test_a_new_cached_page_cannot_leak_across_classes(client, committed):
    """A page added the way docs/caching.md says, read by a visitor, a
    pending account, a member and the core team, in every order: each sees
    its own class's stories, however the others' were kept."""
    make_story(title="Open")
    make_story(title="Inner", visibility="collective")
    make_story(title="Draft", status=Status.DRAFT)
    readers = {"visitor": Client(), "pending": Client(), "member": Client()}
    readers["pending"].force_login(make_member(make_community(), approved=False))
    readers["member"].force_login(make_member(make_community(name="Elsewhere")))
    readers["core"] = Client()
    readers["core"].force_login(make_core())
    expected = {
        "visitor": "['Open']|[Open]",
        "pending": "['Open']|[Open]",
        "member": "['Inner', 'Open']|[Inner][Open]",
        # the core team's visible_to is the members' for stories; kept apart
        # all the same, as anything it may see more of must be
        "core": "['Inner', 'Open']|[Inner][Open]",
    }
    for order in itertools.permutations(readers):
        caches["pages"].clear()
        for name in order:
            html = readers[name].get("/readers-own/").content.decode()
            assert html == expected[name], (order, name)
    keys = caches["pages"]._cache.keys()  # locmem: which classes kept a part
    classes = {key.split(":part:")[1].split(":")[0] for key in keys if ":part:" in key}
    assert classes == {"public", "collective", "core"}


def test_a_head_request_keeps_and_is_served_the_page(
    client, story, django_assert_num_queries
):
    assert client.head(BROWSE).status_code == 200
    with django_assert_num_queries(0):
        got = client.get(BROWSE)
        head = client.head(BROWSE)
    assert "Walking school bus" in got.content.decode()
    assert head.status_code == 200 and head.content == b""
    assert head["Content-Type"] == got["Content-Type"]


def test_a_bad_host_is_still_refused_with_a_400(client, story):
    client.get(BROWSE)
    response = client.get(BROWSE, HTTP_HOST="evil.example")
    assert response.status_code == 400


def test_one_host_is_never_shown_another_hosts_page(client, story):
    """Pages carry absolute addresses (social meta, feeds)."""
    url = story.get_absolute_url()
    client.get(url, HTTP_HOST="localhost")
    html = client.get(url, HTTP_HOST="127.0.0.1").content.decode()
    assert "http://127.0.0.1/" in html and "http://localhost/" not in html
