"""Browse (/stories/): search, filters with their counts and a page of cards,
drawn once per visibility class, address and library version and kept."""

from urllib.parse import urlencode

from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_safe

from common.cache import cached
from discovery import selectors as browsing
from discovery.facets import count_facets, narrow
from discovery.forms import StoryFilterForm
from discovery.ranking import Ranked
from discovery.search import clean_query, matching
from framework.selectors import all_streams
from stories import selectors
from stories.models import Story
from stories.paging import LatestFirst, page_of


@require_safe
def story_list(request):
    """Browse: search, filters with their counts, one page of cards. All of it
    but the layout is the same for every reader of one visibility class, so
    it is drawn once per class, address and library version and kept
    (common/cache.py); the layout around it (the reader's menu, messages) is
    drawn for each request. An address with empty fields (a form sent
    without JavaScript) is sent on to the same page without them."""
    if (clean := address_without_empty(request)) is not None:
        return redirect(clean)
    q = clean_query(request.GET.get("q", ""))
    # a refusal (an unknown filter) is drawn each time, never kept
    status, content = cached(
        request,
        "browse",
        (request.path, sorted(request.GET.items())),
        lambda: _browse(request, q),
        keep=lambda made: made[0] == 200,
    )
    context = {"query": q, "content": content}
    return render(request, "discovery/story_list.html", context, status=status)


def _browse(request, q):
    """(status, HTML) of browse's content: nothing in it is the reader's own."""
    visible = Story.objects.visible_to(request.user)
    streams = all_streams(request)
    communities = cached(request, "browse-communities", (), browsing.browse_communities)
    wanted = browsing.plausible_filters(request.GET, streams, communities)
    facets = cached(
        request,
        "facets",
        (sorted(wanted.items()), q),
        lambda: count_facets(
            visible,
            wanted,
            q,
            [(pk, slug, st) for pk, slug, _, st in communities],
            [(stream.pk, stream.slug) for stream in streams],
        ),
    )
    form = StoryFilterForm(
        request.GET,
        streams=streams,
        communities=communities,
        facets=facets,
        extra=browsing.chosen_but_uncounted(visible, wanted, facets),
    )
    stories, total, status = _chosen_stories(request, form, visible, facets, q)
    page = page_of(request, stories, selectors.PAGE_SIZE)
    # the filters hold hundreds of choices: their HTML is kept like the counts
    asked = sorted((k, v) for k, v in request.GET.items() if k != "page")
    filters = cached(
        request,
        "filters-html",
        (asked,),
        lambda: render_to_string(
            "discovery/includes/_browse_filters.html",
            {"form": form, "query": q, "chosen": len(form.filters())},
        ),
    )
    context = {
        "form": form,
        "filters": filters,
        "page_obj": page,
        "query": q,
        "active_filters": [
            (label, value, url_without(request, name))
            for name, label, value in form.active()
        ],
        "suggestions": _suggestions(request, form, facets, visible, q)
        if status == 200 and not total
        else [],
        "query_without_page": url_without(request, "page", query_only=True),
    }
    return status, render_to_string("discovery/includes/_browse.html", context)


def _suggestions(request, form, facets, visible, q):
    """When nothing matches: which one search or filter to drop, and how many
    stories that would give. The filters' counts are known from the facets
    (each ignores its own filter); the search's costs one count, and so does
    a tag's or a theme's whose facet is empty (a story with no tag, or no
    lesson under a theme, counts under none of them)."""
    suggestions = []
    filters = form.filters()
    for name, label, value in form.active():
        if name == "q":
            count = narrow(visible, filters).count()
        elif name in ("stream", "tag", "theme"):  # a story may count under several
            count = None if any(_counts(facets[name]).values()) else 0
            if count == 0 and name != "stream":  # every story has a stream
                others = {key: v for key, v in filters.items() if key != name}
                count = narrow(matching(visible, q), others).count()
        else:
            count = sum(_counts(facets[name]).values())
        if count != 0:
            suggestions.append((label, value, url_without(request, name), count))
    return suggestions


def _counts(facet):
    return {key: (n[1] if isinstance(n, tuple) else n) for key, n in facet.items()}


def _chosen_stories(request, form, visible, facets, q):
    """(stories, their number, status): what the search and filters chose, or
    none when the form refuses a filter (404)."""
    if not form.is_valid():
        return [], 0, 404
    total = facets["total"]  # counted with the facets: no COUNT(*) of its own
    chosen = form.filters()
    stories = narrow(visible, chosen)
    if q:
        key = (sorted(chosen.items()), q)
        return Ranked(request, stories, q, visible, key, total), total, 200
    return LatestFirst(stories.latest(), total), total, 200


def address_without_empty(request):
    """The page's address without its empty parameters (`q=&stream=&…`, as a
    form sends its unchosen fields), or None when it has none."""
    asked = [(key, value) for key, values in request.GET.lists() for value in values]
    kept = [(key, value) for key, value in asked if value.strip()]
    if len(kept) == len(asked):
        return None
    query = urlencode(kept)
    return f"{request.path}?{query}" if query else request.path


def url_without(request, name, query_only=False):
    """The current query string without `name` (and without `page`)."""
    params = [
        (key, value)
        for key, value in request.GET.items()
        if key not in {name, "page"} and value
    ]
    query = urlencode(params)
    if query_only:
        return query
    return f"{request.path}?{query}" if query else request.path
