from django import template

from curation.forms import AddToCollectionForm
from curation.services import can_curate
from stories.models import Status

register = template.Library()


@register.inclusion_tag("curation/_add_to_collection.html", takes_context=True)
def add_to_collection_form(context, story):
    """The core team's small "Add to a collection" form on a story's page: the
    collections the story isn't in yet (one query, for the core team only)."""
    request = context["request"]
    shown = can_curate(request.user) and story.status == Status.PUBLISHED
    return {
        "story": story,
        "form": AddToCollectionForm(story=story) if shown else None,
        "csrf_token": context.get("csrf_token"),
    }
