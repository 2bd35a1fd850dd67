"""A funder's /me/: an approved account in no community, with no story, is
shown the collections it may read (those for members of the Collective
first) and how to keep up, not "you haven't written a story"."""

import pytest
from django.urls import reverse

from tests.factories import make_collection, make_core, make_story, make_user

pytestmark = pytest.mark.django_db
ME = reverse("me")


@pytest.fixture
def collections(db):
    public_story = make_story(title="An open story")
    members_story = make_story(title="A members' story", visibility="collective")
    return {
        "public": make_collection(title="For everyone", stories=[public_story]),
        "collective": make_collection(
            title="For the Collective", visibility="collective",
            stories=[public_story, members_story],
        ),
        "link": make_collection(title="By link only", visibility="link"),
        "draft": make_collection(title="Not yet", published=False),
    }  # fmt: skip


def test_a_funder_sees_the_collections_they_may_read(client, collections):
    client.force_login(make_user(name="Frankie Funder"))
    html = client.get(ME).content.decode()
    assert "Collections for you" in html
    assert "haven't written a story" not in html
    assert '<a class="button" href="/stories/new/">' not in html
    assert html.index("For the Collective") < html.index("For everyone")
    assert "By link only" not in html and "Not yet" not in html
    collective = html[html.index("For the Collective") :]
    assert "2 stories" in collective[: collective.index("</article>")]
    assert collections["collective"].get_absolute_url() in html
    assert "can't follow a stream or a theme for you yet" in html
    assert reverse("feeds:stories") in html
    assert reverse("feeds:stream", args=["plan"]) in html
    assert "in no community" in html


def test_a_pending_account_sees_no_collections_for_members(client, collections):
    client.force_login(make_user(approved=False))
    html = client.get(ME).content.decode()
    assert "waiting for approval" in html
    assert "Collections for you" not in html and "For the Collective" not in html


def test_someone_with_stories_sees_their_stories_not_the_collections(
    client, author, community, collections
):
    make_story(status="draft", community=community).authors.add(author)
    client.force_login(author)
    html = client.get(ME).content.decode()
    assert "Stories I'm writing or wrote" in html and "Collections for you" not in html


def test_the_core_team_in_no_community_reads_no_drafts_there(client, collections):
    client.force_login(make_core())
    html = client.get(ME).content.decode()
    assert "For the Collective" in html and "Not yet" not in html
    assert "By link only" not in html  # never listed, even to the core team


def test_a_funders_me_has_a_query_budget(
    client, collections, django_assert_max_num_queries
):
    for number in range(8):
        make_collection(title=f"More {number}", visibility="collective",
                        stories=[make_story()])  # fmt: skip
    client.force_login(make_user())
    with django_assert_max_num_queries(9):
        response = client.get(ME)
    assert response.text.count('class="collection-summary"') == 10
