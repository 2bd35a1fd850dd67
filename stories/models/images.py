"""A story's images (cover and gallery), the images dropped into the
editor, and the images kept from a story form that had a problem; their files
are made by stories.images."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models
from django.db.models import (
    Q,
)

from stories.images import rendition_name, rendition_size


def story_image_path(instance, filename):
    """A server-made name; only the extension of the stored format is kept."""
    suffix = PurePath(filename).suffix.lower()
    if suffix not in {".jpg", ".png", ".webp"}:
        suffix = ".jpg"
    return f"stories/{uuid.uuid4().hex}{suffix}"


class StoryImage(models.Model):
    """A cover or gallery image. Every file comes through stories.images
    (decoded, bounded, re-encoded) and is served only through a view that checks
    the reader may see its story."""

    story = models.ForeignKey(
        "stories.Story", on_delete=models.CASCADE, related_name="images"
    )
    image = models.ImageField(upload_to=story_image_path, max_length=200)
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)
    alt_text = models.CharField(
        max_length=250, help_text="What the image shows, for people who can't see it."
    )
    credit = models.CharField(max_length=200, help_text="Who made the image.")
    caption = models.CharField(max_length=300, blank=True)
    is_cover = models.BooleanField("cover image", default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-is_cover", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["story"],
                condition=Q(is_cover=True),
                name="storyimage_one_cover",
            ),
            models.CheckConstraint(
                condition=~Q(alt_text=""), name="storyimage_alt_required"
            ),
            models.CheckConstraint(
                condition=~Q(credit=""), name="storyimage_credit_required"
            ),
        ]

    def __str__(self):
        return self.alt_text

    def save(self, *args, **kwargs):
        # Stored so templates can give every <img> its size without opening files.
        if self.image and not (self.width and self.height):
            self.width, self.height = self.image.width, self.image.height
        super().save(*args, **kwargs)

    def _rendition(self, kind):
        width, height = rendition_size(self.width, self.height, kind)
        return {
            "url": default_storage.url(rendition_name(self.image.name, kind)),
            "width": width,
            "height": height,
        }

    @property
    def card(self):
        return self._rendition("card")

    @property
    def page(self):
        return self._rendition("page")

    @property
    def social(self):
        return self._rendition("social")


class EditorImage(models.Model):
    """An image dropped into the Markdown editor. Readable by whoever uploaded
    it, the core team, and anyone who may read a story whose text uses it.
    It outlives its uploader's account (SET_NULL): a published story keeps
    its pictures; one no story uses is swept away then
    (stories.services.editor_images_orphaned_forget)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    image = models.ImageField(upload_to="uploads/", max_length=200)
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    stories = models.ManyToManyField(
        "stories.Story", blank=True, related_name="editor_images"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.image.name


def new_upload_token():
    return uuid.uuid4().hex


class PendingUpload(models.Model):
    """An image sent with a story form that had a problem, kept so that the
    form needn't ask for it again: cleaned and re-encoded like every image,
    shown back only to the person who sent it (never served to anyone else),
    and deleted once a story takes it or after PENDING_HOURS
    (stories.services.pending_uploads_expire)."""

    PENDING_HOURS = 24

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    token = models.CharField(
        max_length=32, unique=True, default=new_upload_token, editable=False
    )
    image = models.ImageField(upload_to="pending/", max_length=200)
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.image.name
