"""Failed notifications: recorded when the mail server fails, then sent again
or dismissed by the core team."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import DatabaseError, transaction
from django.utils import timezone

from notifications.models import FailedNotification, Resolution

log = logging.getLogger(__name__)

MAX_ERROR = 2000


def describe_error(error):
    return f"{type(error).__name__}: {error}"[:MAX_ERROR]


def failed_notification_record(*, subject, body, recipients, what, error, step):
    """Log that an email could not go out at `step` ("queue" or "send") and
    keep it for the core team. Never raises: it runs after the action that
    sent it has committed, and the database may be what is failing too (the
    log still has it)."""
    log.error("Could not %s the %s", step, what, exc_info=error)
    try:
        return FailedNotification.objects.create(
            subject=subject,
            body=body,
            recipients=list(recipients),
            what=what[:200],
            error=describe_error(error),
        )
    except DatabaseError:
        log.exception("Could not record the failed %s either", what)
        return None


@transaction.atomic
def failed_notification_retry(*, notification, actor):
    """Try the email once more. True when the mail server took it (the row is
    resolved), False when it failed again (the row keeps the new error), None
    when someone else resolved it first. The row stays locked while sending, so
    a double click sends one email."""
    row = (
        FailedNotification.objects.select_for_update()
        .unresolved()
        .filter(pk=notification.pk)
        .first()
    )
    if row is None:
        return None
    now = timezone.now()
    try:
        send_mail(row.subject, row.body, settings.DEFAULT_FROM_EMAIL, row.recipients)
    except Exception as error:
        log.warning("Could not send the %s again: %s", row.what or "email", error)
        row.error = describe_error(error)
        row.attempts += 1
        row.last_tried_at = now
        row.save(update_fields=["error", "attempts", "last_tried_at"])
        return False
    row.attempts += 1
    row.last_tried_at = row.resolved_at = now
    row.resolved_by = actor
    row.resolution = Resolution.SENT
    row.save()
    return True


def failed_notification_dismiss(*, notification, actor):
    """Resolve it without sending (the people were told another way, or the
    email no longer matters). False when it was already resolved."""
    return bool(
        FailedNotification.objects.unresolved()
        .filter(pk=notification.pk)
        .update(
            resolved_at=timezone.now(),
            resolved_by=actor,
            resolution=Resolution.DISMISSED,
        )
    )
