"""The sitemap: every public page a search engine may index, in sections.

`/sitemap.xml` is an index of the sections (`/sitemap-<section>.xml`), each
paginated by Django past 50,000 addresses. Stories and tags come from
`Story.objects.visible_to` for an anonymous visitor, so a Collective-only or
unpublished story is never listed, whoever asks.
"""

from django.contrib.auth.models import AnonymousUser
from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from communities.models import Community
from curation.models import Collection
from framework.models import Stream
from lessons.models import Theme
from stories.models import Story
from stories.selectors import tags_of


def public_stories():
    return Story.objects.visible_to(AnonymousUser())


class PageSitemap(Sitemap):
    """The pages with no object of their own."""

    def items(self):
        return ["home", "stories:list", "communities:list", "themes:list"]

    def location(self, item):
        return reverse(item)


class StreamSitemap(Sitemap):
    def items(self):
        return Stream.objects.order_by("order").only("slug")


class CommunitySitemap(Sitemap):
    def items(self):
        return Community.objects.order_by("name", "pk").only("slug")


class ThemeSitemap(Sitemap):
    def items(self):
        return Theme.objects.order_by("name", "pk").only("slug")


class TagSitemap(Sitemap):
    """Tags with at least one public story: the others' pages are 404s."""

    def items(self):
        return tags_of(public_stories()).exclude(slug="").only("slug")

    def location(self, item):
        return reverse("stories:tag", kwargs={"slug": item.slug})


class StorySitemap(Sitemap):
    def items(self):
        return public_stories().latest().only("slug", "published_at", "updated_at")

    def lastmod(self, item):
        return max(item.published_at, item.updated_at)

    def get_latest_lastmod(self):
        # Django's default reads every story to find this; one aggregate will do
        latest = public_stories().aggregate(
            published=Max("published_at"), updated=Max("updated_at")
        )
        dates = [date for date in latest.values() if date is not None]
        return max(dates, default=None)


class CollectionSitemap(Sitemap):
    """Published public collections: never Collective-only nor link-only ones
    (the collections rule, for a visitor)."""

    def items(self):
        return (
            Collection.objects.visible_to(None)
            .order_by("-published_at", "pk")
            .only("slug", "updated_at")
        )

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        return Collection.objects.visible_to(None).aggregate(Max("updated_at"))[
            "updated_at__max"
        ]


SITEMAPS = {
    "pages": PageSitemap,
    "streams": StreamSitemap,
    "communities": CommunitySitemap,
    "themes": ThemeSitemap,
    "tags": TagSitemap,
    "stories": StorySitemap,
    "collections": CollectionSitemap,
}
