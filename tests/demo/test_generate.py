"""`manage.py generate_stories`: a synthetic library for benchmarks."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, F, Q
from taggit.models import TaggedItem

from communities.models import Community, Membership, Role
from discovery import search
from lessons.models import Lesson
from stories.models import Status, Story, StoryStream, Visibility
from tests.factories import ensure_streams, make_story


def generate(count, seed=7):
    out, err = io.StringIO(), io.StringIO()
    call_command("generate_stories", count=count, seed=seed, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def snapshot():
    """What a reader would see of every story, in order."""
    return [
        (
            story.slug,
            story.title,
            story.summary,
            story.body,
            story.community.name,
            story.community.state,
            story.status,
            story.visibility,
            story.year,
            [(link.stream.slug, link.is_primary) for link in story.stream_links],
            sorted(tag.name for tag in story.tags.all()),
        )
        for story in Story.objects.order_by("pk")
        .select_related("community")
        .prefetch_related("tags")
        .for_cards()
    ]


@pytest.fixture
def streams(db):
    return ensure_streams()


def test_adds_the_stories_with_communities_accounts_and_lessons(streams):
    out, _ = generate(60)

    assert Story.objects.count() == 60
    assert "Added 60 stories" in out
    communities = Community.objects.all()
    assert communities.count() >= 3
    assert all(community.is_demo for community in communities)
    assert Story.objects.filter(is_demo=True).count() == 60
    # every community has a lead, and every story an author of its community
    assert Membership.objects.filter(role=Role.LEAD).count() == communities.count()
    assert not Story.objects.filter(authors=None).exists()
    assert not Story.objects.exclude(
        authors__memberships__community=F("community")
    ).exists()
    assert Lesson.objects.exists()
    assert not Lesson.objects.filter(themes=None).exists()
    assert not Lesson.objects.exclude(story__status=Status.PUBLISHED).exists()


def test_mixes_visibility_and_workflow_states(streams):
    generate(200)

    visibility = dict(
        Story.objects.values_list("visibility").annotate(n=Count("pk")).order_by()
    )
    assert visibility[Visibility.PUBLIC] > visibility[Visibility.COLLECTIVE] > 0
    statuses = dict(
        Story.objects.values_list("status").annotate(n=Count("pk")).order_by()
    )
    assert statuses[Status.PUBLISHED] > 150
    assert len(statuses) >= 4
    # the database's own rules hold: published stories have a date, and
    # everything past a draft has consent
    assert not Story.objects.filter(status=Status.PUBLISHED, published_at=None).exists()


def test_every_story_has_one_primary_stream_and_some_tags(streams):
    generate(80)

    per_story = Story.objects.annotate(
        primaries=Count("story_streams", filter=Q(story_streams__is_primary=True)),
        links=Count("story_streams"),
    )
    assert {story.primaries for story in per_story} == {1}
    assert {story.links for story in per_story} <= {1, 2, 3}
    assert StoryStream.objects.count() > 80  # some stories are in several
    tagged = set(TaggedItem.objects.values_list("object_id", flat=True))
    assert tagged == set(Story.objects.values_list("pk", flat=True))


def test_the_same_seed_gives_the_same_library(streams):
    with transaction.atomic():
        generate(25, seed=11)
        first = snapshot()
        transaction.set_rollback(True)
    assert not Story.objects.exists()

    generate(25, seed=11)

    assert snapshot() == first


def test_another_seed_gives_another_library(streams):
    with transaction.atomic():
        generate(25, seed=11)
        first = snapshot()
        transaction.set_rollback(True)

    generate(25, seed=12)

    assert [row[1] for row in snapshot()] != [row[1] for row in first]


def test_adds_to_an_existing_library(streams):
    existing = make_story(title="Already here")

    generate(10)
    generate(10)  # the same seed again: new slugs, nothing clashes

    assert Story.objects.count() == 21
    assert Story.objects.filter(pk=existing.pk, title="Already here").exists()


def test_reports_progress_on_stderr(streams):
    _, err = generate(5)

    assert "\r" in err
    assert "5/5 (100%)" in err


def test_quiet_without_progress(streams):
    err = io.StringIO()
    call_command(
        "generate_stories", count=3, verbosity=0, stdout=io.StringIO(), stderr=err
    )
    assert err.getvalue() == ""
    assert Story.objects.count() == 3


def test_generated_stories_read_like_any_other(streams, client):
    generate(30)
    story = Story.objects.visible_to(None).first()

    response = client.get(story.get_absolute_url())

    assert response.status_code == 200
    assert story.title.encode() in response.content.replace(b"&#x27;", b"'")
    assert client.get("/stories/").status_code == 200


def test_refreshes_the_search_vectors_of_the_new_stories(streams, monkeypatch):
    before = make_story()
    refreshed = []
    monkeypatch.setattr(
        search, "refresh_search_vectors", lambda stories: refreshed.append(stories)
    )

    generate(3)

    [stories] = refreshed
    assert stories.count() == 3
    assert before not in stories


def test_refused_where_demo_content_is_not_allowed(streams, settings):
    settings.P2S_DEMO_ALLOWED = False

    with pytest.raises(CommandError, match="not allowed"):
        generate(3)
    assert not Story.objects.exists()
