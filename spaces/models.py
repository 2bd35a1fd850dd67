"""Communities of practice: spaces of the library where backbone staff from
many communities meet, learn from one another and share what they find.

A space's inside (who belongs, who asks to join, and what its members share)
is for its members and the core team only. Its name, purpose and
facilitators are shown to approved members of the Collective, so that they
can ask to join; nobody else learns that a space exists (`listed_for`,
`open_to`: the one place that decides)."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from taggit.managers import TaggableManager
from taggit.models import ItemBase, TagBase

from spaces.documents import KINDS


def may_list_spaces(user):
    """Whether `user` may read the spaces' names, purposes and facilitators:
    approved members of the Collective (`listed_for`)."""
    return user is not None and user.is_authenticated and user.is_collective_member


class SpaceQuerySet(models.QuerySet):
    def listed_for(self, user):
        """The spaces whose name, purpose and facilitators `user` may read:
        all of them for approved members of the Collective, none otherwise."""
        return self.all() if may_list_spaces(user) else self.none()

    def open_to(self, user):
        """The spaces whose inside `user` may see: the spaces they belong to,
        and every space for the core team."""
        if not may_list_spaces(user):
            return self.none()
        if user.is_core_team:
            return self.all()
        belongs = SpaceMember.objects.filter(space=OuterRef("pk"), user=user)
        return self.filter(Exists(belongs))


class Space(models.Model):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    purpose = models.TextField(
        max_length=2000,
        help_text="Plain text: who the space is for and what it does.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SpaceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "community of practice"
        verbose_name_plural = "communities of practice"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("spaces:detail", args=[self.slug])


class SpaceRole(models.TextChoices):
    FACILITATOR = "facilitator", "Facilitator"
    MEMBER = "member", "Member"


class SpaceMember(models.Model):
    """Someone's place in a space; a facilitator decides who joins."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="space_memberships",
    )
    role = models.CharField(max_length=12, choices=SpaceRole, default=SpaceRole.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["space", "user__name", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["space", "user"], name="space_member_once"),
            models.CheckConstraint(
                condition=Q(role__in=["facilitator", "member"]),
                name="space_member_role_valid",
            ),
        ]

    def __str__(self):
        return f"{self.user} in {self.space} ({self.get_role_display()})"


class SpaceJoinRequest(models.Model):
    """An approved member of the Collective asking to join a space; decided
    by one of its facilitators or the core team."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"

    space = models.ForeignKey(
        Space, on_delete=models.CASCADE, related_name="join_requests"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="space_join_requests",
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
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["space", "user"],
                condition=Q(status="pending"),
                name="space_join_one_pending",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "approved", "declined"]),
                name="space_join_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.user} asks to join {self.space}"


class Session(models.Model):
    """A practice session: a video link-up of a space's members at a time
    kept in UTC and shown in each reader's own zone. Its video link, agenda
    and notes are the space's inside (`Space.objects.open_to`)."""

    DURATIONS = [(30, "30 minutes"), (45, "45 minutes"), (60, "1 hour")] + [
        (minutes, f"{minutes / 60:g} hours") for minutes in (90, 120, 150, 180, 240)
    ]

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(max_length=160)
    starts_at = models.DateTimeField(db_index=True)
    duration = models.PositiveSmallIntegerField(
        "length", choices=DURATIONS, default=60, help_text="In minutes."
    )
    video_link = models.URLField(max_length=500, blank=True)
    agenda = models.TextField(blank=True, max_length=4000, help_text="Markdown.")
    notes = models.TextField(blank=True, max_length=50_000, help_text="Markdown.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration__gte=15, duration__lte=480),
                name="session_duration_bounded",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.space})"

    def get_absolute_url(self):
        return reverse("spaces:session", args=[self.space.slug, self.pk])

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration)


class ResourceTag(TagBase):
    """A resource's tag: the spaces' own, so that no name given inside a
    space shows among the library's public tags."""

    class Meta:
        verbose_name = "resource tag"


class TaggedResource(ItemBase):
    tag = models.ForeignKey(ResourceTag, on_delete=models.CASCADE, related_name="items")
    content_object = models.ForeignKey("Resource", on_delete=models.CASCADE)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_object", "tag"], name="tagged_resource_once"
            ),
        ]


class ResourceQuerySet(models.QuerySet):
    def listed(self):
        """With what a list of resources shows: stream, sharer and tags."""
        return self.select_related("stream", "shared_by").prefetch_related("tags")


class Resource(models.Model):
    """A link or a file shared in a space, for its members only; a file is
    checked on the way in (spaces.documents) and served only through a
    permission check."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="resources")
    title = models.CharField(max_length=160)
    description = models.TextField(blank=True, max_length=2000)
    stream = models.ForeignKey(
        "framework.Stream", on_delete=models.PROTECT, related_name="+"
    )
    link = models.URLField(max_length=500, blank=True)
    file = models.FileField(upload_to="resources/", max_length=200, blank=True)
    filename = models.CharField(max_length=100, blank=True)
    kind = models.CharField(max_length=8, blank=True)
    size = models.PositiveIntegerField(default=0)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    tags = TaggableManager(through=TaggedResource, blank=True)

    objects = ResourceQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(link="") & ~Q(file="")) | (~Q(link="") & Q(file="")),
                name="resource_link_or_file",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def kind_label(self):
        """ "PDF", "Word document": what a person calls the file's kind."""
        return KINDS[self.kind][1] if self.kind in KINDS else "File"
