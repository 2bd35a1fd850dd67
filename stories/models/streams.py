"""A story's place in the framework's streams, one of them its primary."""

from django.db import models
from django.db.models import (
    Prefetch,
    Q,
)

from framework.models import Stream


class StoryStream(models.Model):
    """A story's place in a stream; exactly one link per story is its primary."""

    story = models.ForeignKey(
        "stories.Story", on_delete=models.CASCADE, related_name="story_streams"
    )
    stream = models.ForeignKey(
        Stream, on_delete=models.PROTECT, related_name="story_links"
    )
    is_primary = models.BooleanField("primary stream", default=False)

    class Meta:
        verbose_name = "stream of a story"
        constraints = [
            models.UniqueConstraint(
                fields=["story", "stream"], name="storystream_unique"
            ),
            models.UniqueConstraint(
                fields=["story"],
                condition=Q(is_primary=True),
                name="storystream_one_primary",
            ),
        ]

    def __str__(self):
        return f"{self.story} in {self.stream}"


def prefetch_stream_links():
    """A story's stream links, primary first, as `story.stream_links`."""
    return Prefetch(
        "story_streams",
        queryset=StoryStream.objects.select_related("stream").order_by(
            "-is_primary", "stream__order"
        ),
        to_attr="stream_links",
    )
