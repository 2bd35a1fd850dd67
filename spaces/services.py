"""Joining a community of practice and planning its sessions: each write one
transaction, checked here whoever calls it; emails go out only after it
commits.

Nothing here changes a kept page: a space's pages are drawn for each reader
and kept by no cache (spaces.views)."""

from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from communities.services import core_team_emails
from notifications.mail import absolute_url, mail_after_commit
from spaces.models import (
    Resource,
    Session,
    Space,
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


# resources -----------------------------------------------------------------------

RESOURCE_FIELDS = ["title", "description", "stream", "link"]


def may_share(user, space):
    """Whether `user` shares resources in `space`: its members and the core
    team."""
    return Space.objects.open_to(user).filter(pk=space.pk).exists()


def may_change_resource(user, resource):
    """Whether `user` changes or removes `resource`: whoever shared it while
    still inside the space, its facilitators and the core team."""
    space = resource.space
    if resource.shared_by_id == user.pk and may_share(user, space):
        return True
    return may_facilitate(user, space)


@transaction.atomic
def resource_save(*, space, actor, values, tags, document=None, resource=None):
    """Share a resource in `space` (`resource` None) or change one. `values`
    holds RESOURCE_FIELDS; `document` a CleanDocument (spaces.documents),
    which replaces a file or a link; a link given replaces a file."""
    if resource is None:
        if not may_share(actor, space):
            raise PermissionDenied("Only the space's members share in it.")
        resource = Resource(space=space, shared_by=actor)
    elif resource.space_id != space.pk or not may_change_resource(actor, resource):
        raise PermissionDenied("Only who shared it, the facilitators or the core team.")
    old_file = resource.file.name
    for name in RESOURCE_FIELDS:
        setattr(resource, name, values[name])
    if document is not None:
        resource.link = ""
        resource.file.name = default_storage.save(document.name, document.content)
        resource.filename = document.filename
        resource.kind = document.kind
        resource.size = document.size
    elif resource.link:  # a link in place of a file
        resource.file.name = resource.filename = resource.kind = ""
        resource.size = 0
    resource.full_clean(exclude=["space", "shared_by", "stream"])
    resource.save()
    resource.tags.set(tags, clear=True)
    if old_file and old_file != resource.file.name:
        transaction.on_commit(lambda: default_storage.delete(old_file))
    return resource


@transaction.atomic
def resource_delete(*, resource, actor):
    """Remove a resource, and its file once the removal commits."""
    if not may_change_resource(actor, resource):
        raise PermissionDenied("Only who shared it, the facilitators or the core team.")
    name = resource.file.name
    resource.delete()
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))
