"""The review page, put together: the story as it will appear, its actions,
revisions, discussion and history, and the panels that apps above stories
add to it (lessons adds the codifying of lessons: lessons/codify_panel.py).

A panel is a function (request, story, bound) that returns its HTML, or ""
to show nothing; it is added with `add_panel` when its app is ready."""

from functools import partial

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render

from stories import services
from stories.diffs import diff_lines
from stories.forms import ActionForm, CommentForm
from stories.models import Story
from stories.workflow import CORE, allowed_actions

PANELS = []


def add_panel(panel):
    """Show `panel` on every review page, after the story as it will appear."""
    if panel not in PANELS:
        PANELS.append(panel)
    return panel


def readable_story(request, slug):
    return get_object_or_404(
        Story.objects.readable_by(request.user).select_related(
            "community", "claimed_by", "staged_revision"
        ),
        slug=slug,
    )


def review_page(request, story, roles, *, bound=None, status=200):
    """The review page of `story` for a reader with `roles` (none: 403).
    `bound` holds, by name, the forms a failed POST sends back with their
    errors: "comment_form" here, others for the panels."""
    bound = bound or {}
    if not roles:
        raise PermissionDenied(
            "The review page is for the core team, the story's authors and its "
            "community lead."
        )
    revisions = list(story.revisions.select_related("author"))
    diff = None
    numbers = {revision.number: revision for revision in revisions}
    try:
        a, b = int(request.GET.get("a", 0)), int(request.GET.get("b", 0))
    except ValueError:
        a = b = 0
    if a in numbers and b in numbers:
        diff = diff_lines(numbers[a].data, numbers[b].data)
    elif story.staged_revision_id and len(revisions) >= 1:
        live = services.snapshot_of(story)
        diff = diff_lines(live, story.staged_revision.data)
        a, b = "live", story.staged_revision.number
    preview = story.staged_revision.data if story.staged_revision_id else None
    context = {
        "story": story,
        "roles": roles,
        "can_edit": Story.objects.editable_by(request.user)
        .filter(pk=story.pk)
        .exists(),
        "preview": preview or {"summary": story.summary, "body": story.body},
        "is_core": CORE in roles,
        "actions": [
            (action, ActionForm(action=action, prefix=action.name))
            for action in allowed_actions(request.user, story, roles)
        ],
        "revisions": revisions,
        "diff": diff,
        "diff_pair": (a, b),
        "events": story.events.select_related("actor"),
        "comments": story.comments.select_related("author"),
        "comment_form": bound.get("comment_form") or CommentForm(),
        # drawn where the template shows them, inside the review page
        "panels": [partial(panel, request, story, bound) for panel in PANELS],
    }
    return render(request, "stories/review.html", context, status=status)
