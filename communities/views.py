from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from communities.models import Community, State
from stories.models import Story
from stories.views import paginate


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
        "communities/community_list.html",
        {"by_state": by_state, "community_count": len(communities)},
    )


@require_safe
def community_detail(request, slug):
    community = get_object_or_404(Community, slug=slug)
    stories = Story.objects.visible_to(request.user).filter(community=community)
    context = {
        "community": community,
        "page_obj": paginate(request, stories.latest()),
    }
    return render(request, "communities/community_detail.html", context)
