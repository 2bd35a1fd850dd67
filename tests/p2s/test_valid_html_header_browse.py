"""The header (its Menu and Streams disclosures, for each kind of reader) and
browse (its folded filters, with disabled choices, open on a refused one) are
valid HTML by the Nu HTML Checker (issue 22, point 5)."""

import pytest

from tests.factories import make_community, make_core, make_member, make_story
from tests.p2s.test_valid_html import require_vnu, vnu_errors

BROWSE_PAGES = {
    "browse": "/stories/",
    "browse-filtered": "/stories/?stream=plan&state=WA",
    "browse-nothing": "/stories/?stream=learn&state=VIC",
    "browse-refused": "/stories/?year=abc",
    "browse-searched": "/stories/?q=plan&year=2023",
    "stream": "/streams/plan/",
    "home": "/",
}


@pytest.mark.django_db
def test_the_header_and_browse_are_valid_html_for_every_reader(client, tmp_path):
    require_vnu()
    wa = make_community(state="WA", slug="perth-hills")
    make_story(community=wa, streams=["plan"], year=2023, tags=["shared"])
    make_story(community=wa, streams=["learn", "plan"], year=2021)
    make_story(streams=["plan"], visibility="collective")
    readers = {
        "visitor": None,
        "member": make_member(wa, email="member@example.org"),
        "core": make_core(email="core@example.org"),
    }
    saved = 0
    for reader, user in readers.items():
        if user is not None:
            client.force_login(user)
        for name, url in BROWSE_PAGES.items():
            response = client.get(url)
            assert response.status_code in (200, 404), url
            html = response.content.decode()
            assert 'class="menu" data-menu' in html, url
            (tmp_path / f"{reader}-{name}.html").write_text(html)
            saved += 1
    assert vnu_errors(tmp_path) == []
    assert len(list(tmp_path.glob("*.html"))) == saved == 21
