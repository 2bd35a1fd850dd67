from datetime import datetime

from django import forms
from django.core.validators import URLValidator
from taggit.forms import TagField

from common.forms import ClockTimeField, DayFirstDateField, PlainLabels
from common.markdown import markdown_problem
from common.timezones import ZONES, city, local, zone
from framework.models import Stream
from spaces.documents import clean_document
from spaces.models import Session
from spaces.services import RESOURCE_FIELDS


class SpaceJoinForm(PlainLabels, forms.Form):
    message = forms.CharField(
        label="A note to the facilitators (optional)",
        help_text="What you hope to bring and to learn; up to 1,000 characters.",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SessionForm(PlainLabels, forms.Form):
    """Plan a session, or write up its notes. The day and time are typed as
    the clock shows them in the chosen zone, and kept in UTC."""

    title = forms.CharField(max_length=160)
    day = DayFirstDateField()
    time = ClockTimeField(help_text="Like 10:00 or 2:30 pm.")
    time_zone = forms.ChoiceField(
        label="In the time of", choices=ZONES, help_text="Members in other "
        "states see the session in their own time."
    )  # fmt: skip
    duration = forms.TypedChoiceField(
        label="Length", choices=Session.DURATIONS, coerce=int, initial=60
    )
    video_link = forms.URLField(
        label="Video link (optional)",
        required=False,
        max_length=500,
        assume_scheme="https",
        validators=[URLValidator(schemes=["https"])],
        help_text="The meeting's https:// address; only the space's members see it.",
    )
    agenda = forms.CharField(
        label="Agenda (optional)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Markdown: a list of what you'll cover.",
    )
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="Markdown: what was shared and learnt. Seen only inside the space.",
    )

    def __init__(self, *args, session=None, zone_key, **kwargs):
        if session is not None:
            shown = session.starts_at.astimezone(zone(zone_key))
            kwargs["initial"] = {
                "title": session.title,
                "day": shown.date(),
                "time": shown.time(),
                "time_zone": zone_key,
                "duration": session.duration,
                "video_link": session.video_link,
                "agenda": session.agenda,
                "notes": session.notes,
            }
        else:
            kwargs["initial"] = {"time_zone": zone_key, "duration": 60}
        super().__init__(*args, **kwargs)

    def clean_agenda(self):
        return self._markdown("agenda")

    def clean_notes(self):
        return self._markdown("notes")

    def _markdown(self, name):
        text = self.cleaned_data[name]
        if problem := markdown_problem(text):
            raise forms.ValidationError(problem)
        return text

    def clean(self):
        data = super().clean()
        day, time, key = data.get("day"), data.get("time"), data.get("time_zone")
        if day and time and key:
            starts = local(datetime.combine(day, time), key)
            if starts is None:
                self.add_error(
                    "time",
                    f"The clocks change then in {city(key)}, so that time is "
                    "missing or happens twice: choose another time.",
                )
            data["starts_at"] = starts
        return data

    def values(self):
        """The session's fields as cleaned."""
        data = self.cleaned_data
        names = ["title", "starts_at", "duration", "video_link", "agenda", "notes"]
        return {name: data[name] for name in names}


class ResourceForm(PlainLabels, forms.Form):
    """Share a link or a file in a space, or change one; exactly one of the
    two (a file kept from before counts)."""

    title = forms.CharField(max_length=160)
    description = forms.CharField(
        label="Description (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What it is and how you used it; plain text.",
    )
    stream = forms.ModelChoiceField(
        queryset=Stream.objects.order_by("order"),
        empty_label="Choose a stream",
        help_text="The stream of the Pathway to Scale it helps with most.",
    )
    tags = TagField(
        label="Tags (optional)",
        required=False,
        help_text="Separated by commas, like funding, evaluation.",
    )
    link = forms.URLField(
        label="Link",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="Share a web address, or a file below.",
    )
    file = forms.FileField(
        label="File",
        required=False,
        help_text="A PDF, Word, Excel or PowerPoint file (or OpenDocument), a "
        "CSV or text file, or an image; up to 20 MB.",
    )

    def __init__(self, *args, resource=None, **kwargs):
        self.resource = resource
        if resource is not None:
            kwargs["initial"] = {
                "title": resource.title,
                "description": resource.description,
                "stream": resource.stream_id,
                "tags": list(resource.tags.all()),
                "link": resource.link,
            }
        super().__init__(*args, **kwargs)

    def clean_tags(self):
        tags = self.cleaned_data["tags"]
        if len(tags) > 20:
            raise forms.ValidationError("Give at most 20 tags.")
        if any(len(tag) > 100 for tag in tags):
            raise forms.ValidationError("Keep each tag under 100 characters.")
        return tags

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        return clean_document(upload) if upload else None

    def clean(self):
        data = super().clean()
        kept = self.resource is not None and bool(self.resource.file)
        if data.get("link") and data.get("file"):
            self.add_error("link", "Share a link or a file, not both.")
        elif not (data.get("link") or data.get("file") or kept):
            if "link" not in self.errors and "file" not in self.errors:
                self.add_error("link", "Give a link, or choose a file below.")
        return data

    def values(self):
        return {name: self.cleaned_data[name] for name in RESOURCE_FIELDS}


class ResourceSearchForm(PlainLabels, forms.Form):
    """Search a space's resources: words in their title, description or
    tags, a stream, a tag."""

    q = forms.CharField(label="Words to look for", required=False, max_length=100)
    stream = forms.ModelChoiceField(
        queryset=Stream.objects.order_by("order"),
        to_field_name="slug",
        required=False,
        empty_label="Every stream",
    )
    tag = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)
