"""Browse's filters: each a choice among what the library holds, with its
count."""

from functools import partial

from django import forms

from common.forms import PlainLabels
from communities.models import State
from discovery.search import clean_query

ALL = ""


class FacetField(forms.ChoiceField):
    """A filter's choice, checked against the names it may take (`known`):
    its choices, hundreds of labelled counts, are only made when the filters
    are drawn, and their HTML is kept (browse_views.py). The choices that
    would give no story (`disabled_values`) are drawn disabled."""

    known = {}
    disabled_values = frozenset()

    def valid_value(self, value):
        return str(value) in self.known


class StoryFilterForm(PlainLabels, forms.Form):
    """The browse search and filters. Choices come from what the reader may
    read, each with its count (discovery/facets.py), so a hostile or stale value
    is an error beside its field, never a query."""

    q = forms.CharField(
        required=False,
        label="Search the stories",
        strip=True,  # its help, with the syntax kept on one line, is in the template
    )
    stream = FacetField(required=False, label="Stream")
    community = FacetField(required=False, label="Community")
    state = FacetField(required=False, label="State or territory")
    tag = FacetField(required=False, label="Tag")
    theme = FacetField(required=False, label="Learning theme")
    year = FacetField(required=False, label="Year of the work")

    FIELD_ORDER = ("stream", "community", "state", "tag", "theme", "year")

    def __init__(self, data, *, streams, communities, facets, extra=None):
        """`communities` is [(pk, slug, name, state)]; `facets` comes from
        discovery.facets.count_facets; `extra` holds {"tag" or "theme": (slug,
        name)} or {"year": year} for a chosen value the reader may read that
        the other filters leave no story of (offered with a count of 0)."""
        super().__init__(data)
        # any search answers, NUL included: clean_q drops what can't be searched
        self.fields["q"].validators = []
        extra = extra or {}
        named = {}  # tags and themes, {slug: (name, n)}, by name
        for facet in ("tag", "theme"):
            pairs = dict(facets[facet])
            if facet in extra:
                slug, name = extra[facet]
                pairs.setdefault(slug, (name, 0))
            named[facet] = dict(sorted(pairs.items(), key=lambda i: i[1][0].lower()))
        years = {year: n for year, n in facets["year"].items() if year is not None}
        if "year" in extra:
            years.setdefault(extra["year"], 0)
        self.names = {
            "stream": {s.slug: s.name for s in streams},
            "community": {slug: name for _, slug, name, _ in communities},
            "state": dict(State.choices),
            **{
                facet: {slug: name for slug, (name, _) in pairs.items()}
                for facet, pairs in named.items()
            },
            "year": {str(y): str(y) for y in sorted(years, reverse=True)},
        }
        counts = {
            "stream": facets["stream"],
            "community": facets["community"],
            "state": facets["state"],
            **{
                facet: {slug: n for slug, (_, n) in pairs.items()}
                for facet, pairs in named.items()
            },
            "year": {str(y): n for y, n in years.items()},
        }
        every = {
            "stream": "All streams",
            "community": "All communities",
            "state": "All states and territories",
            "tag": "All tags",
            "theme": "All themes",
            "year": "All years",
        }
        for name in self.FIELD_ORDER:
            field = self.fields[name]
            field.known = self.names[name]
            field.disabled_values = frozenset(
                value for value in self.names[name] if not counts[name].get(value)
            )
            field.choices = partial(
                _labelled, every[name], self.names[name], counts[name]
            )
            field.error_messages["invalid_choice"] = (
                "Nothing in the library matches “%(value)s”. Choose from the list."
            )

    def clean_q(self):
        return clean_query(self.cleaned_data.get("q", ""))

    def filters(self):
        """{facet: value} of the filters in use."""
        return {
            name: self.cleaned_data[name]
            for name in self.FIELD_ORDER
            if self.cleaned_data.get(name)
        }

    def facet_fields(self):
        return [self[name] for name in self.FIELD_ORDER]

    def active(self):
        """[(field name, label, chosen value's name)] for the search and the
        filters in use."""
        if not hasattr(self, "cleaned_data"):
            return []
        labels = []
        if self.cleaned_data.get("q"):
            labels.append(("q", "Search", f"“{self.cleaned_data['q']}”"))
        for name in self.FIELD_ORDER:
            value = self.cleaned_data.get(name)
            if value:
                labels.append((name, self.fields[name].label, self.names[name][value]))
        return labels


def _labelled(every, names, counts):
    return [(ALL, every)] + [
        (value, f"{label} ({counts.get(value, 0)})") for value, label in names.items()
    ]
