"""Pages of story cards that cost the same on page 500 as on page 1.

A Paginator slices what it is given. Slicing a queryset gives OFFSET 9,980
LIMIT 20, and PostgreSQL then reads the row of every story it skips. Here a
page's ids are chosen first, in a subquery that the latest-first index answers
alone (it holds the order and the visibility), and only those 20 stories are
read, in the same query.

A page's stories are read only when the template first looks at them: its
card list is drawn once per visibility class, address and library version and
kept (`{% cachedpart %}` in the templates), and a kept list reads nothing.
A search's ranked pages are discovery.ranking's.
"""

from django.core.paginator import Paginator

from stories.models import Story


def page_of(request, stories, per_page):
    """The page of `stories` (a LatestFirst or Ranked) the request asks for;
    `page=abc` gives page 1 and `page=99999` the last."""
    return Paginator(stories, per_page).get_page(request.GET.get("page"))


class Later:
    """A list read when first looked at: a kept fragment that shows it never
    reads it."""

    def __init__(self, read):
        self._read, self._stories = read, None

    def _all(self):
        if self._stories is None:
            self._stories = self._read()
        return self._stories

    def __iter__(self):
        return iter(self._all())

    def __len__(self):
        return len(self._all())

    def __getitem__(self, index):
        return self._all()[index]


class Pages:
    """What a Paginator needs: a count (already known) and slices."""

    def __init__(self, count):
        self._count = count

    def count(self):
        return self._count

    def __len__(self):
        return self._count


class LatestFirst(Pages):
    """`stories` (ordered, narrowed by `visible_to`), a page at a time."""

    def __init__(self, stories, count):
        super().__init__(count)
        self.stories = stories

    def __getitem__(self, page):
        if page.start >= page.stop:
            return []
        ids = self.stories.values("pk")[page]  # in the stories' order
        order = self.stories.query.order_by
        return Later(
            lambda: list(Story.objects.filter(pk__in=ids).card_list().order_by(*order))
        )
