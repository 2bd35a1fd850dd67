"""The collections a reader may read, for a page of a lower layer that shows
them (the /me/ of a reader in no community: stories/dashboard.py)."""

from django import template

from curation.models import Collection, Visibility
from stories.models import Story

register = template.Library()

SHOWN = 20


@register.simple_tag
def collections_for(user):
    """The published collections `user` may read (never a link-only one),
    those for members of the Collective first, then the newest; each with
    `story_count`, the stories in it `user` may read (one query)."""
    collections = (
        Collection.objects.visible_to(user)
        .listed()
        .with_story_counts(Story.objects.visible_to(user))
        .order_by("-published_at", "title")[:SHOWN]
    )
    return sorted(
        collections,
        key=lambda collection: collection.visibility != Visibility.COLLECTIVE,
    )
