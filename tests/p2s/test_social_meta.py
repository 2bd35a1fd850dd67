"""Open Graph and Twitter card tags on story pages, for link previews, and
noindex on a story page that isn't public."""

from html.parser import HTMLParser

import pytest

from stories.models import Visibility
from tests.factories import make_community, make_image, make_member, make_story
from tests.security import hostile_strings as hostile

pytestmark = pytest.mark.django_db

BASE = "http://testserver"


class _Head(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.meta = {}
        self.duplicates = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        key = attrs.get("property") or attrs.get("name")
        if tag == "meta" and key:
            if key in self.meta:
                self.duplicates.append(key)
            self.meta[key] = attrs.get("content")


def meta_of(response):
    """The page's <meta> tags by property or name, their values as a browser
    or a crawler reads them (entities decoded)."""
    assert response.status_code == 200
    head = _Head()
    head.feed(response.content.decode())
    assert head.duplicates == []
    return head.meta


def test_a_story_with_a_cover_has_a_large_card(client):
    community = make_community()
    story = make_story(title="Walking the data", summary="With families.",
                       community=community)  # fmt: skip
    cover = make_image(story, alt_text="Parents around a table of charts")
    meta = meta_of(client.get(story.get_absolute_url()))
    social = cover.social
    assert meta["og:type"] == "article"
    assert meta["og:site_name"] == "Pathway to Scale Interactive"
    assert meta["og:title"] == "Walking the data"
    assert meta["og:description"] == "With families."
    assert meta["og:url"] == BASE + story.get_absolute_url()
    assert meta["og:image"] == BASE + social["url"]
    assert meta["og:image"].endswith(".social.png")
    assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "630")
    assert meta["og:image:alt"] == "Parents around a table of charts"
    assert meta["twitter:card"] == "summary_large_image"
    assert "robots" not in meta
    # the image is there for a crawler, which never signs in
    image = client.get(meta["og:image"].removeprefix(BASE))
    assert image.status_code == 200
    assert image["Content-Type"] == "image/png"


def test_a_story_without_a_cover_has_a_small_card(client):
    story = make_story()
    make_image(story, cover=False)  # a gallery image is not the story's picture
    meta = meta_of(client.get(story.get_absolute_url()))
    assert meta["twitter:card"] == "summary"
    assert "og:image" not in meta and "og:image:alt" not in meta
    assert meta["og:title"] == story.title


@pytest.mark.parametrize("kind", list(hostile.xss("m")))
def test_hostile_text_is_escaped_in_the_meta_tags(client, kind):
    payload = hostile.xss("ogx")[kind]
    story = make_story(title=f"T {payload}"[:150], summary=f"S {payload}")
    make_image(story, alt_text=f"A {payload}")
    response = client.get(story.get_absolute_url())
    meta = meta_of(response)
    assert meta["og:title"] == story.title
    assert meta["og:description"] == story.summary
    assert meta["og:image:alt"] == f"A {payload}"
    html = response.content.decode()
    head = html[: html.index("</head>")]
    assert hostile.live_markup(head) == []
    assert hostile.raw_markers(head, "ogx") == []


def test_a_collective_only_story_is_not_indexed(client):
    community = make_community()
    story = make_story(visibility=Visibility.COLLECTIVE, community=community)
    client.force_login(make_member(community))
    meta = meta_of(client.get(story.get_absolute_url()))
    assert meta["robots"] == "noindex"
    assert meta["og:url"] == BASE + story.get_absolute_url()


def test_an_unpublished_story_is_not_indexed(client):
    community = make_community()
    author = make_member(community)
    draft = make_story(status="draft", community=community)
    draft.authors.add(author)
    client.force_login(author)
    assert meta_of(client.get(draft.get_absolute_url()))["robots"] == "noindex"


def test_a_public_story_is_indexed(client):
    story = make_story()
    assert "robots" not in meta_of(client.get(story.get_absolute_url()))


def test_a_public_collection_previews_with_its_first_public_cover(client):
    from tests.factories import make_collection

    collective = make_story(visibility=Visibility.COLLECTIVE)
    make_image(collective, alt_text="Not for the public")
    bare = make_story()  # public, no cover
    pictured = make_story()
    cover = make_image(pictured, alt_text="Children at the toy library")
    collection = make_collection(
        stories=[collective, bare, pictured],
        title="What funders asked for",
        introduction="Three **stories** of _early_ years.",
    )
    meta = meta_of(client.get(collection.get_absolute_url()))
    assert meta["og:type"] == "website"
    assert meta["og:title"] == "What funders asked for"
    assert meta["og:description"] == "Three stories of early years."
    assert meta["og:url"] == BASE + collection.get_absolute_url()
    assert meta["og:image"] == BASE + cover.social["url"]
    assert meta["og:image:alt"] == "Children at the toy library"
    assert "robots" not in meta
    # a member sees the Collective-only story first; the preview stays public
    client.force_login(make_member(make_community()))
    meta = meta_of(client.get(collection.get_absolute_url()))
    assert meta["og:image"] == BASE + cover.social["url"]


@pytest.mark.parametrize("visibility", ["collective", "link"])
def test_a_collection_not_for_the_public_has_no_preview(client, visibility):
    from tests.factories import make_collection

    story = make_story()
    make_image(story)
    collection = make_collection(stories=[story], visibility=visibility)
    client.force_login(make_member(make_community()))
    if visibility == "link":
        url = f"/collections/shared/{collection.share_token}/"
    else:
        url = collection.get_absolute_url()
    meta = meta_of(client.get(url))
    assert meta["robots"] == "noindex, nofollow"
    assert not any(key.startswith(("og:", "twitter:")) for key in meta)
    html = client.get(url).content.decode()
    if visibility == "link":
        assert collection.share_token not in html.split("</head>")[0]
