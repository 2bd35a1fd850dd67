"""The storyteller's impact page: for each story, where it has been used (its
lessons, the themes they feed, the collections it is in). It puts stories,
lessons and curation together, so it is the project's (p2s), above them all;
its address is among the stories' ("stories:impact", p2s/urls.py)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from p2s.impact import impact_of
from stories.models import Status, Story


@require_safe
@login_required
def story_impact(request, slug):
    """Only for the story's authors, its community's lead and the core team
    (403 for anyone else who may read the story, 404 for who may not). Drawn
    for each request: it is the reader's own, never kept."""
    story = get_object_or_404(
        Story.objects.opened_by(request.user)
        .defer("search_vector")
        .select_related("community"),
        slug=slug,
    )
    if not story.is_own:
        raise PermissionDenied(
            "Where a story has been used is shown to its authors, its "
            "community's lead and the core team."
        )
    context = {
        "story": story,
        "published": story.status == Status.PUBLISHED,
        **impact_of(story, request.user),
    }
    return render(request, "p2s/story_impact.html", context)
