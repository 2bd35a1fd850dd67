"""Pages of story cards that cost the same on page 500 as on page 1.

A Paginator slices what it is given. Slicing a queryset gives OFFSET 9,980
LIMIT 20, and PostgreSQL then reads the row of every story it skips. Here a
page's ids are chosen first, in a subquery that the latest-first index answers
alone (it holds the order and the visibility), and only those 20 stories are
read, in the same query.

A search is ordered by its ranking, which reads every match. The first
KEPT_HITS ids of a search are kept per visibility class, filters, query and
library version (p2s/cache.py), so paging through the results, or asking
again, doesn't rank again.
"""

from p2s.cache import cached
from stories.models import Story
from stories.search import search, with_snippets

KEPT_HITS = 1000  # ids of a search's best hits kept: 50 pages of 20


class _Pages:
    """What a Paginator needs: a count (already known) and slices."""

    def __init__(self, count):
        self._count = count

    def count(self):
        return self._count

    def __len__(self):
        return self._count


class LatestFirst(_Pages):
    """`stories` (ordered, narrowed by `visible_to`), a page at a time."""

    def __init__(self, stories, count):
        super().__init__(count)
        self.stories = stories

    def __getitem__(self, page):
        if page.start >= page.stop:
            return []
        ids = self.stories.values("pk")[page]  # in the stories' order
        return list(
            Story.objects.filter(pk__in=ids)
            .card_list()
            .order_by(*self.stories.query.order_by)
        )


class Ranked(_Pages):
    """The stories of `stories` (narrowed by `visible_to` and the filters)
    matching the search `q`, best first, each with its snippet. `visible` is
    what the reader may read: the kept ids are read through it again. `key`
    names the search for the cache: visibility class, filters and query."""

    def __init__(self, stories, q, visible, key, count):
        super().__init__(count)
        self.stories, self.q, self.visible, self.key = stories, q, visible, key

    def _best(self):
        ranked = search(self.stories, self.q).values_list("pk", flat=True)
        return list(ranked[:KEPT_HITS])

    def __getitem__(self, page):
        if page.start >= page.stop:
            return []
        best = cached("search-hits", self.key, self._best)
        if len(best) == KEPT_HITS and page.stop > KEPT_HITS:  # beyond them
            found = search(self.stories, self.q).for_cards()
            return list(with_snippets(found, self.q)[page])
        ids = best[page]
        found = with_snippets(self.visible.filter(pk__in=ids).for_cards(), self.q)
        by_id = {story.pk: story for story in found}
        return [by_id[pk] for pk in ids if pk in by_id]
