"""RSS feeds of the latest published stories: the whole library and each stream.

A feed is read by aggregators that never sign in, so it holds only what an
anonymous visitor may read, whoever asks for it: `Story.objects.visible_to`
with an anonymous user decides, as it does everywhere else.
"""

import re

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.html import escape, format_html

from common.markdown import render_markdown
from framework.models import Stream
from stories.models import Story, prefetch_stream_links

FEED_ITEMS = 30
SITE_NAME = "Pathway to Scale Interactive"

# Characters XML 1.0 forbids: Django's feed writer refuses them with an error
# (a 500), and a feed reader would refuse the whole document.
NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(value):
    """`value` as text an XML 1.0 document may hold."""
    return NOT_XML.sub("", str(value or ""))


def public_stories():
    return Story.objects.visible_to(AnonymousUser())


class LatestStoriesFeed(Feed):
    """The latest public stories of the whole library."""

    description = (
        "The latest stories from the field, told with the communities that lived "
        "them: what worked, what didn't and the conditions that made it work."
    )

    def title(self):
        return f"Latest stories · {SITE_NAME}"

    def link(self):
        return reverse("stories:list")

    def stories(self, obj):
        return public_stories()

    def items(self, obj=None):
        return (
            self.stories(obj)
            .latest()
            .select_related("community")
            .prefetch_related(prefetch_stream_links(), "tags")[:FEED_ITEMS]
        )

    def item_title(self, item):
        # escaped once here and once by the XML writer: readers take an RSS
        # title as HTML (Django does the same by default, ticket #6533)
        return xml_text(escape(item.title))

    def item_description(self, item):
        html = format_html("<p>{}</p>\n{}", item.summary, render_markdown(item.body))
        return xml_text(html)

    def item_pubdate(self, item):
        return item.published_at

    def item_author_name(self, item):
        """The credited storytellers and the community, as on the story page;
        the authors' account names are not public."""
        if item.storytellers:
            return xml_text(f"{item.storytellers}, {item.community.name}")
        return xml_text(item.community.name)

    def item_categories(self, item):
        streams = [link.stream.name for link in item.ordered_stream_links]
        tags = sorted((tag.name for tag in item.tags.all()), key=str.casefold)
        return [xml_text(name) for name in [*streams, *tags]]


class StreamStoriesFeed(LatestStoriesFeed):
    """The latest public stories of one stream."""

    def get_object(self, request, slug):
        return get_object_or_404(Stream, slug=slug)

    def title(self, obj):
        return xml_text(f"{obj.name} stories · {SITE_NAME}")

    def description(self, obj):
        return xml_text(f"The latest stories in the {obj.name} stream: {obj.tagline}")

    def link(self, obj):
        return obj.get_absolute_url()

    def stories(self, obj):
        return public_stories().filter(streams=obj)
