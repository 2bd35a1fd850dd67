"""Browse's facets: beside each filter, how many stories each of its choices
would give, counted over what the reader may read, searched by `q` and narrowed
by every *other* filter (so the counts of a filter in use still show its
alternatives).

Four tallies: streams; communities by year (from which the community, state
and year counts and the number of results all follow, since a community has
one state); tags; themes. On PostgreSQL they are counted in one pass over the
matching stories, from each story's stored facet keys (discovery/search.py),
with one more pass for each active filter that narrows some tallies and not
others; elsewhere by four joins. The lot is cached per visibility class,
filters, query and library version (common/cache.py).
"""

from django.db.models import CharField, Count, Exists, F, Func, OuterRef
from django.db.models.functions import Coalesce
from taggit.models import Tag, TaggedItem

from discovery.search import KEYS, grid_key, is_postgres, matching
from framework.models import Stream
from lessons.models import Lesson, Theme
from stories.models import StoryStream, story_content_type

# which filters each tally ignores: its own
TALLIES = {
    "stream": ("stream",),
    "grid": ("community", "state", "year"),
    "tag": ("tag",),
    "theme": ("theme",),
}
# how each tally's stored facet keys begin (discovery.search.facet_keys)
KEY_PREFIXES = {"stream": "s", "grid": "c", "tag": "t", "theme": "h"}

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
        drawn = Lesson.objects.filter(
            story=OuterRef("pk"), themes__slug=filters["theme"]
        )
        stories = stories.filter(Exists(drawn))
    if filters.get("year"):
        stories = stories.filter(year=int(filters["year"]))
    return stories


def count_facets(visible, filters, q, communities, streams=None):
    """{"stream": {slug: n}, "community": {slug: n}, "state": {code: n},
    "tag": {slug: (name, n)}, "theme": {slug: (name, n)}, "year": {year: n},
    "total": n}.

    `communities` is [(pk, slug, state)] of every community; `streams`, if
    given, [(pk, slug)] of every stream (else they are read)."""
    searched = matching(visible, q)
    if is_postgres():
        tallies = _tally_by_keys(searched, filters, streams)
    else:
        tallies = _tally_by_joins(searched, filters)
    streams, by_community_year, tags, themes = tallies
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


def _without(searched, filters, ignored):
    others = {name: value for name, value in filters.items() if name not in ignored}
    return narrow(searched, others).order_by()


def _tally_by_joins(searched, filters):
    """(streams {slug: n}, grid {(community pk, year): n}, tags {slug: (name,
    n)}, themes {slug: (name, n)}), one join for each."""

    def without(tally):
        return _without(searched, filters, TALLIES[tally])

    streams = {
        row["stream__slug"]: row["n"]
        for row in StoryStream.objects.filter(story__in=without("stream").values("pk"))
        .values("stream__slug")
        .annotate(n=Count("story_id"))
        .order_by()
    }
    # every story has one community, and a community one state: counting by
    # community and year, with none of those three filters, gives all three
    grid = without("grid").values_list("community_id", "year")
    by_community_year = {(pk, year): n for pk, year, n in grid.annotate(n=Count("pk"))}
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
    return streams, by_community_year, tags, themes


def _key_counts(stories):
    """{key: number of `stories` with it}: each story's stored facet keys
    (a story whose keys were never written counts by its row's grid key
    alone), unnested and counted in one pass."""
    grid = Func(grid_key(), template="ARRAY[%(expressions)s]", output_field=KEYS)
    keys = Func(
        Coalesce(F("facet_keys"), grid, output_field=KEYS),
        function="unnest",
        output_field=CharField(),
    )
    counted = stories.annotate(key=keys).values("key").annotate(n=Count("*"))
    return {row["key"]: row["n"] for row in counted.order_by()}


def _tally_by_keys(searched, filters, streams=None):
    """The tallies of `_tally_by_joins`, from the stored keys: the tallies
    that ignore the same filters are counted in one pass (with no filter,
    all four)."""

    passes = {}  # the filters applied: the tallies counted under them
    for tally, ignored in TALLIES.items():
        applied = tuple(sorted((k, v) for k, v in filters.items() if k not in ignored))
        passes.setdefault(applied, []).append(tally)
    counted = {}  # tally: {key: n}
    for applied, tallies in passes.items():
        counts = _key_counts(narrow(searched, dict(applied)).order_by())
        for tally in tallies:
            prefix = KEY_PREFIXES[tally]
            counted[tally] = {
                key[1:]: n for key, n in counts.items() if key.startswith(prefix)
            }
    stream_slugs = dict(streams or Stream.objects.values_list("pk", "slug"))
    streams = {
        stream_slugs[int(pk)]: n
        for pk, n in counted["stream"].items()
        if int(pk) in stream_slugs
    }
    by_community_year = {}
    for key, n in counted["grid"].items():
        pk, _, year = key.partition("-")
        by_community_year[(int(pk), int(year) if year else None)] = n

    def named(model, found):
        if not found:
            return {}
        rows = model.objects.filter(pk__in=[int(pk) for pk in found])
        return {
            slug: (name, found[str(pk)])
            for pk, slug, name in rows.values_list("pk", "slug", "name").order_by(
                "name"
            )
        }

    return (
        streams,
        by_community_year,
        named(Tag, counted["tag"]),
        named(Theme, counted["theme"]),
    )
