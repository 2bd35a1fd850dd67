"""The theme pages and the stream page's lessons and themes: what each shows,
to whom, and in how many queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities.models import State
from lessons.models import Kind, Lesson, Theme
from stories.models import Status, Visibility
from tests.conftest import count_h1
from tests.factories import (
    fill_lessons,
    forget_kept,
    make_community,
    make_lesson,
    make_story,
    make_theme,
    make_user,
)

pytestmark = pytest.mark.django_db


def text(response):
    assert response.status_code == 200
    return response.content.decode()


def squash(html):
    return re.sub(r"\s+", " ", html)


@pytest.fixture
def library():
    """One theme evidenced by three readable stories in two states, with
    lessons of a draft, a submitted and a Collective-only story filed under
    it too; and a second theme whose only lesson is hidden."""
    nsw = make_community(name="Harbour Hills", state=State.NSW)
    wa = make_community(name="Pilbara Partners", state=State.WA)
    trust = make_theme(
        name="Trust takes time",
        slug="trust",
        description="Relationships come first.\n\nThen the data.",
    )
    quiet = make_theme(name="Quiet theme", slug="quiet", description="Nothing yet.")
    first = make_story(title="Yarning circles", community=nsw, year=2019)
    second = make_story(title="Shared dashboards", community=nsw, year=2022)
    third = make_story(title="Listening tour", community=wa, year=2024)
    make_lesson(
        first, stream="learn", kind=Kind.DOESNT_WORK, themes=[trust],
        statement="Long meetings lose people.",
    )  # fmt: skip
    make_lesson(
        first, stream="plan", kind=Kind.ENABLING, themes=[trust],
        statement="An elder chaired the first meeting.",
        condition="backbone_support",
    )  # fmt: skip
    make_lesson(
        second, stream="plan", kind=Kind.WORKS, themes=[trust],
        statement="Agree the measures together.",
    )  # fmt: skip
    make_lesson(
        third, stream="learn", kind=Kind.WORKS, themes=[trust],
        statement="Listen before planning.",
    )  # fmt: skip
    hidden = {
        "draft": make_story(status=Status.DRAFT, community=wa, year=2010),
        "submitted": make_story(status=Status.SUBMITTED, community=wa, year=2011),
        "collective": make_story(
            visibility=Visibility.COLLECTIVE,
            community=make_community(state=State.QLD),
            year=2012,
        ),
    }
    for name, story in hidden.items():
        make_lesson(
            story, stream="plan", themes=[trust], statement=f"Hidden {name} lesson."
        )
    make_lesson(
        hidden["draft"], stream="plan", themes=[quiet], statement="Only in a draft."
    )
    return {"trust": trust, "quiet": quiet, "first": first, "third": third}


def test_theme_list_shows_every_theme_with_the_visible_evidence(client, library):
    html = squash(text(client.get("/themes/")))
    assert '<a href="/themes/trust/">Trust takes time</a>' in html
    assert "<p>Relationships come first.</p>" in html
    assert "4 lessons from 3 stories in 2 communities" in html
    # a theme isn't secret, but the lesson of a draft doesn't count
    assert '<a href="/themes/quiet/">Quiet theme</a>' in html
    assert "No lessons yet" in html
    assert html.index("Quiet theme") < html.index("Trust takes time")


def test_an_approved_member_also_counts_collective_only_lessons(client, library):
    client.force_login(make_user(approved=True))
    html = squash(text(client.get("/themes/")))
    assert "5 lessons from 4 stories in 3 communities" in html
    client.force_login(make_user(approved=False))
    html = squash(text(client.get("/themes/")))
    assert "4 lessons from 3 stories in 2 communities" in html


def test_theme_page_groups_lessons_by_stream_then_kind(client, library):
    html = squash(text(client.get("/themes/trust/")))
    assert "<p>Relationships come first.</p> <p>Then the data.</p>" in html
    order = [
        '<a href="/streams/plan/">Plan</a>',
        "Works",
        "Agree the measures together.",
        "Enabling condition",
        "An elder chaired the first meeting.",
        '<a href="/streams/learn/">Learn</a>',
        "Works",
        "Listen before planning.",
        "Doesn&#x27;t work",
        "Long meetings lose people.",
    ]
    positions = []
    start = html.index('id="theme-lessons"')
    for needle in order:
        start = html.index(needle, start)
        positions.append(start)
    assert positions == sorted(positions)
    first = library["first"]
    assert (
        f'From <a href="/stories/{first.slug}/">Yarning circles</a>, Harbour Hills'
        in html
    )
    assert "Backbone support" in html
    assert "monitor" not in html.split('id="theme-lessons"')[1].split("</main>")[0]


def test_theme_page_weighs_only_the_visible_evidence(client, library):
    html = squash(text(client.get("/themes/trust/")))
    facts = dict(
        re.findall(r"<div><dt>([^<]+)</dt><dd>(.*?)</dd></div>", html)
    )  # fmt: skip
    assert facts == {
        "Lessons": "4",
        "Stories": "3",
        "Communities": "2",
        "States and territories": "2",
        "Years of the work": '2019–2024 <span class="count nowrap">(3 years)</span>',
    }
    assert "Hidden" not in html


def test_no_hidden_lesson_is_shown_to_a_visitor_or_a_pending_account(client, library):
    for who in (None, make_user(approved=False)):
        if who:
            client.force_login(who)
        for url in ["/themes/", "/themes/trust/", "/themes/quiet/", "/streams/plan/"]:
            html = text(client.get(url))
            assert "Hidden" not in html, url
            assert "Only in a draft" not in html, url


def test_an_approved_member_sees_the_collective_only_lesson_and_no_other(
    client, library
):
    client.force_login(make_user(approved=True))
    html = squash(text(client.get("/themes/trust/")))
    assert "Hidden collective lesson." in html
    assert "Hidden draft lesson." not in html
    assert "Hidden submitted lesson." not in html
    assert "<dt>States and territories</dt><dd>3</dd>" in html
    assert "2012–2024" in html
    plan = text(client.get("/streams/plan/"))
    assert "Hidden collective lesson." in plan
    assert "Hidden draft lesson." not in plan


def test_a_theme_without_visible_lessons_says_so_plainly(client, library):
    html = squash(text(client.get("/themes/quiet/")))
    assert "<h1>Quiet theme</h1>" in html
    assert "No lessons yet" in html
    assert "No lessons filed under Quiet theme yet." in html
    assert "<dt>" not in html


def test_unknown_theme_is_404_with_one_h1(client):
    response = client.get("/themes/no-such-theme/")
    assert response.status_code == 404
    assert count_h1(response) == 1


def test_theme_pages_have_one_h1_and_the_nav_links_to_them(client, library):
    for url in ["/themes/", "/themes/trust/", "/themes/quiet/", "/streams/plan/"]:
        response = client.get(url)
        assert count_h1(response) == 1, url
        assert '<a href="/themes/"' in response.content.decode(), url
    assert 'href="/themes/" aria-current="page">Themes' in text(client.get("/themes/"))


def test_user_text_is_escaped(client):
    theme = make_theme(
        name="<b>Bold</b>", slug="bold", description="<script>x</script>"
    )
    story = make_story(title="<i>Story</i>")
    make_lesson(story, themes=[theme], statement="<img src=x onerror=alert(1)>")
    for url in ["/themes/", "/themes/bold/", "/streams/plan/"]:
        html = text(client.get(url))
        assert "<script>x" not in html and "<img src=x" not in html, url
        assert "<b>Bold" not in html and "<i>Story" not in html, url
    assert "&lt;img src=x onerror=alert(1)&gt;" in text(client.get("/themes/bold/"))


def test_stream_page_shows_its_latest_lessons_with_a_count(client):
    story = make_story(title="Many lessons", community=make_community(name="Town"))
    for n in range(12):
        make_lesson(story, stream="monitor", kind=Kind.ENABLING,
                    statement=f"Monitor lesson {n:02}.")  # fmt: skip
    make_lesson(story, stream="plan", statement="A plan lesson.")
    html = squash(text(client.get("/streams/monitor/")))
    assert 'Lessons in Monitor <span class="count">(12)</span>' in html
    assert "The latest 10 of 12 lessons." in html
    shown = re.findall(r"Monitor lesson (\d\d)\.", html)
    assert shown == [f"{n:02}" for n in range(11, 1, -1)]
    assert "A plan lesson." not in html
    assert '<span class="kind kind--enabling">Enabling condition</span>' in html
    assert f'From <a href="{story.get_absolute_url()}">Many lessons</a>, Town' in html


def test_stream_page_ranks_its_five_leading_themes(client):
    story = make_story()
    themes = [make_theme(name=f"Theme {letter}", slug=letter) for letter in "abcdefg"]
    weights = {"a": 1, "b": 6, "c": 3, "d": 3, "e": 5, "f": 2, "g": 4}
    for theme in themes:
        for _ in range(weights[theme.slug]):
            make_lesson(story, stream="learn", themes=[theme])
    # lessons in other streams, or of a hidden story, don't lead in Learn
    make_lesson(story, stream="plan", themes=[themes[0]])
    for _ in range(9):
        make_lesson(make_story(status=Status.DRAFT), stream="learn", themes=[themes[0]])
    html = squash(text(client.get("/streams/learn/")))
    section = html.split('id="stream-themes"')[1]
    ranked = re.findall(r'<a href="/themes/(\w)/">Theme \w</a>', section)
    assert ranked == ["b", "e", "g", "c", "d"]
    assert "(6 lessons in Learn)" in section


def test_stream_page_without_lessons_keeps_its_stories(client):
    make_story(title="Plain story", streams=["evaluate"])
    html = squash(text(client.get("/streams/evaluate/")))
    assert "Plain story" in html
    assert "No lessons codified in this stream yet." in html
    assert "No themes draw on this stream yet." in html


# Measured with 1,000 stories and 5,000 lessons, anonymous: the theme list
# takes 2 queries (themes with their evidence, the navigation's streams), a
# theme page 4 (theme, lessons, evidence, streams) and a stream page 9 (its
# six before lessons, plus the lessons, their count and the leading themes).
BUDGETS = {"/themes/": 2, "/themes/big-theme-0/": 4, "/streams/plan/": 9}


def test_pages_keep_a_constant_query_budget_with_5000_lessons(
    client, django_assert_max_num_queries
):
    make_lesson(make_story(), themes=[make_theme(slug="big-theme-0")])
    small = {}
    for url in BUDGETS:
        forget_kept()  # each page drawn afresh, not the one kept
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200, url
        small[url] = len(captured)
    Theme.objects.all().delete()
    fill_lessons()
    assert Lesson.objects.count() == 5_001
    for url, budget in BUDGETS.items():
        forget_kept()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert len(captured) == small[url], url  # the same for 1 lesson as 5,000
        with django_assert_max_num_queries(budget):
            response = client.get(url)
        assert response.status_code == 200, url
    html = squash(text(client.get("/themes/big-theme-0/")))
    assert "<dt>Years of the work</dt><dd>2015–2024" in html
