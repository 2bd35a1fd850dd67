"""Emails that go out only after the transaction commits, through the task
queue (notifications/tasks.py), so a slow mail server never holds a request."""

from django.conf import settings
from django.db import transaction

from notifications.services import failed_notification_record
from notifications.tasks import email_send


def absolute_url(request, path):
    """A link for an email: from the request's host, or SITE_URL outside one."""
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.SITE_URL.rstrip("/") + path


def mail_after_commit(subject, body, recipients, *, what="email"):
    """Queue a plain-text email once the current transaction commits (at once
    outside one); the worker sends it (tasks.email_send). A failing mail
    server, or a queue that won't take the task, is logged and recorded for
    the core team (a FailedNotification), never raised: the change that
    caused the email stays done. The body is kept in the queue and, when it
    fails, on the record: never send a secret (a token, a password link) this
    way."""
    recipients = sorted({address for address in recipients if address})
    if not recipients:
        return
    # a title or name typed with a line break must not make the subject an
    # invalid header (Django would refuse to send it at all)
    subject = " ".join(subject.split())

    def enqueue():
        try:
            email_send.enqueue(
                subject=subject, body=body, recipients=recipients, what=what
            )
        except Exception as error:
            failed_notification_record(
                subject=subject,
                body=body,
                recipients=recipients,
                what=what,
                error=error,
                step="queue",
            )

    transaction.on_commit(enqueue)
