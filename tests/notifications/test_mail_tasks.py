"""Emails leave the request through the task queue in the database: the
request only queues them, the worker (`manage.py db_worker`) sends them, and
what the mail server or the queue doesn't take still reaches the core team as
a failed notification. The rest of the suite runs each task in place
(p2s/settings/test.py); these tests use the deployed setting."""

import signal
from io import StringIO
from smtplib import SMTPException

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from notifications.models import FailedNotification, Resolution
from p2s.settings.base import TASKS as DEPLOYED_TASKS
from stories.models import Status, Story, StoryEvent
from stories.workflow import story_transition
from tests.factories import (
    make_authored_story,
    make_core,
)

# The worker's own loop closes the connection between rounds, as it should
# between tasks: so each test commits for real instead of inside one
# transaction that is rolled back.
pytestmark = pytest.mark.django_db(transaction=True)

SUBJECT = "Published: Our walking bus"


class BrokenBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise SMTPException("The mail server is down")


@pytest.fixture(autouse=True)
def queue_in_the_database():
    with override_settings(TASKS=DEPLOYED_TASKS):
        yield


@pytest.fixture
def core(transactional_db):
    return make_core(email="core@example.org")


@pytest.fixture
def approved_story(transactional_db):
    return make_authored_story(status=Status.APPROVED, title="Our walking bus")


@pytest.fixture
def run_worker():
    """The worker as deployed, in batch mode: every task waiting, then it
    exits. It installs its own signal handlers; pytest gets its own back."""
    signals = (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)
    kept = {sig: signal.getsignal(sig) for sig in signals}

    def run():
        call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO())

    yield run
    for sig, handler in kept.items():
        signal.signal(sig, handler)


def publish(client, core, story):
    client.force_login(core)
    url = reverse("moderation:transition", args=[story.slug, "publish"])
    return client.post(url)


def test_the_request_queues_the_email_without_sending_it(
    client, core, approved_story, mailoutbox
):
    response = publish(client, core, approved_story)
    assert response.status_code == 302
    assert Story.objects.get(pk=approved_story.pk).status == Status.PUBLISHED
    assert mailoutbox == []
    [queued] = DBTaskResult.objects.all()
    assert queued.status == TaskResultStatus.READY
    assert queued.task_path == "notifications.tasks.email_send"
    assert queued.args_kwargs["kwargs"]["subject"] == SUBJECT
    assert queued.args_kwargs["kwargs"]["recipients"] == ["author@example.org"]
    assert FailedNotification.objects.count() == 0


def test_the_worker_sends_what_was_queued(
    client, core, approved_story, mailoutbox, run_worker
):
    publish(client, core, approved_story)
    run_worker()
    [mail] = mailoutbox
    assert mail.subject == SUBJECT
    assert mail.to == ["author@example.org"]
    assert "“Our walking bus” is now published." in mail.body
    done = DBTaskResult.objects.get()
    assert done.status == TaskResultStatus.SUCCESSFUL
    assert done.return_value is True
    # a second round finds nothing left to send
    run_worker()
    assert len(mailoutbox) == 1


def test_a_rolled_back_change_queues_nothing(core, approved_story):
    with pytest.raises(RuntimeError), transaction.atomic():
        story_transition(story=approved_story, actor=core, action="publish")
        raise RuntimeError("something after it failed")
    assert DBTaskResult.objects.count() == 0


@override_settings(EMAIL_BACKEND="tests.notifications.test_mail_tasks.BrokenBackend")
def test_what_the_mail_server_refuses_reaches_the_core_team(
    client, core, approved_story, mailoutbox, run_worker, caplog
):
    assert publish(client, core, approved_story).status_code == 302
    run_worker()
    assert mailoutbox == []
    assert Story.objects.get(pk=approved_story.pk).status == Status.PUBLISHED
    assert StoryEvent.objects.filter(story=approved_story, action="publish").exists()
    assert "Could not send the publish notification" in caplog.text
    failure = FailedNotification.objects.get()
    assert failure.subject == SUBJECT
    assert failure.recipients == ["author@example.org"]
    assert failure.what == f"publish notification for story {approved_story.pk}"
    assert failure.error == "SMTPException: The mail server is down"
    # the task itself ran to the end: the record is where the failure is kept
    assert DBTaskResult.objects.get().return_value is False
    queue = client.get(reverse("moderation:queue")).content.decode()
    assert "1 email could not be sent" in queue and SUBJECT in queue


def test_the_core_team_sends_a_refused_email_again(
    client, core, approved_story, mailoutbox, run_worker
):
    publish(client, core, approved_story)
    with override_settings(
        EMAIL_BACKEND="tests.notifications.test_mail_tasks.BrokenBackend"
    ):
        run_worker()
    failure = FailedNotification.objects.get()
    url = reverse("moderation:notifications:retry", args=[failure.pk])
    assert client.post(url).status_code == 302
    [mail] = mailoutbox
    assert mail.subject == SUBJECT and mail.to == ["author@example.org"]
    failure.refresh_from_db()
    assert failure.resolution == Resolution.SENT and failure.resolved_by == core


@override_settings(
    TASKS={"default": {**DEPLOYED_TASKS["default"], "QUEUES": ["elsewhere"]}}
)
def test_a_queue_that_refuses_the_task_neither_fails_the_request_nor_loses_it(
    client, core, approved_story, mailoutbox, caplog
):
    response = publish(client, core, approved_story)
    assert response.status_code == 302
    assert Story.objects.get(pk=approved_story.pk).status == Status.PUBLISHED
    assert DBTaskResult.objects.count() == 0
    assert "Could not queue the publish notification" in caplog.text
    failure = FailedNotification.objects.get()
    assert failure.subject == SUBJECT
    assert failure.error.startswith("InvalidTaskError")
    # sending it again doesn't need the queue
    url = reverse("moderation:notifications:retry", args=[failure.pk])
    assert client.post(url).status_code == 302
    [mail] = mailoutbox
    assert mail.subject == SUBJECT
