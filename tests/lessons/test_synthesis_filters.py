"""The synthesis filtered by state and year (the CSV too), every number linked
to what it counts, and the list of lessons behind a number: who sees what,
bad filters, and query budgets with filters on."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from lessons.models import Kind, Lesson
from tests.conftest import count_h1
from tests.factories import fill_lessons, forget_kept, make_lesson, make_story
from tests.lessons.synthesis_fixtures import csv_rows, table_dict, tables

pytestmark = pytest.mark.django_db

PAGE = "/synthesis/"
LESSONS = "/synthesis/lessons/"
CSV_URL = "/synthesis/lessons.csv"
CELL_LINK = re.compile(r'<td><a href="([^"]+)">(\d+)</a></td>')
SVG_LINK = re.compile(r'<a href="([^"]+)"><title>([^<]+)</title>')


def html_of(response):
    return response.content.decode()


def lesson_count(response):
    assert response.status_code == 200, response.request["QUERY_STRING"]
    return response.context["page_obj"].paginator.count


def story_count(client, href):
    forget_kept()  # browse keeps what it drew: draw it afresh to read its count
    response = client.get(href)
    assert response.status_code == 200, href
    return response.context["page_obj"].paginator.count


def links_in(html, pattern=CELL_LINK):
    return [(unescape(href), text) for href, text in pattern.findall(html)]


# Filters


def test_filtering_by_state_counts_that_states_stories_and_their_lessons(
    member_client, library
):
    found = tables(member_client.get(f"{PAGE}?state=WA"))
    states = table_dict(found["Stories per state or territory"])
    assert states["Western Australia"] == ["1"]
    assert states["New South Wales"] == ["0"]
    kinds = table_dict(found["Lessons per stream and kind"])
    assert kinds["All streams"] == ["1", "0", "0", "1"]  # the WA story's one
    matrix = table_dict(found["Lessons per theme and stream"])
    assert matrix["Trust takes time"] == ["0", "0", "0", "1", "0", "1"]
    assert table_dict(found["Stories per year"]) == {"2024": ["1"]}


def test_filtering_by_year_and_by_both(member_client, library):
    found = tables(member_client.get(f"{PAGE}?year=2023"))
    assert table_dict(found["Lessons per stream and kind"])["All streams"][-1] == "3"
    both = tables(member_client.get(f"{PAGE}?state=WA&year=2023"))
    assert table_dict(both["Lessons per stream and kind"])["All streams"][-1] == "0"
    html = re.sub(r"\s+", " ", html_of(member_client.get(f"{PAGE}?state=WA&year=2024")))
    assert "you can read, counting stories from Western Australia in 2024." in html


def test_the_form_shows_the_filters_chosen_and_a_way_back(member_client, library):
    html = html_of(member_client.get(f"{PAGE}?state=WA&year=2024"))
    assert '<option value="WA" selected>Western Australia</option>' in html
    assert '<option value="2024" selected>2024</option>' in html
    assert '<label for="id_state">State or territory</label>' in html
    assert 'href="/synthesis/">Clear the filters</a>' in html
    assert "Download these lessons as CSV" in html
    assert 'href="/synthesis/lessons.csv?state=WA&amp;year=2024"' in html


def test_an_empty_form_is_no_filter(member_client, library):
    response = member_client.get(f"{PAGE}?state=&year=")
    assert response.status_code == 200
    assert response.context["story_total"] == 2
    assert "Clear the filters" not in html_of(response)


@pytest.mark.parametrize(
    ("query", "field"),
    [("state=XX", "state"), ("year=abc", "year"), ("year=3000", "year")],
)
def test_a_bad_filter_is_an_error_beside_its_field_and_is_left_out(
    member_client, library, query, field
):
    response = member_client.get(f"{PAGE}?{query}")
    assert response.status_code == 400
    html = html_of(response)
    assert 'class="error-summary"' in html
    assert f'href="#id_{field}"' in html
    assert "Nothing in the synthesis matches" in html
    assert count_h1(response) == 1


def test_a_bad_filter_leaves_the_good_one_applied(member_client, library):
    response = member_client.get(f"{PAGE}?state=WA&year=abc")
    assert response.status_code == 400
    states = table_dict(tables_of_400(response)["Stories per state or territory"])
    assert states == {**states, "Western Australia": ["1"], "New South Wales": ["0"]}


def tables_of_400(response):
    response.status_code = 200  # tables() insists on a page that drew
    return tables(response)


def test_a_year_no_readable_story_is_of_is_counted_as_none(client, library):
    """A member's link with the year of a Collective-only story, opened by a
    visitor: zero, not an error (and nothing said of that story)."""
    response = client.get(f"{PAGE}?year=2024")
    assert response.status_code == 200
    assert response.context["story_total"] == 0
    assert response.context["lesson_total"] == 0


def test_the_csv_follows_the_filters(member_client, library):
    rows = csv_rows(member_client.get(f"{CSV_URL}?state=WA"))
    assert [row[5] for row in rows[1:]] == ["Collective story"]
    rows = csv_rows(member_client.get(f"{CSV_URL}?year=2023"))
    assert {row[5] for row in rows[1:]} == {"Public story"}
    assert len(rows) == 1 + 3
    assert len(csv_rows(member_client.get(CSV_URL))) == 1 + 4


def test_a_bad_csv_filter_is_a_plain_400(member_client, library):
    response = member_client.get(f"{CSV_URL}?state=<b>XX")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert "Nothing in the synthesis matches" in html_of(response)


# Links from every number


def test_every_lesson_number_leads_to_exactly_the_lessons_it_counts(
    member_client, library
):
    for query in ("", "?state=NSW", "?year=2024"):
        html = html_of(member_client.get(PAGE + query))
        links = [(href, n) for href, n in links_in(html) if href.startswith(LESSONS)]
        assert len(links) >= 6, query
        for href, n in links:
            assert lesson_count(member_client.get(href)) == int(n), href
            asked = parse_qs(urlsplit(href).query)
            for name, value in parse_qs(query.lstrip("?")).items():
                assert asked[name] == value, href  # the filters carry over


def test_every_story_number_leads_to_browse_with_exactly_those_stories(
    member_client, library
):
    make_story(title="Second NSW", community=library["public"].community, year=2024)
    for query in ("", "?state=NSW", "?year=2024"):
        html = html_of(member_client.get(PAGE + query))
        links = [(h, n) for h, n in links_in(html) if h.startswith("/stories/")]
        assert links, query
        for href, n in links:
            assert story_count(member_client, href) == int(n), href


def test_zeros_lead_nowhere_and_the_charts_link_where_the_tables_do(
    member_client, library
):
    html = html_of(member_client.get(PAGE))
    table_links = {href for href, _ in links_in(html)}
    chart_links = links_in(html, SVG_LINK)
    assert len(chart_links) >= 10
    for href, name in chart_links:
        assert href in table_links, href
        assert re.search(r"\b[1-9]\d* (lesson|stor)", name), name  # never a 0
    assert "<td><a" in html and "<td>0</td>" in html  # zeros as plain text
    assert not re.search(r'<a href="[^"]+">0</a>', html)


def test_a_chart_link_says_what_it_leads_to(member_client, library):
    names = {name for _, name in links_in(html_of(member_client.get(PAGE)), SVG_LINK)}
    assert "2 lessons in Plan under “Trust takes time”" in names
    assert "1 lesson in Learn under no theme yet" in names
    assert "Plan, Doesn&#x27;t work: 1 lesson" in names
    assert "New South Wales: 1 story" in names
    assert "2023: 1 story" in names


def test_the_theme_names_lead_to_their_themes(member_client, library):
    html = html_of(member_client.get(PAGE))
    trust = library["trust"]
    assert f'<a href="{trust.get_absolute_url()}">Trust takes time</a>' in html


# The lessons behind a number


def test_the_lessons_page_lists_the_lessons_with_their_stories(member_client, library):
    response = member_client.get(f"{LESSONS}?stream=plan&kind=works")
    assert count_h1(response) == 1
    html = html_of(response)
    lessons = Lesson.objects.filter(stream__slug="plan", kind=Kind.WORKS)
    readable = [lesson for lesson in lessons if "Secret" not in lesson.statement]
    assert lesson_count(response) == len(readable) == 1
    assert readable[0].statement in html
    assert library["public"].get_absolute_url() in html
    assert "Stream: <strong>Plan</strong>" in html
    assert "Kind of lesson: <strong>Works</strong>" in html
    assert "Secret" not in html


def test_lessons_under_no_theme_yet(member_client, library):
    response = member_client.get(f"{LESSONS}?theme=_none")
    assert lesson_count(response) == 1
    assert "Learning theme: <strong>No theme yet</strong>" in html_of(response)


def test_a_bad_lesson_filter_is_an_error_and_the_list_still_shows(
    member_client, library
):
    response = member_client.get(f"{LESSONS}?kind=<script>&stream=plan")
    assert response.status_code == 400
    html = html_of(response)
    assert 'href="#id_kind"' in html
    assert "<script>" not in html
    assert response.context["page_obj"].paginator.count == 2  # plan's, readable


def test_visitors_see_the_lessons_of_public_stories_only(client, library):
    response = client.get(LESSONS)
    assert lesson_count(response) == 3
    html = html_of(response)
    assert library["collective"].title not in html
    assert "Sign in to see them" in html


def test_the_lessons_page_pages(member_client, library):
    story = library["public"]
    for n in range(55):
        make_lesson(story, stream="monitor", statement=f"Monitor lesson {n}.")
    first = member_client.get(f"{LESSONS}?stream=monitor")
    assert lesson_count(first) == 55
    assert len(first.context["lessons"]) == 50
    assert 'href="?stream=monitor&amp;page=2"' in html_of(first)
    second = member_client.get(f"{LESSONS}?stream=monitor&page=2")
    assert len(second.context["lessons"]) == 5
    assert 'start="51"' in html_of(second)


def test_only_reading_methods(member_client):
    assert member_client.post(LESSONS).status_code == 405


# Query budgets, filters on


# session, user, the navigation's streams, the years to filter by, streams,
# themes, four GROUP BY counts: as without filters
FILTERED_PAGE_QUERIES = 10
# session, user, the navigation's streams, streams and themes, the years, the
# count, the page of lessons with their stories, their themes
LESSONS_QUERIES = 9


@pytest.mark.parametrize("query", ["?state=NSW", "?year=2020", "?state=VIC&year=2021"])
def test_the_filtered_page_costs_a_fixed_number_of_queries(
    member_client, django_assert_max_num_queries, query
):
    fill_lessons()
    with django_assert_max_num_queries(FILTERED_PAGE_QUERIES):
        response = member_client.get(PAGE + query)
        assert response.status_code == 200
    assert response.context["lesson_total"] > 0


@pytest.mark.parametrize(
    "query", ["", "?stream=plan&kind=works&state=NSW", "?theme=big-theme-1&year=2020"]
)
def test_the_lessons_page_costs_a_fixed_number_of_queries(
    member_client, django_assert_max_num_queries, query
):
    fill_lessons()
    with django_assert_max_num_queries(LESSONS_QUERIES):
        response = member_client.get(LESSONS + query)
        assert response.status_code == 200
    assert 0 < len(response.context["lessons"]) <= 50


def test_a_lesson_s_themes_are_told_apart_when_a_name_has_a_comma(
    member_client, library
):
    from tests.factories import make_theme

    themes = [make_theme(name="Patient, long-term funding"), make_theme(name="Trust")]
    make_lesson(library["public"], stream="monitor", themes=themes)
    forget_kept()
    html = html_of(member_client.get(f"{LESSONS}?stream=monitor"))
    named = re.search(r'<p class="lesson__themes">(.*?)</p>', html, re.S).group(1)
    assert re.sub(r"<[^>]+>", "", named) == "Themes: Patient, long-term funding; Trust"
