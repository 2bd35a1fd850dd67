"""The images kept for their sender from a story form that had a problem
(stories.image_slots shows them back): every write of them. Nothing a reader
sees changes, so the library version stays as it is. A kept image's file goes
with its row, however the row goes: expired, taken by a story, deleted in the
admin, or with its owner's account (on_delete=CASCADE)."""

from datetime import timedelta

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone

from stories.images import CleanImage
from stories.models import PendingUpload

PENDING_MAX = 12  # images kept for one person at a time
PENDING_DIR = "pending"  # PendingUpload.image's upload_to


def pending_upload_add(*, owner, clean: CleanImage):
    """Keep an image that came with a story form that had a problem, for
    its sender only (stories.image_slots); what has expired goes first, and
    nobody keeps more than PENDING_MAX."""
    pending_uploads_expire()
    name = default_storage.save(
        clean.name.replace("stories/", f"{PENDING_DIR}/", 1), clean.content
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
    """Delete these kept images; their files go once the transaction commits
    (forget_file)."""
    PendingUpload.objects.filter(pk__in=[upload.pk for upload in uploads]).delete()


@receiver(post_delete, sender=PendingUpload, dispatch_uid="p2s-pending-upload-file")
def forget_file(sender, instance, using, **kwargs):
    """A kept image's row is gone: its file goes too, once that commits (a
    rolled-back delete keeps both). Registered by StoriesConfig.ready."""
    name = instance.image.name
    transaction.on_commit(lambda: _delete_file(name), using=using)


def pending_files_sweep(*, now=None):
    """Delete the files under pending/ that no kept image names and that are
    older than PendingUpload.PENDING_HOURS: left when a process stopped
    between a row's delete and its file's, or by rows deleted before their
    files followed them. A younger one may be a file whose row is still
    being written, so it stays."""
    cutoff = (now or timezone.now()) - timedelta(hours=PendingUpload.PENDING_HOURS)
    try:
        _, files = default_storage.listdir(PENDING_DIR)
    except FileNotFoundError:  # nothing was ever kept
        return 0
    kept = set(PendingUpload.objects.values_list("image", flat=True))
    swept = 0
    for name in (f"{PENDING_DIR}/{file}" for file in files):
        if name not in kept and default_storage.get_modified_time(name) < cutoff:
            default_storage.delete(name)
            swept += 1
    return swept


def _delete_file(name):
    if name and default_storage.exists(name):
        default_storage.delete(name)
