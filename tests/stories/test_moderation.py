"""The core team's queue, the review page, /me/, flags and the audit trail."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from framework.models import Stream
from lessons.models import Lesson, Theme
from stories.models import (
    Status,
    Story,
    StoryComment,
    StoryEvent,
    StoryFlag,
    StoryRevision,
)
from stories.workflow import story_transition
from tests.factories import (
    forget_kept,
    make_community,
    make_core,
    make_member,
    make_story,
)

pytestmark = pytest.mark.django_db
QUEUE = reverse("moderation:queue")


def story_in(community, author, status="submitted", **fields):
    story = make_story(status=status, community=community, consent=True, **fields)
    story.authors.add(author)
    return story


def ago(days):
    return timezone.now() - timedelta(days=days)


# The queue ----------------------------------------------------------------------


def test_the_queue_is_for_the_core_team_only(client, community, author, lead):
    response = client.get(QUEUE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    for user in [author, lead, make_member(community, approved=False)]:
        client.force_login(user)
        assert client.get(QUEUE).status_code == 403


def test_the_queue_shows_states_with_counts_oldest_first(
    client, core, community, author
):
    new = story_in(community, author, title="Newer story", status_changed_at=ago(1))
    old = story_in(community, author, title="Older story", status_changed_at=ago(9))
    story_in(community, author, status="awaiting_signoff", title="Waiting on lead")
    story_in(community, author, status="published", title="Out of the queue")
    client.force_login(core)
    response = client.get(QUEUE)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'Submitted <span class="count">(2)</span>' in html
    assert 'Awaiting sign-off <span class="count">(1)</span>' in html
    assert html.index(old.title) < html.index(new.title)
    assert "Waiting on lead" not in html and "Out of the queue" not in html
    assert response["Cache-Control"] == "private, no-store"
    html = client.get(QUEUE, {"state": "awaiting_signoff"}).content.decode()
    assert "Waiting on lead" in html and old.title not in html


def test_the_queue_filters_by_stream_community_and_waiting_time(
    client, core, community, author
):
    other = make_community(name="Riverlands", slug="riverlands")
    a = story_in(community, author, title="Plan here", streams=["plan"],
                 status_changed_at=ago(40))  # fmt: skip
    b = story_in(community, author, title="Learn here", streams=["learn"],
                 status_changed_at=ago(10))  # fmt: skip
    c = story_in(other, author, title="Plan there", streams=["plan"],
                 status_changed_at=ago(1))  # fmt: skip
    client.force_login(core)

    def titles(**params):
        html = client.get(QUEUE, params).content.decode()
        return {s.title for s in [a, b, c] if s.title in html}

    assert titles(stream="plan") == {a.title, c.title}
    assert titles(community="riverlands") == {c.title}
    assert titles(waiting="7") == {a.title, b.title}
    assert titles(waiting="30") == {a.title}
    assert titles(stream="plan", community="harbour-hills") == {a.title}


def test_the_queue_has_a_query_budget(
    client, core, community, author, django_assert_max_num_queries
):
    for _ in range(15):
        story = story_in(community, author, streams=["plan", "learn"])
        StoryFlag.objects.create(story=story, reporter=author, reason="Check")
    client.force_login(core)
    with django_assert_max_num_queries(12):
        assert client.get(QUEUE).status_code == 200


def test_the_review_page_has_a_query_budget(
    client, core, community, author, django_assert_max_num_queries
):
    story = story_in(community, author, streams=["plan", "learn"])
    for number in range(1, 8):
        data = {"title": f"T{number}", "body": "b"}
        StoryRevision.objects.create(
            story=story, number=number, author=author, data=data
        )
        StoryComment.objects.create(story=story, author=author, body="Hi")
        StoryEvent.objects.create(story=story, actor=core, action="submit")
    theme = Theme.objects.create(name="Trust", slug="trust")
    for number in range(5):  # the lessons and their themes: two queries, however many
        lesson = Lesson.objects.create(
            story=story, statement=f"Lesson {number}", kind="works", position=number,
            stream=Stream.objects.get(slug="plan"),
        )  # fmt: skip
        lesson.themes.add(theme, Theme.objects.create(name=f"T{number}", slug=number))
    client.force_login(core)
    # 12, the lessons with their themes, and the practices a lesson may be tied
    # to; the story as it will appear: its streams, tags and images
    with django_assert_max_num_queries(18):
        response = client.get(story.get_review_url(), {"a": 1, "b": 7})
    assert response.status_code == 200 and "Changes from 1 to 7" in response.text
    assert "Lesson 4" in response.text


def test_the_review_page_reads_the_same_however_many_lessons_it_edits(
    client, core, community, author
):
    """Each lesson has its edit form on the page; the forms share one read of
    the streams and one of the themes."""
    story = story_in(community, author, streams=["plan", "learn"])
    themes = [Theme.objects.create(name=f"T{n}", slug=f"t{n}") for n in range(4)]
    client.force_login(core)

    def queries_with(lesson_total):
        for number in range(story.lessons.count(), lesson_total):
            lesson = Lesson.objects.create(
                story=story, statement=f"Lesson {number}", kind="works",
                position=number, stream=Stream.objects.get(slug="plan"),
            )  # fmt: skip
            lesson.themes.add(*themes[: number % 4 + 1])
        forget_kept()  # the navigation's streams read afresh both times
        with CaptureQueriesContext(connection) as queries:
            response = client.get(story.get_review_url())
        assert response.text.count('<details class="lesson__edit">') == lesson_total
        return len(queries)

    assert queries_with(1) == queries_with(12)


def test_claiming_shows_the_reviewer_to_the_others(client, core, community, author):
    story = story_in(community, author)
    other_core = make_core(name="Dana Core")
    client.force_login(core)
    response = client.post(reverse("moderation:claim", args=[story.slug]))
    assert response.status_code == 302
    assert Story.objects.get(pk=story.pk).claimed_by == core
    client.force_login(other_core)
    assert "Casey Core" in client.get(QUEUE).content.decode()
    assert "Being reviewed by <strong>Casey Core" in (
        client.get(story.get_review_url()).content.decode()
    )


def test_a_claim_survives_a_change_of_status(client, core, community, author):
    story = story_in(community, author)
    client.force_login(core)
    client.post(reverse("moderation:claim", args=[story.slug]))
    url = reverse("moderation:transition", args=[story.slug, "send_for_signoff"])
    assert client.post(url).status_code == 302
    story.refresh_from_db()
    assert story.status == "awaiting_signoff" and story.claimed_by == core
    assert "Being reviewed by <strong>Casey Core" in (
        client.get(story.get_review_url()).content.decode()
    )


def test_only_the_core_team_claims(client, community, author, lead):
    story = story_in(community, author)
    for user in [author, lead]:
        client.force_login(user)
        response = client.post(reverse("moderation:claim", args=[story.slug]))
        assert response.status_code == 403
    assert Story.objects.get(pk=story.pk).claimed_by is None


# The review page ----------------------------------------------------------------


def test_the_review_page_shows_the_story_history_and_actions(
    client, core, community, author
):
    story = story_in(community, author, status="submitted", body="## Our *day*")
    story_transition(story=story, actor=core, action="request_changes",
                     note="Please name the venue.")  # fmt: skip
    client.force_login(core)
    response = client.get(story.get_review_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "<em>day</em>" in html  # as it will appear, through the renderer
    assert "Please name the venue." in html
    # the history names the action in words, not by its code
    assert "<td>Changes requested</td>" in html and "Casey Core" in html
    assert "request_changes" not in html.split('id="history-heading"')[1]
    assert response["Cache-Control"] == "private, no-store"


def test_every_workflow_action_has_words_in_the_history():
    from stories.models.history import ACTION_LABELS
    from stories.workflow import ACTIONS

    assert set(ACTIONS) - set(ACTION_LABELS) == set()


def test_who_may_open_the_review_page(client, core, community, author, lead):
    story = story_in(community, author, status="published")
    for user in [core, author, lead]:
        client.force_login(user)
        assert client.get(story.get_review_url()).status_code == 200
    neighbour = make_member(community)
    client.force_login(neighbour)  # may read the story, not review it
    assert client.get(story.get_review_url()).status_code == 403
    draft = story_in(community, author, status="draft")
    assert client.get(draft.get_review_url()).status_code == 404
    client.logout()
    assert client.get(story.get_review_url()).status_code == 302


def test_the_discussion_is_internal(client, core, community, author, lead):
    story = story_in(community, author, status="published")
    url = reverse("moderation:comment", args=[story.slug])
    for user, words in [(core, "From core"), (author, "From author"),
                        (lead, "From lead")]:  # fmt: skip
        client.force_login(user)
        assert client.post(url, {"body": words}).status_code == 302
    assert StoryComment.objects.filter(story=story).count() == 3
    neighbour = make_member(community)
    client.force_login(neighbour)
    assert client.post(url, {"body": "Sneaky"}).status_code == 403
    assert not StoryComment.objects.filter(body="Sneaky").exists()
    html = client.get(story.get_absolute_url()).content.decode()
    assert "From core" not in html and "From lead" not in html
    client.logout()
    assert "From author" not in client.get(story.get_absolute_url()).content.decode()
    client.force_login(author)
    html = client.get(story.get_review_url()).content.decode()
    assert "From core" in html and "From lead" in html


def test_a_bad_comment_is_explained_and_kept(client, core, community, author):
    story = story_in(community, author)
    client.force_login(core)
    url = reverse("moderation:comment", args=[story.slug])
    response = client.post(url, {"body": " "})
    assert response.status_code == 400
    assert "This field is required." in response.text
    long = "Kept words. " * 500  # over the 5,000 characters allowed
    response = client.post(url, {"body": long})
    assert response.status_code == 400
    assert "at most 5000 characters" in response.text
    assert "Kept words. Kept words." in response.text
    assert not StoryComment.objects.exists()


# /me/ ---------------------------------------------------------------------------


def test_me_shows_what_waits_for_me_with_the_notes(client, core, community, author):
    asked = story_in(community, author, status="submitted", title="Asked story")
    story_transition(story=asked, actor=core, action="request_changes",
                     note="Add what families said.")  # fmt: skip
    waiting = story_in(community, author, status="awaiting_signoff",
                       title="Sign me off")  # fmt: skip
    client.force_login(author)
    html = client.get(reverse("me")).content.decode()
    assert "Changes requested" in html and "Add what families said." in html
    assert "Waiting for your sign-off" in html and waiting.title in html
    assert reverse("moderation:transition", args=[waiting.slug, "sign_off"]) in html


def test_a_lead_signs_off_from_me(client, community, author, lead):
    story = story_in(community, author, status="awaiting_signoff", title="Ours")
    client.force_login(lead)
    assert "Ours" in client.get(reverse("me")).content.decode()
    url = reverse("moderation:transition", args=[story.slug, "sign_off"])
    response = client.post(url, {"next": "me", "sign_off-note": "Proud of it."})
    assert response.status_code == 302 and response["Location"] == reverse("me")
    story.refresh_from_db()
    assert story.status == Status.APPROVED
    assert story.events.get().note == "Proud of it."


def test_asking_for_changes_from_me_needs_a_note(client, community, author):
    story = story_in(community, author, status="awaiting_signoff")
    client.force_login(author)
    url = reverse("moderation:transition", args=[story.slug, "ask_for_changes"])
    response = client.post(url, {"next": "me", "ask_for_changes-note": ""})
    assert response.status_code == 400
    assert "the note is required" in response.content.decode()
    response = client.post(url, {"next": "me", "ask_for_changes-note": "Fix names"})
    assert response.status_code == 302
    assert Story.objects.get(pk=story.pk).status == Status.SUBMITTED


def test_others_have_nothing_waiting_on_me(client, community, author):
    story_in(community, author, status="awaiting_signoff", title="Not yours")
    client.force_login(make_member(community))
    html = client.get(reverse("me")).content.decode()
    assert "Not yours" not in html


# Flags --------------------------------------------------------------------------


def test_a_member_flags_a_published_story_and_the_queue_shows_it(
    client, core, community, author
):
    story = story_in(community, author, status="published", title="Flag me")
    reader = make_member(make_community(), name="Robin Reader")
    client.force_login(reader)
    url = reverse("stories:flag", args=[story.slug])
    response = client.post(url, {"reason": "A child's full name is in it."})
    assert response.status_code == 302
    flag = StoryFlag.objects.get()
    assert (flag.story, flag.reporter) == (story, reader)
    client.force_login(core)
    html = client.get(QUEUE).content.decode()
    assert "A child&#x27;s full name is in it." in html
    client.post(reverse("moderation:resolve-flag", args=[flag.pk]))
    flag.refresh_from_db()
    assert flag.resolved_by == core and flag.resolved_at is not None
    assert "A child" not in client.get(QUEUE).content.decode()


def test_who_may_not_flag(client, community, author):
    published = story_in(community, author, status="published")
    draft = story_in(community, author, status="draft")
    response = client.post(reverse("stories:flag", args=[published.slug]),
                           {"reason": "x"})  # fmt: skip
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(make_member(community, approved=False))
    response = client.post(reverse("stories:flag", args=[published.slug]),
                           {"reason": "x"})  # fmt: skip
    assert response.status_code == 403
    client.force_login(make_member(make_community()))
    response = client.post(reverse("stories:flag", args=[draft.slug]), {"reason": "x"})
    assert response.status_code == 404
    assert client.get(reverse("stories:flag", args=[published.slug])).status_code == 405
    assert not StoryFlag.objects.exists()


def test_a_flag_needs_a_reason(client, community, author):
    story = story_in(community, author, status="published")
    client.force_login(make_member(community))
    response = client.post(reverse("stories:flag", args=[story.slug]), {"reason": ""})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not StoryFlag.objects.exists()


def test_only_the_core_team_resolves_flags(client, community, author):
    story = story_in(community, author, status="published")
    flag = StoryFlag.objects.create(story=story, reporter=author, reason="Check")
    client.force_login(author)
    response = client.post(reverse("moderation:resolve-flag", args=[flag.pk]))
    assert response.status_code == 403
    assert StoryFlag.objects.get().resolved_at is None


# The audit trail ----------------------------------------------------------------


def test_the_audit_trail_is_read_only_in_the_admin(client, core, community, author):
    story = story_in(community, author, status="approved")
    event = story_transition(story=story, actor=core, action="publish", note="Go")
    client.force_login(make_core(is_staff=True, is_superuser=True))
    listing = client.get(reverse("admin:stories_storyevent_changelist"))
    assert listing.status_code == 200 and "Go" in listing.content.decode()
    change = reverse("admin:stories_storyevent_change", args=[event.pk])
    assert client.get(change).status_code == 200  # a view, with no save button
    assert 'name="_save"' not in client.get(change).content.decode()
    response = client.post(change, {"note": "Rewritten"})
    assert response.status_code == 403
    delete = reverse("admin:stories_storyevent_delete", args=[event.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:stories_storyevent_add")).status_code == 403
    event.refresh_from_db()
    assert event.note == "Go"


def test_a_story_with_a_history_cannot_be_deleted(client, core, community, author):
    story = story_in(community, author, status="approved")
    story_transition(story=story, actor=core, action="publish")
    client.force_login(make_core(is_staff=True, is_superuser=True))
    delete = reverse("admin:stories_story_delete", args=[story.pk])
    response = client.post(delete, {"post": "yes"})
    assert response.status_code == 200  # Django's "protected" explanation
    assert Story.objects.filter(pk=story.pk).exists()
    assert StoryEvent.objects.filter(story=story).count() == 1


def test_the_admin_cannot_change_a_status_around_the_workflow(
    client, community, author
):
    story = story_in(community, author, status="submitted")
    client.force_login(make_core(is_staff=True, is_superuser=True))
    change = client.get(reverse("admin:stories_story_change", args=[story.pk]))
    assert change.status_code == 200
    assert 'name="status"' not in change.content.decode()
