"""Accounts and membership: writes with side effects, each one transaction.
Emails go out only after the transaction commits."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from communities.models import (
    CORE_TEAM,
    Invitation,
    JoinRequest,
    Membership,
    Role,
    hash_token,
)
from notifications.mail import absolute_url, mail_after_commit

INVITATION_DAYS = 14


def core_team_emails():
    User = get_user_model()
    return list(
        User.objects.filter(is_active=True)
        .filter(Q(groups__name=CORE_TEAM) | Q(is_superuser=True))
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )


def can_decide_join_requests(user, community):
    if not (user.is_authenticated and user.is_collective_member):
        return False
    if user.is_core_team:
        return True
    return is_lead(user, community.pk)


def is_lead(user, community_id):
    """Whether `user` leads the community."""
    return Membership.objects.filter(
        user=user, community_id=community_id, role=Role.LEAD
    ).exists()


def _new_user(name, email, organisation, password, *, approved):
    user = get_user_model()(
        username=email.lower()[:150],
        email=email,
        name=name,
        organisation=organisation,
        is_approved=approved,
    )
    user.set_password(password)
    user.save()
    return user


@transaction.atomic
def user_sign_up(*, name, email, organisation, password, community=None, message=""):
    """A new, pending account; with a community, a join request to it."""
    user = _new_user(name, email, organisation, password, approved=False)
    if community is not None:
        join_request_create(user=user, community=community, message=message)
    else:
        mail_after_commit(
            "New account waiting for approval",
            f"{name} <{email}> signed up and is waiting for approval.",
            core_team_emails(),
        )
    return user


@transaction.atomic
def join_request_create(*, user, community, message=""):
    join_request, created = JoinRequest.objects.get_or_create(
        user=user,
        community=community,
        status=JoinRequest.Status.PENDING,
        defaults={"message": message},
    )
    if created:
        leads = Membership.objects.filter(community=community, role=Role.LEAD)
        mail_after_commit(
            f"{user} asks to join {community}",
            f"{user} ({user.organisation or 'no organisation given'}) asks to join "
            f"{community}.\n\n{message}\n\nDecide on the join requests page.",
            [m.user.email for m in leads.select_related("user")] + core_team_emails(),
        )
    return join_request


@transaction.atomic
def join_request_decide(*, join_request, actor, approve, request=None):
    """Approve or decline once: a second click or a race changes nothing."""
    status = JoinRequest.Status.APPROVED if approve else JoinRequest.Status.DECLINED
    changed = JoinRequest.objects.filter(
        pk=join_request.pk, status=JoinRequest.Status.PENDING
    ).update(status=status, decided_by=actor, decided_at=timezone.now())
    if not changed:
        return False
    user, community = join_request.user, join_request.community
    if approve:
        Membership.objects.get_or_create(
            user=user, community=community, defaults={"role": Role.MEMBER}
        )
        get_user_model().objects.filter(pk=user.pk).update(is_approved=True)
        subject = f"Welcome to {community}"
        body = (
            f"Your request to join {community} was approved. You can now read the "
            f"Collective's stories and submit stories for {community}.\n\n"
            f"{absolute_url(request, reverse('stories:new'))}"
        )
    else:
        subject = f"Your request to join {community}"
        body = (
            f"Your request to join {community} was declined. If you think this is "
            "a mistake, reply to this email or contact the community's backbone team."
        )
    mail_after_commit(subject, body, [user.email])
    return True


@transaction.atomic
def user_approve(*, user, actor):
    """The core team approves an account that asked to join no community."""
    changed = (
        get_user_model()
        .objects.filter(pk=user.pk, is_approved=False)
        .update(is_approved=True)
    )
    if changed:
        mail_after_commit(
            "Your account is approved",
            "Your Pathway to Scale Interactive account is approved.",
            [user.email],
        )
    return bool(changed)


@transaction.atomic
def invitation_create(*, email, actor, community=None, role=Role.MEMBER):
    """Returns (invitation, token). Only the token's hash is stored."""
    token = Invitation.new_token()
    invitation = Invitation.objects.create(
        email=email,
        community=community,
        role=role,
        token_hash=hash_token(token),
        created_by=actor,
        expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
    )
    return invitation, token


def invitation_for_token(token):
    return (
        Invitation.objects.usable()
        .select_related("community")
        .filter(token_hash=hash_token(token or ""))
        .first()
    )


@transaction.atomic
def invitation_accept(*, invitation, name, email, organisation, password):
    """Create an approved account from an invitation, once."""
    now = timezone.now()
    claimed = Invitation.objects.usable().filter(pk=invitation.pk).update(used_at=now)
    if not claimed:
        return None
    user = _new_user(name, email, organisation, password, approved=True)
    Invitation.objects.filter(pk=invitation.pk).update(used_by=user)
    if invitation.community_id:
        Membership.objects.create(
            user=user, community=invitation.community, role=invitation.role
        )
    return user


def time_zone_choose(user, key):
    """`user` reads times in zone `key` from now on (common.timezones). No
    kept page shows a reader's own zone, so nothing is retired."""
    user.time_zone = key
    user.save(update_fields=["time_zone"])
