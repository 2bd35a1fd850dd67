"""The review page, put together: the story as it will appear, its actions,
revisions, discussion and history, and the panels that apps above stories
add to it (lessons adds the codifying of lessons: lessons/codify_panel.py).

A panel is a function (request, story, bound) that returns its HTML, or ""
to show nothing; it is added with `add_panel` when its app is ready."""

from functools import partial

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render

from framework.selectors import all_streams
from stories import services
from stories.diffs import revision_diff
from stories.forms import CONSENT_STATEMENT, ActionForm, CommentForm
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
    streams = {stream.slug: stream for stream in all_streams(request)}
    live = services.snapshot_of(story)
    events = list(story.events.select_related("actor"))
    actions = allowed_actions(request.user, story, roles)
    context = {
        "story": story,
        "roles": roles,
        "can_edit": Story.objects.editable_by(request.user)
        .filter(pk=story.pk)
        .exists(),
        "preview": _preview(story, live, streams),
        "is_core": CORE in roles,
        # the everyday actions first, those that end or undo a story after
        "actions": [
            (action, ActionForm(action=action, prefix=action.name))
            for action in sorted(actions, key=lambda action: action.destructive)
        ],
        "revisions": revisions,
        **_diff(request, story, revisions, live, streams),
        "exchange": latest_exchange(events),
        "events": events,
        "comments": story.comments.select_related("author"),
        "comment_form": bound.get("comment_form") or CommentForm(),
        # drawn where the template shows them, inside the review page
        "panels": [partial(panel, request, story, bound) for panel in PANELS],
    }
    return render(request, "stories/review.html", context, status=status)


def _diff(request, story, revisions, live, streams):
    """The diff asked for (?a=&b=, two revision numbers), else the staged
    edit's against the live story, else none."""
    names = {slug: stream.name for slug, stream in streams.items()}
    numbers = {revision.number: revision for revision in revisions}
    try:
        a, b = int(request.GET.get("a", 0)), int(request.GET.get("b", 0))
    except ValueError:
        a = b = 0
    if a in numbers and b in numbers:
        diff = revision_diff(numbers[a].data, numbers[b].data, names)
    elif story.staged_revision_id:
        diff = revision_diff(live, story.staged_revision.data, names)
        a, b = "the live story", f"revision {story.staged_revision.number}"
    else:
        return {"diff": None, "diff_pair": (0, 0)}
    return {"diff": diff, "diff_pair": (a, b)}


def _preview(story, live, streams):
    """Everything the story's page will show, from the staged edit where
    there is one (its images can't change: they are the story's)."""
    data = story.staged_revision.data if story.staged_revision_id else live
    slugs = data.get("streams") or []
    primary = data.get("primary_stream")
    ordered = sorted(slugs, key=lambda slug: slug != primary)
    images = list(story.images.all())
    return {
        **data,
        "stream_links": [
            {"stream": streams[slug], "is_primary": slug == primary}
            for slug in ordered
            if slug in streams
        ],
        "cover": next((image for image in images if image.is_cover), None),
        "gallery": [image for image in images if not image.is_cover],
        "has_reflections": any(
            data.get(key) for key in ["what_worked", "what_didnt", "conditions"]
        ),
        "consent": story.consent,
        "consent_statement": CONSENT_STATEMENT,
    }


def latest_exchange(events):
    """The core team's latest request for changes and the reply its authors
    sent when they resubmitted (if they have, and wrote one), from the
    story's events in their order; None if changes were never requested."""
    requests = [event for event in events if event.action == "request_changes"]
    if not requests:
        return None
    request = requests[-1]
    later = events[events.index(request) + 1 :]
    reply = next((event for event in later if event.action == "submit"), None)
    return {"request": request, "reply": reply if reply and reply.note else None}
