"""The synthesis page and the lessons CSV: who may see them, that every number
counts only what the viewer may read, and that both cost a fixed number of
queries whatever the library's size."""

import re

import pytest
from django.utils import timezone

from communities.models import State
from lessons.models import Lesson, Theme
from tests.conftest import count_h1
from tests.factories import (
    fill_lessons,
    make_core,
    make_lesson,
    make_story,
    make_theme,
)
from tests.lessons.synthesis_fixtures import csv_rows, table_dict, tables

pytestmark = pytest.mark.django_db

PAGE = "/synthesis/"
CSV_URL = "/synthesis/lessons.csv"


@pytest.fixture
def core_client(client):
    client.force_login(make_core())
    return client


# Who may


def test_a_visitor_is_sent_to_sign_in_for_the_csv(client):
    response = client.get(CSV_URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_a_pending_account_is_refused_the_csv_with_a_plain_message(pending_client):
    response = pending_client.get(CSV_URL)
    assert response.status_code == 403
    assert "once the core team approves it" in response.content.decode()


def test_a_visitor_and_a_pending_account_see_the_public_summary(
    client, pending, library
):
    """The page opens to everyone; those who aren't members of the Collective
    see it counted over the public stories (tests/lessons/
    test_synthesis_public.py shows what it counts)."""
    for signed_in in (False, True):
        if signed_in:
            client.force_login(pending)
        response = client.get(PAGE)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Public summary" in html
        assert CSV_URL not in html


@pytest.mark.parametrize("url", [PAGE, CSV_URL])
def test_an_approved_member_and_the_core_team_may(member_client, url, library):
    assert member_client.get(url).status_code == 200


@pytest.mark.parametrize("url", [PAGE, CSV_URL])
def test_the_core_team_may(core_client, url, library):
    assert core_client.get(url).status_code == 200


@pytest.mark.parametrize("url", [PAGE, CSV_URL])
def test_only_reading_methods_are_allowed(member_client, url):
    assert member_client.post(url).status_code == 405


def test_the_navigation_links_to_it_for_everyone(client, member, pending):
    """Visitors and pending accounts to the public summary, members to the
    whole synthesis: the same address."""
    assert 'href="/synthesis/"' in client.get("/").content.decode()
    client.force_login(pending)
    assert 'href="/synthesis/"' in client.get("/").content.decode()
    client.force_login(member)
    assert 'href="/synthesis/"' in client.get("/").content.decode()


# What the page shows


def test_the_page_has_one_h1_charts_with_names_and_a_csv_link(member_client, library):
    response = member_client.get(PAGE)
    html = response.content.decode()
    assert count_h1(response) == 1
    svgs = re.findall(r'<svg class="chart__svg"[^>]*>', html)
    # the heat grid, the columns, and both bar charts twice (page and phone)
    assert len(svgs) == 6
    for name in ["kinds", "states"]:
        drawn = re.findall(
            rf'viewBox="0 0 (\d+) \d+"[^>]*aria-labelledby="{name}', html
        )
        assert len(drawn) == 2 and int(drawn[1]) <= 343 < int(drawn[0]), drawn
    for svg in svgs:
        assert 'role="group"' in svg  # of links, each named
        label = re.search(r'aria-labelledby="([^"]+)"', svg).group(1)
        assert f'<figcaption id="{label}">' in html
    assert 'href="/synthesis/lessons.csv"' in html
    assert "style=" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)  # no inline script


def test_streams_by_themes_counts_readable_lessons_only(member_client, library):
    matrix = tables(member_client.get(PAGE))["Lessons per theme and stream"]
    assert matrix[0] == [
        "Theme",
        "Plan",
        "Monitor",
        "Evaluate",
        "Learn",
        "Communicate",
        "All streams",
    ]
    rows = table_dict(matrix)
    assert rows["Trust takes time"] == ["2", "0", "0", "1", "0", "3"]
    assert rows["Shared data"] == ["1", "0", "0", "0", "0", "1"]
    assert rows["Quiet theme"] == ["0", "0", "0", "0", "0", "0"]
    assert rows["No theme yet"] == ["0", "0", "0", "1", "0", "1"]


def test_kinds_per_stream_count_readable_lessons_only(member_client, library):
    kinds = tables(member_client.get(PAGE))["Lessons per stream and kind"]
    assert kinds[0] == [
        "Stream",
        "Works",
        "Doesn't work",
        "Enabling condition",
        "All kinds",
    ]
    rows = table_dict(kinds)
    assert rows["Plan"] == ["1", "1", "0", "2"]
    assert rows["Learn"] == ["1", "0", "1", "2"]
    assert rows["Monitor"] == ["0", "0", "0", "0"]
    assert rows["All streams"] == ["2", "1", "1", "4"]


def test_stories_per_state_and_year_count_readable_stories_only(member_client, library):
    found = tables(member_client.get(PAGE))
    states = table_dict(found["Stories per state or territory"])
    assert states["New South Wales"] == ["1"]
    assert states["Western Australia"] == ["1"]  # Collective-only, not the hidden
    assert states["Tasmania"] == ["0"]
    assert len(states) == len(State.choices)
    years = table_dict(found["Stories per year"])
    assert years == {"2023": ["1"], "2024": ["1"]}


def test_stories_without_a_year_are_counted_apart(member_client, library):
    make_story(title="Undated")
    years = table_dict(tables(member_client.get(PAGE))["Stories per year"])
    assert years["Year not given"] == ["1"]
    assert years["2023"] == ["1"]


def test_the_totals_in_the_lead(member_client, library):
    html = re.sub(r"\s+", " ", member_client.get(PAGE).content.decode())
    assert "Patterns across the 2 stories and 4 lessons you can read." in html


def test_an_empty_library_still_renders(member_client):
    response = member_client.get(PAGE)
    assert response.status_code == 200
    assert "No stories to count yet." in response.content.decode()
    assert "No themes yet." in response.content.decode()


def test_hostile_text_is_escaped(member_client, library):
    make_theme(name="<script>alert('theme')</script>")
    make_lesson(library["public"], statement="<script>alert(1)</script>")
    html = member_client.get(PAGE).content.decode()
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#x27;theme&#x27;)&lt;/script&gt;" in html


# The CSV


def test_the_csv_has_a_header_and_one_row_per_readable_lesson(
    member_client, library, settings
):
    settings.SITE_URL = "https://p2s.example.org/"
    response = member_client.get(CSV_URL)
    assert response["Content-Type"].startswith("text/csv")
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="p2s-lessons-{today}.csv"'
    )
    rows = csv_rows(response)
    assert rows[0] == [
        "lesson",
        "kind",
        "stream",
        "condition",
        "themes",
        "story",
        "story url",
        "community",
        "state",
        "year",
    ]
    body = rows[1:]
    assert len(body) == 4
    assert not any("Secret" in row[0] for row in body)
    first = next(row for row in body if row[4] == "Shared data; Trust takes time")
    assert first[1:4] == ["Works", "Plan", "Common agenda"]
    assert first[5:] == [
        "Public story",
        f"https://p2s.example.org/stories/{library['public'].slug}/",
        "Harbour Hills",
        "New South Wales",
        "2023",
    ]
    collective = next(row for row in body if row[5] == "Collective story")
    assert collective[1:5] == ["Works", "Learn", "", "Trust takes time"]
    assert collective[7:] == ["Pilbara Partners", "Western Australia", "2024"]


@pytest.mark.parametrize(
    "statement",
    ['=HYPERLINK("http://evil")', "+1+1", "-2+3", "@SUM(A1)", "\tTab", "\rCR"],
)
def test_the_csv_neutralises_formulas(member_client, library, statement):
    make_lesson(library["collective"], statement=statement, themes=[])
    Theme.objects.filter(pk=library["trust"].pk).update(name="=cmd|' /C calc'!A0")
    rows = csv_rows(member_client.get(CSV_URL))[1:]
    assert [row[0] for row in rows if row[0].endswith(statement)] == ["'" + statement]
    assert all(not row[0].startswith(("=", "+", "-", "@")) for row in rows)
    assert "'=cmd|' /C calc'!A0" in [row[4] for row in rows]


def test_the_csv_keeps_ordinary_text(member_client, library):
    make_lesson(library["public"], statement='Trust, then data: "slowly".')
    rows = csv_rows(member_client.get(CSV_URL))
    assert 'Trust, then data: "slowly".' in [row[0] for row in rows]


# Queries


# session, user, the navigation's streams, the years to filter by, streams,
# themes, four GROUP BY counts
PAGE_QUERIES = 10
# session, user, every lesson's themes, the lessons with their stories and
# communities (streamed): the same whatever the number of lessons
CSV_QUERIES = 4


def test_page_and_csv_cost_a_fixed_number_of_queries(
    member_client, django_assert_max_num_queries
):
    fill_lessons()
    assert Lesson.objects.count() == 5000
    with django_assert_max_num_queries(PAGE_QUERIES):
        response = member_client.get(PAGE)
        assert response.status_code == 200
    kinds = table_dict(tables(response)["Lessons per stream and kind"])
    assert kinds["All streams"][-1] == "4500"  # the drafts' lessons left out
    with django_assert_max_num_queries(CSV_QUERIES):
        response = member_client.get(CSV_URL)
        rows = csv_rows(response)
    assert len(rows) == 1 + 4500
