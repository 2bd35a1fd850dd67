"""Hidden stories never show: not in a list, a count, a related list or by URL."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from stories.models import Status, Story, Visibility
from tests.factories import HIDDEN_STATUSES, make_community, make_image, make_story

pytestmark = pytest.mark.django_db

SECRET = "Zanzibar secret story"


def pages(story):
    return [
        "/",
        reverse("stories:list"),
        reverse("stories:list") + "?stream=evaluate",
        reverse("stories:stream", args=["evaluate"]),
        reverse("communities:list"),
        story.community.get_absolute_url(),
    ]


def check_hidden(client, story, visible_neighbour):
    for url in pages(story):
        response = client.get(url)
        assert response.status_code == 200, url
        assert SECRET not in response.content.decode(), url
    assert client.get(story.get_absolute_url()).status_code == 404
    image = story.images.first()
    assert client.get(image.image.url).status_code == 404
    neighbour = client.get(visible_neighbour.get_absolute_url())
    assert SECRET not in neighbour.content.decode()
    assert client.get(reverse("stories:tag", args=["hidden-only"])).status_code == 404
    cache.clear()  # the pages above were kept for visitors; read their context
    home = client.get("/")
    evaluate = next(s for s in home.context["streams"] if s.slug == "evaluate")
    assert evaluate.story_count == 1  # only the visible neighbour
    assert home.context["story_total"] == 1
    communities = client.get(reverse("communities:list")).context["by_state"]
    counts = {c.slug: c.story_count for group in communities.values() for c in group}
    assert counts[story.community.slug] == 0


def hidden_story(**fields):
    story = make_story(
        title=SECRET,
        summary=SECRET,
        streams=["evaluate"],
        tags=["shared", "hidden-only"],
        community=make_community(state="TAS"),
        **fields,
    )
    make_image(story)
    return story


@pytest.mark.parametrize("status", HIDDEN_STATUSES)
@pytest.mark.parametrize("viewer", ["anonymous", "pending", "member"])
def test_unpublished_stories_are_hidden_from_everyone(
    client, status, viewer, member, pending
):
    if viewer == "member":
        client.force_login(member)
    elif viewer == "pending":
        client.force_login(pending)
    story = hidden_story(status=status)
    neighbour = make_story(streams=["evaluate"], tags=["shared"])
    check_hidden(client, story, neighbour)


@pytest.mark.parametrize("viewer", ["anonymous", "pending", "inactive"])
def test_collective_only_stories_are_hidden_from_non_members(
    client, viewer, pending, member
):
    if viewer == "pending":
        client.force_login(pending)
    elif viewer == "inactive":
        member.is_active = False
        member.save()
        client.force_login(member)
    story = hidden_story(visibility=Visibility.COLLECTIVE)
    neighbour = make_story(streams=["evaluate"], tags=["shared"])
    check_hidden(client, story, neighbour)


def test_visible_to_is_the_rule():
    public = make_story()
    collective = make_story(visibility=Visibility.COLLECTIVE)
    make_story(status=Status.APPROVED)
    from django.contrib.auth.models import AnonymousUser

    from tests.factories import make_user

    assert set(Story.objects.visible_to(AnonymousUser())) == {public}
    assert set(Story.objects.visible_to(None)) == {public}
    assert set(Story.objects.visible_to(make_user(approved=False))) == {public}
    assert set(Story.objects.visible_to(make_user(approved=True))) == {
        public,
        collective,
    }


def test_a_collective_story_kept_for_members_is_never_served_to_another_class():
    """The story page keeps a story per visibility class: what members read
    stays theirs, whoever asks next, and whatever the cache holds."""
    from django.test import Client

    from tests.factories import make_member

    community = make_community()
    story = make_story(
        visibility=Visibility.COLLECTIVE, community=community, title=SECRET
    )
    member, pending = Client(), Client()
    member.force_login(make_member(community))
    pending.force_login(make_member(community, approved=False))
    url = story.get_absolute_url()
    assert SECRET in member.get(url).content.decode()
    assert SECRET in member.get(url).content.decode()  # from what is kept
    for reader in (pending, Client()):
        response = reader.get(url)
        assert response.status_code == 404
        assert SECRET not in response.content.decode()


def test_an_unapproved_account_in_the_core_group_reads_as_the_public_does():
    """The core team is part of the Collective: put in the group before being
    approved, an account moderates nothing and sees no Collective-only story
    or collection, by URL or on the home page kept for the public."""
    from django.contrib.auth.models import Group
    from django.test import Client

    from communities.models import CORE_TEAM
    from tests.factories import make_collection, make_user

    story = make_story(visibility=Visibility.COLLECTIVE, title=SECRET)
    make_collection(stories=[story], visibility="collective", title="Secret circle")
    account = make_user(approved=False)
    account.groups.add(Group.objects.get_or_create(name=CORE_TEAM)[0])
    assert not account.is_core_team
    reader = Client()
    reader.force_login(account)
    assert reader.get(story.get_absolute_url()).status_code == 404
    assert reader.get(reverse("moderation:queue")).status_code == 403
    for who in (reader, Client()):  # the first keeps home for the public
        html = who.get("/").content.decode()
        assert SECRET not in html and "Secret circle" not in html


def test_a_community_of_practice_never_shows_outside_its_own_pages(client):
    """A space is named only to approved members, on its own pages, and its
    members and sessions only to its members and the core team: nothing of
    it shows on the library's pages, machines' files or to anyone not
    approved."""
    from django.test import Client
    from django.utils import timezone

    from spaces.models import Session, Space, SpaceMember
    from tests.factories import make_user

    space = Space.objects.create(name="Kestrel practice", slug="kestrel", purpose="P")
    SpaceMember.objects.create(space=space, user=make_user(name="Quill Insider"))
    session = Session.objects.create(
        space=space,
        title="Kestrel yarning",
        starts_at=timezone.now(),
        video_link="https://meet.example.org/quill-secret",
        notes="Quill Insider's notes",
    )
    from framework.models import Stream
    from spaces.models import Resource
    from tests.factories import ensure_streams

    ensure_streams()
    resource = Resource.objects.create(
        space=space,
        title="Kestrel budget brief",
        stream=Stream.objects.get(slug="plan"),
        link="https://example.org/quill-secret-brief",
    )
    resource.tags.add("kestrel-tag")
    pending = Client()
    pending.force_login(make_user(approved=False))
    outsider = Client()
    outsider.force_login(make_user())
    urls = ["/", "/stories/", "/stories/?q=kestrel", "/sitemap.xml", "/robots.txt"]
    urls += ["/feeds/stories/", reverse("communities:list"), "/themes/", "/me/"]
    for reader in [client, pending, outsider]:
        for url in urls:
            response = reader.get(url)
            # /me/ sends a visitor to sign in
            assert response.status_code == (
                302 if url == "/me/" and reader is client else 200
            ), url
            body = response.content.decode()
            assert "Kestrel" not in body and "Quill Insider" not in body, url
    assert pending.get(space.get_absolute_url()).status_code == 404
    assert client.get(space.get_absolute_url()).status_code == 302  # to sign in
    shown = outsider.get(space.get_absolute_url()).content.decode()
    assert "Kestrel practice" in shown and "Quill Insider" not in shown
    assert "yarning" not in shown and "quill-secret" not in shown
    assert "budget brief" not in shown
    sessions = [session.get_absolute_url(), f"{session.get_absolute_url()}calendar.ics"]
    sessions += ["/practice/kestrel/sessions/", "/practice/kestrel/calendar.ics"]
    for url in sessions:
        assert outsider.get(url).status_code == 404, url
        assert pending.get(url).status_code == 404, url
        assert client.get(url).status_code == 302, url  # to sign in
