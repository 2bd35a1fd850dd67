"""A story's authors hear once, after commit, when it is in a published
collection: when it is added to one, or when a collection holding it is first
published. Once per collection and story, whatever happens after."""

import pytest
from django.core import mail

from curation import services
from curation.models import Action
from tests.factories import mails, make_member, make_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def co_author(community):
    return make_member(community, name="Cody Co-author", email="cody@example.org")


@pytest.fixture
def story(community, author, co_author):
    story = make_story(community=community, title="A data walk with families",
                       slug="a-data-walk")  # fmt: skip
    story.authors.add(author, co_author)
    return story


def make(core, visibility="public", **fields):
    fields.setdefault("title", "For funders")
    fields.setdefault("slug", "for-funders")
    return services.collection_create(
        actor=core,
        data={"introduction": "Why.", "visibility": visibility, **fields},
    )


def test_adding_to_a_published_collection_tells_the_authors_once(
    core, story, django_capture_on_commit_callbacks
):
    collection = make(core)
    services.collection_publish(collection=collection, actor=core)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        item = services.collection_add(
            collection=collection, story=story, actor=core, note="It shows *how*."
        )
    assert len(mails(callbacks)) == 1  # sent after the transaction, not during it
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert sorted(email.to) == ["ari@example.org", "cody@example.org"]
    assert email.subject == "Your story is in the collection “For funders”"
    assert "“A data walk with families”" in email.body
    assert "It shows *how*." in email.body
    assert "http://127.0.0.1:8000/collections/for-funders/" in email.body
    item.refresh_from_db()
    assert item.notified_at is not None
    assert collection.events.filter(action=Action.AUTHORS_TOLD).count() == 1


def test_nothing_is_sent_while_the_collection_is_a_draft(
    core, story, django_capture_on_commit_callbacks
):
    collection = make(core)
    with django_capture_on_commit_callbacks(execute=True):
        item = services.collection_add(collection=collection, story=story, actor=core)
    assert mail.outbox == []
    item.refresh_from_db()
    assert item.notified_at is None


def test_publishing_tells_the_authors_of_every_story_once(
    core, story, community, django_capture_on_commit_callbacks
):
    other_author = make_member(community, email="olly@example.org")
    other = make_story(community=community, title="The survey nobody answered")
    other.authors.add(other_author)
    unauthored = make_story(title="Nobody's")
    collection = make(core)
    for each in (story, other, unauthored):
        services.collection_add(collection=collection, story=each, actor=core)
    with django_capture_on_commit_callbacks(execute=True):
        services.collection_publish(collection=collection, actor=core)
    assert sorted(tuple(sorted(m.to)) for m in mail.outbox) == [
        ("ari@example.org", "cody@example.org"),
        ("olly@example.org",),
    ]
    assert not collection.items.filter(notified_at=None).exists()
    # unpublished and published again, removed and added again: no more emails
    with django_capture_on_commit_callbacks(execute=True):
        services.collection_unpublish(collection=collection, actor=core)
        services.collection_publish(collection=collection, actor=core)
        item = collection.items.get(story=story)
        services.collection_remove(item=item, actor=core)
        again = services.collection_add(collection=collection, story=story, actor=core)
    assert len(mail.outbox) == 2
    again.refresh_from_db()
    assert again.notified_at is not None  # the authors were told before
    assert collection.events.filter(action=Action.AUTHORS_TOLD).count() == 3


def test_a_story_in_two_collections_is_told_for_each(
    core, story, django_capture_on_commit_callbacks
):
    first = make(core)
    second = make(core, title="For peers", slug="for-peers")
    with django_capture_on_commit_callbacks(execute=True):
        for collection in (first, second):
            services.collection_publish(collection=collection, actor=core)
            services.collection_add(collection=collection, story=story, actor=core)
    assert [m.subject for m in mail.outbox] == [
        "Your story is in the collection “For funders”",
        "Your story is in the collection “For peers”",
    ]


def test_a_link_only_collection_tells_them_without_giving_its_link(
    core, story, django_capture_on_commit_callbacks
):
    collection = make(core, visibility="link")
    services.collection_add(collection=collection, story=story, actor=core)
    with django_capture_on_commit_callbacks(execute=True):
        services.collection_publish(collection=collection, actor=core)
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    collection.refresh_from_db()
    assert collection.share_token not in body
    assert "/collections/" not in body
    assert "isn't listed on the site" in body
    assert "http://127.0.0.1:8000/stories/a-data-walk/" in body


def test_a_collective_only_collection_links_to_itself(
    core, story, django_capture_on_commit_callbacks
):
    collection = make(core, visibility="collective")
    services.collection_publish(collection=collection, actor=core)
    with django_capture_on_commit_callbacks(execute=True):
        services.collection_add(collection=collection, story=story, actor=core)
    assert "/collections/for-funders/" in mail.outbox[0].body


def test_the_email_links_from_the_requests_host(
    client, core, story, django_capture_on_commit_callbacks
):
    collection = make(core)
    services.collection_publish(collection=collection, actor=core)
    client.force_login(core)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/collections/{collection.slug}/stories/", {"story": story.slug}
        )
    assert response.status_code == 302
    assert "http://testserver/collections/for-funders/" in mail.outbox[0].body


def test_a_title_with_a_line_break_still_sends_one_line_subject(
    core, story, django_capture_on_commit_callbacks
):
    collection = make(core, title="For\nfunders\r\nBcc: x@example.org")
    services.collection_publish(collection=collection, actor=core)
    with django_capture_on_commit_callbacks(execute=True):
        services.collection_add(collection=collection, story=story, actor=core)
    subject = mail.outbox[0].subject
    assert "\n" not in subject and "\r" not in subject
    assert mail.outbox[0].bcc == []
