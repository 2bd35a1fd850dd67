"""Revisions, staged edits of published stories, restoring and conflicts."""

import re

import pytest
from django.urls import reverse

from stories.models import Status, Story, StoryRevision
from tests.factories import make_community, make_member, make_story, story_data

pytestmark = pytest.mark.django_db


def edit(client, story, community, **changes):
    story.refresh_from_db()
    data = story_data(community, version=story.version, **changes)
    return client.post(reverse("stories:edit", args=[story.slug]), data)


def test_every_save_keeps_a_revision(client, author, community):
    client.force_login(author)
    client.post(reverse("stories:new"), story_data(community, title="First words"))
    story = Story.objects.get()
    edit(client, story, community, title="Second words", body="More.")
    edit(client, story, community, title="Third words", body="Even more.")
    revisions = list(story.revisions.order_by("number"))
    assert [r.number for r in revisions] == [1, 2, 3]
    assert [r.data["title"] for r in revisions] == [
        "First words", "Second words", "Third words"]  # fmt: skip
    assert all(r.author == author for r in revisions)
    assert revisions[1].data["body"] == "More."
    assert revisions[0].data["tags"] == ["community voice", "Graphic Recording"]


def test_the_review_page_shows_a_diff_between_any_two_revisions(
    client, author, community
):
    client.force_login(author)
    client.post(
        reverse("stories:new"), story_data(community, body="We met.\nIt rained.")
    )
    story = Story.objects.get()
    edit(client, story, community, body="We met.\nThe sun came out.")
    edit(client, story, community, body="We met.\nThe sun came out.\nWe danced.")
    response = client.get(story.get_review_url(), {"a": 1, "b": 3})
    html = re.sub(r'<span class="visually-hidden">[^<]*</span>', "", response.text)
    assert "Changes from 1 to 3" in html
    assert "<dt>The story</dt>" in html
    assert (
        "We met.\n<del>It rained.</del> <ins>The sun came out.\nWe danced.</ins>"
        in html
    )
    assert "[removed: </span>It rained." in response.text  # said to screen readers
    # a revision that doesn't exist shows no diff rather than an error
    response = client.get(story.get_review_url(), {"a": 1, "b": 99})
    assert (
        response.status_code == 200 and "Changes from" not in response.content.decode()
    )
    response = client.get(story.get_review_url(), {"a": "x", "b": "<script>"})
    assert response.status_code == 200


def test_an_old_revision_is_restored_as_a_new_one(client, author, community):
    client.force_login(author)
    client.post(reverse("stories:new"), story_data(community, title="The original"))
    story = Story.objects.get()
    edit(client, story, community, title="A worse title", streams=["learn"],
         primary_stream="learn")  # fmt: skip
    url = reverse("moderation:restore", args=[story.slug, 1])
    assert client.post(url).status_code == 302
    story.refresh_from_db()
    assert story.title == "The original"
    assert story.primary_stream.slug == "plan"
    latest = story.revisions.first()
    assert (latest.number, latest.kind) == (3, StoryRevision.Kind.RESTORED)
    assert story.revisions.count() == 3  # nothing was lost on the way


def test_restoring_needs_the_right_to_edit(client, author, community):
    story = make_story(status="submitted", community=community, consent=True)
    story.authors.add(author)
    StoryRevision.objects.create(story=story, number=1, author=author,
                                 data={"title": "Old"})  # fmt: skip
    client.force_login(author)  # a submitted story is the core team's to edit
    url = reverse("moderation:restore", args=[story.slug, 1])
    assert client.post(url).status_code == 403
    assert client.get(url).status_code == 405
    client.force_login(make_member(make_community()))
    assert client.post(url).status_code == 404
    assert Story.objects.get(pk=story.pk).title != "Old"


def test_editing_a_published_story_stages_it_until_signed_off_and_published(
    client, author, lead, core, community, committed
):
    story = make_story(status="published", community=community, title="Live title",
                       body="Live words.")  # fmt: skip
    story.authors.add(author)
    client.force_login(author)
    assert (
        "will be staged"
        in client.get(reverse("stories:edit", args=[story.slug])).content.decode()
    )
    response = edit(client, story, community, title="New title", body="New words.",
                    consent="on")  # fmt: skip
    assert response.status_code == 302
    story.refresh_from_db()
    assert (story.title, story.body, story.status) == ("Live title", "Live words.",
                                                       Status.PUBLISHED)  # fmt: skip
    client.logout()
    public = client.get(story.get_absolute_url()).content.decode()
    assert "Live words." in public and "New words." not in public

    client.force_login(core)
    review = client.get(story.get_review_url()).content.decode()
    assert "A staged edit is waiting" in review and "New words." in review
    assert "Live title" in client.get(reverse("moderation:queue")).content.decode()
    # the core team can't publish what the community hasn't signed off
    url = reverse("moderation:staged", args=[story.slug, "publish"])
    assert client.post(url).status_code == 403
    assert Story.objects.get(pk=story.pk).body == "Live words."

    client.force_login(lead)
    sign_off = reverse("moderation:staged", args=[story.slug, "sign-off"])
    assert client.post(sign_off).status_code == 302
    client.force_login(author)  # an author can't publish it either
    assert client.post(url).status_code == 403
    client.force_login(core)
    with committed():
        assert client.post(url).status_code == 302
    story.refresh_from_db()
    assert (story.title, story.body) == ("New title", "New words.")
    assert story.staged_revision is None
    client.logout()
    assert "New words." in client.get(story.get_absolute_url()).content.decode()
    actions = list(story.events.values_list("action", "actor"))
    assert actions == [("sign_off_edit", lead.pk), ("publish_edit", core.pk)]


def test_a_staged_edit_can_be_discarded(client, author, community):
    story = make_story(status="published", community=community, body="Live words.")
    story.authors.add(author)
    client.force_login(author)
    edit(client, story, community, body="Second thoughts.", consent="on")
    client.post(reverse("moderation:staged", args=[story.slug, "discard"]))
    story.refresh_from_db()
    assert story.staged_revision is None and story.body == "Live words."
    assert story.revisions.filter(data__body="Second thoughts.").exists()  # kept


def test_an_unknown_staged_step_is_refused(client, core, community):
    story = make_story(status="published", community=community)
    client.force_login(core)
    url = reverse("moderation:staged", args=[story.slug, "explode"])
    assert client.post(url).status_code == 403


# Conflicts ----------------------------------------------------------------------


def test_two_people_saving_from_the_same_version_make_a_conflict(
    client, author, lead, community
):
    story = make_story(status="draft", community=community, title="Start",
                       body="The start.")  # fmt: skip
    story.authors.add(author)
    version = story.version
    url = reverse("stories:edit", args=[story.slug])
    client.force_login(lead)
    first = client.post(url, story_data(community, version=version,
                                        co_authors=[author.pk],
                                        body="The lead's words."))  # fmt: skip
    assert first.status_code == 302
    client.force_login(author)
    second = client.post(url, story_data(community, version=version,
                                         body="The author's words."))  # fmt: skip
    assert second.status_code == 409
    html = second.content.decode()
    assert "Someone else saved this story while you were editing" in html
    assert "The lead&#x27;s words." in html  # theirs, shown
    assert html.count("The author&#x27;s words.") >= 2  # yours, shown and in the form
    story.refresh_from_db()
    assert story.body == "The lead's words."
    assert story.revisions.count() == 1
    # the form now carries the newer version: saving again goes through
    assert f'name="version" value="{story.version}"' in html
    third = client.post(url, story_data(community, version=story.version,
                                        body="Both of us."))  # fmt: skip
    assert third.status_code == 302
    assert Story.objects.get(pk=story.pk).body == "Both of us."


def test_a_form_without_its_version_is_a_conflict_not_an_overwrite(
    client, author, community
):
    story = make_story(status="draft", community=community, body="Kept.")
    story.authors.add(author)
    client.force_login(author)
    data = story_data(community, body="Blind write.")
    response = client.post(reverse("stories:edit", args=[story.slug]), data)
    assert response.status_code == 409
    assert Story.objects.get(pk=story.pk).body == "Kept."


def test_the_core_team_edits_a_story_in_review_and_keeps_a_revision(
    client, core, author, community
):
    story = make_story(status="submitted", community=community, consent=True)
    story.authors.add(author)
    client.force_login(core)
    response = edit(client, story, community, co_authors=[author.pk], consent="on",
                    action="save", summary="Tightened by the core team.")  # fmt: skip
    assert response.status_code == 302
    assert response["Location"] == story.get_review_url()
    story.refresh_from_db()
    assert story.summary == "Tightened by the core team."
    assert story.status == Status.SUBMITTED
    assert list(story.authors.all()) == [author]
    assert story.revisions.get().author == core


@pytest.mark.parametrize("status", ["submitted", "published"])
def test_consent_cannot_be_taken_away_by_an_edit_past_the_draft(
    client, core, author, community, status
):
    story = make_story(status=status, community=community, consent=True)
    story.authors.add(author)
    editor = core if status == "submitted" else author
    client.force_login(editor)
    co_authors = [] if editor == author else [author.pk]
    response = edit(client, story, community, co_authors=co_authors, action="save",
                    summary="No consent now")  # fmt: skip
    assert response.status_code == 400
    assert "Confirm consent" in response.text and "No consent now" in response.text
    story.refresh_from_db()
    assert story.consent and story.summary != "No consent now"
