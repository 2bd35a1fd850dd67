"""/sitemap.xml (an index of sections) and /robots.txt.

The sitemap lists what a visitor may read, whoever asks for it: a hidden or
Collective-only story, or a tag only such stories use, is never in it.
"""

import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from django.utils import timezone
from taggit.models import Tag

from communities.models import Community
from framework.models import Stream
from lessons.models import Theme
from p2s.views import ROBOTS_DISALLOW
from stories.models import Visibility
from tests.factories import (
    HIDDEN_STATUSES,
    fill_library,
    forget_kept,
    make_collection,
    make_community,
    make_core,
    make_story,
)

pytestmark = pytest.mark.django_db

BASE = "http://testserver"
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def read_xml(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/xml", url
    return ET.fromstring(response.content)


def section_urls(client):
    root = read_xml(client, "/sitemap.xml")
    assert root.tag == f"{{{NS['sm']}}}sitemapindex"
    return [loc.text for loc in root.findall("sm:sitemap/sm:loc", NS)]


def sitemap_entries(client):
    """{address: lastmod or None} over every section of the index."""
    entries = {}
    for section in section_urls(client):
        assert section.startswith(BASE), section
        parts = urlsplit(section)
        root = read_xml(client, parts.path + (f"?{parts.query}" if parts.query else ""))
        for url in root.findall("sm:url", NS):
            lastmod = url.find("sm:lastmod", NS)
            entries[url.find("sm:loc", NS).text] = (
                lastmod.text if lastmod is not None else None
            )
    return entries


@pytest.fixture
def library():
    """Public stories, hidden stories of every kind, a tag used only by hidden
    stories, a theme and two communities."""
    harbour = make_community(slug="harbour-hills")
    make_community(slug="quiet-town")  # no stories: still a public page
    public = [
        make_story(community=harbour, tags=["shared"]),
        make_story(streams=["learn"], tags=["shared", "only public"]),
    ]
    hidden = [
        make_story(status=status, community=harbour, tags=["shared", "secret tag"])
        for status in HIDDEN_STATUSES
    ]
    hidden.append(
        make_story(
            visibility=Visibility.COLLECTIVE,
            community=harbour,
            tags=["shared", "secret tag"],
        )
    )
    Theme.objects.create(name="Trust takes time", slug="trust")
    # collections: only the published public one is a public page
    make_collection(stories=public, slug="open-collection")
    make_collection(stories=public, slug="members-collection", visibility="collective")
    make_collection(stories=public, slug="link-collection", visibility="link")
    make_collection(stories=public, slug="draft-collection", published=False)
    return public, hidden


def expected_public_pages():
    pages = ["/", "/stories/", "/communities/", "/themes/"]
    pages += [stream.get_absolute_url() for stream in Stream.objects.all()]
    pages += [community.get_absolute_url() for community in Community.objects.all()]
    pages += [theme.get_absolute_url() for theme in Theme.objects.all()]
    pages += [reverse("collections:detail", args=["open-collection"])]
    return {BASE + page for page in pages}


def test_the_sitemap_lists_every_public_page_and_nothing_else(client, library):
    public, hidden = library
    entries = sitemap_entries(client)
    tags = {
        BASE + reverse("stories:tag", args=[slug]) for slug in ["shared", "only-public"]
    }
    stories = {BASE + story.get_absolute_url() for story in public}
    assert set(entries) == expected_public_pages() | tags | stories
    assert len(Stream.objects.all()) == 5
    text = "".join(entries)
    for story in hidden:
        assert story.slug not in text, story.status
    assert "secret-tag" not in text
    assert "-collection" in text
    for slug in ["members-collection", "link-collection", "draft-collection"]:
        assert slug not in text


@pytest.mark.parametrize("who", ["member", "core"])
def test_the_sitemap_is_the_same_for_a_signed_in_reader(client, library, who, member):
    anonymous = sitemap_entries(client)
    client.force_login(member if who == "member" else make_core())
    assert sitemap_entries(client) == anonymous


def test_a_story_is_last_modified_when_it_was_published_or_edited(client):
    story = make_story()
    entries = sitemap_entries(client)
    latest = timezone.localtime(max(story.published_at, story.updated_at))
    assert entries[BASE + story.get_absolute_url()] == f"{latest:%Y-%m-%d}"
    index = read_xml(client, "/sitemap.xml")
    stories_section = next(
        s
        for s in index.findall("sm:sitemap", NS)
        if "stories" in s.find("sm:loc", NS).text
    )
    assert stories_section.find("sm:lastmod", NS).text.startswith(f"{latest:%Y-%m-%d}")


def test_an_empty_library_still_has_a_sitemap(client):
    entries = sitemap_entries(client)
    assert BASE + "/" in entries
    assert not any("/stories/" in url and url != BASE + "/stories/" for url in entries)


def test_a_tag_without_a_slug_is_left_out_rather_than_breaking_the_sitemap(client):
    story = make_story(tags=["ok"])
    blank = Tag.objects.create(name="!!!", slug="")
    assert blank.slug == ""
    story.tags.add(blank)
    entries = sitemap_entries(client)
    assert BASE + "/tags/ok/" in entries


def test_an_unknown_section_or_page_is_a_404(client):
    make_story()
    assert client.get("/sitemap-nope.xml").status_code == 404
    assert client.get("/sitemap-stories.xml?p=2").status_code == 404
    assert client.get("/sitemap-stories.xml?p=x").status_code == 404


def test_the_sitemap_needs_no_sites_framework(client):
    assert "django.contrib.sites" not in settings.INSTALLED_APPS
    make_story(slug="a-story")
    assert BASE + "/stories/a-story/" in sitemap_entries(client)


def count_queries(client, url):
    forget_kept()  # the page drawn afresh, not the one kept
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200, url
    return len(captured)


@pytest.mark.parametrize(
    "url, budget",
    [
        # a count for each section; the stories' and collections' last change
        ("/sitemap.xml", 8),
        ("/sitemap-collections.xml", 2),
        ("/sitemap-stories.xml", 2),  # the count, the page
        ("/sitemap-tags.xml", 2),
        ("/sitemap-communities.xml", 2),
        ("/sitemap-streams.xml", 2),
        ("/sitemap-themes.xml", 2),
        ("/sitemap-pages.xml", 0),
    ],
)
def test_the_sitemap_keeps_a_fixed_query_budget(
    client, url, budget, django_assert_max_num_queries
):
    fill_library(10)
    few = count_queries(client, url)
    fill_library(60, community_slug="another-town")
    assert count_queries(client, url) == few
    with django_assert_max_num_queries(budget):
        client.get(url)


# robots.txt ---------------------------------------------------------------------


def test_robots_txt_keeps_crawlers_to_the_public_site(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    disallowed = [
        line.removeprefix("Disallow: ") for line in lines if "Disallow" in line
    ]
    assert disallowed == ["/admin/", "/moderation/", "/accounts/", "/me/",
                          "/markdownx/", "/synthesis/"]  # fmt: skip
    assert "Allow: /" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_robots_txt_names_real_pages_and_leaves_the_public_ones_open():
    private = [
        reverse("admin:index"),
        reverse("moderation:queue"),
        reverse("accounts:login"),
        reverse("me"),
        reverse("markdownx_markdownify"),
        reverse("synthesis:page"),
    ]
    for prefix, url in zip(ROBOTS_DISALLOW, private, strict=True):
        assert url.startswith(prefix), (prefix, url)
        resolve(url)
    for url in ["/", "/stories/", "/streams/plan/", "/feeds/stories/", "/sitemap.xml",
                "/communities/", "/themes/", "/tags/x/"]:  # fmt: skip
        assert not url.startswith(tuple(ROBOTS_DISALLOW)), url


def test_robots_txt_names_the_sitemap_on_the_host_asked(client):
    response = client.get("/robots.txt", HTTP_HOST="localhost")
    assert "Sitemap: http://localhost/sitemap.xml" in response.content.decode()
