"""Every list page uses the same number of queries for 20 stories as for 200."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import fill_library as fill

pytestmark = pytest.mark.django_db

LIST_PAGES = [
    "/",
    "/stories/",
    "/stories/?stream=plan&state=WA&tag=shared&year=2024",
    "/streams/plan/",
    "/communities/",
    "/communities/budget-town/",
    "/tags/shared/",
]
BUDGET = 10  # queries a page, anonymous (a signed-in member adds session + user)


def queries(client, url):
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
    assert few == many, (url, few, many)
    with django_assert_max_num_queries(BUDGET):
        client.get(url)


def test_story_page_keeps_a_fixed_query_budget(client, django_assert_max_num_queries):
    story = fill(20)
    few = queries(client, story.get_absolute_url())
    fill(180)
    assert queries(client, story.get_absolute_url()) == few
    with django_assert_max_num_queries(BUDGET):
        client.get(story.get_absolute_url())


def test_member_pages_keep_the_budget_plus_the_session(
    member_client, django_assert_max_num_queries
):
    fill(30)
    for url in LIST_PAGES:
        with django_assert_max_num_queries(BUDGET + 2):
            member_client.get(url)
