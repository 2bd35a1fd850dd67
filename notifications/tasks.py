"""Work that leaves the request: the tasks framework (django-tasks) runs it in a
worker process in production (`manage.py db_worker`), in place in development
and tests. docs/deploy.md#the-mail-worker."""

from django.conf import settings
from django.core.mail import send_mail
from django_tasks import task

from notifications.services import failed_notification_record


@task()
def email_send(*, subject, body, recipients, what="email"):
    """Send one plain-text email (queued by mail.mail_after_commit). A mail
    server that doesn't take it is logged and recorded for the core team (a
    FailedNotification, sent again from the moderation queue), not raised:
    the worker would only mark the task failed, where nobody looks.
    Returns whether the mail server took it, kept on the task's result."""
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    except Exception as error:
        failed_notification_record(
            subject=subject,
            body=body,
            recipients=recipients,
            what=what,
            error=error,
            step="send",
        )
        return False
    return True
