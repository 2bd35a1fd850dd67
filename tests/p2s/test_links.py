"""p2s.links: the layout's addresses, worked out once per process."""

from django.urls import reverse, set_script_prefix

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
