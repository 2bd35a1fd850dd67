from django import forms

from communities.models import State

ALL = ""


class StoryFilterForm(forms.Form):
    """The browse filters. Choices come from what exists, so a hostile or stale
    value is an error beside its field, never a query."""

    stream = forms.ChoiceField(required=False, label="Stream")
    community = forms.ChoiceField(required=False, label="Community")
    state = forms.ChoiceField(required=False, label="State or territory")
    tag = forms.ChoiceField(required=False, label="Tag")
    year = forms.ChoiceField(required=False, label="Year of the work")

    FIELD_ORDER = ("stream", "community", "state", "tag", "year")

    def __init__(self, data, *, streams, communities, tags, years):
        super().__init__(data)
        self.fields["stream"].choices = [(ALL, "All streams")] + [
            (s.slug, s.name) for s in streams
        ]
        self.fields["community"].choices = [(ALL, "All communities")] + [
            (c.slug, c.name) for c in communities
        ]
        self.fields["state"].choices = [(ALL, "All states and territories")] + list(
            State.choices
        )
        self.fields["tag"].choices = [(ALL, "All tags")] + [
            (t.slug, t.name) for t in tags
        ]
        self.fields["year"].choices = [(ALL, "All years")] + [
            (str(y), str(y)) for y in years
        ]
        for field in self.fields.values():
            field.error_messages["invalid_choice"] = (
                "Nothing in the library matches “%(value)s”. Choose from the list."
            )

    def active(self):
        """[(field name, label of the chosen value)] for the filters in use."""
        if not hasattr(self, "cleaned_data"):
            return []
        labels = []
        for name in self.FIELD_ORDER:
            value = self.cleaned_data.get(name)
            if value:
                choices = dict(self.fields[name].choices)
                labels.append((name, self.fields[name].label, choices[value]))
        return labels
