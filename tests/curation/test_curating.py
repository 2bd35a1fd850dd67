"""The core team curates collections with plain forms: who may (and who may
not, on GET and POST alike), what the database holds after each action, and
bad input coming back beside its field."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from curation import services
from curation.models import Action, Collection, CollectionItem, Visibility
from stories.models import Status, Story
from tests.conftest import count_h1
from tests.factories import make_collection, make_story, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(core):
    return make_collection(title="For funders", slug="for-funders", published=False,
                           curator=core)  # fmt: skip


@pytest.fixture
def stocked(draft):
    """The draft with three published stories, A, B and C in that order."""
    for title in "ABC":
        story = make_story(title=f"Story {title}", slug=f"story-{title.lower()}")
        services.collection_add(
            collection=draft, story=story, actor=draft.curator, note=f"Note {title}"
        )
    return draft


def url(name, collection, *args):
    return reverse(f"collections:{name}", args=[collection.slug, *args])


def visitor_status(address):
    """What a fresh, signed-out browser gets at `address`."""
    return Client().get(address).status_code


def html_of(response):
    return response.content.decode()


def order(collection):
    return list(
        collection.items.order_by("position").values_list("story__title", flat=True)
    )


def actions(collection):
    return list(collection.events.order_by("pk").values_list("action", flat=True))


def details(**overrides):
    data = {
        "title": "Patient funding",
        "slug": "patient-funding",
        "introduction": "Stories for **funders**.",
        "visibility": "public",
    }
    data.update(overrides)
    return data


# Who may curate ------------------------------------------------------------------


def curating_urls(collection, item):
    """Every curating address, with the method it takes."""
    return [
        ("get", reverse("collections:new")),
        ("post", reverse("collections:new")),
        ("get", url("edit", collection)),
        ("post", url("edit", collection)),
        ("post", url("add", collection)),
        ("post", url("remove", collection, item.pk)),
        ("post", url("move", collection, item.pk, "up")),
        ("post", url("note", collection, item.pk)),
        ("post", url("publish", collection)),
        ("post", url("unpublish", collection)),
        ("post", url("link-regenerate", collection)),
        ("post", url("link-revoke", collection)),
        ("get", reverse("collections:add-from-story", args=[item.story.slug])),
        ("post", reverse("collections:add-from-story", args=[item.story.slug])),
    ]


def test_visitors_are_sent_to_sign_in_for_every_curating_action(client, stocked):
    item = stocked.items.first()
    for method, address in curating_urls(stocked, item):
        response = getattr(client, method)(address, {"note": "x", "story": "x"})
        assert response.status_code == 302, (method, address)
        assert response["Location"].startswith("/accounts/login/"), address
    assert actions(stocked).count(Action.REMOVED) == 0
    assert stocked.items.count() == 3


@pytest.mark.parametrize("approved", [True, False])
def test_members_and_pending_accounts_are_refused_every_curating_action(
    client, stocked, author, approved
):
    client.force_login(author if approved else make_user(approved=False))
    item = stocked.items.first()
    before = actions(stocked)
    for method, address in curating_urls(stocked, item):
        response = getattr(client, method)(address, {"note": "x", "story": "x"})
        assert response.status_code == 403, (method, address)
        assert count_h1(response) == 1
    assert actions(stocked) == before
    stocked.refresh_from_db()
    assert stocked.published_at is None and stocked.items.count() == 3


def test_refused_even_for_a_collection_that_does_not_exist(client, author):
    client.force_login(author)
    assert client.post("/collections/nope/publish/").status_code == 403
    assert client.get("/collections/nope/edit/").status_code == 403


def test_the_services_refuse_anyone_outside_the_core_team(stocked, author):
    item = stocked.items.first()
    story = make_story()
    calls = [
        lambda: services.collection_create(actor=author, data=details()),
        lambda: services.collection_update(
            collection=stocked, actor=author, data=details()
        ),
        lambda: services.collection_add(collection=stocked, story=story, actor=author),
        lambda: services.collection_remove(item=item, actor=author),
        lambda: services.collection_move(item=item, actor=author, direction="down"),
        lambda: services.collection_annotate(item=item, actor=author, note="x"),
        lambda: services.collection_publish(collection=stocked, actor=author),
        lambda: services.collection_unpublish(collection=stocked, actor=author),
        lambda: services.collection_regenerate_link(collection=stocked, actor=author),
        lambda: services.collection_revoke_link(collection=stocked, actor=author),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()


def test_unknown_collections_and_items_are_404_for_the_core_team(core_client, stocked):
    other = make_collection(stories=[make_story()])
    foreign = other.items.get()
    assert core_client.get("/collections/nope/edit/").status_code == 404
    assert core_client.post("/collections/nope/publish/").status_code == 404
    assert core_client.post(url("remove", stocked, foreign.pk)).status_code == 404
    assert core_client.post(url("move", stocked, foreign.pk, "up")).status_code == 404
    item = stocked.items.first()
    assert (
        core_client.post(url("move", stocked, item.pk, "sideways")).status_code == 404
    )
    assert core_client.get(url("publish", stocked)).status_code == 405
    assert other.items.count() == 1


# Making and editing ------------------------------------------------------------


def test_the_core_team_makes_a_draft_collection(core_client, core):
    page = core_client.get(reverse("collections:new"))
    assert page.status_code == 200 and count_h1(page) == 1
    response = core_client.post(reverse("collections:new"), details())
    collection = Collection.objects.get()
    assert response.status_code == 302
    assert response["Location"] == collection.get_curate_url()
    assert (collection.title, collection.slug) == ("Patient funding", "patient-funding")
    assert collection.curator == core and collection.published_at is None
    assert collection.share_token is None
    assert actions(collection) == [Action.CREATED]
    page = core_client.get(response["Location"])
    assert "is made, as a draft" in html_of(page) and count_h1(page) == 1


def test_an_empty_address_is_made_from_the_title(core_client):
    core_client.post(
        reverse("collections:new"), details(title="Why it worked!", slug="")
    )
    assert Collection.objects.get().slug == "why-it-worked"


def test_a_link_only_collection_gets_its_share_link_at_once(core_client):
    core_client.post(reverse("collections:new"), details(visibility="link"))
    collection = Collection.objects.get()
    assert len(collection.share_token) >= 43
    assert actions(collection) == [Action.CREATED, Action.LINK_MADE]
    html = html_of(core_client.get(collection.get_curate_url()))
    assert f"http://testserver/collections/shared/{collection.share_token}/" in html


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": ""}, "title", "Give the collection a title."),
        ({"slug": "new"}, "slug", "“new” is taken by the site"),
        ({"slug": "shared"}, "slug", "“shared” is taken by the site"),
        ({"slug": "taken"}, "slug", "Another collection has this address"),
        ({"slug": "no spaces!"}, "slug", "Enter a valid “slug”"),
        ({"introduction": ""}, "introduction", "Write a few lines to introduce it."),
        ({"introduction": "[" * 1001}, "introduction", "Use at most 1000 square"),
        ({"visibility": "secret"}, "visibility", "Choose one of the options listed."),
        ({"title": "x" * 151}, "title", "at most 150 characters"),
    ],
)
def test_bad_details_come_back_beside_their_field(
    core_client, overrides, field, message
):
    make_collection(slug="taken")
    data = details(**{"title": "Kept title <b>", **overrides})
    response = core_client.post(reverse("collections:new"), data)
    assert response.status_code == 400
    html = html_of(response)
    assert message in html
    assert f'href="#id_{field}' in html  # the summary leads to the field
    assert response.context["form"].errors[field]
    if "title" not in overrides:
        assert 'value="Kept title &lt;b&gt;"' in html  # what was typed is kept
    assert Collection.objects.count() == 1


def test_the_core_team_edits_the_details(core_client, stocked):
    response = core_client.post(
        url("edit", stocked), details(title="New title", slug="new-address")
    )
    stocked.refresh_from_db()
    assert response["Location"] == "/collections/new-address/edit/"
    assert (stocked.title, stocked.slug) == ("New title", "new-address")
    assert stocked.introduction == "Stories for **funders**."
    assert actions(stocked)[-1] == Action.EDITED


def test_bad_details_on_the_curating_page_keep_the_page_as_saved(core_client, stocked):
    response = core_client.post(url("edit", stocked), details(title="", slug="new"))
    assert response.status_code == 400
    html = html_of(response)
    assert "Give the collection a title." in html and "is taken by the site" in html
    assert "<h1>Curate “For funders”</h1>" in html  # the saved title, not the typo
    stocked.refresh_from_db()
    assert stocked.title == "For funders"


def test_becoming_link_only_makes_a_link_and_leaving_it_revokes_it(
    core_client, stocked
):
    core_client.post(
        url("edit", stocked), details(slug=stocked.slug, visibility="link")
    )
    stocked.refresh_from_db()
    token = stocked.share_token
    assert token and actions(stocked)[-2:] == [Action.EDITED, Action.LINK_MADE]
    core_client.post(url("edit", stocked), details(slug=stocked.slug))
    stocked.refresh_from_db()
    assert stocked.visibility == Visibility.PUBLIC and stocked.share_token is None
    assert actions(stocked)[-2:] == [Action.EDITED, Action.LINK_REVOKED]
    assert core_client.get(f"/collections/shared/{token}/").status_code == 404


# Stories in a collection -----------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "story-d",
        "/stories/story-d/",
        "http://testserver/stories/story-d/",
        "https://library.example.org/stories/story-d/?utm=x#top",
        "  /stories/story-d  ",
    ],
)
def test_the_core_team_adds_a_story_by_its_address_or_slug(core_client, stocked, typed):
    story = make_story(title="Story D", slug="story-d", visibility="collective")
    response = core_client.post(url("add", stocked), {"story": typed, "note": "Why D"})
    assert response.status_code == 302
    assert response["Location"] == stocked.get_curate_url() + "#stories"
    assert order(stocked) == ["Story A", "Story B", "Story C", "Story D"]
    item = stocked.items.get(story=story)
    assert (item.position, item.note, item.added_by) == (3, "Why D", stocked.curator)
    assert actions(stocked)[-1] == Action.ADDED
    assert stocked.events.last().story_title == "Story D"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Paste a story&#x27;s address or type its slug."),
        ("no-such-story", "No story has this address or slug."),
        ("/themes/trust/", "No story has this address or slug."),
        ("/stories/new/", "No story has this address or slug."),
        ("javascript:alert(1)", "No story has this address or slug."),
        ("story-a", "“Story A” is already in this collection."),
        ("a-playgroup-bus", "Only published stories can be added"),
    ],
)
def test_a_story_that_cannot_be_added_comes_back_beside_the_field(
    core_client, stocked, draft_story, typed, message
):
    before = actions(stocked)
    response = core_client.post(
        url("add", stocked), {"story": typed, "note": "My note <kept>"}
    )
    assert response.status_code == 400
    html = html_of(response)
    assert message in html
    assert 'href="#id_story"' in html
    assert "My note &lt;kept&gt;</textarea>" in html
    assert order(stocked) == ["Story A", "Story B", "Story C"]
    assert actions(stocked) == before


@pytest.mark.parametrize("status", [s for s in Status.values if s != "published"])
def test_only_published_stories_can_be_added(stocked, status):
    story = make_story(status=status)
    with pytest.raises(services.CurationError):
        services.collection_add(collection=stocked, story=story, actor=stocked.curator)
    assert not stocked.items.filter(story=story).exists()


def test_the_core_team_removes_a_story(core_client, stocked):
    item = stocked.items.get(story__title="Story B")
    response = core_client.post(url("remove", stocked, item.pk))
    assert response.status_code == 302
    assert order(stocked) == ["Story A", "Story C"]
    assert list(stocked.items.values_list("position", flat=True)) == [0, 1]
    event = stocked.events.last()
    assert (event.action, event.story_title) == (Action.REMOVED, "Story B")
    assert "is removed" in html_of(core_client.get(response["Location"]))


def test_the_core_team_reorders_with_up_and_down(core_client, stocked):
    c = stocked.items.get(story__title="Story C")
    a = stocked.items.get(story__title="Story A")
    core_client.post(url("move", stocked, c.pk, "up"))
    assert order(stocked) == ["Story A", "Story C", "Story B"]
    response = core_client.post(url("move", stocked, a.pk, "down"))
    assert response["Location"] == stocked.get_curate_url() + f"#item-{a.pk}"
    assert order(stocked) == ["Story C", "Story A", "Story B"]
    assert actions(stocked)[-2:] == [Action.MOVED, Action.MOVED]
    before = actions(stocked)
    c.refresh_from_db()
    response = core_client.post(url("move", stocked, c.pk, "up"), follow=True)
    assert "is already first" in html_of(response)
    assert actions(stocked) == before


def test_the_curating_page_offers_up_and_down_where_they_make_sense(
    core_client, stocked
):
    response = core_client.get(stocked.get_curate_url())
    assert response.status_code == 200 and count_h1(response) == 1
    html = html_of(response)
    a, b, c = stocked.items.order_by("position")
    assert url("move", stocked, a.pk, "up") not in html
    assert url("move", stocked, a.pk, "down") in html
    assert url("move", stocked, b.pk, "up") in html
    assert url("move", stocked, c.pk, "down") not in html
    assert "Curator&#x27;s note on “Story B”" in html


def test_the_core_team_annotates_a_story(core_client, stocked):
    item = stocked.items.get(story__title="Story A")
    field = f"item-{item.pk}-note"
    response = core_client.post(url("note", stocked, item.pk), {field: "Read _first_."})
    assert response["Location"] == stocked.get_curate_url() + f"#item-{item.pk}"
    item.refresh_from_db()
    assert item.note == "Read _first_."
    assert actions(stocked)[-1] == Action.NOTED
    before = actions(stocked)
    core_client.post(url("note", stocked, item.pk), {field: "Read _first_."})
    assert actions(stocked) == before  # unchanged: nothing to record
    page = core_client.get(stocked.get_absolute_url())  # drafts: core team only
    assert "Read <em>first</em>." in html_of(page)


def test_a_bad_note_comes_back_beside_its_field(core_client, stocked):
    item = stocked.items.get(story__title="Story B")
    field = f"item-{item.pk}-note"
    for typed, message in [("x" * 2001, "at most 2000 characters"),
                           ("[" * 1001, "Use at most 1000 square")]:  # fmt: skip
        response = core_client.post(url("note", stocked, item.pk), {field: typed})
        assert response.status_code == 400
        html = html_of(response)
        assert message in html and f'href="#id_{field}"' in html
        assert typed[:50] in html
    item.refresh_from_db()
    assert item.note == "Note B"


def test_the_curating_page_flags_stories_hidden_from_readers(core_client, stocked):
    story = stocked.items.get(story__title="Story B").story
    story.status = Status.ARCHIVED
    story.save()
    html = html_of(core_client.get(stocked.get_curate_url()))
    assert "Archived: hidden from every reader" in html


# Publishing and the share link -----------------------------------------------


def test_the_core_team_publishes_and_unpublishes(core_client, stocked, committed):
    with committed():
        response = core_client.post(url("publish", stocked))
    assert response.status_code == 302
    stocked.refresh_from_db()
    published_at = stocked.published_at
    assert published_at is not None
    assert visitor_status(stocked.get_absolute_url()) == 200
    core_client.post(url("publish", stocked))  # a double click
    stocked.refresh_from_db()
    assert stocked.published_at == published_at
    assert actions(stocked).count(Action.PUBLISHED) == 1
    with committed():
        core_client.post(url("unpublish", stocked))
    stocked.refresh_from_db()
    assert stocked.published_at is None
    assert actions(stocked)[-1] == Action.UNPUBLISHED
    assert visitor_status(stocked.get_absolute_url()) == 404
    response = core_client.post(url("unpublish", stocked), follow=True)
    assert "already a draft" in html_of(response)


def test_regenerating_the_link_retires_the_old_one(core_client, stocked):
    core_client.post(
        url("edit", stocked), details(slug=stocked.slug, visibility="link")
    )
    core_client.post(url("publish", stocked))
    stocked.refresh_from_db()
    old = stocked.share_token
    assert visitor_status(f"/collections/shared/{old}/") == 200
    response = core_client.post(url("link-regenerate", stocked))
    assert response["Location"] == stocked.get_curate_url() + "#sharing"
    stocked.refresh_from_db()
    new = stocked.share_token
    assert new != old and len(new) >= 43
    assert visitor_status(f"/collections/shared/{old}/") == 404
    assert visitor_status(f"/collections/shared/{old}/print/") == 404
    assert visitor_status(f"/collections/shared/{new}/") == 200
    assert visitor_status(f"/collections/shared/{new}/print/") == 200
    assert actions(stocked)[-1] == Action.LINK_REGENERATED


def test_revoking_the_link_makes_it_404_until_a_new_one_is_made(core_client, stocked):
    core_client.post(
        url("edit", stocked), details(slug=stocked.slug, visibility="link")
    )
    core_client.post(url("publish", stocked))
    stocked.refresh_from_db()
    old = stocked.share_token
    core_client.post(url("link-revoke", stocked))
    stocked.refresh_from_db()
    assert stocked.share_token is None
    assert actions(stocked)[-1] == Action.LINK_REVOKED
    assert visitor_status(f"/collections/shared/{old}/") == 404
    html = html_of(core_client.get(stocked.get_curate_url()))
    assert "the last one was revoked" in html and "Make a share link" in html
    core_client.post(url("link-regenerate", stocked))
    stocked.refresh_from_db()
    assert stocked.share_token and stocked.share_token != old
    assert actions(stocked)[-1] == Action.LINK_MADE
    assert visitor_status(f"/collections/shared/{old}/") == 404
    assert visitor_status(stocked.get_share_url()) == 200


def test_a_listed_collection_has_no_link_to_make(core_client, stocked):
    before = actions(stocked)
    response = core_client.post(url("link-regenerate", stocked))
    assert response.status_code == 400
    assert "Only a collection shared with anyone with the link" in html_of(response)
    stocked.refresh_from_db()
    assert stocked.share_token is None and actions(stocked) == before


# From a story's page -----------------------------------------------------------


def test_the_story_page_offers_the_core_team_an_add_to_collection_form(
    client, core, stocked, public_story
):
    make_collection(title="Holds it already", stories=[public_story])
    html = html_of(client.get(public_story.get_absolute_url()))
    assert "Add to a collection" not in html
    client.force_login(make_user())
    assert "Add to a collection" not in html_of(
        client.get(public_story.get_absolute_url())
    )
    client.force_login(core)
    response = client.get(public_story.get_absolute_url())
    html = html_of(response)
    assert count_h1(response) == 1
    assert 'id="add-to-collection-heading"' in html
    action = reverse("collections:add-from-story", args=[public_story.slug])
    assert f'action="{action}"' in html
    assert f'<option value="{stocked.pk}">For funders</option>' in html
    assert "Holds it already" not in html


def test_the_core_team_adds_a_story_from_its_page(core_client, stocked, public_story):
    action = reverse("collections:add-from-story", args=[public_story.slug])
    response = core_client.post(action, {"collection": stocked.pk, "note": "Why"})
    assert response.status_code == 302
    assert response["Location"] == public_story.get_absolute_url()
    item = stocked.items.get(story=public_story)
    assert (item.position, item.note) == (3, "Why")
    assert actions(stocked)[-1] == Action.ADDED


def test_adding_from_a_story_page_with_a_mistake_shows_the_form_again(
    core_client, stocked, public_story, draft_story
):
    action = reverse("collections:add-from-story", args=[public_story.slug])
    response = core_client.post(action, {"collection": "", "note": "Kept <note>"})
    assert response.status_code == 400 and count_h1(response) == 1
    html = html_of(response)
    assert "Choose a collection." in html and "Kept &lt;note&gt;</textarea>" in html
    services.collection_add(
        collection=stocked, story=public_story, actor=stocked.curator
    )
    response = core_client.post(action, {"collection": stocked.pk})
    assert response.status_code == 400
    assert "may already be in that one" in html_of(response)
    draft_action = reverse("collections:add-from-story", args=[draft_story.slug])
    response = core_client.post(draft_action, {"collection": stocked.pk})
    assert response.status_code == 400
    assert "Only published stories can be added" in html_of(response)
    assert not CollectionItem.objects.filter(story=draft_story).exists()
    missing = reverse("collections:add-from-story", args=["no-such-story"])
    assert core_client.post(missing, {"collection": stocked.pk}).status_code == 404


def test_the_core_team_finds_a_story_to_add_by_words_of_its_title(
    core_client, draft, public_story, collective_story, draft_story
):
    make_story(title="A data walk in winter", slug="winter-walk")
    services.collection_add(
        collection=draft,
        story=Story.objects.get(slug="winter-walk"),
        actor=draft.curator,
    )
    page = core_client.get(url("edit", draft), {"find": "WALK data"})
    html = html_of(page)
    assert page.status_code == 200 and count_h1(page) == 1
    found = [story.slug for story in page.context["found"]]
    assert found == ["a-data-walk"]  # the one already in is left out
    assert 'name="story" value="a-data-walk"' in html
    assert [s.slug for s in core_client.get(url("edit", draft), {"find": "hub"})
            .context["found"]] == ["the-hub-that-closed"]  # fmt: skip
    none = core_client.get(url("edit", draft), {"find": "playgroup"})
    assert none.context["found"] == []  # drafts are never offered
    assert "No published story not yet here has “playgroup”" in html_of(none)
    response = core_client.post(url("add", draft), {"story": "a-data-walk"})
    assert response.status_code == 302
    assert order(draft) == ["A data walk in winter", "A data walk with families"]


def test_finding_a_story_is_the_core_team_s_only(client, draft, author):
    client.force_login(author)
    assert client.get(url("edit", draft), {"find": "walk"}).status_code == 403
