"""The story form's images, one slot at a time.

A slot is a file with its alt text and credit, checked together, the file
cleaned and re-encoded by the one image pipeline (stories.images). A file sent
with a form that had a problem is kept as the sender's PendingUpload, and the
slot shows it back and carries its token, so nobody is asked for it again.
The form shows the slots in use and one more on request ("Add another
image"); the rest wait, hidden, for a script that adds one in place."""

import re
from datetime import timedelta

from django import forms
from django.urls import reverse
from django.utils import timezone

from stories.images import clean_image
from stories.models import PendingUpload

TOKEN = re.compile(r"[0-9a-f]{32}")
GALLERY_SLOTS = 3


def make_slots(form):
    """The cover's slot, then the gallery's, their fields added to `form`."""
    return [ImageSlot(form, "cover", "Cover image", cover=True)] + [
        ImageSlot(form, f"gallery_{n}", f"Gallery image {n}")
        for n in range(1, GALLERY_SLOTS + 1)
    ]


def attach_pending(form, slots):
    """Give each slot the upload kept for it, if its token came back with the
    form and is the sender's own and still kept (one query)."""
    if not form.is_bound:
        return
    tokens = {slot: slot.token_sent for slot in slots if slot.token_sent}
    if not tokens:
        return
    kept_since = timezone.now() - timedelta(hours=PendingUpload.PENDING_HOURS)
    kept = {
        upload.token: upload
        for upload in PendingUpload.objects.filter(
            owner=form.user, token__in=tokens.values(), created_at__gte=kept_since
        )
    }
    for slot, token in tokens.items():
        slot.pending = kept.get(token)


def slots_shown(form, slots, add_slot):
    """How many slots the form shows: as many as it showed (its hidden
    `image_slots`), at least up to the last one in use, one more if asked."""
    try:
        shown = int(form.data.get("image_slots", 1)) if form.is_bound else 1
    except (TypeError, ValueError):
        shown = 1
    used = [number for number, slot in enumerate(slots, 1) if slot.in_use]
    shown = max(shown, *used, 1) + (1 if add_slot else 0)
    return min(max(shown, 1), len(slots))


class ImageSlot:
    """One image in the story form: its file, alt text and credit, and the
    upload kept from an earlier try (`pending`)."""

    def __init__(self, form, prefix, label, cover=False):
        self.form, self.prefix, self.label, self.cover = form, prefix, label, cover
        form.fields[f"{prefix}_image"] = forms.FileField(
            label=label,
            required=False,
            widget=forms.ClearableFileInput(
                attrs={"accept": "image/jpeg,image/png,image/webp"}
            ),
            help_text="JPEG, PNG or WebP, up to 10 MB.",
        )
        form.fields[f"{prefix}_alt"] = forms.CharField(
            label=f"{label}: alt text",
            max_length=250,
            required=False,
            help_text="What the image shows, for people who can't see it.",
        )
        form.fields[f"{prefix}_credit"] = forms.CharField(
            label=f"{label}: credit",
            max_length=200,
            required=False,
            help_text="Who made it, e.g. Photo: Sam Lee.",
        )
        form.fields[f"{prefix}_discard"] = forms.BooleanField(
            label=f"Don't use this image ({label.lower()})", required=False
        )
        self.clean_image = None
        self.pending = None
        self.shown = True

    @property
    def alt(self):
        return (self.form.cleaned_data.get(f"{self.prefix}_alt") or "").strip()

    @property
    def credit(self):
        return (self.form.cleaned_data.get(f"{self.prefix}_credit") or "").strip()

    @property
    def file_sent(self):
        return bool(self.form.files.get(f"{self.prefix}_image"))

    @property
    def token_sent(self):
        token = self.form.data.get(f"{self.prefix}_pending") or ""
        return token if TOKEN.fullmatch(token) else ""

    @property
    def in_use(self):
        """Something is in this slot: a file, a kept one, or typed words."""
        data = self.form.data if self.form.is_bound else {}
        typed = any(
            (data.get(f"{self.prefix}_{part}") or "").strip()
            for part in ["alt", "credit"]
        )
        return self.file_sent or bool(self.token_sent) or typed

    @property
    def pending_url(self):
        if self.pending is None:
            return ""
        return reverse("stories:pending-image", args=[self.pending.token])

    @property
    def image_field(self):
        return self.form[f"{self.prefix}_image"]

    @property
    def alt_field(self):
        return self.form[f"{self.prefix}_alt"]

    @property
    def credit_field(self):
        return self.form[f"{self.prefix}_credit"]

    @property
    def discard_field(self):
        return self.form[f"{self.prefix}_discard"]

    def clean(self):
        data = self.form.cleaned_data
        if data.get(f"{self.prefix}_discard"):
            self.pending = None
        upload = data.get(f"{self.prefix}_image")
        if not upload and self.pending is None:
            return
        alt = (data.get(f"{self.prefix}_alt") or "").strip()
        credit = (data.get(f"{self.prefix}_credit") or "").strip()
        if not alt and f"{self.prefix}_alt" not in self.form.errors:
            self.form.add_error(
                f"{self.prefix}_alt", "Describe the image for people who can't see it."
            )
        if not credit and f"{self.prefix}_credit" not in self.form.errors:
            self.form.add_error(f"{self.prefix}_credit", "Say who made the image.")
        if not upload:
            return
        try:
            self.clean_image = clean_image(upload)
        except forms.ValidationError as error:
            self.form.add_error(f"{self.prefix}_image", error)

    @property
    def image(self):
        """What this slot brings to the story: a new file, else the kept one."""
        return self.clean_image or self.pending
