"""What browse reads besides its stories: the communities to filter by, the
filters that could be real, and a chosen filter the others leave empty."""

from taggit.models import Tag

from communities.models import Community, State
from lessons.models import Theme
from stories.forms import SLUG_SHAPE


def browse_communities():
    return list(
        Community.objects.order_by("name").values_list("pk", "slug", "name", "state")
    )


def plausible_filters(params, streams, communities):
    """The filters asked for that could be real; the others count nothing and
    the form refuses them."""
    checks = {
        "stream": lambda v: v in {s.slug for s in streams},
        "community": lambda v: v in {slug for _, slug, _, _ in communities},
        "state": lambda v: v in State.values,
        "tag": lambda v: bool(SLUG_SHAPE.fullmatch(v)),
        "theme": lambda v: bool(SLUG_SHAPE.fullmatch(v)),
        "year": lambda v: v.isascii() and v.isdigit() and len(v) <= 4,
    }
    wanted = {}
    for name, check in checks.items():
        value = params.get(name, "")
        if value and check(value):
            wanted[name] = value
    return wanted


def chosen_but_uncounted(visible, wanted, facets):
    """A chosen tag, theme or year that the other filters leave no story of is
    still a choice if the reader may read a story with it (one query, only
    then)."""
    extra = {}
    readable = {"tag": (Tag, "story__in"), "theme": (Theme, "lessons__story__in")}
    for facet, (model, of_stories) in readable.items():
        slug = wanted.get(facet)
        if slug and slug not in facets[facet]:
            found = model.objects.filter(slug=slug, **{of_stories: visible})
            found = found.values_list("slug", "name")[:1]
            if found:
                extra[facet] = tuple(found[0])
    year = wanted.get("year")
    if year and int(year) not in facets["year"]:
        if visible.filter(year=int(year)).exists():
            extra["year"] = int(year)
    return extra
