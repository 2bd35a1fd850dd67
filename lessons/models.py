"""What the library learns: lessons codified from stories, and the strategic
learning themes that gather them across communities."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Count, Max, Min, Q, Value, When
from django.urls import reverse

from framework.models import Practice, Stream
from stories.models import Story


class Kind(models.TextChoices):
    WORKS = "works", "Works"
    DOESNT_WORK = "doesnt_work", "Doesn't work"
    ENABLING = "enabling", "Enabling condition"


class Condition(models.TextChoices):
    """The five conditions of collective impact: the lessons' second facet."""

    COMMON_AGENDA = "common_agenda", "Common agenda"
    SHARED_MEASUREMENT = "shared_measurement", "Shared measurement"
    MUTUALLY_REINFORCING = "mutually_reinforcing", "Mutually reinforcing activities"
    CONTINUOUS_COMMUNICATION = "continuous_communication", "Continuous communication"
    BACKBONE_SUPPORT = "backbone_support", "Backbone support"


class ThemeQuerySet(models.QuerySet):
    def with_evidence(self, lessons):
        """Annotate how many of `lessons` (already filtered for the viewer), and
        of their stories and communities, each theme gathers: one query, and a
        theme with none of them keeps its place with zeros."""
        among = Q(lessons__in=lessons)
        return self.annotate(
            lesson_count=Count("lessons", filter=among, distinct=True),
            story_count=Count("lessons__story", filter=among, distinct=True),
            community_count=Count(
                "lessons__story__community", filter=among, distinct=True
            ),
        ).order_by("name")  # Meta.ordering doesn't apply to a GROUP BY query

    def leading(self, lessons, limit=5):
        """The themes most of `lessons` are filed under, with `lesson_count`."""
        return (
            self.filter(lessons__in=lessons)
            .annotate(lesson_count=Count("lessons", distinct=True))
            .order_by("-lesson_count", "name")[:limit]
        )


class Theme(models.Model):
    """A strategic learning theme for national prioritisation, managed by the
    core team and evidenced by the lessons filed under it."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(
        blank=True, help_text="What the theme is about, in a few plain sentences."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ThemeQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("themes:detail", kwargs={"slug": self.slug})


class LessonQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Lessons of the stories `user` may read: the one story rule decides."""
        return self.filter(story__in=Story.objects.visible_to(user))

    def in_reading_order(self):
        """By stream, then works, doesn't work, enabling condition (the order
        of `Kind`, not the alphabet), newest story first."""
        kind_order = Case(
            *(When(kind=kind, then=Value(i)) for i, kind in enumerate(Kind.values)),
            default=Value(len(Kind.values)),
        )
        return self.order_by(
            "stream__order", kind_order, "-story__published_at", "story", "position"
        )

    def evidence(self):
        """The weight of evidence behind these lessons, in one aggregate query:
        how many lessons, stories, communities, states and years, and the
        first and last year of the work."""
        return self.aggregate(
            lessons=Count("pk", distinct=True),
            stories=Count("story", distinct=True),
            communities=Count("story__community", distinct=True),
            states=Count("story__community__state", distinct=True),
            years=Count("story__year", distinct=True),
            first_year=Min("story__year"),
            last_year=Max("story__year"),
        )


def practice_problem(practice, stream):
    """Why `practice` can't be a lesson's of `stream` ("" if it can: none, or
    one of that stream)."""
    if practice is None or practice.stream_id == stream.pk:
        return ""
    return (
        f"“{practice.name}” is a practice of {practice.stream.name}, not of "
        f"{stream.name}: choose one of the lesson's stream, or none."
    )


class Lesson(models.Model):
    """One thing a story teaches, in a sentence, codified by the core team."""

    story = models.ForeignKey(
        "stories.Story", on_delete=models.CASCADE, related_name="lessons"
    )
    statement = models.CharField(
        max_length=300, help_text="The lesson in one plain sentence."
    )
    kind = models.CharField(max_length=20, choices=Kind)
    stream = models.ForeignKey(Stream, on_delete=models.PROTECT, related_name="lessons")
    condition = models.CharField(
        "condition of collective impact",
        max_length=30,
        choices=Condition,
        blank=True,
        help_text="Optional.",
    )
    themes = models.ManyToManyField(Theme, blank=True, related_name="lessons")
    practice = models.ForeignKey(
        Practice,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lessons",
        help_text="The practice of the self-assessment it helps with, if any.",
    )
    position = models.PositiveSmallIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LessonQuerySet.as_manager()

    class Meta:
        ordering = ["story", "position", "pk"]
        indexes = [models.Index(fields=["story", "position"], name="lesson_order_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=Kind.values), name="lesson_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(condition="") | Q(condition__in=Condition.values),
                name="lesson_condition_valid",
            ),
        ]

    def __str__(self):
        return self.statement

    def clean(self):
        """A practice of the lesson's own stream (the admin asks this)."""
        if self.practice_id and self.stream_id:
            if problem := practice_problem(self.practice, self.stream):
                raise ValidationError({"practice": problem})


class Citation(models.Model):
    """That a story's authors were told it is cited: by its first lesson (no
    theme), or as evidence for a theme. Kept apart from the lessons so that
    removing and adding lessons again never tells them twice."""

    story = models.ForeignKey(
        "stories.Story", on_delete=models.CASCADE, related_name="citations"
    )
    theme = models.ForeignKey(
        Theme, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["story", "theme"], name="citation_once_per_theme"
            ),
            models.UniqueConstraint(
                fields=["story"],
                condition=Q(theme=None),
                name="citation_once_per_story",
            ),
        ]

    def __str__(self):
        return f"{self.story} in {self.theme or 'a lesson'}"
