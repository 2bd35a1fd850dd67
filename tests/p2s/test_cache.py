"""Pages kept for anonymous visitors, and browse's cached facets: served from
the cache while the library stands still, never a moment after it changes."""

import itertools
import re

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import path, reverse

from p2s.cache import (
    VERSION_KEY,
    cache_for_visitors,
    library_changed,
    library_version,
    page_key,
)
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


def test_a_newly_published_story_appears_at_once(reader, story):
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
    story_transition(story=waiting, actor=core, action="publish")
    for url in urls[:-1]:  # the community list shows counts, not titles
        assert "Toy library opens" in reader.get(url).content.decode(), url
    assert reader.get(waiting.get_absolute_url()).status_code == 200


def test_an_archived_story_disappears_at_once(reader, story):
    core = make_core()
    urls = [*pages_of(story), story.get_absolute_url()]
    for url in urls:
        reader.get(url)
    story_transition(story=story, actor=core, action="archive", note="Out of date.")
    for url in urls[:4]:
        assert "Walking school bus" not in reader.get(url).content.decode(), url
    assert reader.get(reverse("stories:tag", args=["transport"])).status_code == 404
    assert reader.get(story.get_absolute_url()).status_code == 404


def test_an_edit_shows_at_once(reader, story):
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


# Pages of this module's own (`@pytest.mark.urls(__name__)`), each answering
# with a new number: the same number twice means the second was a kept page.
ANSWERS = itertools.count()


def answer(status=200):
    return HttpResponse(f"answer {next(ANSWERS)}", status=status)


@cache_for_visitors
def plain(request):
    return answer()


def undecorated(request):
    return answer()


@cache_for_visitors
def sets_a_cookie(request):
    response = answer()
    response.set_cookie("seen", "1")
    return response


@cache_for_visitors
def uses_a_csrf_token(request):
    get_token(request)
    return answer()


@cache_for_visitors
def says_no_store(request):
    response = answer()
    response["Cache-Control"] = "no-store"
    return response


@cache_for_visitors
def not_found(request):
    return answer(status=404)


@cache_for_visitors
def writes_while_answering(request):
    library_changed()  # as a save from another request would, meanwhile
    return answer()


def marked(status=200, cookie=False, cache_control=None):
    """A page marked by hand, past the decorator's checks: KeptPages must
    refuse it by itself."""

    def view(request):
        response = answer(status)
        if cookie:
            response.set_cookie("seen", "1")
        if cache_control:
            response["Cache-Control"] = cache_control
        response.p2s_keep = True
        return response

    return view


urlpatterns = [
    path("plain/", plain),
    path("undecorated/", undecorated),
    path("sets-a-cookie/", sets_a_cookie),
    path("uses-a-csrf-token/", uses_a_csrf_token),
    path("says-no-store/", says_no_store),
    path("not-found/", not_found),
    path("writes/", writes_while_answering),
    path("marked/", marked()),
    path("marked/cookie/", marked(cookie=True)),
    path("marked/private/", marked(cache_control="private")),
    path("marked/no-store/", marked(cache_control="max-age=60, no-store")),
    path("marked/created/", marked(status=201)),
    path("marked/not-found/", marked(status=404)),
]


def kept(url):
    return cache.get(page_key(f"http://testserver{url}"))


def headers_of(response):
    return {k: v for k, v in response.items() if k != "X-Request-ID"}


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


def test_a_kept_page_costs_one_round_trip(client, story, round_trips):
    client.get(BROWSE)
    round_trips.clear()
    client.get(BROWSE)
    assert round_trips == ["get_many"]


def test_a_kept_page_is_left_behind_by_a_write(client, story):
    core = make_core()
    waiting = make_story(title="Toy library opens", status=Status.APPROVED)
    client.get(BROWSE)
    assert kept(BROWSE) is not None
    story_transition(story=waiting, actor=core, action="publish")
    assert "Toy library opens" in client.get(BROWSE).content.decode()
    story_transition(story=story, actor=core, action="archive", note="Old.")
    html = client.get(BROWSE).content.decode()
    assert "Walking school bus" not in html and "Toy library opens" in html


@pytest.mark.urls(__name__)
def test_a_write_while_the_view_runs_leaves_its_page_stale(client):
    """The version is read before the view: a page made while the library
    changed is kept as of the old version, and made afresh next time."""
    first = client.get("/writes/")
    assert kept("/writes/") is not None
    assert client.get("/writes/").content != first.content


def test_a_lost_version_makes_the_page_afresh(client, story):
    client.get(BROWSE)
    cache.delete(VERSION_KEY)  # evicted, or Redis restarted empty
    count, _ = queries(client, BROWSE)
    assert count > 0
    count, _ = queries(client, BROWSE)
    assert count == 0


@pytest.mark.parametrize("cookie", ["sessionid", "messages"])
def test_a_session_or_a_message_is_never_served_nor_keeps_a_page(client, story, cookie):
    reader = Client()
    reader.cookies[cookie] = "x"
    reader.get(BROWSE)
    assert kept(BROWSE) is None
    client.get(BROWSE)  # kept for visitors
    assert reader.get(BROWSE).templates  # drawn by the view, not replayed


def test_a_members_page_is_never_kept_for_visitors(client, story):
    reader = Client()
    reader.force_login(make_member(make_community()))
    assert "Sign out" in reader.get(BROWSE).content.decode()
    assert kept(BROWSE) is None
    assert "Sign out" not in client.get(BROWSE).content.decode()


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    "url",
    [
        "/undecorated/",
        "/sets-a-cookie/",
        "/uses-a-csrf-token/",
        "/says-no-store/",
        "/not-found/",
        "/marked/cookie/",
        "/marked/private/",
        "/marked/no-store/",
        "/marked/created/",
        "/marked/not-found/",
    ],
)
def test_a_page_not_fit_to_share_is_not_kept(client, url):
    first = client.get(url)
    assert client.get(url).content != first.content
    assert kept(url) is None


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("url", ["/plain/", "/marked/"])
def test_a_marked_page_is_kept(client, url):
    first = client.get(url)
    assert client.get(url).content == first.content
    assert kept(url) is not None


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


def test_a_request_asks_the_cache_for_the_library_version_once(
    client, story, monkeypatch
):
    """Everything a member's page keeps (facets, filters, card lists, counts)
    shares the version this request first read."""
    backend = caches["default"]
    real, asked = backend.get, []

    def get(key, *args, **kwargs):
        asked.append(key)
        return real(key, *args, **kwargs)

    monkeypatch.setattr(backend, "get", get)
    client.force_login(make_member(make_community()))
    for _ in range(2):  # made, then from what was kept
        asked.clear()
        assert client.get(BROWSE).status_code == 200
        assert asked.count(VERSION_KEY) == 1
    # a write during a request is seen by the rest of it
    library_changed()
    assert library_version() == cache.get(VERSION_KEY)


def test_pages_are_made_as_usual_when_the_cache_does_not_answer(
    client, story, monkeypatch
):
    backend = caches["default"]

    def down(*args, **kwargs):
        raise ConnectionError("the cache is down")

    monkeypatch.setattr(backend, "get_many", down)
    # the health check and images never ask; a page is made without its copy
    assert client.get("/healthz").status_code == 200
    response = client.get(BROWSE)
    assert (
        response.status_code == 200
        and "Walking school bus" in response.content.decode()
    )


def another_server_writes(story, title):
    """A write made by another app server: the shared version changes, this
    process's signals never fire."""
    Story.objects.filter(pk=story.pk).update(title=title)
    cache.set(VERSION_KEY, "written-elsewhere", None)


def test_a_processs_own_copy_costs_only_the_version(client, story, monkeypatch):
    asked = []
    real = caches["default"].get_many
    monkeypatch.setattr(
        caches["default"], "get_many", lambda keys: asked.append(keys) or real(keys)
    )
    client.get(BROWSE)  # made, and kept in both
    client.get(BROWSE)
    assert asked[-1] == [VERSION_KEY]  # no page fetched: this process has it


def test_a_processs_own_copy_is_left_behind_by_a_write_on_another_server(reader, story):
    """What a process keeps of its own (p2s.cache.Recent) is filed under the
    library version, which every server reads from the shared cache."""
    urls = [BROWSE, f"{BROWSE}?q=bus"]
    for url in urls:
        assert "Walking school bus" in reader.get(url).content.decode()
        assert "Walking school bus" in reader.get(url).content.decode()
    another_server_writes(story, "Walking bus, renamed")
    for url in urls:
        html = reader.get(url).content.decode()
        assert "Walking bus, renamed" in html and "Walking school bus" not in html


def test_a_processs_own_copies_are_few_and_expire(monkeypatch):
    from p2s.cache import Recent

    recent = Recent(2)
    recent.set("a", "A", 60)
    recent.set("b", "B", 60)
    assert recent.get("a") == "A"  # now the most recently used
    recent.set("c", "C", 60)
    assert (recent.get("a"), recent.get("b"), recent.get("c")) == ("A", None, "C")
    clock = [1000.0]
    monkeypatch.setattr("p2s.cache.time.monotonic", lambda: clock[0])
    recent.set("d", "D", 60)
    clock[0] += 61
    assert recent.get("d") is None and "d" not in recent.items


def test_a_story_pages_kept_parts_cost_one_round_trip_and_draw_the_same_page(
    story, round_trips
):
    from p2s.cache import RECENT

    member = Client()
    member.force_login(make_member(make_community(name="Elsewhere")))
    url = story.get_absolute_url()
    drawn = member.get(url).content.decode()
    RECENT.clear()  # as another process would find them: in the shared cache
    round_trips.clear()
    kept = member.get(url).content.decode()
    # the library version, the story and its five parts together, the
    # navigation's streams
    assert sorted(round_trips) == ["get", "get", "get_many"]
    round_trips.clear()
    member.get(url)  # and now from this process's own copies
    assert round_trips == ["get"]  # the library version alone

    def without_tokens(html):
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)

    assert without_tokens(kept) == without_tokens(drawn)
    assert "Walking school bus" in kept and 'href="/tags/transport/"' in kept


def test_a_stale_own_copy_gives_way_to_the_page_another_process_kept(client, story):
    client.get(BROWSE)  # kept here and in the shared cache
    cache.set(VERSION_KEY, "after-a-write", None)
    fresh = (
        "after-a-write",
        200,
        (("Content-Type", "text/html; charset=utf-8"),),
        b"<p>Kept afresh by another process</p>",
    )
    cache.set(page_key(f"http://testserver{BROWSE}"), fresh, 60)
    response = client.get(BROWSE)
    assert response.content == b"<p>Kept afresh by another process</p>"
    assert not response.templates  # not drawn again
