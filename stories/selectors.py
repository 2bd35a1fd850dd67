"""What the story pages read: through the one read rule (`visible_to`), kept
per visibility class where every reader of it sees the same (common/cache.py)."""

from django.core.exceptions import EmptyResultSet
from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from taggit.models import Tag

from common.cache import cached
from framework.models import Stream
from stories.models import StoryStream
from stories.paging import LatestFirst, page_of

PAGE_SIZE = 20


def paginate(request, queryset):
    """A page of story cards; `page=abc` gives page 1 and `page=99999` the last.
    `queryset` is what the reader may read (`visible_to`), so its count is the
    same for every reader of their visibility class and is kept (common/cache.py)."""
    try:
        sql = str(queryset.query)
    except EmptyResultSet:
        count = 0
    else:
        count = cached(request, "count", (sql,), queryset.count)
    stories = LatestFirst(queryset, count)
    return page_of(request, stories, PAGE_SIZE)


def streams_with_counts(stories):
    """The streams, each with `story_count`: how many of `stories` (already
    what the reader may read) are in it, in one query."""
    counts = (
        StoryStream.objects.filter(stream=OuterRef("pk"), story__in=stories)
        .order_by()
        .values("stream")
        .annotate(n=Count("story", distinct=True))
        .values("n")
    )
    return Stream.objects.annotate(story_count=Coalesce(Subquery(counts), Value(0)))


def tags_of(stories):
    """Tags used by at least one of `stories`, by name."""
    return Tag.objects.filter(story__in=stories).distinct().order_by("name")
