"""Every list page uses the same number of queries for 20 stories as for 200,
on page 1 as on the last page, within a budget. Counted on a cold cache (a
visitor's page is kept once made, and then takes none)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import fill_library as fill

pytestmark = pytest.mark.django_db

LIST_PAGES = [
    "/",
    "/stories/",
    "/stories/?stream=plan&state=WA&tag=shared&year=2024",
    "/stories/?q=story",
    "/stories/?q=summary+story&stream=learn&tag=shared",
    "/streams/plan/",
    "/communities/",
    "/communities/budget-town/",
    "/tags/shared/",
]
BUDGET = 10  # queries a page, anonymous (a signed-in member adds session + user)


def queries(client, url):
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200, url
    return len(captured)


@pytest.mark.parametrize("url", LIST_PAGES)
def test_list_pages_keep_a_fixed_query_budget(
    client, url, django_assert_max_num_queries
):
    fill(20)
    few = queries(client, url)
    fill(180)
    many = queries(client, url)
    assert few == many <= BUDGET, (url, few, many)
    with django_assert_max_num_queries(0):  # kept for the next visitor
        client.get(url)


@pytest.mark.parametrize("url", ["/stories/", "/stories/?q=story", "/streams/plan/"])
def test_a_deep_page_costs_what_the_first_does(client, url):
    fill(100)
    first = queries(client, url)
    join = "&" if "?" in url else "?"
    assert queries(client, f"{url}{join}page=5") == first <= BUDGET


def test_story_page_keeps_a_fixed_query_budget(client, django_assert_max_num_queries):
    story = fill(20)
    few = queries(client, story.get_absolute_url())
    fill(180)
    assert queries(client, story.get_absolute_url()) == few <= BUDGET


def test_member_pages_keep_the_budget_plus_the_session(
    member_client, django_assert_max_num_queries
):
    fill(30)
    for url in LIST_PAGES:
        cache.clear()
        with django_assert_max_num_queries(BUDGET + 2):
            member_client.get(url)


@pytest.mark.parametrize(
    "url", ["/stories/", "/stories/?q=story&page=2", "/stories/?stream=plan&tag=shared"]
)
def test_a_members_browse_once_drawn_costs_the_session_and_the_reader(
    member_client, url, django_assert_num_queries
):
    """Browse's content is kept per visibility class
    (discovery.browse_views.story_list): a member's next request reads only who
    they are."""
    fill(30)
    assert member_client.get(url).status_code == 200
    with django_assert_num_queries(2):
        assert member_client.get(url).status_code == 200


def test_a_members_story_page_once_drawn_costs_the_session_the_reader_and_the_story(
    member_client, django_assert_num_queries
):
    """The story's own parts are kept per visibility class; who may open it,
    edit it and see where it has been used is one query, asked every time."""
    story = fill(30)
    assert member_client.get(story.get_absolute_url()).status_code == 200
    with django_assert_num_queries(3):
        assert member_client.get(story.get_absolute_url()).status_code == 200


def test_a_members_stream_page_once_drawn_costs_the_session_and_the_reader(
    member_client, django_assert_num_queries
):
    """The stream itself, its lessons, count and page are kept per class."""
    fill(30)
    assert member_client.get("/streams/plan/").status_code == 200
    with django_assert_num_queries(2):
        assert member_client.get("/streams/plan/").status_code == 200
    assert member_client.get("/streams/no-such-stream/").status_code == 404
