"""An image kept for its sender from a story form that had a problem
(PendingUpload) leaves no file behind: its file goes with its row however the
row goes, with its sender's account too (on_delete=CASCADE), and the daily
`expire_pending_uploads` sweeps away a day-old file under pending/ that no
kept image names. A file a kept image still names stays."""

import io
import os
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from stories.models import PendingUpload
from tests.factories import make_member, png_bytes, story_data

pytestmark = pytest.mark.django_db
NEW = reverse("stories:new")


def keep_an_image(user, community):
    """What the story form does with an image sent with a problem (no
    title): it keeps it for its sender."""
    client = Client()
    client.force_login(user)
    picture = SimpleUploadedFile("cover.png", png_bytes((64, 36)), "image/png")
    data = story_data(community, title="", cover_image=picture)
    assert client.post(NEW, data).status_code == 400
    upload = PendingUpload.objects.get(owner=user)
    assert default_storage.exists(upload.image.name)
    return upload


def age(name, hours):
    """Make a stored file look `hours` old."""
    then = (timezone.now() - timedelta(hours=hours)).timestamp()
    os.utime(default_storage.path(name), (then, then))


def test_deleting_an_account_deletes_its_kept_images_and_their_files(
    community, django_capture_on_commit_callbacks
):
    leaving, staying = make_member(community), make_member(community)
    gone, kept = keep_an_image(leaving, community), keep_an_image(staying, community)
    with django_capture_on_commit_callbacks(execute=True):
        leaving.delete()
    assert not PendingUpload.objects.filter(pk=gone.pk).exists()
    assert not default_storage.exists(gone.image.name)
    assert PendingUpload.objects.filter(pk=kept.pk).exists()
    assert default_storage.exists(kept.image.name)  # still someone's


def test_a_deletion_rolled_back_keeps_the_file(
    community, django_capture_on_commit_callbacks
):
    owner = make_member(community)
    upload = keep_an_image(owner, community)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            owner.delete()
            raise RuntimeError("the request failed after the delete")
    assert PendingUpload.objects.filter(pk=upload.pk).exists()
    assert default_storage.exists(upload.image.name)


def test_the_daily_command_sweeps_day_old_files_no_kept_image_names(
    community, django_capture_on_commit_callbacks, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path  # only this test's files
    upload = keep_an_image(make_member(community), community)
    age(upload.image.name, 30)  # an old file, but a kept image (fresh) names it
    orphan = default_storage.save("pending/left-behind.png", ContentFile(png_bytes()))
    age(orphan, 30)
    young = default_storage.save("pending/just-saved.png", ContentFile(png_bytes()))
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("expire_pending_uploads", stdout=out)
    assert out.getvalue() == "0 expired images deleted.\n1 leftover file swept away.\n"
    assert not default_storage.exists(orphan)
    assert default_storage.exists(young)  # its row may be on its way
    assert default_storage.exists(upload.image.name)
    assert PendingUpload.objects.filter(pk=upload.pk).exists()


def test_the_sweep_has_nothing_to_do_when_nothing_was_ever_kept(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path  # no pending/ folder at all
    out = io.StringIO()
    call_command("expire_pending_uploads", stdout=out)
    assert out.getvalue() == "0 expired images deleted.\n"
