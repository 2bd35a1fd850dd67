"""Search on /stories/: what it finds, in what order, beside which facet
counts; that any query answers; that the stored vector follows every change.

The same tests run on SQLite (the fallback) and on PostgreSQL (full-text
search); the few that need stemming or ranking say so."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from discovery.search import MAX_QUERY, clean_query
from framework.models import Stream
from lessons.models import Lesson
from stories.models import Status, Story
from stories.workflow import story_transition
from tests.factories import (
    forget_kept,
    make_community,
    make_core,
    make_member,
    make_story,
)

pytestmark = pytest.mark.django_db

BROWSE = reverse("stories:list")
postgres_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'",
    reason="stemming and ranking are PostgreSQL's; SQLite's fallback matches words",
)


def found(client, q, **filters):
    response = client.get(BROWSE, {"q": q, **filters})
    assert response.status_code == 200, q
    return [story.title for story in response.context["page_obj"].object_list]


@pytest.fixture
def library(db):
    """Five stories, each findable by one word in one place only."""
    north = make_community(name="Northern Shore", slug="north", state="NT")
    stories = {
        "title": make_story(title="Yarning circles on Country", community=north),
        "summary": make_story(summary="A playgroup that met under the mango tree."),
        "tags": make_story(tags=["reconciliation"], streams=["learn"]),
        "body": make_story(body="We borrowed a **bus** from the footy club."),
        "reflection": make_story(what_worked="Grandmothers led the yarning."),
    }
    Lesson.objects.create(
        story=stories["summary"],
        statement="Budget for interpreters from the start.",
        kind="works",
        stream=Stream.objects.get(slug="plan"),
    )
    return stories


def test_search_finds_a_story_by_each_part_of_it(client, library):
    assert found(client, "circles") == ["Yarning circles on Country"]
    assert found(client, "mango") == [library["summary"].title]
    assert found(client, "reconciliation") == [library["tags"].title]
    assert found(client, "footy") == [library["body"].title]
    assert found(client, "grandmothers") == [library["reflection"].title]
    assert found(client, "interpreters") == [library["summary"].title]


def test_every_word_must_match(client, library):
    assert found(client, "mango playgroup") == [library["summary"].title]
    assert found(client, "mango footy") == []


@postgres_only
def test_english_stemming_and_ranking_title_first(client, library):
    # "yarn" finds "Yarning" in a title and in a reflection; the title ranks first
    assert found(client, "yarn") == [
        "Yarning circles on Country",
        library["reflection"].title,
    ]
    assert found(client, "borrowing bus") == [library["body"].title]
    assert found(client, '"footy club"') == [library["body"].title]
    assert found(client, "footy -club") == []


def test_search_combines_with_every_filter(client, library):
    north = library["title"]
    assert found(client, "yarning", community="north") == [north.title]
    assert found(client, "yarning", state="NT") == [north.title]
    assert found(client, "yarning", stream="learn") == []
    assert found(client, "reconciliation", stream="learn", tag="reconciliation") == [
        library["tags"].title
    ]


def test_search_never_shows_what_the_reader_may_not_read(client, library):
    community = make_community()
    draft = make_story(title="Draft about mangoes", status=Status.DRAFT)
    collective = make_story(
        title="Mango season plans", visibility="collective", community=community
    )
    assert found(client, "mango") == [library["summary"].title]
    client.force_login(make_member(make_community()))
    titles = found(client, "mango")
    assert collective.title in titles and draft.title not in titles
    client.force_login(make_core())  # the core team browses what is published
    assert draft.title not in found(client, "mango")


def test_facet_counts_follow_the_search_and_the_other_filters(client, library):
    response = client.get(BROWSE, {"q": "yarning"})
    facets = response.context["form"].fields
    assert ("north", "Northern Shore (1)") in facets["community"].choices
    assert ("NT", "Northern Territory (1)") in facets["state"].choices
    assert ("plan", "Plan (2)") in facets["stream"].choices
    assert ("learn", "Learn (0)") in facets["stream"].choices
    # a filter's own counts ignore it: choosing a stream still shows the others
    response = client.get(BROWSE, {"stream": "learn"})
    choices = dict(response.context["form"].fields["stream"].choices)
    assert choices["plan"] == "Plan (4)" and choices["learn"] == "Learn (1)"
    assert response.context["page_obj"].paginator.count == 1
    html = response.content.decode()
    assert '<option value="plan">Plan (4)</option>' in html


def test_facet_counts_leave_out_what_the_reader_may_not_read(client, library):
    make_story(tags=["reconciliation"], status=Status.SUBMITTED)
    make_story(tags=["reconciliation"], visibility="collective", year=1999)
    response = client.get(BROWSE)
    fields = response.context["form"].fields
    assert ("reconciliation", "reconciliation (1)") in fields["tag"].choices
    assert "1999" not in dict(fields["year"].choices)
    assert response.context["page_obj"].paginator.count == 5
    client.force_login(make_member(make_community()))
    fields = client.get(BROWSE).context["form"].fields
    assert ("reconciliation", "reconciliation (2)") in fields["tag"].choices
    assert ("1999", "1999 (1)") in fields["year"].choices


@pytest.mark.parametrize(
    "q",
    [
        "",
        "a",
        "x" * 5000,
        "word " * 1000,
        "!!! ??? ... ---",
        "&|!():*<>'\"",
        "学校 の 子ども",
        "Ворота школы",
        "مدرسة",
        "🙂🙂",
        "a\x00b",
        "\x0b\x1f",
        "' OR 1=1 --",
        "%_%",
        "-",
        '"',
        "or",
    ],
    ids=lambda q: repr(q[:12]),
)
def test_any_query_answers(client, library, q):
    # a blank search is sent on to the address without it (test_browse_address)
    response = client.get(BROWSE, {"q": q}, follow=True)
    assert response.status_code == 200
    assert response.context["query"] == clean_query(q)
    assert len(response.context["query"]) <= MAX_QUERY


def test_non_latin_words_are_found(client):
    make_story(title="Ворота школы", body="子ども の 学校")
    assert found(client, "Ворота") == ["Ворота школы"]
    assert found(client, "学校") == ["Ворота школы"]


def test_an_empty_result_suggests_which_filter_to_drop(client, library):
    html = client.get(BROWSE, {"q": "footy", "state": "NT"}).content.decode()
    assert "No stories match all of these filters." in html
    suggestions = html.split('id="suggestions-label"', 1)[1].split("</ul>", 1)[0]
    assert 'href="/stories/?state=NT">Without search “footy”</a>: 1 story' in (
        suggestions
    )
    assert 'href="/stories/?q=footy">Without state or territory' in suggestions
    assert "Without state or territory Northern Territory</a>: 1 story" in suggestions
    html = client.get(BROWSE, {"q": "nowhere-to-be-found"}).content.decode()
    assert "No stories match this search." in html
    assert 'href="/stories/">Without search “nowhere-to-be-found”</a>: 5 stories' in (
        html
    )


def test_hits_show_a_snippet_with_the_words_marked_and_nothing_else(client):
    make_story(
        title="Hostile",
        body="<script>alert(1)</script> The bus <b>came</b> on time, every day.",
    )
    html = client.get(BROWSE, {"q": "bus"}).content.decode()
    snippet = html.split('<p class="snippet">', 1)[1].split("</p>", 1)[0]
    assert re.search(r"<mark>bus</mark>", snippet, re.I)
    # the text is escaped (SQLite) or its tags dropped (PostgreSQL's headline)
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)  # ours have a src
    assert "<b>" not in snippet
    assert re.sub(r"</?mark>", "", snippet).count("<") == 2  # the hidden span


def test_the_search_is_kept_in_the_form_and_named_in_the_title(client, library):
    html = client.get(BROWSE, {"q": 'mango <"tree">'}).content.decode()
    assert 'value="mango &lt;&quot;tree&quot;&gt;"' in html
    assert "<title>Search: mango &lt;&quot;tree&quot;&gt;" in html
    assert "Search: “mango &lt;&quot;tree&quot;&gt;”" in html  # the chip


def test_the_search_follows_every_change(client, library):
    """The stored vector (PostgreSQL) is rewritten when the story, its tags or
    its lessons change; the fallback (SQLite) reads the rows themselves. (The
    rows are written directly here: forget_kept does what the services'
    writes do to the cache, tests/p2s/test_retirement.py.)"""
    story = library["body"]
    story.title = "Walking school bus"
    story.save()
    forget_kept()
    assert found(client, "walking") == ["Walking school bus"]
    story.tags.add("transport")
    forget_kept()
    assert found(client, "transport") == ["Walking school bus"]
    story.tags.remove("transport")
    forget_kept()
    assert found(client, "transport") == []
    lesson = Lesson.objects.create(
        story=story,
        statement="Parents trusted volunteers they knew.",
        kind="works",
        stream=Stream.objects.get(slug="plan"),
    )
    forget_kept()
    assert found(client, "volunteers") == ["Walking school bus"]
    lesson.delete()
    forget_kept()
    assert found(client, "volunteers") == []


def test_a_published_story_is_found_at_once_and_an_archived_one_is_not(
    client, committed
):
    core = make_core()
    story = make_story(title="Toy library", status=Status.APPROVED)
    assert found(client, "toy") == []
    with committed():
        story_transition(story=story, actor=core, action="publish")
    assert found(client, "toy") == ["Toy library"]
    with committed():
        story_transition(story=story, actor=core, action="archive", note="Old.")
    assert found(client, "toy") == []


@postgres_only
def test_the_search_uses_the_stored_vector(library):
    assert Story.objects.filter(search_vector__isnull=True).count() == 0
    with CaptureQueriesContext(connection) as captured:
        list(Story.objects.filter(search_vector="mango"))
    assert "search_vector" in captured[0]["sql"]


def test_search_pages_keep_a_fixed_query_budget(
    client, library, django_assert_max_num_queries
):
    for n in range(30):
        make_story(title=f"Mango harvest {n}", tags=["harvest"], year=2020)
    for params in [
        {"q": "mango"},
        {"q": "mango harvest", "tag": "harvest", "year": "2020", "page": "2"},
    ]:
        cache.clear()
        with django_assert_max_num_queries(10):
            response = client.get(BROWSE, params)
        assert response.status_code == 200
        assert response.context["page_obj"].object_list


@pytest.fixture
def small_pages(monkeypatch):
    """Pages of 3, and the best 6 hits of a search kept."""
    monkeypatch.setattr("stories.selectors.PAGE_SIZE", 3)
    monkeypatch.setattr("discovery.ranking.KEPT_HITS", 6)


def every_page(client, q, **more):
    titles, page = [], 1
    while True:
        response = client.get(BROWSE, {"q": q, "page": page, **more})
        titles += [s.title for s in response.context["page_obj"].object_list]
        if not response.context["page_obj"].has_next():
            return titles
        page += 1


def test_paging_through_a_search_gives_every_hit_once_in_order(client, small_pages):
    for n in range(10):  # newest last: equal ranks are newest first
        make_story(title=f"Lantern walk {n}")
    make_story(title="Nothing alike")
    expected = [f"Lantern walk {n}" for n in reversed(range(10))]
    # pages 1 and 2 come from the 6 kept hits, 3 and 4 are ranked afresh
    assert every_page(client, "lantern") == expected
    client.force_login(make_member(make_community()))
    assert every_page(client, "lantern") == expected


def test_a_search_is_ranked_once_for_its_first_pages(client, small_pages):
    for n in range(10):
        make_story(title=f"Lantern walk {n}")
    # a member's pages are never kept whole: the view runs each time
    client.force_login(make_member(make_community()))
    client.get(BROWSE, {"q": "lantern"})
    with CaptureQueriesContext(connection) as captured:
        response = client.get(BROWSE, {"q": "lantern", "page": 2})
    assert len(response.context["page_obj"].object_list) == 3
    # the kept ids are read by primary key: nothing is matched (LIKE on
    # SQLite) or ranked (ts_rank on PostgreSQL) again
    story_queries = [q["sql"] for q in captured if 'FROM "stories_story"' in q["sql"]]
    assert story_queries
    for sql in story_queries:
        assert " LIKE " not in sql and "ts_rank" not in sql, sql


def test_kept_hits_follow_the_library(client, small_pages, committed):
    core = make_core()
    client.force_login(make_member(make_community()))
    stories = [make_story(title=f"Lantern walk {n}") for n in range(4)]
    assert len(every_page(client, "lantern")) == 4
    with committed():
        story_transition(story=stories[0], actor=core, action="archive", note="Old.")
    assert "Lantern walk 0" not in every_page(client, "lantern")
    fresh = make_story(title="Lantern parade", status=Status.APPROVED)
    with committed():
        story_transition(story=fresh, actor=core, action="publish")
    assert "Lantern parade" in every_page(client, "lantern")


def test_kept_hits_are_read_again_through_what_the_reader_may_read(client, small_pages):
    """Kept ids are per visibility class; a story gone private since is
    still dropped when a page is drawn from them (belt and braces)."""
    from stories.models import Visibility

    stories = [make_story(title=f"Lantern walk {n}") for n in range(4)]
    assert len(every_page(client, "lantern")) == 4
    # a change the cache is not told of (no signal): a page drawn afresh from
    # the kept ids still checks. Another address, since what a page kept
    # (browse's content, and before it the cards) follows the library version
    # alone, which every write through the app replaces
    Story.objects.filter(pk=stories[3].pk).update(visibility=Visibility.COLLECTIVE)
    assert "Lantern walk 3" not in every_page(client, "lantern", ref="elsewhere")


@postgres_only
def test_the_search_vector_is_kept_in_the_row():
    """Ranking reads the vector of every hit: it stays in the table's own
    rows, not in the TOAST table (stories/migrations/0006)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstorage FROM pg_attribute WHERE attrelid ="
            " 'stories_story'::regclass AND attname = 'search_vector'"
        )
        assert cursor.fetchone() == ("m",)


def lesson_for(story, theme):
    lesson = Lesson.objects.create(
        story=story,
        statement=f"A lesson of {story.title}.",
        kind="works",
        stream=Stream.objects.get(slug="plan"),
    )
    lesson.themes.add(theme)
    return lesson


def test_browse_filters_by_learning_theme_with_counts(client):
    from lessons.models import Theme

    trust = Theme.objects.create(name="Trust takes time", slug="trust")
    data = Theme.objects.create(name="Data for change", slug="data")
    a = make_story(title="Elders first")
    b = make_story(title="Dashboards together")
    hidden = make_story(title="Inner circle", visibility="collective")
    lesson_for(a, trust)
    lesson_for(b, trust)
    lesson_for(b, data)
    lesson_for(hidden, data)
    response = client.get(BROWSE, {"theme": "trust"})
    assert response.status_code == 200
    titles = {s.title for s in response.context["page_obj"]}
    assert titles == {"Elders first", "Dashboards together"}
    choices = dict(response.context["form"].fields["theme"].choices)
    # a visitor counts only what they may read
    assert choices == {
        "": "All themes",
        "data": "Data for change (1)",
        "trust": "Trust takes time (2)",
    }
    html = response.content.decode()
    assert '<label for="id_theme">Learning theme</label>' in html
    assert "Learning theme: Trust takes time" in html  # the active filter
    assert found(client, "dashboards", theme="data") == ["Dashboards together"]
    assert found(client, "elders", theme="data") == []


def test_a_theme_that_is_not_a_choice_is_refused_beside_the_field(client):
    response = client.get(BROWSE, {"theme": "no-such-theme"})
    assert response.status_code == 404
    assert "Nothing in the library matches" in response.content.decode()


def test_every_facet_count_is_what_choosing_it_would_give(client):
    """Communities, states and years are counted together (one query): each
    count must equal the results of adding that choice to the other filters,
    whatever the filters already chosen."""
    from itertools import product

    from discovery.facets import count_facets, narrow

    places = [
        make_community(name="North", slug="n", state="NT"),
        make_community(name="Harbour", slug="h", state="NSW"),
        make_community(name="Ridge", slug="r", state="NSW"),
    ]
    for n, (place, year) in enumerate(product(places, [2019, 2020, None])):
        for _ in range(n % 3 + 1):
            make_story(
                community=place, year=year, streams=["plan", "learn"][: n % 2 + 1]
            )
    visible = Story.objects.published()
    communities = [(c.pk, c.slug, c.state) for c in places]
    options = {
        "community": ["", "n", "h"],
        "state": ["", "NSW", "NT"],
        "year": ["", "2019"],
        "stream": ["", "learn"],
    }
    for values in product(*options.values()):
        filters = {k: v for k, v in zip(options, values, strict=True) if v}
        facets = count_facets(visible, filters, "", communities)
        assert facets["total"] == narrow(visible, filters).count(), filters
        for name, choices in [
            ("community", ["n", "h", "r"]),
            ("state", ["NSW", "NT"]),
            ("year", [2019, 2020]),
        ]:
            for choice in choices:
                expected = narrow(visible, {**filters, name: str(choice)}).count()
                assert facets[name].get(choice, 0) == expected, (filters, name, choice)


def test_a_chosen_theme_the_other_filters_leave_empty_stays_a_choice(client):
    from lessons.models import Theme

    trust = Theme.objects.create(name="Trust takes time", slug="trust")
    lesson_for(make_story(title="Elders first", year=2020, tags=["kin"]), trust)
    make_story(title="Another year", year=2021)  # no tag, no lesson
    response = client.get(BROWSE, {"theme": "trust", "year": "2021"})
    assert response.status_code == 200
    assert list(response.context["page_obj"]) == []
    choices = dict(response.context["form"].fields["theme"].choices)
    assert choices["trust"] == "Trust takes time (0)"
    html = response.content.decode()
    # dropping it gives the story with no lesson at all, counted for the
    # purpose: the theme counts hold no story of no theme
    assert "Without learning theme Trust takes time</a>: 1 story" in html
    html = client.get(BROWSE, {"tag": "kin", "year": "2021"}).content.decode()
    assert "Without tag kin</a>: 1 story" in html
