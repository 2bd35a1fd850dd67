"""Browse's facet counts follow every write to what they count: a story's
streams, tags and lessons' themes (on PostgreSQL counted from the keys stored
on each story, kept current by the services and signals)."""

from itertools import product

import pytest
from django.db import connection  # noqa: F401 (in the skipif conditions)
from django.urls import reverse

from discovery.facets import _tally_by_joins, _tally_by_keys, count_facets
from discovery.search import matching
from framework.models import Stream
from lessons.models import Lesson, Theme
from stories.models import Story, StoryStream
from stories.services import STORY_FIELDS, story_save
from tests.factories import forget_kept, make_community, make_member, make_story

pytestmark = pytest.mark.django_db

BROWSE = reverse("stories:list")
postgres_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="the stored keys are PostgreSQL's"
)


def counts(client, facet, **params):
    forget_kept()
    response = client.get(BROWSE, params)
    assert response.status_code == 200
    return dict(response.context["form"].fields[facet].choices)


def lesson_of(story, *themes):
    lesson = Lesson.objects.create(
        story=story,
        statement=f"A lesson of {story.title}.",
        kind="works",
        stream=Stream.objects.get(slug="plan"),
    )
    lesson.themes.add(*themes)
    return lesson


def test_a_stream_count_follows_a_change_of_the_storys_streams(client):
    community = make_community()
    author = make_member(community)
    story = make_story(title="Moving stream", streams=["plan"], community=community)
    make_story(streams=["learn"])
    assert counts(client, "stream")["plan"] == "Plan (1)"
    data = {
        **{field: getattr(story, field) for field in STORY_FIELDS},
        "streams": ["learn"],
        "primary_stream": "learn",
        "tags": [],
    }
    story.status = "draft"
    story.save()
    story_save(author=author, data=data, story=story)
    Story.objects.filter(pk=story.pk).update(status="published")
    found = counts(client, "stream")
    assert found["plan"] == "Plan (0)"
    assert found["learn"] == "Learn (2)"


def test_a_stream_link_written_one_by_one_is_counted(client):
    # as the admin's inline writes them
    story = make_story(streams=["plan"])
    link = StoryStream.objects.create(
        story=story, stream=Stream.objects.get(slug="learn")
    )
    assert counts(client, "stream")["learn"] == "Learn (1)"
    link.delete()
    assert counts(client, "stream")["learn"] == "Learn (0)"


def test_tag_and_theme_counts_follow_their_changes(client):
    trust = Theme.objects.create(name="Trust takes time", slug="trust")
    story = make_story(tags=["kin"])
    assert counts(client, "tag") == {"": "All tags", "kin": "kin (1)"}
    story.tags.add("river")
    story.tags.remove("kin")
    assert counts(client, "tag") == {"": "All tags", "river": "river (1)"}
    lesson = lesson_of(story)
    assert counts(client, "theme") == {"": "All themes"}
    lesson.themes.add(trust)
    assert counts(client, "theme") == {
        "": "All themes",
        "trust": "Trust takes time (1)",
    }
    trust.lessons.remove(lesson)
    assert counts(client, "theme") == {"": "All themes"}
    trust.lessons.add(lesson)
    lesson.delete()
    assert counts(client, "theme") == {"": "All themes"}


def test_a_collective_story_counts_only_for_members(client):
    community = make_community()
    member = make_member(community)
    make_story(tags=["kin"], streams=["learn"], visibility="collective")
    make_story(tags=["kin"], streams=["plan"])
    assert counts(client, "tag")["kin"] == "kin (1)"
    assert counts(client, "stream")["learn"] == "Learn (0)"
    client.force_login(member, backend="communities.backends.EmailBackend")
    assert counts(client, "tag")["kin"] == "kin (2)"
    assert counts(client, "stream")["learn"] == "Learn (1)"


@postgres_only
def test_the_stored_keys_count_what_the_joins_count():
    trust = Theme.objects.create(name="Trust takes time", slug="trust")
    data = Theme.objects.create(name="Data for change", slug="data")
    places = [make_community(state="NT"), make_community(state="NSW")]
    for n, (place, year) in enumerate(product(places, [2019, None])):
        story = make_story(
            community=place,
            year=year,
            streams=["plan", "learn"][: n % 2 + 1],
            tags=["kin", "river"][: n % 2 + 1],
            body="A playgroup by the river." if n % 2 else "Elders first.",
            visibility="collective" if n == 3 else "public",
        )
        lesson_of(story, trust, data) if n % 2 else lesson_of(story, trust)
        lesson_of(story, trust)  # a theme twice counts the story once
    options = {
        "stream": ["", "learn"],
        "tag": ["", "river"],
        "theme": ["", "data"],
        "year": ["", "2019"],
        "state": ["", "NT"],
    }
    for visible in (Story.objects.visible_to(None), Story.objects.published()):
        for q in ("", "playgroup"):
            searched = matching(visible, q)
            for values in product(*options.values()):
                filters = {k: v for k, v in zip(options, values, strict=True) if v}
                assert _tally_by_keys(searched, filters) == _tally_by_joins(
                    searched, filters
                ), (q, filters)


@postgres_only
def test_browse_counts_in_one_query_without_filters(django_assert_num_queries):
    make_story(tags=["kin"])
    communities = [(c.pk, c.slug, c.state) for c in [make_community()]]
    # the keys, then the streams' slugs and the tags' names (no theme counted)
    with django_assert_num_queries(3):
        count_facets(Story.objects.visible_to(None), {}, "", communities)


def test_community_and_year_counts_follow_a_saved_change(client):
    harbour = make_community(name="Harbour", slug="harbour", state="WA")
    story = make_story(year=2019)
    make_story(year=2019)
    assert counts(client, "year")["2019"] == "2019 (2)"
    story.year = 2021
    story.community = harbour
    story.save()
    found = counts(client, "year")
    assert (found["2019"], found["2021"]) == ("2019 (1)", "2021 (1)")
    assert counts(client, "community")["harbour"] == "Harbour (1)"


@postgres_only
def test_a_story_whose_keys_were_never_written_still_counts_by_place_and_year():
    story = make_story(year=2020, tags=["kin"])
    Story.objects.filter(pk=story.pk).update(facet_keys=None)
    communities = [(story.community_id, story.community.slug, story.community.state)]
    facets = count_facets(Story.objects.visible_to(None), {}, "", communities)
    assert facets["total"] == 1
    assert facets["year"] == {2020: 1}


def test_the_filters_draw_their_options_escaped_with_the_chosen_one_selected(client):
    make_story(streams=["plan"], tags=["R&D <3"])
    forget_kept()
    html = client.get(BROWSE, {"stream": "plan"}).content.decode()
    assert '<option value="plan" selected>Plan (1)</option>' in html
    assert '<option value="">All streams</option>' in html
    assert "R&amp;D &lt;3 (1)</option>" in html
    assert "<3 (1)" not in html


def test_a_lesson_moved_to_another_story_takes_its_theme_along(client):
    """The admin may give a lesson another story: both stories' keys follow."""
    trust = Theme.objects.create(name="Trust takes time", slug="trust")
    first = make_story(community=make_community(state="NT", slug="top-end"))
    second = make_story(community=make_community(state="WA", slug="pilbara"))
    lesson = lesson_of(first, trust)
    assert counts(client, "theme", state="NT")["trust"] == "Trust takes time (1)"
    assert "trust" not in counts(client, "theme", state="WA")  # no story: no option
    lesson.story = second
    lesson.save()
    assert "trust" not in counts(client, "theme", state="NT")
    assert counts(client, "theme", state="WA")["trust"] == "Trust takes time (1)"
