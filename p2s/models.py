from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse


class StreamQuerySet(models.QuerySet):
    def with_story_counts(self, stories):
        """Annotate `story_count`: how many of `stories` (already filtered for the
        viewer) are in each stream, in one query."""
        from stories.models import StoryStream

        counts = (
            StoryStream.objects.filter(stream=OuterRef("pk"), story__in=stories)
            .order_by()
            .values("stream")
            .annotate(n=Count("story", distinct=True))
            .values("n")
        )
        return self.annotate(story_count=Coalesce(Subquery(counts), Value(0)))


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

    objects = StreamQuerySet.as_manager()

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
