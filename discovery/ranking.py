"""A search's results, a page at a time, ranked: the first KEPT_HITS ids of a
search are kept per visibility class, filters, query and library version
(common/cache.py), so paging through the results, or asking again, doesn't
rank again."""

from common.cache import cached
from discovery.search import search, with_snippets
from stories.paging import Later, Pages

KEPT_HITS = 1000  # ids of a search's best hits kept: 50 pages of 20


class Ranked(Pages):
    """The stories of `stories` (narrowed by `visible_to` and the filters)
    matching the search `q`, best first, each with its snippet. `visible` is
    what the reader may read: the kept ids are read through it again. `key`
    names the search for the cache (filters and query), which adds the
    request's visibility class."""

    def __init__(self, request, stories, q, visible, key, count):
        super().__init__(count)
        self.request, self.stories, self.q = request, stories, q
        self.visible, self.key = visible, key

    def _best(self):
        ranked = search(self.stories, self.q).values_list("pk", flat=True)
        return list(ranked[:KEPT_HITS])

    def __getitem__(self, page):
        if page.start >= page.stop:
            return []
        return Later(lambda: self._read(page))

    def _read(self, page):
        best = cached(self.request, "search-hits", self.key, self._best)
        if len(best) == KEPT_HITS and page.stop > KEPT_HITS:  # beyond them
            found = search(self.stories, self.q).for_cards()
            return list(with_snippets(found, self.q)[page])
        ids = best[page]
        found = with_snippets(self.visible.filter(pk__in=ids).for_cards(), self.q)
        by_id = {story.pk: story for story in found}
        return [by_id[pk] for pk in ids if pk in by_id]
