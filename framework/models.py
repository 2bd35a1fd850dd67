"""The Pathway to Scale framework itself: its five streams."""

from django.db import models
from django.db.models import Q
from django.urls import reverse


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
