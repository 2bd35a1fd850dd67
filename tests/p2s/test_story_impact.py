"""The storyteller's impact page (issue 22, point 7): for each story, its
authors (and its community's lead, and the core team) see where it has been
used: the lessons and themes it feeds and the collections it is in, with
dates; a link-only collection named without its link, a draft not at all."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from curation.models import CollectionItem
from lessons.models import Citation, Kind, Lesson
from stories.models import Status, Story, Visibility
from tests.conftest import count_h1
from tests.factories import (
    make_collection,
    make_community,
    make_core,
    make_lesson,
    make_member,
    make_story,
    make_theme,
    make_user,
)

pytestmark = pytest.mark.django_db

SYDNEY = ZoneInfo("Australia/Sydney")


@pytest.fixture
def people(db):
    community = make_community(name="Harbour Hills Together", slug="hh", state="WA")
    return {
        "community": community,
        "author": make_member(community, email="author@example.org"),
        "co-author": make_member(community, email="co@example.org"),
        "lead": make_member(community, role="lead", email="lead@example.org"),
        "core": make_core(email="core@example.org"),
        "other member": make_member(community, email="other@example.org"),
        "funder": make_user(email="funder@example.org"),
    }


def story_of(people, **fields):
    story = make_story(community=people["community"], title="Drawing hopes", **fields)
    story.authors.add(people["author"], people["co-author"])
    return story


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def impact(story):
    return f"/stories/{story.slug}/impact/"


def at(day, month, year):
    return datetime(year, month, day, 12, tzinfo=SYDNEY)


def used_story(people):
    """A story with two lessons under two themes (one cited since 2 March
    2025), in a public, a Collective-only and a link-only collection, and in
    a draft one."""
    story = story_of(people)
    trust, voice = make_theme(name="Trust takes time"), make_theme(name="Voice")
    first = make_lesson(story, statement="Listen first.", themes=[trust])
    second = make_lesson(
        story,
        statement="Long <meetings> lose people.",
        stream="learn",
        kind=Kind.DOESNT_WORK,
        themes=[trust, voice],
    )
    Lesson.objects.filter(pk=first.pk).update(created_at=at(1, 3, 2025))
    Lesson.objects.filter(pk=second.pk).update(created_at=at(9, 4, 2025))
    Citation.objects.create(story=story, theme=trust)
    Citation.objects.filter(theme=trust).update(created_at=at(2, 3, 2025))
    elsewhere = make_story(title="Another")  # the theme's other evidence
    make_lesson(elsewhere, themes=[trust])
    collections = {
        "public": make_collection(title="For funders", slug="for-funders"),
        "collective": make_collection(
            title="Members' reading", slug="members", visibility="collective"
        ),
        "link": make_collection(title="Board pack", slug="board", visibility="link"),
        "draft": make_collection(title="Work in progress", published=False),
    }
    for position, collection in enumerate(collections.values()):
        CollectionItem.objects.create(
            collection=collection,
            story=story,
            position=position,
            created_at=at(10 + position, 5, 2025),
        )
    return story, collections


@pytest.mark.parametrize("who", ["author", "co-author", "lead", "core"])
def test_its_people_see_the_lessons_themes_and_collections_with_dates(people, who):
    story, collections = used_story(people)
    response = signed_in(people[who]).get(impact(story))
    assert response.status_code == 200
    assert count_h1(response) == 1
    html = response.content.decode()
    assert "Where “Drawing hopes” has been used" in html
    assert 'name="robots" content="noindex"' in html
    lessons = html[html.index('id="impact-lessons"') : html.index('id="impact-themes"')]
    assert lessons.index("Listen first.") < lessons.index("Long &lt;meetings&gt;")
    assert "Doesn&#x27;t work" in lessons and "Learn stream" in lessons
    assert '<time datetime="2025-03-01">1 March 2025</time>' in lessons
    assert '<time datetime="2025-04-09">9 April 2025</time>' in lessons
    themes = html[
        html.index('id="impact-themes"') : html.index('id="impact-collections"')
    ]
    assert themes.index("Trust takes time") < themes.index("Voice")
    assert 'Cited since <time datetime="2025-03-02">2 March 2025</time>' in themes
    assert "gathers 3 lessons from 2 stories in 2 communities" in themes
    assert 'Cited since <time datetime="2025-04-09">9 April 2025</time>' in themes
    shown = html[html.index('id="impact-collections"') :]
    assert '<a href="/collections/for-funders/">For funders</a>' in shown
    assert '<a href="/collections/members/">Members&#x27; reading</a>' in shown
    assert "Board pack" in shown and "Shared by a private link" in shown
    assert "/collections/board/" not in html
    assert collections["link"].share_token not in html
    assert "Work in progress" not in html  # a draft isn't used yet
    assert '<time datetime="2025-05-12">12 May 2025</time>' in shown  # added


def test_nothing_yet_is_said_plainly(people):
    story = story_of(people)
    html = signed_in(people["author"]).get(impact(story)).content.decode()
    assert "No lessons codified from it yet." in html
    assert "No learning theme draws on it yet." in html
    assert "It isn't in a published collection yet." in html


def test_an_unpublished_story_s_lessons_are_shown_to_its_author(people):
    story = story_of(people, status=Status.SUBMITTED)
    make_lesson(story, statement="Drawn while in review.")
    html = signed_in(people["author"]).get(impact(story)).content.decode()
    assert "Drawn while in review." in html
    assert "readers see its lessons once it is published" in html
    # a withdrawn story won't be published: not promised
    Story.objects.filter(pk=story.pk).update(status=Status.WITHDRAWN)
    html = signed_in(people["author"]).get(impact(story)).content.decode()
    assert "Not published (withdrawn): readers don't see it or its lessons." in html
    assert "once it is published" not in html


@pytest.mark.parametrize("who", ["other member", "funder"])
def test_another_reader_of_the_story_is_refused(people, who):
    story, _ = used_story(people)
    response = signed_in(people[who]).get(impact(story))
    assert response.status_code == 403
    assert b"Listen first." not in response.content
    assert b"Board pack" not in response.content


def test_someone_who_may_not_read_the_story_finds_nothing(people):
    story = story_of(people, status=Status.DRAFT, visibility=Visibility.COLLECTIVE)
    for who in ("other member", "funder"):
        assert signed_in(people[who]).get(impact(story)).status_code == 404
    assert signed_in(people["author"]).get("/stories/nothing/impact/").status_code == (
        404
    )


def test_a_visitor_is_asked_to_sign_in(client, people):
    story, _ = used_story(people)
    response = client.get(impact(story))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_page_is_read_only_and_never_kept(people):
    story, _ = used_story(people)
    author = signed_in(people["author"])
    assert author.post(impact(story)).status_code == 405
    response = author.get(impact(story))
    assert "no-store" in response["Cache-Control"]
    make_lesson(story, statement="Just codified.")  # no version change needed
    assert b"Just codified." in author.get(impact(story)).content


def test_the_page_costs_the_same_however_much_the_story_is_used(
    people, django_assert_max_num_queries
):
    story, _ = used_story(people)
    author = signed_in(people["author"])
    author.get(impact(story))
    with django_assert_max_num_queries(12):
        author.get(impact(story))
    for _ in range(10):
        make_lesson(story, themes=[make_theme()])
        CollectionItem.objects.create(
            collection=make_collection(), story=story, position=0
        )
    with django_assert_max_num_queries(12):
        html = author.get(impact(story)).content.decode()
    assert html.count('class="impact-list__title"') == 12 + 12 + 13


def test_my_stories_on_me_lead_to_where_each_has_been_used(people):
    story = story_of(people)
    page = signed_in(people["author"]).get("/me/").content.decode()
    assert f'href="{impact(story)}"' in page
    assert "Where it's been used" in page
