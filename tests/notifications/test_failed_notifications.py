"""A mail server that is down never fails a reader's action; what it didn't
take is recorded, shown to the core team on the moderation queue, and sent
again or dismissed by them."""

import socket

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from notifications.models import FailedNotification, Resolution
from stories.models import Status, Story, StoryEvent
from tests.factories import (
    make_authored_story,
    make_community,
    make_core,
    make_member,
)

pytestmark = pytest.mark.django_db

QUEUE = reverse("moderation:queue")


def closed_port():
    """A port on this machine where nothing listens: a connection is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def smtp_to_nowhere():
    return override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=closed_port(),
        EMAIL_TIMEOUT=5,
    )


@pytest.fixture
def mail_server_down():
    with smtp_to_nowhere():
        yield


@pytest.fixture
def core(db):
    return make_core(email="core@example.org")


@pytest.fixture
def approved_story(db):
    return make_authored_story(status=Status.APPROVED, title="Our walking bus")


def publish(client, story, django_capture_on_commit_callbacks):
    url = reverse("moderation:transition", args=[story.slug, "publish"])
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(url)


@pytest.fixture
def failed(client, core, approved_story, django_capture_on_commit_callbacks):
    """The publish notification the mail server refused (it is back afterwards)."""
    client.force_login(core)
    with smtp_to_nowhere():
        publish(client, approved_story, django_capture_on_commit_callbacks)
    client.logout()
    return FailedNotification.objects.get()


def test_publishing_works_while_the_mail_server_is_down(
    client, core, approved_story, mail_server_down,
    django_capture_on_commit_callbacks, caplog,
):  # fmt: skip
    client.force_login(core)
    response = publish(client, approved_story, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert Story.objects.get(pk=approved_story.pk).status == Status.PUBLISHED
    assert StoryEvent.objects.filter(story=approved_story, action="publish").exists()
    assert "Could not send the publish notification" in caplog.text
    failure = FailedNotification.objects.get()
    assert failure.subject == "Published: Our walking bus"
    assert failure.recipients == ["author@example.org"]
    assert "“Our walking bus” is now published." in failure.body
    assert failure.what == f"publish notification for story {approved_story.pk}"
    assert failure.error.startswith("ConnectionRefusedError")
    assert failure.attempts == 1
    assert not failure.resolved and failure.resolution == ""


def test_the_core_team_sees_what_was_not_sent_on_the_queue(
    client, core, failed, django_assert_max_num_queries
):
    client.force_login(core)
    with django_assert_max_num_queries(11):
        response = client.get(QUEUE)
    html = response.content.decode()
    assert response.status_code == 200
    assert "1 email could not be sent" in html
    assert "Published: Our walking bus" in html and "author@example.org" in html
    assert "ConnectionRefusedError" in html
    retry = reverse("moderation:notifications:retry", args=[failed.pk])
    dismiss = reverse("moderation:notifications:dismiss", args=[failed.pk])
    assert f'action="{retry}"' in html and f'action="{dismiss}"' in html


def test_the_queue_counts_them_all_and_shows_the_oldest(client, core):
    for number in range(23):
        FailedNotification.objects.create(
            subject=f"Subject {number:02}", body="b", recipients=["a@example.org"],
            error="SMTPServerDisconnected: gone",
        )  # fmt: skip
    FailedNotification.objects.create(
        subject="Long settled", body="b", error="x",
        resolution=Resolution.DISMISSED, resolved_at=timezone.now(),
    )  # fmt: skip
    client.force_login(core)
    html = client.get(QUEUE).content.decode()
    assert "23 emails could not be sent" in html
    assert "Subject 00" in html and "Subject 19" in html
    assert "Subject 20" not in html and "Long settled" not in html
    assert "The oldest 20 are shown" in html


def test_nothing_is_shown_when_every_email_went(client, core):
    client.force_login(core)
    assert "could not be sent" not in client.get(QUEUE).content.decode()


def test_sending_again_while_the_server_is_still_down_keeps_it(
    client, core, failed, mail_server_down
):
    client.force_login(core)
    url = reverse("moderation:notifications:retry", args=[failed.pk])
    response = client.post(url, follow=True)
    assert response.redirect_chain[0] == (QUEUE + "#failed-notifications", 302)
    assert "still didn&#x27;t take" in response.content.decode()
    failed.refresh_from_db()
    assert failed.attempts == 2 and not failed.resolved
    assert failed.error.startswith("ConnectionRefusedError")


def test_sending_again_once_the_server_is_back(client, core, failed, mailoutbox):
    client.force_login(core)
    url = reverse("moderation:notifications:retry", args=[failed.pk])
    response = client.post(url)
    assert response.status_code == 302
    [mail] = mailoutbox
    assert mail.subject == "Published: Our walking bus"
    assert mail.to == ["author@example.org"]
    assert mail.body == failed.body
    failed.refresh_from_db()
    assert failed.resolved and failed.resolution == Resolution.SENT
    assert failed.resolved_by == core and failed.attempts == 2
    assert "could not be sent" not in client.get(QUEUE).content.decode()
    # a second click finds nothing left to send
    assert client.post(url).status_code == 404
    assert len(mailoutbox) == 1


def test_dismissing_resolves_it_without_sending(client, core, failed, mailoutbox):
    client.force_login(core)
    url = reverse("moderation:notifications:dismiss", args=[failed.pk])
    assert client.post(url).status_code == 302
    assert mailoutbox == []
    failed.refresh_from_db()
    assert failed.resolved and failed.resolution == Resolution.DISMISSED
    assert failed.resolved_by == core
    assert client.post(url).status_code == 404
    retry = reverse("moderation:notifications:retry", args=[failed.pk])
    assert client.post(retry).status_code == 404


@pytest.mark.parametrize("action", ["retry", "dismiss"])
def test_only_the_core_team_may_act_on_them(client, failed, mailoutbox, action):
    url = reverse(f"moderation:notifications:{action}", args=[failed.pk])
    response = client.post(url)  # a visitor: to the sign-in page
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    lead = make_member(make_community(), role="lead")
    client.force_login(lead)
    assert client.post(url).status_code == 403
    assert client.get(QUEUE).status_code == 403
    client.force_login(make_core())
    assert client.get(url).status_code == 405  # a change is a POST
    missing = reverse(f"moderation:notifications:{action}", args=[failed.pk + 1])
    assert client.post(missing).status_code == 404
    failed.refresh_from_db()
    assert not failed.resolved and failed.attempts == 1
    assert mailoutbox == []


def test_the_admin_lists_them(admin_client, failed):
    response = admin_client.get("/admin/notifications/failednotification/")
    assert response.status_code == 200
    assert "Published: Our walking bus" in response.content.decode()
    page = admin_client.get(
        f"/admin/notifications/failednotification/{failed.pk}/change/"
    )
    assert page.status_code == 200
    assert (
        admin_client.get("/admin/notifications/failednotification/add/").status_code
        == 403
    )
