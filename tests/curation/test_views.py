"""The pages readers see: the list, a collection, its print view and the
link-shared pages; what they show and never show, their headers and their
query budgets."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from curation.models import Action, CollectionEvent
from stories.models import Status
from tests.conftest import count_h1
from tests.factories import (
    forget_kept,
    make_collection,
    make_core,
    make_image,
    make_story,
    make_user,
)

pytestmark = pytest.mark.django_db

LIST = reverse("collections:list")


def html_of(response):
    return response.content.decode()


@pytest.fixture
def mixed(public_story, collective_story, draft_story):
    """A published public collection holding a public, a Collective-only and
    an unpublished story, each with a note."""
    collection = make_collection(
        title="Listening first",
        slug="listening-first",
        introduction="Stories of **community voice**.\n\n<script>alert(1)</script>",
        stories=[public_story, collective_story, draft_story],
    )
    for item in collection.items.all():
        item.note = f"Note on {item.story.title}: _why_ it matters."
        item.save()
    return collection


# The list ------------------------------------------------------------------------


def test_the_list_shows_visitors_published_public_collections_with_their_counts(
    client, mixed
):
    make_collection(title="Members only", visibility="collective")
    make_collection(title="Secret link", visibility="link")
    make_collection(title="Draft one", published=False)
    response = client.get(LIST)
    assert response.status_code == 200 and count_h1(response) == 1
    html = html_of(response)
    assert "Listening first" in html and mixed.get_absolute_url() in html
    for hidden in ["Members only", "Secret link", "Draft one"]:
        assert hidden not in html
    # the Collective-only and the draft story are not counted for a visitor
    assert [c.story_count for c in response.context["collections"]] == [1]
    assert "1 story" in html and "3 stories" not in html
    # the list's summary of an introduction is its plain text
    assert "Stories of community voice." in html
    assert "<strong>community voice</strong>" not in html
    assert "<script>" not in html  # the renderer escaped it: shown as text


def test_a_long_introduction_is_cut_to_forty_words_of_plain_text(client):
    words = " ".join(f"word{n}" for n in range(60))
    make_collection(title="Long one", introduction=f"**Bold** {words} & more")
    html = html_of(client.get(LIST))
    intro = html.split('class="collection-summary__intro">')[1].split("</p>")[0]
    assert intro == "Bold " + " ".join(f"word{n}" for n in range(39)) + " …"


def test_members_also_see_collective_only_collections_and_stories(client, mixed):
    make_collection(title="Members only", visibility="collective")
    make_collection(title="Secret link", visibility="link")
    client.force_login(make_user())
    response = client.get(LIST)
    titles = [c.title for c in response.context["collections"]]
    assert sorted(titles) == ["Listening first", "Members only"]
    counts = {c.title: c.story_count for c in response.context["collections"]}
    assert counts["Listening first"] == 2
    assert "private" in response["Cache-Control"]


def test_the_core_team_sees_every_collection_with_what_it_is(client, mixed, core):
    make_collection(title="Secret link", visibility="link")
    make_collection(title="Draft one", published=False)
    client.force_login(core)
    html = html_of(client.get(LIST))
    for title in ["Listening first", "Secret link", "Draft one"]:
        assert title in html
    assert "Anyone with the link" in html and ">Draft<" in html
    assert reverse("collections:new") in html


def test_the_nav_leads_to_collections(client):
    html = html_of(client.get("/"))
    assert f'<a href="{LIST}">Collections</a>' in html
    html = html_of(client.get(LIST))
    assert f'<a href="{LIST}" aria-current="page">Collections</a>' in html


# A collection ------------------------------------------------------------------


def test_a_visitor_sees_only_the_public_story_and_its_history(client, mixed):
    response = client.get(mixed.get_absolute_url())
    assert response.status_code == 200 and count_h1(response) == 1
    html = html_of(response)
    assert "A data walk with families" in html
    assert "Note on A data walk with families: <em>why</em> it matters." in html
    for hidden in ["The hub that closed", "the-hub-that-closed", "A playgroup bus",
                   "a-playgroup-bus"]:  # fmt: skip
        assert hidden not in html, hidden
    assert "1 story" in html
    assert [item.story.slug for item in response.context["items"]] == ["a-data-walk"]
    history = response.context["history"]
    assert [(e.action, e.story_title) for e in history] == [
        ("published", ""),
        ("added", "A data walk with families"),
    ]
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert "no-store" not in response.get("Cache-Control", "")


def test_a_member_also_sees_the_collective_only_story_never_the_draft(client, mixed):
    client.force_login(make_user())
    html = html_of(client.get(mixed.get_absolute_url()))
    assert "A data walk with families" in html and "The hub that closed" in html
    assert "A playgroup bus" not in html and "a-playgroup-bus" not in html
    assert "2 stories" in html


def test_stories_are_in_the_curators_order(client, public_story):
    later = make_story(title="Second story", slug="second")
    first = make_story(title="First story", slug="first")
    collection = make_collection(stories=[first, public_story, later])
    items = client.get(collection.get_absolute_url()).context["items"]
    assert [item.story.slug for item in items] == ["first", "a-data-walk", "second"]


@pytest.mark.parametrize(
    ("visibility", "published", "who", "status"),
    [
        ("collective", True, "anonymous", 403),  # told it is for members
        ("collective", True, "pending", 403),
        ("collective", False, "anonymous", 404),  # a draft: never told it exists
        ("collective", False, "member", 404),
        ("collective", True, "member", 200),
        ("link", True, "anonymous", 404),
        ("link", True, "member", 404),
        ("link", True, "core", 200),
        ("public", False, "anonymous", 404),
        ("public", False, "member", 404),
        ("public", False, "core", 200),
    ],
)
def test_who_may_open_a_collection_by_its_address(
    client, visibility, published, who, status
):
    collection = make_collection(visibility=visibility, published=published)
    if who == "core":
        client.force_login(make_core())
    elif who != "anonymous":
        client.force_login(make_user(approved=who == "member"))
    for url in [collection.get_absolute_url(), collection.get_print_url()]:
        assert client.get(url).status_code == status, url


def test_draft_and_collective_pages_are_never_cached(client, core):
    collective = make_collection(visibility="collective")
    draft = make_collection(published=False)
    client.force_login(core)
    for collection in [collective, draft]:
        for url in [collection.get_absolute_url(), collection.get_print_url()]:
            response = client.get(url)
            assert response.status_code == 200
            assert "private" in response["Cache-Control"], url
            assert "no-store" in response["Cache-Control"], url
    assert "Draft: only the core team" in html_of(client.get(draft.get_absolute_url()))


def test_a_missing_collection_is_404(client):
    assert client.get("/collections/nope/").status_code == 404
    assert client.get("/collections/nope/print/").status_code == 404


def test_as_of_is_the_last_change_the_viewer_may_see(client, public_story):
    collection = make_collection(stories=[public_story])
    CollectionEvent.objects.filter(collection=collection).update(
        created_at=timezone.now() - timedelta(days=40)
    )
    hidden = make_story(title="Later", visibility="collective")
    collection.items.create(story=hidden, position=1)
    CollectionEvent.objects.create(
        collection=collection, story=hidden, story_title="Later", action=Action.ADDED
    )
    response = client.get(collection.get_absolute_url())
    day = (timezone.localdate() - timedelta(days=40)).strftime("%Y-%m-%d")
    assert f'as of <time datetime="{day}">' in html_of(response)
    client.force_login(make_user())
    response = client.get(collection.get_absolute_url())
    today = timezone.localdate().strftime("%Y-%m-%d")
    assert f'as of <time datetime="{today}">' in html_of(response)


def test_the_curate_link_is_for_the_core_team_only(client, mixed, core):
    assert mixed.get_curate_url() not in html_of(client.get(mixed.get_absolute_url()))
    client.force_login(core)
    assert mixed.get_curate_url() in html_of(client.get(mixed.get_absolute_url()))


# As of a date ----------------------------------------------------------------------


def test_as_of_a_date_replays_what_was_added_and_removed(client):
    first, second, third = (make_story(title=f"Story {n}") for n in "ABC")
    collection = make_collection(stories=[third])
    now = timezone.now()

    def event(story, action, days_ago):
        CollectionEvent.objects.create(
            collection=collection, story=story, story_title=story.title,
            action=action, created_at=now - timedelta(days=days_ago),
        )  # fmt: skip

    CollectionEvent.objects.filter(collection=collection).delete()
    event(first, Action.ADDED, 30)
    event(second, Action.ADDED, 20)
    event(first, Action.REMOVED, 10)
    event(third, Action.ADDED, 5)

    def on(days_ago):
        day = (timezone.localdate() - timedelta(days=days_ago)).isoformat()
        response = client.get(collection.get_absolute_url(), {"as_of": day})
        assert response.status_code == 200
        return [story.title for story in response.context["as_of_stories"]]

    assert on(40) == []
    assert on(25) == ["Story A"]
    assert on(15) == ["Story A", "Story B"]
    assert on(7) == ["Story B"]
    assert on(0) == ["Story B", "Story C"]
    html = html_of(client.get(collection.get_absolute_url(), {"as_of": "2000-01-01"}))
    assert "No stories you can read were in the collection on that day." in html


def test_as_of_never_brings_back_a_story_the_viewer_may_not_read(client):
    hidden = make_story(title="Hidden", status=Status.ARCHIVED)
    shown = make_story(title="Shown")
    collection = make_collection(stories=[hidden, shown])
    today = timezone.localdate().isoformat()
    response = client.get(collection.get_absolute_url(), {"as_of": today})
    assert [s.title for s in response.context["as_of_stories"]] == ["Shown"]
    assert "Hidden" not in html_of(response)


def test_as_of_takes_the_date_day_first(client):
    story = make_story(title="Added a while ago")
    collection = make_collection(stories=[story])
    CollectionEvent.objects.filter(collection=collection).update(
        created_at=timezone.now() - timedelta(days=20)
    )
    day = timezone.localdate() - timedelta(days=10)
    for typed in [f"{day:%d/%m/%Y}", f"{day:%d/%m/%y}", f"{day:%d.%m.%Y}"]:
        response = client.get(collection.get_absolute_url(), {"as_of": typed})
        assert response.status_code == 200, typed
        assert [s.title for s in response.context["as_of_stories"]] == [story.title]
        html = html_of(response)
        assert f'type="text" name="as_of" value="{typed}"' in html
        assert 'aria-describedby="id_as_of_helptext"' in html
        assert "Day first, like 14/03/2025." in html
        assert f'The stories on <time datetime="{day:%Y-%m-%d}">' in html
        assert f">{day.day} {day:%B %Y}</time>" in html


@pytest.mark.parametrize(
    "value", ["yesterday", "12/31/2025", "2025-13-01", "<b>x</b>", "9" * 40]
)
def test_a_bad_as_of_date_is_an_error_beside_the_field(client, value):
    collection = make_collection(stories=[make_story(title="Still shown")])
    response = client.get(collection.get_absolute_url(), {"as_of": value})
    assert response.status_code == 400
    html = html_of(response)
    beside = html.split('id="id_as_of_error"', 1)[1].split("</ul>", 1)[0]
    assert "Enter the date day first, like 14/03/2025." in beside
    assert "Still shown" in html and "<b>x</b>" not in html
    assert f'name="as_of" value="{escape(value)}"' in html  # kept, to correct


def test_a_future_as_of_date_is_refused(client):
    collection = make_collection()
    future = (timezone.localdate() + timedelta(days=2)).isoformat()
    response = client.get(collection.get_absolute_url(), {"as_of": future})
    assert response.status_code == 400
    assert "Choose today or a day before." in html_of(response)


# Print ---------------------------------------------------------------------------


def test_the_print_view_has_the_stories_in_full_and_no_site_chrome(client, community):
    story = make_story(
        title="Walking the data",
        community=community,
        body="## What happened\n\nWe met. <img src=x onerror=alert(1)>\n\n"
        "[a link](javascript:alert(1))",
        what_worked="Posters on the wall.",
        what_didnt="Too many numbers.",
        conditions="Trust.",
        storytellers="Jo and the parents",
        year=2024,
    )
    make_image(story, alt_text="Posters in a hall")
    hidden = make_story(title="Not for visitors", visibility="collective")
    collection = make_collection(title="For print", stories=[story, hidden])
    collection.items.filter(story=story).update(note="Read this **first**.")
    response = client.get(collection.get_print_url())
    assert response.status_code == 200 and count_h1(response) == 1
    html = html_of(response)
    assert "/static/css/print.css" in html and "/static/css/site.css" not in html
    assert 'class="site-header"' not in html and "<nav" in html  # contents only
    assert 'aria-label="Main"' not in html
    assert "<h2>What happened</h2>" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "javascript:" not in html
    for text in ["Posters on the wall.", "Too many numbers.", "Trust.",
                 "Jo and the parents", "Read this <strong>first</strong>.",
                 'alt="Posters in a hall"', "http://testserver/stories/"]:  # fmt: skip
        assert text in html, text
    assert "Not for visitors" not in html


# Link-shared pages ---------------------------------------------------------------


def link_headers_ok(response):
    assert response["Referrer-Policy"] == "no-referrer"
    assert "noindex" in response["X-Robots-Tag"]
    assert "no-store" in response["Cache-Control"]


def test_a_share_link_opens_the_collection_with_private_headers(
    client, public_story, collective_story
):
    collection = make_collection(
        title="For the funders", visibility="link",
        stories=[public_story, collective_story],
    )  # fmt: skip
    for url in [
        reverse("collections:shared", args=[collection.share_token]),
        reverse("collections:shared-print", args=[collection.share_token]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert count_h1(response) == 1
        link_headers_ok(response)
        html = html_of(response)
        assert "For the funders" in html and "A data walk with families" in html
        # the link gives the collection, not the viewer's rights to its stories
        assert "The hub that closed" not in html
    # by its address it stays hidden, and no list shows it
    assert client.get(collection.get_absolute_url()).status_code == 404
    assert "For the funders" not in html_of(client.get(LIST))
    assert "For the funders" not in html_of(client.get("/"))


def test_a_member_with_the_link_also_reads_the_collective_only_story(
    client, public_story, collective_story
):
    collection = make_collection(
        visibility="link", stories=[public_story, collective_story]
    )
    client.force_login(make_user())
    html = html_of(client.get(collection.get_share_url()))
    assert "The hub that closed" in html


def test_a_share_page_links_to_its_own_print_view_and_not_to_the_list(client):
    collection = make_collection(visibility="link")
    html = html_of(client.get(collection.get_share_url()))
    print_url = reverse("collections:shared-print", args=[collection.share_token])
    assert print_url in html
    assert collection.get_print_url() not in html
    assert collection.get_curate_url() not in html
    assert '<meta name="robots" content="noindex, nofollow">' in html


@pytest.mark.parametrize("published", [True, False])
def test_a_wrong_revoked_or_unpublished_link_is_404(client, published):
    collection = make_collection(visibility="link", published=published)
    token = collection.share_token
    expected = 200 if published else 404
    assert client.get(collection.get_share_url()).status_code == expected
    for bad in [token[:-1], token + "x", "x" * 43, "-"]:
        assert client.get(f"/collections/shared/{bad}/").status_code == 404
    collection.share_token = None
    collection.save()
    assert client.get(f"/collections/shared/{token}/").status_code == 404
    assert client.get(f"/collections/shared/{token}/print/").status_code == 404


# Home --------------------------------------------------------------------------


def test_the_home_page_lists_a_few_published_collections(client):
    story = make_story()
    for n in range(4):
        make_collection(title=f"Public {n}", stories=[story])
    make_collection(title="Members only", visibility="collective")
    make_collection(title="By link", visibility="link")
    make_collection(title="Not yet", published=False)
    response = client.get("/")
    html = html_of(response)
    shown = [c.title for c in response.context["collections"]]
    assert len(shown) == 3 and all(title.startswith("Public") for title in shown)
    assert 'id="collections-heading"' in html
    for hidden in ["Members only", "By link", "Not yet"]:
        assert hidden not in html
    client.force_login(make_core())
    shown = [c.title for c in client.get("/").context["collections"]]
    assert "By link" not in shown and "Not yet" not in shown


# Query budgets ---------------------------------------------------------------------

# anonymous; signed in adds the session, the user and the core-team check
BUDGETS = {"list": 2, "detail": 7, "as_of": 10, "print": 6, "shared": 7}
SIGNED_IN = 3


def pages(collection):
    return {
        "list": LIST,
        "detail": collection.get_absolute_url(),
        "as_of": f"{collection.get_absolute_url()}?as_of={timezone.localdate()}",
        "print": collection.get_print_url(),
    }


def queries(client, url):
    forget_kept()  # the page drawn afresh, not the one kept
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200, url
    return len(captured)


def fill(collection, count):
    start = collection.items.count()
    for n in range(count):
        story = make_story(visibility="collective" if n % 4 == 3 else "public")
        if n % 3 == 0:
            make_image(story)
        collection.items.create(story=story, position=start + n, note=f"Note {n}")
        CollectionEvent.objects.create(
            collection=collection, story=story, story_title=story.title,
            action=Action.ADDED,
        )  # fmt: skip


@pytest.mark.parametrize("page", ["list", "detail", "as_of", "print"])
def test_pages_keep_a_fixed_query_budget(client, page, django_assert_max_num_queries):
    collection = make_collection(slug="budget")
    for n in range(2):
        make_collection(stories=[make_story(title=f"Other {n}")])
    url = pages(collection)[page]
    fill(collection, 3)
    few = queries(client, url)
    fill(collection, 27)
    many = queries(client, url)
    assert few == many, (url, few, many)
    with django_assert_max_num_queries(BUDGETS[page]):
        client.get(url)
    member = Client()
    member.force_login(make_user())
    with django_assert_max_num_queries(BUDGETS[page] + SIGNED_IN):
        assert member.get(url).status_code == 200


def test_the_shared_pages_keep_a_fixed_query_budget(
    client, django_assert_max_num_queries
):
    collection = make_collection(visibility="link")
    urls = [
        collection.get_share_url(),
        reverse("collections:shared-print", args=[collection.share_token]),
    ]
    fill(collection, 3)
    few = [queries(client, url) for url in urls]
    fill(collection, 27)
    assert [queries(client, url) for url in urls] == few
    for url in urls:
        with django_assert_max_num_queries(BUDGETS["shared"]):
            client.get(url)
