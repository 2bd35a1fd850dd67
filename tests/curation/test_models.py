"""The one rule for who may see a collection, what of it they may see, and the
constraints the database keeps."""

import math
import string

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction

from curation.models import (
    Action,
    Collection,
    CollectionEvent,
    CollectionItem,
    Visibility,
    new_share_token,
)
from stories.models import Status, Story
from tests.factories import make_collection, make_core, make_story, make_user

pytestmark = pytest.mark.django_db

VIEWERS = ["anonymous", "pending", "member", "core"]


def viewer(kind):
    if kind == "anonymous":
        return AnonymousUser()
    if kind == "core":
        return make_core()
    return make_user(approved=kind == "member")


# (visibility, published) -> the viewers who see it by its address
RULE = {
    ("public", True): {"anonymous", "pending", "member", "core"},
    ("collective", True): {"member", "core"},
    ("link", True): {"core"},  # everyone else only through its share link
    ("public", False): {"core"},
    ("collective", False): {"core"},
    ("link", False): {"core"},
}


@pytest.mark.parametrize("kind", VIEWERS)
def test_visible_to_is_the_one_rule(kind):
    user = viewer(kind)
    made = {key: make_collection(visibility=key[0], published=key[1]) for key in RULE}
    visible = set(Collection.objects.visible_to(user))
    for key, collection in made.items():
        assert (collection in visible) == (kind in RULE[key]), key


def test_a_deactivated_core_team_member_sees_what_a_visitor_sees():
    core = make_core()
    core.is_active = False
    core.save()
    draft = make_collection(published=False)
    public = make_collection()
    assert list(Collection.objects.visible_to(core)) == [public]
    assert draft not in Collection.objects.visible_to(core)


def test_listed_leaves_out_drafts_and_link_only_collections_even_for_core():
    public = make_collection(visibility="public")
    collective = make_collection(visibility="collective")
    make_collection(visibility="link")
    make_collection(published=False)
    listed = set(Collection.objects.visible_to(make_core()).listed())
    assert listed == {public, collective}


def test_a_share_token_opens_only_its_published_link_collection():
    shared = make_collection(visibility="link")
    draft = make_collection(visibility="link", published=False)
    assert list(Collection.objects.shared(shared.share_token)) == [shared]
    assert not Collection.objects.shared(draft.share_token).exists()
    assert not Collection.objects.shared("").exists()
    assert not Collection.objects.shared(None).exists()
    assert not Collection.objects.shared(shared.share_token[:-1]).exists()
    public = make_collection()
    assert public.share_token is None and public.get_share_url() == ""


def test_share_tokens_have_at_least_128_bits():
    tokens = {new_share_token() for _ in range(50)}
    assert len(tokens) == 50
    alphabet = set(string.ascii_letters + string.digits + "-_")
    for token in tokens:
        assert set(token) <= alphabet  # URL-safe base64: 6 bits a character
        assert len(token) * math.log2(len(alphabet)) >= 256  # 32 random bytes


def test_the_database_refuses_a_short_token_or_one_on_a_listed_collection():
    shared = make_collection(visibility="link")
    with pytest.raises(IntegrityError), transaction.atomic():
        Collection.objects.filter(pk=shared.pk).update(share_token="short")
    collection = make_collection(visibility="public")
    with pytest.raises(IntegrityError), transaction.atomic():
        Collection.objects.filter(pk=collection.pk).update(
            share_token=new_share_token()
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Collection.objects.filter(pk=collection.pk).update(visibility="secret")


def test_a_story_is_in_a_collection_at_most_once():
    story = make_story()
    collection = make_collection(stories=[story])
    with pytest.raises(IntegrityError), transaction.atomic():
        CollectionItem.objects.create(collection=collection, story=story, position=1)


@pytest.mark.parametrize("kind", VIEWERS)
def test_items_and_counts_only_hold_stories_the_viewer_may_read(kind):
    user = viewer(kind)
    public = make_story(title="Public")
    collective = make_story(title="Collective", visibility="collective")
    hidden = [make_story(status=status) for status in Status.values
              if status != Status.PUBLISHED]  # fmt: skip
    collection = make_collection(stories=[public, collective, *hidden])
    readable = {"Public"} | ({"Collective"} if kind in ("member", "core") else set())
    items = collection.items_for(user)
    assert {item.story.title for item in items} == readable
    counted = Collection.objects.with_story_counts(Story.objects.visible_to(user)).get(
        pk=collection.pk
    )
    assert counted.story_count == len(readable)


def test_history_leaves_out_lines_about_stories_the_viewer_may_not_read():
    public = make_story(title="Public")
    collective = make_story(title="Collective", visibility="collective")
    draft = make_story(title="Draft", status=Status.DRAFT)
    collection = make_collection(stories=[public, collective, draft])
    gone = make_story(title="Gone")
    CollectionEvent.objects.create(
        collection=collection, story=gone, story_title="Gone", action=Action.REMOVED
    )
    gone.delete()  # the event keeps only the title: no longer a readable story
    CollectionEvent.objects.create(collection=collection, action=Action.EDITED)

    def titles(user):
        events = collection.events.visible_to(user)
        return sorted(e.story_title or e.action for e in events)

    assert titles(AnonymousUser()) == ["Public", "edited", "published"]
    assert titles(make_user()) == ["Collective", "Public", "edited", "published"]


def test_items_keep_their_order():
    first, second, third = make_story(), make_story(), make_story()
    collection = make_collection(stories=[third, first, second])
    stories = [item.story for item in collection.items_for(AnonymousUser())]
    assert stories == [third, first, second]


def test_urls_and_strings():
    collection = make_collection(slug="for-funders", title="For funders")
    assert collection.get_absolute_url() == "/collections/for-funders/"
    assert collection.get_print_url() == "/collections/for-funders/print/"
    assert collection.get_curate_url() == "/collections/for-funders/edit/"
    assert str(collection) == "For funders"
    shared = make_collection(visibility="link")
    assert shared.get_share_url() == f"/collections/shared/{shared.share_token}/"
    assert collection.is_public and not shared.is_public
    assert Visibility.LINK.label == "Anyone with the link"
