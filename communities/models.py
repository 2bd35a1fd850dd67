import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from common.timezones import STATE_ZONES, ZONES

CORE_TEAM = "Core team"


class User(AbstractUser):
    """An account. Pending until approved: only approved members read what is
    *Collective only* or submit stories."""

    name = models.CharField(
        "name", max_length=150, blank=True, help_text="As you'd like to be known."
    )
    organisation = models.CharField(max_length=200, blank=True)
    is_approved = models.BooleanField(
        "approved member",
        default=False,
        help_text="Approved members can read Collective-only stories.",
    )
    time_zone = models.CharField(
        "time zone",
        max_length=40,
        blank=True,
        choices=ZONES,
        help_text="Times are shown in this zone; blank: the zone of the "
        "account's community, or Sydney's.",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~Q(email=""),
                name="user_email_unique_ci",
                violation_error_message="An account with this email already exists.",
            ),
        ]

    def __str__(self):
        return self.name or self.username

    def get_full_name(self):
        return self.name or super().get_full_name() or self.username

    @property
    def is_collective_member(self):
        return self.is_active and (self.is_approved or self.is_superuser)

    @property
    def is_core_team(self):
        """Core team members moderate, edit and manage; cached per request.
        The core team is part of the Collective: an account in the group but
        not (yet) approved is not on it, and reads as the public does."""
        if not self.is_collective_member:
            return False
        if self.is_superuser:
            return True
        # asked with the account when a request reads it (EmailBackend)
        if not hasattr(self, "in_core_group"):
            self.in_core_group = self.groups.filter(name=CORE_TEAM).exists()
        return self.in_core_group

    @property
    def shown_time_zone(self):
        """The zone (a key of common.timezones.ZONES) this account reads times
        in: its own choice, else its first community's state's, else the
        site's (Sydney). Cached per request."""
        if self.time_zone:
            return self.time_zone
        if not hasattr(self, "community_state"):
            first = self.memberships.order_by("pk").values("community__state").first()
            self.community_state = first and first["community__state"]
        return STATE_ZONES.get(self.community_state, settings.TIME_ZONE)

    @property
    def may_share_stories(self):
        """Whether this account may write a new story (/stories/new/ and every
        "Share a story" link ask this): an approved member of the Collective
        with a place in a community, as every story is told with one. A funder
        in no community reads but doesn't write. Cached per request."""
        if not self.is_collective_member:
            return False
        # asked with the account when a request reads it (EmailBackend)
        if not hasattr(self, "in_a_community"):
            self.in_a_community = self.memberships.exists()
        return self.in_a_community


class State(models.TextChoices):
    ACT = "ACT", "Australian Capital Territory"
    NSW = "NSW", "New South Wales"
    NT = "NT", "Northern Territory"
    QLD = "QLD", "Queensland"
    SA = "SA", "South Australia"
    TAS = "TAS", "Tasmania"
    VIC = "VIC", "Victoria"
    WA = "WA", "Western Australia"
    OUTSIDE = "OS", "Outside Australia"


class Community(models.Model):
    """A place-based collaboration with its own backbone team."""

    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=80, unique=True)
    state = models.CharField(
        "state or territory", max_length=3, choices=State, db_index=True
    )
    place = models.CharField(max_length=150, help_text="Town, suburb or region.")
    backbone_organisation = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    website = models.URLField(blank=True)
    is_demo = models.BooleanField(
        "demo content", default=False, help_text="Made up for the demo; not real."
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "communities"
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=State.values), name="community_state_valid"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("communities:detail", kwargs={"slug": self.slug})


class Role(models.TextChoices):
    MEMBER = "member", "Member"
    LEAD = "lead", "Backbone lead"


class Membership(models.Model):
    """A person's place in a community: they submit its stories; a lead also
    approves who joins it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["community__name", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "community"], name="membership_unique"
            ),
            models.CheckConstraint(
                condition=Q(role__in=Role.values), name="membership_role_valid"
            ),
        ]

    def __str__(self):
        return f"{self.user} in {self.community} ({self.get_role_display()})"


class JoinRequest(models.Model):
    """Someone asking to join a community; decided by its lead or the core team."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests"
    )
    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="join_requests"
    )
    message = models.TextField(blank=True, max_length=1000)
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "community"],
                condition=Q(status="pending"),
                name="joinrequest_one_pending",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "approved", "declined"]),
                name="joinrequest_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.user} asks to join {self.community}"


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(used_at=None, revoked=False, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """A single-use, expiring link from the core team that creates an approved
    account. Only a hash of the token is stored."""

    email = models.EmailField()
    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, null=True, blank=True
    )
    role = models.CharField(max_length=10, choices=Role, default=Role.MEMBER)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked = models.BooleanField(default=False)
    used_at = models.DateTimeField(null=True, blank=True, editable=False)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Invitation for {self.email}"

    @classmethod
    def new_token(cls):
        return secrets.token_urlsafe(32)  # 256 bits
