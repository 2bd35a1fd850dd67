"""What happened to a story: its revisions, its audit trail of events, the
review discussion and readers' flags."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from stories.models.story import Status


class StoryRevision(models.Model):
    """A saved state of a story's text and data: every save makes one, so
    nothing written is lost."""

    class Kind(models.TextChoices):
        SAVED = "saved", "Saved"
        STAGED = "staged", "Staged edit of a published story"
        RESTORED = "restored", "Restored from an earlier revision"

    story = models.ForeignKey(
        "stories.Story", on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.SAVED)
    data = models.JSONField()
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["story", "number"], name="storyrevision_unique_number"
            ),
        ]

    def __str__(self):
        return f"{self.story} (revision {self.number})"


# what the history says each action was; an action not named here (one
# imported from another library) is shown as it was recorded
ACTION_LABELS = {
    "submit": "Submitted",
    "request_changes": "Changes requested",
    "send_for_signoff": "Sent for sign-off",
    "sign_off": "Signed off",
    "ask_for_changes": "Changes asked for",
    "publish": "Published",
    "reject": "Rejected",
    "withdraw": "Withdrawn",
    "archive": "Archived",
    "republish": "Republished",
    "schedule": "Scheduled",
    "sign_off_edit": "Edit signed off",
    "publish_edit": "Edit published",
    "discard_edit": "Edit discarded",
}


class StoryEvent(models.Model):
    """The audit trail: who did what to a story, from which state to which,
    with their note. Written once; no screen edits or deletes it."""

    # PROTECT: a story with a history can't be deleted (withdraw or archive it)
    story = models.ForeignKey(
        "stories.Story", on_delete=models.PROTECT, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=40)
    from_status = models.CharField(max_length=20, choices=Status, blank=True)
    to_status = models.CharField(max_length=20, choices=Status, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.action}: {self.story}"

    @property
    def action_label(self):
        return ACTION_LABELS.get(self.action, self.action.replace("_", " "))


class StoryComment(models.Model):
    """The internal thread of a story: core team, its authors and its
    community lead. Never public."""

    story = models.ForeignKey(
        "stories.Story", on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Comment on {self.story}"


class StoryFlag(models.Model):
    """A member's concern about a published story, for the core team."""

    story = models.ForeignKey(
        "stories.Story", on_delete=models.CASCADE, related_name="flags"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.TextField(max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return f"Flag on {self.story}"
