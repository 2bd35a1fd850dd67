"""p2s.links: the layout's addresses, worked out once per process."""

import pytest
from django.test import override_settings
from django.urls import path, reverse, set_script_prefix

from p2s.links import NAV, NAV_LINKS, fixed_url


def test_every_nav_link_is_its_reversed_address():
    for key, name in NAV.items():
        assert NAV_LINKS[key] == reverse(name)
    assert fixed_url("stories:stream", slug="plan") == "/streams/plan/"


def test_an_address_remembered_under_one_prefix_is_not_given_under_another():
    assert fixed_url("home") == "/"
    set_script_prefix("/library/")
    try:
        assert fixed_url("home") == "/library/"
        assert NAV_LINKS["stories"] == "/library/stories/"
    finally:
        set_script_prefix("/")
    assert fixed_url("home") == "/"


def test_the_layout_links_to_each_place(client, db):
    page = client.get("/").content.decode()
    for name in ["stories:list", "communities:list", "themes:list", "feeds:stories"]:
        assert f'href="{reverse(name)}"' in page


def main_nav(response):
    html = response.content.decode()
    start = html.index('aria-label="Main"')
    return html[start : html.index("</nav>", start)]


@pytest.mark.parametrize(
    "url, current",
    [
        ("/stories/", '<a href="/stories/" aria-current="page">Stories</a>'),
        ("/streams/learn/", 'href="/streams/learn/" aria-current="page">Learn</a>'),
        ("/communities/", '<a href="/communities/" aria-current="page">Communities'),
        ("/collections/", '<a href="/collections/" aria-current="page">Collections'),
        ("/", None),
    ],
)
def test_the_main_navigation_marks_the_place_the_reader_is_in(client, db, url, current):
    nav = main_nav(client.get(url))
    assert nav.count('aria-current="page"') == (1 if current else 0)
    if current:
        assert current in nav


def test_only_members_of_the_collective_are_shown_the_synthesis(
    client, member, pending
):
    assert "Synthesis" not in main_nav(client.get("/"))
    client.force_login(pending)
    assert "Synthesis" not in main_nav(client.get("/"))
    client.force_login(member)
    nav = main_nav(client.get("/synthesis/"))
    assert '<a href="/synthesis/" aria-current="page">Synthesis</a>' in nav


def test_a_renamed_stream_is_shown_by_its_new_name(client, db):
    from p2s.models import Stream

    assert ">Learn</a>" in main_nav(client.get("/"))
    Stream.objects.filter(slug="learn").update(name="Learning")
    from p2s.cache import library_changed

    library_changed()  # as every save does (p2s/cache.py)
    assert ">Learning</a>" in main_nav(client.get("/communities/"))


def elsewhere(request):
    from django.http import HttpResponse

    return HttpResponse("elsewhere")


# a URLconf of this module's own, for the test below
urlpatterns = [path("elsewhere/", elsewhere, name="home")]


def test_a_swapped_urlconf_gets_its_own_addresses():
    assert fixed_url("home") == "/"
    with override_settings(ROOT_URLCONF=__name__):
        assert fixed_url("home") == "/elsewhere/"
    assert fixed_url("home") == "/"
