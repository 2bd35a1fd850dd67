import pytest
from django.db import IntegrityError

from framework.models import Stream
from framework.wheel import wheel_segments
from stories.models import Story
from stories.selectors import streams_with_counts
from tests.factories import make_story


@pytest.mark.django_db
def test_the_five_streams_exist_in_every_database():
    assert list(Stream.objects.values_list("slug", flat=True)) == [
        "plan",
        "monitor",
        "evaluate",
        "learn",
        "communicate",
    ]
    for stream in Stream.objects.all():
        assert stream.tagline and stream.description
        assert stream.colour.startswith("#") and len(stream.colour) == 7


@pytest.mark.django_db
def test_stream_order_is_unique():
    with pytest.raises(IntegrityError):
        Stream.objects.create(name="Extra", slug="extra", order=1, colour="#000000")


@pytest.mark.django_db
def test_story_counts_count_only_the_given_stories():
    make_story(streams=["plan", "learn"])
    make_story(streams=["plan"])
    hidden = make_story(streams=["plan"], status="draft")
    counts = {
        s.slug: s.story_count for s in streams_with_counts(Story.objects.published())
    }
    assert counts == {
        "plan": 2,
        "monitor": 0,
        "evaluate": 0,
        "learn": 1,
        "communicate": 0,
    }
    assert hidden.status == "draft"


@pytest.mark.django_db
def test_wheel_has_a_closed_segment_per_stream():
    segments = wheel_segments(Stream.objects.all())
    assert [s.stream.slug for s in segments][0] == "plan"
    assert len(segments) == 5
    for segment in segments:
        assert segment.path.startswith("M") and segment.path.endswith("Z")
        assert 0 < segment.label_x < 400 and 0 < segment.label_y < 400
    assert wheel_segments([]) == []
