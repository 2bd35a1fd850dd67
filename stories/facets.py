"""Browse's facets: beside each filter, how many stories each of its choices
would give, counted over what the reader may read, searched by `q` and narrowed
by every *other* filter (so the counts of a filter in use still show its
alternatives).

Four counting queries: streams; communities by year (from which the
community, state and year counts and the number of results all follow, since a
community has one state); tags; themes. The lot is cached per visibility
class, filters, query and library version (p2s/cache.py).
"""

from django.db.models import Count, Exists, OuterRef
from taggit.models import TaggedItem

from stories.search import matching

FACETS = ("stream", "community", "state", "tag", "theme", "year")


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
    if filters.get("theme"):
        from lessons.models import Lesson

        drawn = Lesson.objects.filter(
            story=OuterRef("pk"), themes__slug=filters["theme"]
        )
        stories = stories.filter(Exists(drawn))
    if filters.get("year"):
        stories = stories.filter(year=int(filters["year"]))
    return stories


def count_facets(visible, filters, q, communities):
    """{"stream": {slug: n}, "community": {slug: n}, "state": {code: n},
    "tag": {slug: (name, n)}, "theme": {slug: (name, n)}, "year": {year: n},
    "total": n}.

    `communities` is [(pk, slug, state)] of every community."""
    from lessons.models import Theme
    from stories.models import StoryStream, story_content_type

    searched = matching(visible, q)

    def without(*facets):
        others = {name: value for name, value in filters.items() if name not in facets}
        return narrow(searched, others).order_by()

    streams = {
        row["stream__slug"]: row["n"]
        for row in StoryStream.objects.filter(story__in=without("stream").values("pk"))
        .values("stream__slug")
        .annotate(n=Count("story_id"))
        .order_by()
    }
    # every story has one community, and a community one state: counting by
    # community and year, with none of those three filters, gives all three
    grid = without("community", "state", "year").values_list("community_id", "year")
    by_community_year = {(pk, year): n for pk, year, n in grid.annotate(n=Count("pk"))}
    slugs = {pk: slug for pk, slug, _ in communities}
    states = {pk: state for pk, _, state in communities}
    chosen_pk = next(
        (pk for pk, slug in slugs.items() if slug == filters.get("community")), None
    )
    year = int(filters["year"]) if filters.get("year") else None
    in_state = filters.get("state")
    community, state, years = {}, {}, {}
    for (pk, story_year), n in by_community_year.items():
        if pk not in slugs:
            continue
        where = states[pk]
        if year is None or story_year == year:  # the year filter applies
            if not in_state or where == in_state:
                community[slugs[pk]] = community.get(slugs[pk], 0) + n
            if chosen_pk is None or pk == chosen_pk:
                state[where] = state.get(where, 0) + n
        if (chosen_pk is None or pk == chosen_pk) and (
            not in_state or where == in_state
        ):
            # with the stories of no year under None: not a choice, but part
            # of the total without the year filter
            years[story_year] = years.get(story_year, 0) + n
    tags = {
        slug: (name, n)
        for slug, name, n in TaggedItem.objects.filter(
            content_type=story_content_type(),
            object_id__in=without("tag").values("pk"),
        )
        .values_list("tag__slug", "tag__name")
        .annotate(n=Count("pk"))
        .order_by("tag__name")
    }
    themes = {
        slug: (name, n)
        for slug, name, n in Theme.objects.filter(
            lessons__story__in=without("theme").values("pk")
        )
        .values_list("slug", "name")
        .annotate(n=Count("lessons__story", distinct=True))
        .order_by("name")
    }
    # the results are the community counts' sum, or the chosen community's
    # count (its facet ignores only itself)
    chosen = filters.get("community")
    total = community.get(chosen, 0) if chosen else sum(community.values())
    return {
        "stream": streams,
        "community": community,
        "state": state,
        "tag": tags,
        "theme": themes,
        "year": dict(sorted(years.items(), key=lambda item: -(item[0] or 0))),
        "total": total,
    }
