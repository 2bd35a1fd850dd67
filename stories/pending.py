"""The images kept for their sender from a story form that had a problem
(stories.image_slots shows them back): every write of them. Nothing a reader
sees changes, so the library version stays as it is."""

from datetime import timedelta

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from stories.images import CleanImage
from stories.models import PendingUpload

PENDING_MAX = 12  # images kept for one person at a time


def pending_upload_add(*, owner, clean: CleanImage):
    """Keep an image that came with a story form that had a problem, for
    its sender only (stories.image_slots); what has expired goes first, and
    nobody keeps more than PENDING_MAX."""
    pending_uploads_expire()
    name = default_storage.save(
        clean.name.replace("stories/", "pending/", 1), clean.content
    )
    upload = PendingUpload.objects.create(
        owner=owner, image=name, width=clean.width, height=clean.height
    )
    older = PendingUpload.objects.filter(owner=owner).order_by("-created_at", "-pk")
    pending_uploads_forget(list(older[PENDING_MAX:]))
    return upload


def pending_uploads_expire(*, now=None):
    """Forget images kept for longer than PendingUpload.PENDING_HOURS."""
    now = now or timezone.now()
    cutoff = now - timedelta(hours=PendingUpload.PENDING_HOURS)
    expired = list(PendingUpload.objects.filter(created_at__lt=cutoff))
    pending_uploads_forget(expired)
    return len(expired)


def pending_uploads_forget(uploads):
    """Delete these kept images, their files once the transaction commits."""
    names = [upload.image.name for upload in uploads]
    PendingUpload.objects.filter(pk__in=[upload.pk for upload in uploads]).delete()
    transaction.on_commit(lambda: [_delete_file(name) for name in names])


def _delete_file(name):
    if name and default_storage.exists(name):
        default_storage.delete(name)
