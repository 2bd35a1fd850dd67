"""Every attribute and title the project builds from user text holds exactly
that text: a double quote can't close the attribute and turn the rest into
attribute names or markup (seen in a collection's description, whose
introduction went through Markdown and came back marked safe)."""

from html.parser import HTMLParser

import pytest

from lessons.models import Theme
from tests.factories import make_collection, make_community, make_image, make_story

pytestmark = pytest.mark.django_db

HOSTILE = '"><b onmouseover=\'x\'>Quote & "more" it'


class Page(HTMLParser):
    """The page's <title> and every attribute, as a browser reads them."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.meta, self.attributes, self.tags = {}, [], []
        self.title, self._in_title = "", False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        attrs = dict(attrs)
        self.attributes.extend(attrs)
        if tag == "meta" and (key := attrs.get("property") or attrs.get("name")):
            self.meta[key] = attrs.get("content")
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def check(page, *, title, description):
    assert page.title.startswith(title)
    assert page.meta["og:title"] == title
    assert page.meta["description"] == description
    assert page.meta["og:description"] == description
    assert "onmouseover" not in page.attributes  # no attribute broke out
    assert "b" not in page.tags[: page.tags.index("body")]


def test_a_story_s_title_summary_and_cover_alt_text(client):
    story = make_story(title=HOSTILE, summary=HOSTILE + " summary")
    make_image(story, alt_text=HOSTILE + " alt")
    page = Page(client.get(story.get_absolute_url()).content.decode())
    check(page, title=HOSTILE, description=HOSTILE + " summary")
    assert page.meta["og:image:alt"] == HOSTILE + " alt"


def test_a_collection_s_title_and_markdown_introduction(client):
    introduction = '"> A quote & "more" to follow, *then* the rest'
    collection = make_collection(
        title=HOSTILE, introduction=introduction, stories=[make_story()]
    )
    page = Page(client.get(collection.get_absolute_url()).content.decode())
    check(
        page,
        title=HOSTILE,
        description='"> A quote & "more" to follow, then the rest',
    )


def test_a_theme_s_name_and_description(client):
    theme = Theme.objects.create(name=HOSTILE, slug="hostile", description=HOSTILE)
    page = Page(client.get(theme.get_absolute_url()).content.decode())
    assert page.title.startswith(HOSTILE)
    assert page.meta["description"] == HOSTILE
    assert "onmouseover" not in page.attributes


def test_a_community_s_name(client):
    community = make_community(name=HOSTILE, description=HOSTILE)
    page = Page(client.get(community.get_absolute_url()).content.decode())
    assert page.title.startswith(HOSTILE)
    assert "onmouseover" not in page.attributes
