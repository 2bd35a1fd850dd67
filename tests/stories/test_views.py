import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from common.cache import library_changed
from stories.models import Status, Story, Visibility
from stories.workflow import story_transition
from tests.conftest import count_h1
from tests.factories import (
    make_community,
    make_core,
    make_image,
    make_member,
    make_story,
)

pytestmark = pytest.mark.django_db

BROWSE = reverse("stories:list")


def titles(response):
    return [story.title for story in response.context["page_obj"].object_list]


# Browse ----------------------------------------------------------------------


def test_browse_lists_published_public_stories_newest_first(client):
    older = make_story(title="Older")
    newer = make_story(title="Newer")
    newer.published_at = older.published_at.replace(year=older.published_at.year + 1)
    newer.save()
    response = client.get(BROWSE)
    assert response.status_code == 200
    assert titles(response) == ["Newer", "Older"]
    assert count_h1(response) == 1
    assert b"2 stories" in response.content


def test_browse_filters_combine(client):
    wa = make_community(state="WA", slug="perth-hills", name="Perth Hills")
    vic = make_community(state="VIC", slug="geelong", name="Geelong")
    make_story(
        title="WA plan 2023",
        community=wa,
        streams=["plan"],
        year=2023,
        tags=["peer support"],
    )
    make_story(
        title="WA learn 2023",
        community=wa,
        streams=["learn", "plan"],
        year=2023,
        tags=["Peer Support", "data"],
    )
    make_story(title="WA plan 2021", community=wa, streams=["plan"], year=2021)
    make_story(
        title="VIC plan 2023",
        community=vic,
        streams=["plan"],
        year=2023,
        tags=["peer support"],
    )

    def browse(**params):
        response = client.get(BROWSE, params)
        assert response.status_code == 200, response.context["form"].errors
        return sorted(titles(response))

    assert browse(stream="plan") == [
        "VIC plan 2023",
        "WA learn 2023",
        "WA plan 2021",
        "WA plan 2023",
    ]
    assert browse(stream="learn") == ["WA learn 2023"]
    assert browse(state="WA", year="2023") == ["WA learn 2023", "WA plan 2023"]
    assert browse(community="geelong") == ["VIC plan 2023"]
    assert browse(tag="peer-support", state="WA") == ["WA learn 2023", "WA plan 2023"]
    everything = {"tag": "peer-support", "year": "2023", "community": "perth-hills"}
    assert browse(stream="plan", **everything) == ["WA learn 2023", "WA plan 2023"]
    assert browse(stream="evaluate") == []


def test_tags_are_case_insensitive(client):
    make_story(tags=["Peer Support"])
    make_story(tags=["peer support"])
    response = client.get(BROWSE, {"tag": "peer-support"})
    assert len(titles(response)) == 2


def test_active_filters_are_shown_and_removable(client):
    community = make_community(state="QLD", slug="logan", name="Logan Together")
    make_story(community=community, streams=["monitor"], year=2024)
    response = client.get(BROWSE, {"stream": "monitor", "state": "QLD", "page": "1"})
    html = response.content.decode()
    assert "Stream: Monitor" in html
    assert "State or territory: Queensland" in html
    # each chip links to the same page without that one filter (and page)
    assert 'href="/stories/?state=QLD"' in html
    assert 'href="/stories/?stream=monitor"' in html


def test_empty_result_says_so_and_how_to_widen(client):
    make_story(streams=["plan"], year=2020)
    response = client.get(BROWSE, {"stream": "plan", "year": "2020", "state": "TAS"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "No stories match all of these filters" in html
    assert "0 stories" in html
    # the one filter to drop is named, with what dropping it gives; the
    # others, which give nothing either, are not suggested
    suggestions = html.split('id="suggestions-label"', 1)[1].split("</ul>", 1)[0]
    assert 'href="/stories/?stream=plan&amp;year=2020">' in suggestions
    assert "Without state or territory Tasmania</a>: 1 story" in suggestions
    assert suggestions.count("<li>") == 1


def test_pagination_is_twenty_a_page(client):
    for _ in range(45):
        make_story()
    first = client.get(BROWSE)
    assert len(titles(first)) == 20
    assert first.context["page_obj"].paginator.num_pages == 3
    assert 'rel="next" href="?page=2"' in first.content.decode()
    last = client.get(BROWSE, {"page": "3"})
    assert len(titles(last)) == 5


def test_pagination_keeps_the_filters(client):
    for _ in range(21):
        make_story(streams=["learn"])
    html = client.get(BROWSE, {"stream": "learn"}).content.decode()
    assert 'href="?stream=learn&amp;page=2"' in html


@pytest.mark.parametrize(
    "params",
    [
        {"page": "abc"},
        {"page": "99999"},
        {"page": "-1"},
        {"page": "0"},
        {"page": "1" * 500},
    ],
)
def test_malformed_page_numbers_answer_200(client, params):
    make_story()
    response = client.get(BROWSE, params)
    assert response.status_code == 200
    assert len(titles(response)) == 1


@pytest.mark.parametrize(
    "field, value",
    [
        ("stream", "nope"),
        ("community", "no-such-place"),
        ("state", "XYZ"),
        ("tag", "never-used"),
        ("year", "-1"),
        ("year", "abc"),
        ("year", "1" * 5000),
        ("stream", "<script>alert(1)</script>"),
        ("community", "x" * 10000),
    ],
)
def test_bad_filter_values_get_a_message_beside_the_field_and_a_404(
    client, field, value
):
    make_story(year=2024)
    response = client.get(BROWSE, {field: value, "stream": "plan"} | {field: value})
    assert response.status_code == 404
    html = response.content.decode()
    assert f'id="id_{field}-error"' in html
    assert 'aria-invalid="true"' in html
    assert "Choose from the list" in html
    assert "<script>alert(1)" not in html
    assert titles(response) == []
    assert count_h1(response) == 1


def test_filter_choices_come_from_visible_stories_only(client):
    make_story(tags=["public tag"], year=2022)
    make_story(tags=["secret tag"], year=2019, visibility=Visibility.COLLECTIVE)
    make_story(tags=["draft tag"], year=2018, status=Status.DRAFT)
    html = client.get(BROWSE).content.decode()
    assert "public tag" in html
    assert "secret tag" not in html and "draft tag" not in html
    assert ">2022<" in html and ">2019<" not in html and ">2018<" not in html


# Story page -------------------------------------------------------------------


def test_story_page_shows_the_story(client):
    community = make_community(name="Harbour Hills", state="WA")
    story = make_story(
        title="Drawing our hopes",
        summary="A graphic recorder drew the community's aspirations.",
        body="## What happened\n\nWe **met**. <script>alert('x')</script>",
        community=community,
        streams=["communicate", "plan"],
        tags=["graphic recording"],
        storytellers="Aunty June and a parent (anonymous)",
        what_worked="The picture stayed *up*.",
        what_didnt="Some people missed the day.",
        conditions="A trusted venue.",
        year=2024,
    )
    make_image(story, alt_text="A drawn mural of hopes", credit="Drawn by Sam")
    make_image(story, cover=False, alt_text="The crowd", credit="Photo: Lee")
    response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert count_h1(response) == 1
    assert "<h1>Drawing our hopes</h1>" in html
    assert "A graphic recorder drew the community&#x27;s aspirations." in html
    assert "<strong>met</strong>" in html
    assert "&lt;script&gt;" in html and "<script>alert" not in html
    assert "<h2>What happened</h2>" in html
    article = html[html.index('<article class="story">') :]
    assert article.index(">Communicate<") < article.index(">Plan<")  # primary first
    assert "(primary stream)" in html
    assert 'href="/tags/graphic-recording/"' in html
    assert "Harbour Hills" in html and "Western Australia" in html
    assert "Aunty June and a parent (anonymous)" in html
    assert "<em>up</em>" in html and "Some people missed the day." in html
    assert "A trusted venue." in html
    assert 'alt="A drawn mural of hopes"' in html and "Drawn by Sam" in html
    assert 'alt="The crowd"' in html and "Photo: Lee" in html
    assert 'width="32" height="18"' in html


def test_story_page_marks_demo_content(client):
    story = make_story(is_demo=True)
    assert b"Demo story" in client.get(story.get_absolute_url()).content


def test_unknown_story_is_a_friendly_404(client):
    response = client.get(reverse("stories:detail", args=["no-such-story"]))
    assert response.status_code == 404
    assert b"We couldn't find that page" in response.content
    assert count_h1(response) == 1


def test_related_stories_share_streams_or_tags_and_are_visible(client):
    story = make_story(streams=["learn"], tags=["yarning"])
    by_tag = make_story(title="Shares a tag", streams=["plan"], tags=["yarning"])
    by_stream = make_story(title="Shares a stream", streams=["learn"])
    make_story(title="Shares nothing", streams=["monitor"], tags=["other"])
    make_story(title="Hidden draft", streams=["learn"], status=Status.DRAFT)
    make_story(
        title="Hidden collective", streams=["learn"], visibility=Visibility.COLLECTIVE
    )
    response = client.get(story.get_absolute_url())
    related = [s.title for s in response.context["related"]]
    assert related == [by_tag.title, by_stream.title]


def test_collective_only_story_is_readable_by_an_approved_member(member_client):
    story = make_story(visibility=Visibility.COLLECTIVE)
    response = member_client.get(story.get_absolute_url())
    assert response.status_code == 200
    assert b"Collective only" in response.content


# Stream and tag pages -----------------------------------------------------------


def test_stream_page_shows_its_description_and_stories(client):
    make_story(title="In plan", streams=["learn", "plan"])
    make_story(title="Not in plan", streams=["learn"])
    response = client.get(reverse("stories:stream", args=["plan"]))
    assert response.status_code == 200
    assert titles(response) == ["In plan"]
    html = response.content.decode()
    assert "<h1>Plan</h1>" in html
    assert "Set shared goals, priorities and strategy" in html
    assert count_h1(response) == 1


def test_unknown_stream_is_404(client):
    assert client.get(reverse("stories:stream", args=["nope"])).status_code == 404


def test_tag_page_lists_visible_stories_with_the_tag(client):
    make_story(title="Tagged", tags=["parent cafe"])
    make_story(title="Untagged")
    response = client.get(reverse("stories:tag", args=["parent-cafe"]))
    assert response.status_code == 200
    assert titles(response) == ["Tagged"]
    assert count_h1(response) == 1


def test_tag_used_only_by_hidden_stories_is_404(member_client):
    make_story(tags=["secret"], visibility=Visibility.COLLECTIVE)
    url = reverse("stories:tag", args=["secret"])
    assert Client().get(url).status_code == 404
    assert member_client.get(url).status_code == 200
    assert Client().get(reverse("stories:tag", args=["never"])).status_code == 404


# Images -----------------------------------------------------------------------


def test_images_of_public_stories_are_served(client):
    image = make_image(make_story())
    response = client.get(image.image.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert "public" in response["Cache-Control"]


def test_images_of_collective_stories_need_a_member(member_client):
    image = make_image(make_story(visibility=Visibility.COLLECTIVE))
    assert Client().get(image.image.url).status_code == 404
    response = member_client.get(image.image.url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_image_names_are_server_made():
    image = make_image(make_story())
    name = image.image.name
    assert name.startswith("stories/") and name.endswith(".png")
    assert "picture" not in name


def test_unknown_or_traversing_media_paths_are_404(client):
    for path in [
        "/media/stories/none.png",
        "/media/../p2s/settings/base.py",
        "/media/%2e%2e/manage.py",
    ]:
        assert client.get(path).status_code == 404


# Methods ----------------------------------------------------------------------


@pytest.mark.parametrize("url", [BROWSE, "/", "/streams/plan/", "/communities/"])
def test_pages_refuse_writes(client, url):
    assert client.post(url).status_code == 405


def test_renditions_are_served_with_the_same_check(member_client):
    public = make_image(make_story())
    hidden = make_image(make_story(visibility=Visibility.COLLECTIVE))
    for kind in ["card", "page", "social"]:
        assert Client().get(getattr(public, kind)["url"]).status_code == 200
        assert Client().get(getattr(hidden, kind)["url"]).status_code == 404
        assert member_client.get(getattr(hidden, kind)["url"]).status_code == 200


@pytest.mark.parametrize("url", ["/stories/", "/streams/plan/", "/tags/shared/"])
def test_every_page_of_a_list_holds_the_next_stories_latest_first(
    client, url, monkeypatch
):
    """Pages are read ids first (stories/paging.py): each story once, in
    order, and a hidden one never, on the last page as on the first."""
    monkeypatch.setattr("stories.selectors.PAGE_SIZE", 3)
    for n in range(8):
        make_story(title=f"Listed {n}", streams=["plan"], tags=["shared"])
    make_story(
        title="Hidden",
        streams=["plan"],
        tags=["shared"],
        visibility=Visibility.COLLECTIVE,
    )
    titles = []
    for page in (1, 2, 3):
        response = client.get(url, {"page": page})
        assert response.status_code == 200
        titles += [story.title for story in response.context["page_obj"]]
    assert titles == [f"Listed {n}" for n in reversed(range(8))]


@pytest.mark.parametrize("url", ["/stories/", "/streams/plan/", "/tags/shared/"])
def test_a_card_list_is_drawn_once_per_visibility_class(client, committed, url):
    """The cards of a page are kept per visibility class, address and library
    version (stories/paging.py): a member's next visit reads no story, a
    visitor never gets the member's cards, and a write shows at once."""

    make_story(title="Open plan", streams=["plan"], tags=["shared"])
    make_story(
        title="Inner plan",
        streams=["plan"],
        tags=["shared"],
        visibility=Visibility.COLLECTIVE,
    )
    member = Client()
    member.force_login(make_member(make_community()))
    assert "Inner plan" in member.get(url).content.decode()
    with CaptureQueriesContext(connection) as captured:
        html = member.get(url).content.decode()
    assert "Inner plan" in html and "Sign out" in html
    assert not [q for q in captured if 'FROM "stories_story"' in q["sql"]]
    # a visitor holding a cookie gets a page drawn afresh, with public cards
    client.cookies["sessionid"] = "none"
    html = client.get(url).content.decode()
    assert "Open plan" in html and "Inner plan" not in html
    later = make_story(
        title="Later plan", streams=["plan"], tags=["shared"], status=Status.APPROVED
    )

    with committed():
        story_transition(story=later, actor=make_core(), action="publish")
    assert "Later plan" in member.get(url).content.decode()


def test_a_story_page_draws_the_storys_own_parts_once(client, committed):
    """Its text, images, tags, streams and related stories are kept per
    visibility class and library version; the reader's own parts are not."""
    story = make_story(title="Open plan", streams=["plan"], tags=["shared"])
    make_image(story, alt_text="Elders at the table")
    make_story(
        title="Inner plan",
        streams=["plan"],
        tags=["shared"],
        visibility=Visibility.COLLECTIVE,
    )
    url = story.get_absolute_url()
    member = Client()
    member.force_login(make_member(make_community()))
    member.get(url)
    with CaptureQueriesContext(connection) as captured:
        again = member.get(url).content.decode()
    for part in ("Elders at the table", "shared", "Inner plan", "Sign out"):
        assert part in again, part
    read = " ".join(q["sql"] for q in captured)
    for table in ("stories_storyimage", "taggit_tag", "stories_storystream"):
        assert table not in read, table
    # a visitor drawn afresh (holding a cookie) never sees the member's parts
    client.cookies["sessionid"] = "none"
    html = client.get(url).content.decode()
    assert "Elders at the table" in html and "Inner plan" not in html
    # an edit shows at once
    with committed():
        Story.objects.filter(pk=story.pk).update(body="A **new** telling.")
        library_changed()  # as every service that edits does
    assert "<strong>new</strong>" in member.get(url).content.decode()


def test_an_edit_landing_while_a_story_page_is_drawn_shows_on_the_next_request(
    client, committed, monkeypatch
):
    """The page's kept parts are filed under the version read before the
    story: an edit committed after the row was read leaves them stale, never
    kept as current."""
    import stories.views as views

    story = make_story(title="Open plan", body="The old telling.")
    real = views.render

    def edit_then_render(request, template, context, **kwargs):
        if "old" in context["story"].body:  # another reader's edit lands just now
            with committed():
                Story.objects.filter(pk=story.pk).update(body="The new telling.")
                library_changed()
        return real(request, template, context, **kwargs)

    monkeypatch.setattr(views, "render", edit_then_render)
    client.cookies["sessionid"] = "none"  # drawn by the view every time
    assert "The old telling." in client.get(story.get_absolute_url()).content.decode()
    html = client.get(story.get_absolute_url()).content.decode()
    assert "The new telling." in html and "The old telling." not in html
    assert "The new telling." in Client().get(story.get_absolute_url()).content.decode()
