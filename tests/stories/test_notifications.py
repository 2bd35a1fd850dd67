"""Emails after commit, and scheduled publishing."""

from datetime import timedelta
from io import StringIO
from smtplib import SMTPException

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from stories.models import Status, Story, StoryEvent
from stories.workflow import publish_due, story_transition
from tests.factories import mails, make_core, make_member, make_story

pytestmark = pytest.mark.django_db


class BrokenBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise SMTPException("The mail server is down")


@pytest.fixture
def people(community):
    author = make_member(community, email="author@example.org")
    co_author = make_member(community, email="co@example.org")
    lead = make_member(community, role="lead", email="lead@example.org")
    core = make_core(email="core@example.org")
    make_member(community, email="bystander@example.org")
    return {"author": author, "co_author": co_author, "lead": lead, "core": core}


def story_for(people, community, status):
    story = make_story(status=status, community=community, consent=True,
                       title="Our walking bus")  # fmt: skip
    story.authors.add(people["author"], people["co_author"])
    return story


AUTHORS = ["author@example.org", "co@example.org"]


@pytest.mark.parametrize(
    "action, status, actor, recipients",
    [
        ("submit", "draft", "author", ["core@example.org"]),
        ("request_changes", "submitted", "core", AUTHORS),
        ("send_for_signoff", "submitted", "core", [*AUTHORS, "lead@example.org"]),
        ("reject", "submitted", "core", AUTHORS),
        ("publish", "approved", "core", AUTHORS),
    ],
)
def test_who_is_told(
    people, community, mailoutbox, django_capture_on_commit_callbacks,
    action, status, actor, recipients,
):  # fmt: skip
    story = story_for(people, community, status)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        story_transition(story=story, actor=people[actor], action=action,
                         note="A note for you.")  # fmt: skip
        assert mailoutbox == []  # nothing leaves before the commit
    assert len(mails(callbacks)) == 1
    [mail] = mailoutbox
    assert sorted(mail.to) == sorted(recipients)
    assert "Our walking bus" in mail.subject
    assert "A note for you." in mail.body
    assert f"http://127.0.0.1:8000{story.get_review_url()}" in mail.body
    assert mail.alternatives == []  # plain text


def test_quiet_actions_send_nothing(
    people, community, mailoutbox, django_capture_on_commit_callbacks
):
    story = story_for(people, community, "awaiting_signoff")
    with django_capture_on_commit_callbacks(execute=True):
        story_transition(story=story, actor=people["lead"], action="sign_off")
    assert mailoutbox == []


def test_a_rolled_back_transition_sends_nothing(people, community, mailoutbox):
    from django.db import transaction

    story = story_for(people, community, "approved")
    with pytest.raises(RuntimeError), transaction.atomic():
        story_transition(story=story, actor=people["core"], action="publish")
        raise RuntimeError("something after it failed")
    assert mailoutbox == []
    assert Story.objects.get(pk=story.pk).status == Status.APPROVED


@override_settings(EMAIL_BACKEND="tests.stories.test_notifications.BrokenBackend")
def test_a_failing_mail_server_does_not_undo_the_transition(
    client, people, community, django_capture_on_commit_callbacks, caplog
):
    story = story_for(people, community, "approved")
    client.force_login(people["core"])
    url = reverse("moderation:transition", args=[story.slug, "publish"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    assert Story.objects.get(pk=story.pk).status == Status.PUBLISHED
    assert StoryEvent.objects.filter(story=story, action="publish").count() == 1
    assert "Could not send the publish notification" in caplog.text


def test_the_link_uses_the_request_host(
    client, people, community, mailoutbox, django_capture_on_commit_callbacks
):
    story = story_for(people, community, "submitted")
    client.force_login(people["core"])
    url = reverse("moderation:transition", args=[story.slug, "reject"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"reject-note": "Not a fit.", "reject-confirm": "on"})
    assert f"http://testserver{story.get_review_url()}" in mailoutbox[0].body


# Scheduled publishing ---------------------------------------------------------


def test_a_scheduled_story_is_invisible_until_its_time(
    client, people, community, mailoutbox, django_capture_on_commit_callbacks
):
    story = story_for(people, community, "approved")
    story.tags.add("walking")
    client.force_login(people["core"])
    when = timezone.localtime() + timedelta(days=2)
    url = reverse("moderation:transition", args=[story.slug, "publish"])
    response = client.post(url, {"publish-publish_at": when.strftime("%Y-%m-%dT%H:%M")})
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.status == Status.APPROVED and story.publish_at is not None
    assert story.events.get().action == "schedule"
    client.logout()
    pages = ["/", "/stories/", "/streams/plan/", "/tags/walking/",
             f"/communities/{community.slug}/"]  # fmt: skip
    for page in pages:
        assert "Our walking bus" not in client.get(page).content.decode(), page
    assert client.get(story.get_absolute_url()).status_code == 404

    out = StringIO()
    call_command("publish_scheduled", stdout=out)
    assert "Published 0 scheduled stories." in out.getvalue()
    assert Story.objects.get(pk=story.pk).status == Status.APPROVED

    with django_capture_on_commit_callbacks(execute=True):
        assert publish_due(now=timezone.now() + timedelta(days=3)) == 1
    story.refresh_from_db()
    assert story.status == Status.PUBLISHED and story.publish_at is None
    assert story.published_at is not None
    for page in pages:
        assert "Our walking bus" in client.get(page).content.decode(), page
    assert story.events.filter(action="publish", actor=None).count() == 1
    assert [mail.subject for mail in mailoutbox] == ["Published: Our walking bus"]
    # running again publishes nothing twice
    assert publish_due(now=timezone.now() + timedelta(days=4)) == 0


def test_the_command_publishes_what_is_due(people, community):
    story = story_for(people, community, "approved")
    Story.objects.filter(pk=story.pk).update(
        publish_at=timezone.now() - timedelta(minutes=1)
    )
    out = StringIO()
    call_command("publish_scheduled", stdout=out)
    assert "Published 1 scheduled story." in out.getvalue()
    assert Story.objects.get(pk=story.pk).status == Status.PUBLISHED


def test_a_time_in_the_past_publishes_now(client, people, community):
    story = story_for(people, community, "approved")
    client.force_login(people["core"])
    url = reverse("moderation:transition", args=[story.slug, "publish"])
    past = (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    client.post(url, {"publish-publish_at": past})
    assert Story.objects.get(pk=story.pk).status == Status.PUBLISHED


@pytest.mark.parametrize(
    "shape",
    ["%d/%m/%Y %H:%M", "%d/%m/%y %H:%M", "%-d/%-m/%Y %-I:%M %p", "%d.%m.%Y %-I%p"],
)
def test_the_time_to_publish_is_typed_day_first(client, people, community, shape):
    story = story_for(people, community, "approved")
    client.force_login(people["core"])
    review = client.get(story.get_review_url()).content.decode()
    assert 'type="text" name="publish-publish_at"' in review
    assert "Leave empty to publish now. Day first, then the time, like " in review
    when = (timezone.localtime() + timedelta(days=3)).replace(
        hour=21, minute=0 if "%M" not in shape else 30, second=0, microsecond=0
    )
    url = reverse("moderation:transition", args=[story.slug, "publish"])
    response = client.post(url, {"publish-publish_at": when.strftime(shape)})
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.status == Status.APPROVED and story.publish_at == when
    page = client.get(story.get_review_url()).content.decode()
    assert f"scheduled for {when.day} {when:%B %Y, %H:%M}" in page


@pytest.mark.parametrize("typed", ["next Tuesday-ish", "12/31/2030 09:30"])
def test_a_bad_date_is_explained_and_nothing_changes(client, people, community, typed):
    story = story_for(people, community, "approved")
    client.force_login(people["core"])
    url = reverse("moderation:transition", args=[story.slug, "publish"])
    response = client.post(url, {"publish-publish_at": typed,
                                 "publish-note": "Keep me"})  # fmt: skip
    assert response.status_code == 400
    html = response.content.decode()
    beside = html.split('id="id_publish-publish_at_error"', 1)[1].split("</ul>")[0]
    assert "Enter the date day first, then the time, like 14/03/2025 09:30." in beside
    assert f'name="publish-publish_at" value="{typed}"' in html and "Keep me" in html
    assert Story.objects.get(pk=story.pk).status == Status.APPROVED


def test_withdrawing_a_scheduled_story_cancels_it(people, community):
    story = story_for(people, community, "approved")
    Story.objects.filter(pk=story.pk).update(
        publish_at=timezone.now() - timedelta(minutes=1)
    )
    story.refresh_from_db()
    story_transition(story=story, actor=people["author"], action="withdraw")
    assert publish_due() == 0
    assert Story.objects.get(pk=story.pk).status == Status.WITHDRAWN
