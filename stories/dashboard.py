"""What /me/ shows its reader: first what waits for them (their stories sent
back for changes, the stories waiting for their sign-off, the join requests
they may answer), then their stories by status and their communities. A
reader in no community with no story (a funder, a researcher) is shown the
collections they may read instead (the page asks curation for them)."""

from django.db.models import OuterRef, Q, Subquery

from communities.models import JoinRequest, Role
from stories.models import Status, Story, StoryEvent


def dashboard(user):
    """The context of /me/ for `user`, in a fixed number of queries."""
    mine = list(
        Story.objects.filter(authors=user)
        .select_related("community")
        .order_by("-updated_at")
    )
    # in the order of the workflow, newest first within each
    by_status = {label: [] for label in Status.labels}
    for story in mine:
        by_status[story.get_status_display()].append(story)
    by_status = {label: stories for label, stories in by_status.items() if stories}
    memberships = list(user.memberships.select_related("community"))
    member = user.is_collective_member
    changes = _changes_requested(user) if member and mine else []
    signoff = _waiting_for_sign_off(user, memberships) if member else []
    join_requests = _join_requests(user, memberships) if member else []
    return {
        "changes": changes,
        "signoff": signoff,
        "join_requests": join_requests,
        "action_count": len(changes) + len(signoff) + len(join_requests),
        "by_status": by_status,
        "memberships": memberships,
        # a funder, a researcher: in no community, with no story
        "reader_only": member and not mine and not memberships,
        "my_requests": user.join_requests.filter(
            status=JoinRequest.Status.PENDING
        ).select_related("community"),
    }


def _latest_request(field):
    return Subquery(
        StoryEvent.objects.filter(story=OuterRef("pk"), action="request_changes")
        .order_by("-created_at", "-pk")
        .values(field)[:1]
    )


def _changes_requested(user):
    """The reader's stories sent back to them, with the core team's note."""
    return list(
        Story.objects.filter(status=Status.CHANGES_REQUESTED, authors=user)
        .select_related("community")
        .annotate(
            request_note=_latest_request("note"),
            requested_at=_latest_request("created_at"),
        )
        .order_by("status_changed_at", "pk")
    )


def _waiting_for_sign_off(user, memberships):
    leads = [m.community_id for m in memberships if m.role == Role.LEAD]
    return list(
        Story.objects.filter(status=Status.AWAITING_SIGNOFF)
        .filter(Q(authors=user) | Q(community__in=leads))
        .distinct()
        .select_related("community")
        .order_by("status_changed_at", "pk")
    )


def _join_requests(user, memberships):
    waiting = JoinRequest.objects.filter(status=JoinRequest.Status.PENDING)
    if not user.is_core_team:
        leads = [m.community_id for m in memberships if m.role == Role.LEAD]
        if not leads:
            return []
        waiting = waiting.filter(community__in=leads)
    return list(waiting.select_related("user", "community"))
