import pytest
from django.db import IntegrityError
from django.urls import reverse

from communities.models import Community
from tests.conftest import count_h1
from tests.factories import make_community, make_story

pytestmark = pytest.mark.django_db


def test_communities_are_listed_by_state_with_visible_counts(client):
    wa = make_community(name="Harbour Hills", state="WA")
    london = make_community(name="London Learning", state="OS")
    make_story(community=wa)
    make_story(community=wa, visibility="collective")
    response = client.get(reverse("communities:list"))
    assert response.status_code == 200
    assert count_h1(response) == 1
    groups = response.context["by_state"]
    assert list(groups) == ["Western Australia", "Outside Australia"]
    assert groups["Western Australia"][0].story_count == 1
    assert groups["Outside Australia"][0] == london
    assert b"1 story" in response.content


def test_community_page_shows_its_visible_stories(client):
    community = make_community(
        name="Geelong Learning Network",
        state="VIC",
        backbone_organisation="The LLEN",
        website="https://example.org/llen",
        description="Young people and schools.",
    )
    make_story(title="Ours", community=community)
    make_story(title="Draft", community=community, status="draft")
    make_story(title="Someone else's")
    response = client.get(community.get_absolute_url())
    assert response.status_code == 200
    assert count_h1(response) == 1
    assert [s.title for s in response.context["page_obj"].object_list] == ["Ours"]
    html = response.content.decode()
    assert "The LLEN" in html and "https://example.org/llen" in html
    assert "Victoria" in html


def test_unknown_community_is_404(client):
    response = client.get(reverse("communities:detail", args=["nowhere"]))
    assert response.status_code == 404


def test_the_database_refuses_an_unknown_state():
    with pytest.raises(IntegrityError):
        Community.objects.create(name="X", slug="x", state="ZZ", place="Y")
