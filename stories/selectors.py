"""What the story pages read: through the one read rule (`visible_to`), kept
per visibility class where every reader of it sees the same (common/cache.py)."""

from django.core.exceptions import EmptyResultSet
from django.db.models import Count, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from taggit.models import Tag

from common.cache import cached
from communities.models import JoinRequest, Role
from framework.models import Stream
from stories.models import Status, Story, StoryEvent, StoryStream
from stories.paging import LatestFirst, page_of

PAGE_SIZE = 20


def paginate(request, queryset):
    """A page of story cards; `page=abc` gives page 1 and `page=99999` the last.
    `queryset` is what the reader may read (`visible_to`), so its count is the
    same for every reader of their visibility class and is kept (common/cache.py)."""
    try:
        sql = str(queryset.query)
    except EmptyResultSet:
        count = 0
    else:
        count = cached(request, "count", (sql,), queryset.count)
    stories = LatestFirst(queryset, count)
    return page_of(request, stories, PAGE_SIZE)


def streams_with_counts(stories):
    """The streams, each with `story_count`: how many of `stories` (already
    what the reader may read) are in it, in one query."""
    counts = (
        StoryStream.objects.filter(stream=OuterRef("pk"), story__in=stories)
        .order_by()
        .values("stream")
        .annotate(n=Count("story", distinct=True))
        .values("n")
    )
    return Stream.objects.annotate(story_count=Coalesce(Subquery(counts), Value(0)))


def tags_of(stories):
    """Tags used by at least one of `stories`, by name."""
    return Tag.objects.filter(story__in=stories).distinct().order_by("name")


def dashboard(user):
    """What /me/ lists for `user`: their stories by status, those waiting for
    their sign-off or their changes, their communities and the join requests
    they may answer or have made."""
    mine = (
        Story.objects.filter(authors=user)
        .select_related("community")
        .order_by("-updated_at")
    )
    by_status = {}
    for story in mine:
        by_status.setdefault(story.get_status_display(), []).append(story)
    memberships = user.memberships.select_related("community")
    leads = [m.community for m in memberships if m.role == Role.LEAD]
    waiting = JoinRequest.objects.filter(status=JoinRequest.Status.PENDING)
    if not user.is_core_team:
        waiting = waiting.filter(community__in=leads)
    signoff = Story.objects.filter(status=Status.AWAITING_SIGNOFF).filter(
        Q(authors=user) | Q(community__in=leads)
    )
    changes = Story.objects.filter(
        status=Status.CHANGES_REQUESTED, authors=user
    ).annotate(
        request_note=Subquery(
            StoryEvent.objects.filter(story=OuterRef("pk"), action="request_changes")
            .order_by("-created_at")
            .values("note")[:1]
        )
    )
    return {
        "signoff": signoff.distinct().select_related("community")
        if user.is_collective_member
        else [],
        "changes": changes,
        "by_status": by_status,
        "memberships": memberships,
        "join_requests": waiting.select_related("user", "community")
        if user.is_collective_member
        else [],
        "my_requests": user.join_requests.filter(
            status=JoinRequest.Status.PENDING
        ).select_related("community"),
    }
