"""Joining a community of practice and planning its sessions: each write one
transaction, checked here whoever calls it; emails go out only after it
commits.

Nothing here changes a kept page: a space's pages are drawn for each reader
and kept by no cache (spaces.views)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from communities.services import core_team_emails
from notifications.mail import absolute_url, mail_after_commit
from spaces.models import (
    Session,
    SpaceJoinRequest,
    SpaceMember,
    SpaceRole,
    may_list_spaces,
)


class AlreadyMember(Exception):
    """Asked to join a space the reader already belongs to."""


def is_member(user, space):
    return (
        user.is_authenticated
        and SpaceMember.objects.filter(space=space, user=user).exists()
    )


def may_facilitate(user, space):
    """Whether `user` facilitates `space`: decides who joins, plans its
    sessions and writes up their notes. Its facilitators and the core team
    (approved members of the Collective only)."""
    if not may_list_spaces(user):
        return False
    if user.is_core_team:
        return True
    facilitators = SpaceMember.objects.filter(role=SpaceRole.FACILITATOR)
    return facilitators.filter(space=space, user=user).exists()


def deciders_emails(space):
    """Who hears of a request to join: the space's facilitators, or the core
    team while it has none."""
    rows = SpaceMember.objects.filter(space=space, role=SpaceRole.FACILITATOR)
    emails = [email for email in rows.values_list("user__email", flat=True) if email]
    return emails or core_team_emails()


@transaction.atomic
def join_request_create(*, user, space, message="", request=None):
    """`user` asks to join `space` (once: asking again while a request waits
    returns the one waiting). Only an approved member of the Collective may
    ask, and only to a space they are not in."""
    if not may_list_spaces(user):
        raise PermissionDenied("Only approved members of the Collective may ask.")
    if is_member(user, space):
        raise AlreadyMember(space)
    join_request, created = SpaceJoinRequest.objects.get_or_create(
        space=space,
        user=user,
        status=SpaceJoinRequest.Status.PENDING,
        defaults={"message": message},
    )
    if created:
        mail_after_commit(
            f"{user} asks to join {space}",
            f"{user} ({user.organisation or 'no organisation given'}) asks to join "
            f"the community of practice {space}.\n\n{message}\n\n"
            f"Decide on the space's page: "
            f"{absolute_url(request, space.get_absolute_url())}",
            deciders_emails(space),
        )
    return join_request


@transaction.atomic
def join_request_decide(*, join_request, actor, approve, request=None):
    """Approve or decline a waiting request, once: a second click or a race
    changes nothing (False). Only the space's facilitators and the core team
    decide."""
    space = join_request.space
    if not may_facilitate(actor, space):
        raise PermissionDenied("Only the space's facilitators and the core team.")
    status = (
        SpaceJoinRequest.Status.APPROVED
        if approve
        else SpaceJoinRequest.Status.DECLINED
    )
    changed = SpaceJoinRequest.objects.filter(
        pk=join_request.pk, status=SpaceJoinRequest.Status.PENDING
    ).update(status=status, decided_by=actor, decided_at=timezone.now())
    if not changed:
        return False
    user = join_request.user
    if approve:
        SpaceMember.objects.get_or_create(
            space=space, user=user, defaults={"role": SpaceRole.MEMBER}
        )
        subject = f"Welcome to {space}"
        body = (
            f"Your request to join the community of practice {space} was "
            f"approved.\n\n{absolute_url(request, space.get_absolute_url())}"
        )
    else:
        subject = f"Your request to join {space}"
        body = (
            f"Your request to join the community of practice {space} was declined. "
            "If you think this is a mistake, reply to its facilitators."
        )
    mail_after_commit(subject, body, [user.email])
    return True


SESSION_FIELDS = ["title", "starts_at", "duration", "video_link", "agenda", "notes"]


@transaction.atomic
def session_save(*, space, actor, values, session=None):
    """Plan a session of `space` (`session` None) or change one: `values`
    holds SESSION_FIELDS. Only the space's facilitators and the core team."""
    if not may_facilitate(actor, space):
        raise PermissionDenied("Only the space's facilitators and the core team.")
    if session is None:
        session = Session(space=space, created_by=actor)
    elif session.space_id != space.pk:
        raise PermissionDenied("That session belongs to another space.")
    for name in SESSION_FIELDS:
        setattr(session, name, values[name])
    session.full_clean(exclude=["space", "created_by"])
    session.save()
    return session


@transaction.atomic
def session_delete(*, session, actor):
    """Take a session off the space's calendar, notes and all."""
    if not may_facilitate(actor, session.space):
        raise PermissionDenied("Only the space's facilitators and the core team.")
    session.delete()
