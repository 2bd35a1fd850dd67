"""The Pathway to Scale framework itself: its five streams, and the
practices of each stream that a leadership table assesses itself against,
in versions (a new version never rewrites results given against an older
one)."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


class Stream(models.Model):
    """One of the five streams of the Pathway to Scale framework.

    The five rows are created by a data migration, so every database has them.
    """

    name = models.CharField(max_length=40, unique=True)
    slug = models.SlugField(max_length=40, unique=True)
    order = models.PositiveSmallIntegerField(unique=True)
    tagline = models.CharField(
        "one-line description", max_length=200, help_text="What the stream is, briefly."
    )
    description = models.TextField(blank=True)
    colour = models.CharField(
        max_length=7,
        help_text="Hex colour, e.g. #1f5f99. White text must read well on it.",
    )

    class Meta:
        ordering = ["order"]
        constraints = [
            models.CheckConstraint(
                condition=Q(order__gte=1) & Q(order__lte=20), name="stream_order_range"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("stories:stream", kwargs={"slug": self.slug})


class Level(models.IntegerChoices):
    """How far a practice is embedded, from the lowest; the same four for every
    practice, each practice describing what its own four look like."""

    NOT_STARTED = 1, "Not yet started"
    EMERGING = 2, "Emerging"
    DEVELOPING = 3, "Developing"
    EMBEDDED = 4, "Embedded and exceeding expectation"


class VersionQuerySet(models.QuerySet):
    def published(self):
        return self.exclude(published_at=None)

    def newest_published(self):
        """The current version as a query of one row, to filter by in SQL."""
        return self.published().order_by("-number")[:1]

    def current(self):
        """The newest published version: the one a new assessment uses."""
        return self.newest_published().first()


class FrameworkVersion(models.Model):
    """One iteration of the self-assessment's practices. While a draft, the
    core team writes it in the admin; once published it is frozen, and a
    change means a new version (copied from it), so that an assessment keeps
    the practices it was given against."""

    number = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=150)
    notes = models.TextField(
        blank=True, help_text="What this version is, and what changed from the last."
    )
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When new assessments began to use it; empty while a draft.",
    )

    objects = VersionQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        verbose_name = "version of the framework"
        verbose_name_plural = "versions of the framework"

    def __str__(self):
        return f"{self.number}. {self.name}"

    @property
    def is_published(self):
        return self.published_at is not None


# a practice's descriptions of the four levels, from the lowest (Level)
LEVEL_FIELDS = ["not_started", "emerging", "developing", "embedded"]
# what a practice says, apart from its version and stream
PRACTICE_FIELDS = ["position", "name", "description", *LEVEL_FIELDS]


class Practice(models.Model):
    """What a backbone does well in one stream, with what each of the four
    levels looks like for it."""

    version = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="practices"
    )
    stream = models.ForeignKey(
        Stream, on_delete=models.PROTECT, related_name="practices"
    )
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    not_started = models.TextField(Level.NOT_STARTED.label)
    emerging = models.TextField(Level.EMERGING.label)
    developing = models.TextField(Level.DEVELOPING.label)
    embedded = models.TextField(Level.EMBEDDED.label)

    class Meta:
        ordering = ["version", "stream__order", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "name"], name="practice_name_once_a_version"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def levels(self):
        """(level, its label, what it looks like here), from the lowest."""
        return [
            (level, level.label, getattr(self, field))
            for level, field in zip(Level, LEVEL_FIELDS, strict=True)
        ]
