import pytest
from django.db import DataError, IntegrityError, transaction

from framework.models import Stream
from stories.models import Status, Story, StoryStream
from tests.factories import make_story

pytestmark = pytest.mark.django_db


def test_a_story_has_at_most_one_primary_stream():
    story = make_story(streams=["plan"])
    with pytest.raises(IntegrityError), transaction.atomic():
        StoryStream.objects.create(
            story=story, stream=Stream.objects.get(slug="learn"), is_primary=True
        )
    StoryStream.objects.create(story=story, stream=Stream.objects.get(slug="learn"))
    assert story.primary_stream.slug == "plan"
    assert [link.stream.slug for link in story.ordered_stream_links] == [
        "plan",
        "learn",
    ]


def test_a_stream_is_linked_once_per_story():
    story = make_story(streams=["plan"])
    with pytest.raises(IntegrityError):
        StoryStream.objects.create(story=story, stream=Stream.objects.get(slug="plan"))


def test_the_database_refuses_a_published_story_without_a_date():
    with pytest.raises(IntegrityError):
        make_story(status=Status.PUBLISHED, published_at=None)


def test_the_database_refuses_a_long_summary():
    # PostgreSQL's varchar(300) says DataError; SQLite's check constraint IntegrityError
    with pytest.raises((IntegrityError, DataError)):
        make_story(summary="x" * 301)


def test_the_database_refuses_an_unknown_status_or_visibility():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_story(status="lost")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_story(visibility="secret")


def test_the_database_refuses_a_year_out_of_range():
    with pytest.raises(IntegrityError):
        make_story(year=1066)


def test_story_strings_and_urls():
    story = make_story(title="Parent Cafe in a box", slug="parent-cafe")
    assert str(story) == "Parent Cafe in a box"
    assert story.get_absolute_url() == "/stories/parent-cafe/"


def test_tagged_finds_the_stories_with_a_tag_by_tag_or_slug():
    both = make_story(title="Both", tags=["shared", "yarning"])
    one = make_story(title="One", tags=["yarning"])
    make_story(title="None", tags=["other"])
    tag = both.tags.get(slug="yarning")
    assert set(Story.objects.tagged(tag)) == {both, one}
    assert set(Story.objects.tagged("shared")) == {both}
    assert not Story.objects.tagged("nowhere").exists()
