"""Who is offered "Share a story": only who may write one (User.may_share_stories,
the rule /stories/new/ applies too), an approved member with a place in a
community. A funder (approved, in no community) reads the library but is not
offered the link; opening /stories/new/ anyway gives a 403 that says why and
where to find a community."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from communities.models import JoinRequest
from stories.models import PendingUpload, Story
from tests.factories import make_core, make_user, png_bytes, story_data
from tests.stories.test_story_page_codification import Links

pytestmark = pytest.mark.django_db
NEW = reverse("stories:new")
SHARE = "Share a story"


def share_links(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return [
        href
        for href, text in Links(response.content.decode()).links
        if text.strip() == SHARE
    ]


@pytest.fixture
def funder(db):
    return make_user(approved=True, name="Frankie Funder")


def test_a_funder_is_not_offered_share_a_story(client, funder):
    client.force_login(funder)
    for url in ["/", reverse("me"), reverse("stories:list")]:
        assert share_links(client, url) == [], url


def test_a_community_member_is_offered_it_in_the_header_and_on_their_pages(
    client, author, community
):
    client.force_login(author)
    assert share_links(client, "/") == [NEW]  # the header
    assert share_links(client, reverse("me")) == [NEW, NEW]  # and their stories
    assert share_links(client, community.get_absolute_url()) == [NEW, NEW]


def test_the_core_team_is_offered_it_only_with_a_community(client, community):
    core = make_core()
    client.force_login(core)
    assert share_links(client, "/") == []
    core.memberships.create(community=community)
    assert share_links(client, "/") == [NEW]


def test_a_funder_opening_the_form_is_told_to_join_a_community(client, funder):
    client.force_login(funder)
    response = client.get(NEW)
    assert response.status_code == 403
    html = response.content.decode()
    links = Links(html)
    assert "<h1>Join a community to share a story</h1>" in html
    assert "you need to belong to a community" in html
    assert links.href("Find your community") == reverse("communities:list")
    assert SHARE not in [text.strip() for _, text in links.links]
    assert "You've asked to join" not in html


def test_a_funders_post_is_refused_the_same_way_and_keeps_nothing(
    client, funder, community
):
    client.force_login(funder)
    data = story_data(community, action="submit", consent="on")
    data["cover_image"] = SimpleUploadedFile(
        "cover.png", png_bytes(), content_type="image/png"
    )
    data["cover_alt"], data["cover_credit"] = "A blue square", "Photo: Frankie"
    response = client.post(NEW, data)
    assert response.status_code == 403
    assert "Join a community to share a story" in response.content.decode()
    assert Story.objects.count() == 0
    assert PendingUpload.objects.count() == 0  # the image wasn't kept either


def test_a_funder_who_asked_to_join_is_reminded_of_the_request(
    client, funder, community
):
    JoinRequest.objects.create(user=funder, community=community)
    client.force_login(funder)
    response = client.get(NEW)
    assert response.status_code == 403
    assert "You've asked to join Harbour Hills." in response.content.decode()


def test_a_pending_account_is_still_told_it_waits_for_approval(client, community):
    client.force_login(make_user(approved=False))
    response = client.get(NEW)
    assert response.status_code == 403
    assert "waiting for approval" in response.content.decode()
    assert share_links(client, "/") == []
