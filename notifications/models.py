"""Emails the mail server didn't take, kept for the core team."""

from django.conf import settings
from django.db import models
from django.db.models import Count, Q, Window
from django.utils import timezone


class FailedNotificationQuerySet(models.QuerySet):
    def unresolved(self):
        return self.filter(resolved_at=None)

    def with_total(self):
        """Annotate `total`: how many rows the query has before any slice, so a
        page can show the first few and the count in one query."""
        return self.annotate(total=Window(Count("pk")))


class Resolution(models.TextChoices):
    SENT = "sent", "Sent on a retry"
    DISMISSED = "dismissed", "Dismissed"


class FailedNotification(models.Model):
    """An email the library could not hand to the mail server. The action that
    caused it stays done (notifications/mail.py); this row lets the core team see what
    nobody was told, and send it again or dismiss it, from the moderation
    queue."""

    subject = models.TextField()
    body = models.TextField()
    recipients = models.JSONField(default=list, help_text="The addresses it was for.")
    what = models.CharField(
        "about",
        max_length=200,
        blank=True,
        help_text="What the email was, e.g. “publish notification for story 12”.",
    )
    error = models.TextField(help_text="What went wrong the last time it was tried.")
    attempts = models.PositiveSmallIntegerField(default=1)
    created_at = models.DateTimeField("failed at", default=timezone.now)
    last_tried_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    resolution = models.CharField(max_length=10, choices=Resolution, blank=True)

    objects = FailedNotificationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(resolved_at=None, resolution="")
                | (Q(resolved_at__isnull=False) & ~Q(resolution="")),
                name="failed_notification_resolved_with_a_resolution",
            ),
        ]

    def __str__(self):
        return self.subject

    @property
    def resolved(self):
        return self.resolved_at is not None
