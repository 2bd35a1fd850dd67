"""The synthesis's filters, asked in the address (GET), so a filtered synthesis
or list of lessons can be linked to, bookmarked and printed. A value outside
the choices is an error beside its field and that filter is left out; the
others still apply."""

from django import forms

from common.forms import PlainLabels
from communities.models import State
from lessons.models import Kind
from lessons.selectors import NO_THEME
from lessons.synthesis import NO_THEME_LABEL

# a year asked for that no story the reader may read is of: offered, with its
# counts of none, rather than refused (a member's link opened by a visitor)
YEARS = range(1900, 2101)


class SynthesisFilterForm(PlainLabels, forms.Form):
    """The story's state or territory and year; `years` are the years of the
    stories the reader may read."""

    state = forms.ChoiceField(required=False, label="State or territory")
    year = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None, label="Year of the work"
    )

    def __init__(self, data, *, years, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["state"].choices = [("", "All states and territories")] + list(
            State.choices
        )
        years = set(years)
        asked = (data or {}).get("year", "")
        if asked.isdigit() and int(asked) in YEARS:  # a link from a fuller view
            years.add(int(asked))
        self.fields["year"].choices = [("", "All years")] + [
            (str(year), str(year)) for year in sorted(years, reverse=True)
        ]
        for field in self.fields.values():
            field.error_messages["invalid_choice"] = (
                "Nothing in the synthesis matches “%(value)s”. Choose from the list."
            )

    def filters(self):
        """{name: value} of the valid filters in use; a bad one is left out."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {
            name: self.cleaned_data[name]
            for name in self.fields
            if name not in self.errors and self.cleaned_data.get(name)
        }


class LessonFilterForm(SynthesisFilterForm):
    """Also the lesson's stream, kind and theme (or none yet): what one
    number of the synthesis counts. `streams` and `themes` are the rows the
    synthesis counts by."""

    stream = forms.ChoiceField(required=False, label="Stream")
    kind = forms.ChoiceField(required=False, label="Kind of lesson")
    theme = forms.ChoiceField(required=False, label="Learning theme")

    field_order = ["stream", "kind", "theme", "state", "year"]

    def __init__(self, data, *, years, streams, themes, **kwargs):
        super().__init__(data, years=years, **kwargs)
        self.fields["stream"].choices = [("", "All streams")] + [
            (stream.slug, stream.name) for stream in streams
        ]
        self.fields["kind"].choices = [("", "All kinds")] + list(Kind.choices)
        self.fields["theme"].choices = (
            [("", "All themes")]
            + [(theme.slug, theme.name) for theme in themes]
            + [(NO_THEME, NO_THEME_LABEL)]
        )
        for name in ("stream", "kind", "theme"):
            self.fields[name].error_messages["invalid_choice"] = self.fields[
                "state"
            ].error_messages["invalid_choice"]
