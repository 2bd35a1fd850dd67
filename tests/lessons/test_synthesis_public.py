"""The public summary: /synthesis/ opened by a visitor or an account waiting
for approval counts only what a visitor may read (the published public
stories and their lessons), never anything of a Collective-only story, and
offers sign-in; members still see the whole synthesis. What is kept for one
kind of reader is never served to another."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser

from lessons.models import Lesson
from stories.models import Story
from tests.conftest import count_h1
from tests.factories import fill_lessons
from tests.lessons.synthesis_fixtures import table_dict, tables

pytestmark = pytest.mark.django_db

PAGE = "/synthesis/"
LESSONS = "/synthesis/lessons/"


def summary_of(response):
    found = tables(response)
    return {
        "matrix": table_dict(found["Lessons per theme and stream"]),
        "kinds": table_dict(found["Lessons per stream and kind"]),
        "states": table_dict(found["Stories per state or territory"]),
        "years": table_dict(found.get("Stories per year", [[]])),  # none: no table
    }


def assert_public_counts(summary):
    """The public NSW story (2023) and its three lessons; nothing of the
    Collective-only WA story (2024) or of the hidden ones."""
    assert summary["states"]["New South Wales"] == ["1"]
    assert summary["states"]["Western Australia"] == ["0"]
    assert summary["years"] == {"2023": ["1"]}
    assert summary["kinds"]["All streams"] == ["1", "1", "1", "3"]
    assert summary["kinds"]["Learn"] == ["0", "0", "1", "1"]  # not the WA one
    assert summary["matrix"]["Trust takes time"] == ["2", "0", "0", "0", "0", "2"]


def test_a_visitor_sees_the_counts_of_public_stories_only(client, library):
    response = client.get(PAGE)
    assert response.status_code == 200
    assert count_h1(response) == 1
    assert_public_counts(summary_of(response))
    html = re.sub(r"\s+", " ", response.content.decode())
    assert "Public summary" in html
    assert "Patterns across the 1 public story and the 3 lessons drawn from it" in html


def test_the_public_counts_are_those_of_the_visitors_read_rule(client, library):
    visitor = AnonymousUser()
    response = client.get(PAGE)
    assert response.context["story_total"] == Story.objects.visible_to(visitor).count()
    assert response.context["lesson_total"] == (
        Lesson.objects.visible_to(visitor).count()
    )


def test_nothing_of_a_collective_only_story_reaches_a_visitor(client, library):
    collective = library["collective"]
    for url in (PAGE, LESSONS, f"{LESSONS}?stream=learn", f"{PAGE}?state=WA"):
        html = client.get(url).content.decode()
        assert collective.title not in html, url
        assert collective.slug not in html, url
        assert "Secret" not in html, url
    for lesson in collective.lessons.all():
        assert lesson.statement not in client.get(LESSONS).content.decode()


def test_the_summary_offers_a_visitor_sign_in_back_to_the_same_view(client, library):
    html = client.get(f"{PAGE}?state=NSW").content.decode()
    assert 'href="/accounts/login/?next=/synthesis/%3Fstate%3DNSW"' in html
    assert "Members of the Collective see the whole library here" in html
    assert "/synthesis/lessons.csv" not in html  # counts only: no lessons to take


def test_a_pending_account_sees_the_public_summary_and_why(client, pending, library):
    client.force_login(pending)
    response = client.get(PAGE)
    assert response.status_code == 200
    assert_public_counts(summary_of(response))
    html = response.content.decode()
    assert "Your account is waiting for approval" in html
    assert "/accounts/login/?next" not in html


def test_a_member_still_sees_the_whole_synthesis(member_client, library):
    response = member_client.get(PAGE)
    summary = summary_of(response)
    assert summary["states"]["Western Australia"] == ["1"]
    assert summary["kinds"]["All streams"] == ["2", "1", "1", "4"]
    html = response.content.decode()
    assert "Public summary" not in html
    assert "For the Collective" in html
    assert 'href="/synthesis/lessons.csv"' in html


@pytest.mark.parametrize("first", ["member", "visitor", "pending"])
def test_what_is_kept_for_one_reader_is_never_served_to_another(
    client, member, pending, library, first
):
    """Whoever asks first, each reader gets their own class's counts: the
    members' parts are kept under their class, the visitors' page by itself."""
    order = [first] + [r for r in ("member", "visitor", "pending") if r != first]
    for url in (PAGE, f"{PAGE}?year=2024"):
        for reader in order * 2:  # twice: the second time from what was kept
            client.logout()
            if reader != "visitor":
                client.force_login(member if reader == "member" else pending)
            states = summary_of(client.get(url))["states"]
            wa = "1" if reader == "member" else "0"  # the Collective-only story
            nsw = "0" if url.endswith("2024") else "1"  # the public one, of 2023
            assert states["Western Australia"] == [wa], (url, reader)
            assert states["New South Wales"] == [nsw], (url, reader)


# the navigation's streams, the years to filter by, streams, themes, four
# GROUP BY counts (no session, no user)
PUBLIC_QUERIES = 8


@pytest.mark.parametrize("query", ["", "?state=NSW&year=2020"])
def test_the_public_summary_costs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, query
):
    fill_lessons()
    with django_assert_max_num_queries(PUBLIC_QUERIES):
        response = client.get(PAGE + query)
        assert response.status_code == 200
    public = Lesson.objects.visible_to(AnonymousUser())
    if not query:
        assert response.context["lesson_total"] == public.count() == 4000
