"""The core team's queue, the review page's view (the page is put together
by stories/review.py), and the workflow's actions."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from communities.models import Community
from framework.models import Stream
from notifications.models import FailedNotification
from stories import services
from stories.forms import SLUG_SHAPE, ActionForm, CommentForm, FlagForm
from stories.models import (
    Status,
    Story,
    StoryComment,
    StoryFlag,
    StoryRevision,
    prefetch_stream_links,
)
from stories.review import readable_story, review_page
from stories.workflow import (
    ACTIONS,
    Conflict,
    allowed_actions,
    roles_of,
    story_claim,
    story_transition,
)

QUEUE_STATES = [
    Status.SUBMITTED,
    Status.AWAITING_SIGNOFF,
    Status.CHANGES_REQUESTED,
    Status.APPROVED,
]
WAITING = {"7": 7, "30": 30}
FAILED_NOTIFICATIONS_SHOWN = 20


def _slug_param(request, name):
    value = request.GET.get(name) or ""
    return value if SLUG_SHAPE.fullmatch(value) else ""


@require_http_methods(["GET", "HEAD"])
@login_required
def queue(request):
    if not request.user.is_core_team:
        raise PermissionDenied("The moderation queue is for the core team.")
    counts = dict(
        Story.objects.filter(status__in=QUEUE_STATES)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    state = request.GET.get("state") or Status.SUBMITTED
    if state not in QUEUE_STATES:
        state = Status.SUBMITTED
    stories = Story.objects.filter(status=state).select_related(
        "community", "claimed_by"
    )
    # only slugs filter: anything else (a NUL byte, which PostgreSQL refuses,
    # or other hostile text) is ignored like an empty filter
    stream = _slug_param(request, "stream")
    community = _slug_param(request, "community")
    waiting = request.GET.get("waiting") or ""
    if stream:
        stories = stories.filter(streams__slug=stream)
    if community:
        stories = stories.filter(community__slug=community)
    if waiting in WAITING:
        stories = stories.filter(
            status_changed_at__lte=timezone.now() - timedelta(days=WAITING[waiting])
        )
    open_flags = StoryFlag.objects.filter(story=OuterRef("pk"), resolved_at=None)
    stories = (
        stories.annotate(flagged=Exists(open_flags))
        .prefetch_related(prefetch_stream_links())
        .order_by("status_changed_at", "pk")[:200]
    )
    flags = StoryFlag.objects.filter(resolved_at=None).select_related(
        "story", "reporter"
    )[:100]
    staged = (
        Story.objects.exclude(staged_revision=None)
        .select_related("community", "staged_revision__signed_off_by")
        .order_by("staged_revision__created_at")
    )
    context = {
        "states": [(s, Status(s).label, counts.get(s, 0)) for s in QUEUE_STATES],
        "state": state,
        "stories": stories,
        "flags": flags,
        "staged": staged,
        "streams": Stream.objects.all(),
        "communities": Community.objects.order_by("name").only("slug", "name"),
        "filters": {"stream": stream, "community": community, "waiting": waiting},
        # the oldest emails the mail server didn't take, and how many: one query
        "failed_notifications": list(
            FailedNotification.objects.unresolved().with_total()[
                :FAILED_NOTIFICATIONS_SHOWN
            ]
        ),
    }
    return render(request, "stories/moderation_queue.html", context)


@require_http_methods(["GET", "HEAD"])
@login_required
def review(request, slug):
    story = readable_story(request, slug)
    return review_page(request, story, roles_of(request.user, story))


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def transition(request, slug, action):
    """GET: confirm with a note; POST: do it. Wrong action or person: 403."""
    story = readable_story(request, slug)
    rule = ACTIONS.get(action)
    if rule is None or rule not in allowed_actions(request.user, story):
        raise PermissionDenied("You can't do this to this story now.")
    bound = request.POST if request.method == "POST" else None
    form = ActionForm(bound, action=rule, prefix=rule.name)
    if request.method == "POST" and form.is_valid():
        try:
            story_transition(
                story=story,
                actor=request.user,
                action=action,
                note=form.cleaned_data["note"],
                publish_at=form.cleaned_data.get("publish_at"),
                request=request,
            )
        except Conflict:
            messages.info(
                request, "Someone else changed this story first; nothing more was done."
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                form.add_error("note", error.message_dict["note"])
            else:
                form.add_error(None, error.messages)
        else:
            messages.success(request, f"Done: {rule.label.lower()} “{story.title}”.")
        if not form.errors:
            return redirect(_after_action(request, story))
    status = 400 if form.errors else 200
    context = {"story": story, "action": rule, "form": form}
    return render(request, "stories/transition.html", context, status=status)


def _after_action(request, story):
    if request.POST.get("next") == "me":
        return "me"
    return story.get_review_url()


@require_POST
@login_required
def claim(request, slug):
    story = readable_story(request, slug)
    story_claim(story=story, actor=request.user)
    messages.success(request, "You are reviewing this story; the others can see that.")
    return redirect(story.get_review_url())


@require_POST
@login_required
def comment(request, slug):
    story = readable_story(request, slug)
    roles = roles_of(request.user, story)
    if not roles:
        raise PermissionDenied("Only the core team, authors and the lead discuss it.")
    form = CommentForm(request.POST)
    if not form.is_valid():  # the review page again, the text kept beside its error
        return review_page(
            request, story, roles, bound={"comment_form": form}, status=400
        )
    StoryComment.objects.create(
        story=story, author=request.user, body=form.cleaned_data["body"]
    )
    return redirect(story.get_review_url() + "#discussion")


@require_POST
@login_required
def restore(request, slug, number):
    story = readable_story(request, slug)
    if not Story.objects.editable_by(request.user).filter(pk=story.pk).exists():
        raise PermissionDenied("You can't edit this story now.")
    revision = get_object_or_404(StoryRevision, story=story, number=number)
    services.revision_restore(story=story, revision=revision, actor=request.user)
    messages.success(request, f"Revision {number} is restored as a new revision.")
    return redirect(story.get_review_url())


@require_POST
@login_required
def staged(request, slug, step):
    story = readable_story(request, slug)
    steps = {
        "sign-off": services.staged_sign_off,
        "publish": services.staged_publish,
        "discard": services.staged_discard,
    }
    if step not in steps:
        raise PermissionDenied("No such step.")
    try:
        steps[step](story=story, actor=request.user)
    except Conflict:
        messages.info(request, "Someone else did that first.")
    else:
        messages.success(request, "Done.")
    return redirect(story.get_review_url())


@require_POST
@login_required
def flag(request, slug):
    if not request.user.is_collective_member:
        raise PermissionDenied("Only approved members can flag a story.")
    story = get_object_or_404(Story.objects.visible_to(request.user), slug=slug)
    form = FlagForm(request.POST)
    if not form.is_valid():
        context = {"story": story, "form": form}
        return render(request, "stories/flag.html", context, status=400)
    StoryFlag.objects.create(
        story=story, reporter=request.user, reason=form.cleaned_data["reason"]
    )
    messages.success(request, "Thank you: the core team will look at your concern.")
    return redirect(story)


@require_POST
@login_required
def resolve_flag(request, pk):
    if not request.user.is_core_team:
        raise PermissionDenied("Only the core team resolves flags.")
    StoryFlag.objects.filter(pk=pk, resolved_at=None).update(
        resolved_at=timezone.now(), resolved_by=request.user
    )
    return redirect("moderation:queue")
