"""Browse's facets: beside each filter, how many stories each of its choices
would give, counted over what the reader may read, searched by `q` and narrowed
by every *other* filter (so the counts of a filter in use still show its
alternatives).

Five counting queries at most (stream, community, tag and year; state only
when a state is chosen, else summed from the communities), and the number of
results comes from them too; the lot is cached per visibility class, filters,
query and library version (p2s/cache.py).
"""

from django.db.models import Count
from taggit.models import TaggedItem

from stories.search import matching

FACETS = ("stream", "community", "state", "tag", "year")


def narrow(stories, filters):
    """`stories` narrowed by `filters` ({facet: value}; empty values ignored)."""
    if filters.get("stream"):
        stories = stories.filter(streams__slug=filters["stream"])
    if filters.get("community"):
        stories = stories.filter(community__slug=filters["community"])
    if filters.get("state"):
        stories = stories.filter(community__state=filters["state"])
    if filters.get("tag"):
        stories = stories.tagged(filters["tag"])
    if filters.get("year"):
        stories = stories.filter(year=int(filters["year"]))
    return stories


def count_facets(visible, filters, q, communities):
    """{"stream": {slug: n}, "community": {slug: n}, "state": {code: n},
    "tag": {slug: (name, n)}, "year": {year: n}, "total": n}.

    `communities` is [(pk, slug, state)] of every community."""
    searched = matching(visible, q)

    def without(facet):
        others = {name: value for name, value in filters.items() if name != facet}
        return narrow(searched, others).order_by()

    from stories.models import StoryStream

    streams = {
        row["stream__slug"]: row["n"]
        for row in StoryStream.objects.filter(story__in=without("stream").values("pk"))
        .values("stream__slug")
        .annotate(n=Count("story_id"))
        .order_by()
    }
    by_id = dict(
        without("community").values_list("community_id").annotate(n=Count("pk"))
    )
    slugs = {pk: slug for pk, slug, _ in communities}
    community = {slugs[pk]: n for pk, n in by_id.items() if pk in slugs}
    if filters.get("state"):
        state = dict(
            without("state").values_list("community__state").annotate(n=Count("pk"))
        )
    else:
        state = {}
        for pk, _, code in communities:
            if by_id.get(pk):
                state[code] = state.get(code, 0) + by_id[pk]
    tags = {
        slug: (name, n)
        for slug, name, n in TaggedItem.objects.filter(
            content_type__app_label="stories",
            content_type__model="story",
            object_id__in=without("tag").values("pk"),
        )
        .values_list("tag__slug", "tag__name")
        .annotate(n=Count("pk"))
        .order_by("tag__name")
    }
    # with the stories of no year under None: not a choice, but part of the
    # total without the year filter
    years = dict(
        without("year").values_list("year").annotate(n=Count("pk")).order_by("-year")
    )
    # every story has one community: the results are the community counts'
    # sum, or the chosen community's count (its facet ignores only itself)
    chosen = filters.get("community")
    total = community.get(chosen, 0) if chosen else sum(by_id.values())
    return {
        "stream": streams,
        "community": community,
        "state": state,
        "tag": tags,
        "year": years,
        "total": total,
    }
