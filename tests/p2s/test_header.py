"""The header: both navigations inside one Menu disclosure (a <details>, so a
narrow screen opens it without JavaScript), the streams inside a second one;
the main navigation is a part kept per visibility class and place, so each
reader of a class sees what the class may see, whoever drew it first."""

import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from tests.factories import forget_kept, make_core, make_member, make_story, make_user

pytestmark = pytest.mark.django_db


class Header(HTMLParser):
    """The header's disclosures ([(class, summary text)]) and its links and
    buttons ([(navigation, text, aria-current)]), in order."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.disclosures, self.items = [], []
        self._nav, self._item, self._summary, self._in_header = None, None, None, 0
        self.feed(html.split("</header>", 1)[0])

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "nav":
            self._nav = attrs.get("aria-label")
        elif tag == "details":
            self.disclosures.append([attrs.get("class"), ""])
        elif tag == "summary":
            self._summary = self.disclosures[-1]
        elif tag in ("a", "button") and self._nav:
            self._item = [self._nav, "", attrs.get("aria-current")]
            self.items.append(self._item)

    def handle_endtag(self, tag):
        if tag == "nav":
            self._nav = None
        elif tag in ("a", "button"):
            self._item = None
        elif tag == "summary":
            self._summary = None

    def handle_data(self, data):
        if self._item is not None:
            self._item[1] += data
        if self._summary is not None:
            self._summary[1] += data

    def names(self, nav):
        return [text.strip() for where, text, _ in self.items if where == nav]

    def current(self):
        return [text.strip() for _, text, current in self.items if current == "page"]


def header(client, url="/stories/"):
    response = client.get(url)
    assert response.status_code == 200, url
    return Header(response.content.decode())


STREAMS = ["Plan", "Monitor", "Evaluate", "Learn", "Communicate"]
VISITORS = ["Stories", *STREAMS, "Communities", "Themes", "Collections", "Synthesis"]
MEMBERS = [*VISITORS, "Self-assessment", "Practice"]


def test_both_navigations_fold_into_one_menu_and_the_streams_into_another(client):
    parsed = header(client)
    disclosures = [
        (cls, re.sub(r"\s+", " ", text).strip()) for cls, text in parsed.disclosures
    ]
    assert disclosures == [("menu", "Menu"), ("nav-group__menu", "Streams")]
    html = client.get("/").content.decode()
    start, end = html.index('<details class="menu"'), html.index("</details>\n  </div>")
    menu = html[start:end]
    assert 'aria-label="Main"' in menu and 'aria-label="Account"' in menu
    assert '<script src="/static/js/menus.js" defer></script>' in html


def test_each_reader_sees_the_navigation_of_their_class_whoever_came_first():
    story = make_story()
    member, funder, pending, core = Client(), Client(), Client(), Client()
    member.force_login(make_member(story.community))
    funder.force_login(make_user(approved=True))  # in no community: can't share
    pending.force_login(make_user(approved=False))
    core.force_login(make_core())
    visitor = Client()
    forget_kept()
    for _ in range(2):  # drawn, then kept
        for client, main, account in [
            (member, MEMBERS, ["My stories", "Share a story", "Sign out"]),
            (funder, MEMBERS, ["My stories", "Sign out"]),
            (visitor, VISITORS, ["Sign in", "Join"]),
            (pending, VISITORS, ["My stories", "Sign out"]),
            (core, MEMBERS, ["My stories", "Sign out"]),
        ]:
            parsed = header(client)
            assert parsed.names("Main") == main
            assert parsed.names("Account") == account


@pytest.mark.parametrize(
    "url, current",
    [
        ("/stories/", ["Stories"]),
        ("/stories/?stream=plan", ["Stories"]),
        ("/streams/evaluate/", ["Evaluate"]),
        ("/themes/", ["Themes"]),
        ("/", []),
    ],
)
def test_the_header_marks_the_place_of_the_page(client, url, current):
    make_story(streams=["evaluate"])
    assert header(client, url).current() == current
