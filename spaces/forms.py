from datetime import datetime

from django import forms
from django.core.validators import URLValidator

from common.forms import ClockTimeField, DayFirstDateField, PlainLabels
from common.markdown import markdown_problem
from common.timezones import ZONES, city, local, zone
from spaces.models import Session


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
