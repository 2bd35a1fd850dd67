"""The library by stream, by tag and by community: each a page of the stories
the reader may read, latest first; a stream's with its latest lessons and
leading themes."""

from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.functional import cached_property
from django.views.decorators.http import require_safe

from common.cache import cached
from communities import services as community_services
from communities.models import Community, Membership, State
from framework.models import Stream
from lessons.models import Lesson, Theme
from stories import selectors
from stories.models import Story

STREAM_LESSONS = 10  # the latest few; the themes lead on to the rest


class StreamLessons:
    """A stream's latest lessons, their count and its leading themes, each
    read when first looked at."""

    def __init__(self, lessons):
        self.lessons = lessons

    @cached_property
    def latest(self):
        latest = self.lessons.select_related("story__community")
        return list(latest.order_by("-created_at", "-pk")[:STREAM_LESSONS])

    @cached_property
    def count(self):
        return self.lessons.count()

    @cached_property
    def leading_themes(self):
        return list(Theme.objects.leading(self.lessons))


@require_safe
def stream_detail(request, slug):
    # the framework's streams change only in the admin, which retires the
    # library version: kept for every reader, like a tag
    stream = cached(
        request,
        "stream",
        (slug,),
        lambda: Stream.objects.filter(slug=slug).first() or False,
    )
    if not stream:
        raise Http404("No such stream.")
    stories = Story.objects.visible_to(request.user).filter(streams=stream).latest()
    lessons = Lesson.objects.visible_to(request.user).filter(stream=stream)
    context = {
        "stream": stream,
        "page_obj": selectors.paginate(request, stories),
        # counted over the whole library, and drawn once for every reader of
        # the class ({% cachedpart %}): read only when that part isn't kept
        "stream_lessons": StreamLessons(lessons),
    }
    return render(request, "discovery/stream_detail.html", context)


@require_safe
def tag_detail(request, slug):
    visible = Story.objects.visible_to(request.user)
    tag = cached(
        request,
        "tag",
        (slug,),
        lambda: selectors.tags_of(visible).filter(slug=slug).first() or False,
    )
    if not tag:
        raise Http404("No such tag.")
    stories = visible.tagged(tag).latest()
    context = {"tag": tag, "page_obj": selectors.paginate(request, stories)}
    return render(request, "discovery/tag_detail.html", context)


@require_safe
def community_list(request):
    visible = Story.objects.visible_to(request.user)
    communities = Community.objects.annotate(
        story_count=Count("stories", filter=Q(stories__in=visible))
    )
    communities = sorted(
        communities,
        key=lambda c: (c.state == State.OUTSIDE, c.get_state_display(), c.name),
    )
    by_state = {}
    for community in communities:
        by_state.setdefault(community.get_state_display(), []).append(community)
    return render(
        request,
        "discovery/community_list.html",
        {"by_state": by_state, "community_count": len(communities)},
    )


@require_safe
def community_detail(request, slug):
    community = get_object_or_404(Community, slug=slug)
    stories = Story.objects.visible_to(request.user).filter(community=community)
    membership = None
    if request.user.is_authenticated:
        membership = Membership.objects.filter(
            user=request.user, community=community
        ).first()
    context = {
        "community": community,
        "page_obj": selectors.paginate(request, stories.latest()),
        "membership": membership,
        "can_decide": request.user.is_authenticated
        and community_services.can_decide_join_requests(request.user, community),
    }
    return render(request, "discovery/community_detail.html", context)
