"""Browse on a small screen and without a button: the address carries only
the filters chosen (an address with empty fields is sent on to the one
without them), a choice that would give no story is marked "(0)" and
disabled, and the filters fold behind "Filter" (open when one is refused)."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.conftest import count_h1
from tests.factories import forget_kept, make_community, make_member, make_story

pytestmark = pytest.mark.django_db

BROWSE = reverse("stories:list")


class Selects(HTMLParser):
    """{select name: [(value, label, selected, disabled)]} and the <details>
    around the filters."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.selects, self.details, self.summary = {}, [], ""
        self._select, self._option, self._in_summary = None, None, False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "select":
            self._select = self.selects.setdefault(attrs["name"], [])
        elif tag == "option" and self._select is not None:
            self._option = [
                attrs["value"],
                "",
                "selected" in attrs,
                "disabled" in attrs,
            ]
            self._select.append(self._option)
        elif tag == "details":
            self.details.append(attrs)
        elif tag == "summary" and "filters__toggle" in attrs.get("class", ""):
            self._in_summary = True

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "option":
            self._option = None
        elif tag == "summary":
            self._in_summary = False

    def handle_data(self, data):
        if self._option is not None:
            self._option[1] += data
        if self._in_summary:
            self.summary += data

    def options(self, name):
        return {value: tuple(rest) for value, *rest in self.selects[name]}


def page(client, params=None):
    forget_kept()
    response = client.get(BROWSE, params or {})
    return response, Selects(response.content.decode())


@pytest.fixture
def stories():
    wa = make_community(state="WA", slug="perth-hills", name="Perth Hills")
    vic = make_community(state="VIC", slug="geelong", name="Geelong")
    make_story(title="WA plan", community=wa, streams=["plan"], year=2023)
    make_story(title="WA learn", community=wa, streams=["learn", "plan"], year=2021)
    make_story(title="VIC plan", community=vic, streams=["plan"], year=2023)


# The address ----------------------------------------------------------------


@pytest.mark.parametrize(
    "query, clean",
    [
        ("q=&stream=learn&community=&state=&tag=&theme=&year=", "?stream=learn"),
        ("q=&stream=&community=&state=&tag=&theme=&year=", ""),
        ("stream=plan&state=WA&year=", "?stream=plan&state=WA"),
        ("q=+++&year=2023", "?year=2023"),  # a blank search is no search
        ("q=bus+stop&stream=", "?q=bus+stop"),
        ("page=&stream=plan", "?stream=plan"),
    ],
)
def test_an_address_with_empty_fields_is_sent_on_to_the_one_without(
    client, stories, query, clean
):
    response = client.get(f"{BROWSE}?{query}")
    assert response.status_code == 302
    assert response["Location"] == f"{BROWSE}{clean}"
    assert client.get(response["Location"]).status_code == 200


def test_a_clean_address_is_answered_as_it_is(client, stories):
    for query in ["", "?stream=plan", "?stream=plan&state=WA&page=1", "?q=plan"]:
        response = client.get(f"{BROWSE}{query}")
        assert response.status_code == 200, query
        assert count_h1(response) == 1


def test_a_members_form_without_javascript_lands_on_the_clean_address(client, stories):
    member = make_member(make_community())
    client.force_login(member)
    response = client.get(
        BROWSE,
        {"q": "", "stream": "plan", "community": "", "state": "WA", "year": ""},
        follow=True,
    )
    assert response.redirect_chain == [(f"{BROWSE}?stream=plan&state=WA", 302)]
    titles = [story.title for story in response.context["page_obj"].object_list]
    assert sorted(titles) == ["WA learn", "WA plan"]


def test_a_refused_filter_is_still_refused_after_the_empty_fields_go(client, stories):
    response = client.get(BROWSE, {"q": "", "stream": "nope"}, follow=True)
    assert response.redirect_chain == [(f"{BROWSE}?stream=nope", 302)]
    assert response.status_code == 404
    assert "Choose from the list" in response.content.decode()


# Choices that would give no story -------------------------------------------


def test_a_choice_that_would_give_no_story_is_marked_and_disabled(client, stories):
    response, parsed = page(client)
    streams = parsed.options("stream")
    assert streams[""][0] == "All streams" and not streams[""][2]  # never disabled
    assert streams["plan"] == ("Plan (3)", False, False)
    assert streams["learn"] == ("Learn (1)", False, False)
    assert streams["monitor"] == ("Monitor (0)", False, True)
    states = parsed.options("state")
    assert states["WA"] == ("Western Australia (2)", False, False)
    assert states["TAS"] == ("Tasmania (0)", False, True)
    assert parsed.options("year") == {
        "": ("All years", False, False),
        "2023": ("2023 (2)", False, False),
        "2021": ("2021 (1)", False, False),
    }
    assert not any(disabled for _, _, disabled in parsed.options("community").values())


def test_the_counts_follow_the_other_filters(client, stories):
    _, parsed = page(client, {"state": "VIC"})
    streams = parsed.options("stream")
    assert streams["plan"] == ("Plan (1)", False, False)
    assert streams["learn"] == ("Learn (0)", False, True)  # only in WA
    assert "2021" not in parsed.options("year")  # years are those counted
    # the filter's own alternatives stay open: it ignores itself
    assert parsed.options("state")["WA"] == ("Western Australia (2)", False, False)


def test_a_chosen_value_that_gives_nothing_stays_chosen_and_choosable(client, stories):
    response, parsed = page(client, {"stream": "learn", "state": "VIC"})
    assert response.status_code == 200
    assert "No stories match all of these filters" in response.content.decode()
    # disabled, the browser would leave it out of the next address
    assert parsed.options("stream")["learn"] == ("Learn (0)", True, False)
    assert parsed.options("state")["VIC"] == ("Victoria (0)", True, False)


def test_the_marks_cost_no_query_beyond_the_pages_budget(
    client, stories, django_assert_max_num_queries
):
    forget_kept()
    with django_assert_max_num_queries(10):  # tests/stories/test_query_budgets.py
        response = client.get(BROWSE, {"stream": "plan", "state": "WA"})
    assert " disabled>Monitor (0)</option>" in response.content.decode()


# The fold --------------------------------------------------------------------


def test_the_filters_fold_behind_filter_and_say_how_many_are_chosen(client, stories):
    _, parsed = page(client)
    (fold,) = [d for d in parsed.details if "filters__more" in d.get("class", "")]
    assert "open" not in fold
    assert parsed.summary.strip() == "Filter"
    _, parsed = page(client, {"stream": "plan", "year": "2023", "q": "plan"})
    assert re.sub(r"\s+", " ", parsed.summary).strip() == "Filter (2 chosen)"


def test_a_refused_filter_opens_the_fold_so_its_message_shows(client, stories):
    response, parsed = page(client, {"year": "abc"})
    assert response.status_code == 404
    (fold,) = [d for d in parsed.details if "filters__more" in d.get("class", "")]
    assert "open" in fold
    html = response.content.decode()
    assert html.index('<details class="filters__more" open>') < html.index(
        'id="id_year-error"'
    )


def test_the_search_stays_outside_the_fold_and_the_script_is_ours(client, stories):
    html = page(client)[0].content.decode()
    assert html.index('id="id_q"') < html.index('class="filters__more"')
    assert '<script src="/static/js/browse.js" defer></script>' in html
    # the hint that a choice applies at once is shown only by the script
    assert re.search(
        r'<p class="helptext filters__hint" hidden data-browse-hint>', html
    )
