"""A community's self-assessment against the Pathway to Scale: run as a
workshop in groups (each group assessing one stream's practices), closed by
the backbone lead, then read as results. It belongs to its community: its
members and the core team read it; the whole Collective only once the
community shares it."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from communities.models import Community, Membership
from framework.models import FrameworkVersion, Level, Practice, Stream


class Status(models.TextChoices):
    OPEN = "open", "In progress"
    CLOSED = "closed", "Closed"


def _member_of_its_community(user):
    return Exists(
        Membership.objects.filter(community=OuterRef("community_id"), user=user)
    )


class AssessmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one rule for who reads an assessment: the members of its
        community and the core team; every approved member of the Collective
        once its community has shared it (closed). Nobody else, ever: a
        visitor or a pending account sees none."""
        if user is None or not user.is_authenticated or not user.is_collective_member:
            return self.none()
        if user.is_core_team:
            return self
        return self.filter(
            _member_of_its_community(user) | Q(status=Status.CLOSED, is_shared=True)
        )

    def closed(self):
        return self.filter(status=Status.CLOSED)


class Assessment(models.Model):
    """One sitting of a community's leadership table against one version of
    the framework."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="assessments"
    )
    version = models.ForeignKey(
        FrameworkVersion,
        on_delete=models.PROTECT,
        related_name="assessments",
        help_text="The framework's version it was given against; never changes.",
    )
    title = models.CharField(max_length=150)
    held_on = models.DateField("date", help_text="The day of the workshop.")
    participants = models.TextField(
        "who took part",
        max_length=2000,
        blank=True,
        help_text="Names or roles of the people at the table.",
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.OPEN)
    is_shared = models.BooleanField(
        "shared with the Collective",
        default=False,
        help_text="Every approved member of the Collective may read it (closed only).",
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="assessment_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(is_shared=False) | Q(status=Status.CLOSED),
                name="assessment_shared_only_closed",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.community})"

    def get_absolute_url(self):
        return reverse("assessments:detail", kwargs={"pk": self.pk})

    @property
    def is_open(self):
        return self.status == Status.OPEN


class Group(models.Model):
    """The people at the table who assess one stream: one member, or a named
    group. Several groups may take the same stream; where they disagree, the
    results say so. `revision` counts its saves, so that two people saving
    from the same revision get a conflict, not a silent overwrite."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="groups"
    )
    stream = models.ForeignKey(Stream, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(
        max_length=150, help_text="Who is in the group, e.g. “Table 2” or a name."
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Optional: the member who writes for the group.",
    )
    revision = models.PositiveIntegerField(default=0, editable=False)
    done_at = models.DateTimeField(null=True, blank=True)
    saved_at = models.DateTimeField(null=True, blank=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["stream__order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "stream", "name"], name="group_name_once"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.stream})"

    def get_absolute_url(self):
        return reverse(
            "assessments:group", kwargs={"pk": self.assessment_id, "group": self.pk}
        )

    @property
    def is_done(self):
        return self.done_at is not None


class Answer(models.Model):
    """A group's answer for one practice: where it stands, what it has done,
    and optionally where it aims to be, by when."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="answers")
    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(choices=Level, null=True, blank=True)
    evidence = models.TextField("what we have done", max_length=4000, blank=True)
    target_level = models.PositiveSmallIntegerField(
        "target level", choices=Level, null=True, blank=True
    )
    target_date = models.DateField("target date", null=True, blank=True)

    class Meta:
        ordering = ["practice__position", "practice__pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "practice"], name="answer_once_a_practice"
            ),
            models.CheckConstraint(
                condition=Q(level__isnull=True) | Q(level__gte=1, level__lte=4),
                name="answer_level_range",
            ),
            models.CheckConstraint(
                condition=Q(target_level__isnull=True)
                | Q(target_level__gte=1, target_level__lte=4),
                name="answer_target_range",
            ),
        ]

    def __str__(self):
        return f"{self.practice}: {self.get_level_display() or 'not answered'}"
