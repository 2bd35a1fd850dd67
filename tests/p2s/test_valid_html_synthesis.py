"""The synthesis pages and the members-only collection page are valid HTML by
the Nu HTML Checker (with their SVG), for each kind of reader and with
filters good and bad: the helpers of tests/p2s/test_valid_html.py."""

import pytest

from tests.factories import (
    make_collection,
    make_community,
    make_core,
    make_lesson,
    make_story,
    make_theme,
    make_user,
)
from tests.p2s.test_valid_html import require_vnu, vnu_errors

MEMBER_PAGES = {
    "synthesis": "/synthesis/",
    "synthesis-filtered": "/synthesis/?state=NSW&year=2023",
    "synthesis-empty": "/synthesis/?state=TAS",
    "synthesis-bad": "/synthesis/?state=XX&year=abc",
    "synthesis-lessons": "/synthesis/lessons/",
    "synthesis-lessons-filtered": "/synthesis/lessons/?stream=plan&theme=trust",
    "synthesis-lessons-none": "/synthesis/lessons/?theme=_none&kind=enabling",
    "synthesis-lessons-empty": "/synthesis/lessons/?state=TAS",
    "synthesis-lessons-bad": "/synthesis/lessons/?kind=<b>&page=9",
}
VISITOR_PAGES = {
    "synthesis-public": "/synthesis/",
    "synthesis-public-filtered": "/synthesis/?year=2024",
    "synthesis-lessons-public": "/synthesis/lessons/?stream=learn",
    "collection-members-only": "/collections/briefing/",
    "collection-members-only-print": "/collections/briefing/print/",
}


def a_library():
    """Lessons of every kind in two streams under a long-named theme and none,
    public and Collective-only stories of two states, a Collective-only
    collection."""
    nsw = make_community(name="Harbour Hills", state="NSW")
    wa = make_community(name="Pilbara Partners", state="WA")
    trust = make_theme(name="Trust takes time & <patience>", slug="trust")
    long = make_theme(name="Being honest about what didn't work, and what we did")
    public = make_story(title="Public story", community=nsw, year=2023)
    collective = make_story(
        title="Members' story", community=wa, year=2024, visibility="collective"
    )
    for story in (public, collective):
        for kind in ("works", "doesnt_work", "enabling"):
            make_lesson(story, kind=kind, themes=[trust, long])
            make_lesson(story, stream="learn", kind=kind)
    make_collection(
        title="Briefing", slug="briefing", visibility="collective", stories=[public]
    )


@pytest.mark.django_db
def test_the_synthesis_pages_are_valid_html(client, tmp_path):
    require_vnu()
    a_library()
    for name, url in VISITOR_PAGES.items():
        response = client.get(url)
        assert response.status_code in (200, 403), url
        (tmp_path / f"{name}.html").write_bytes(response.content)
    client.force_login(make_user(approved=False))
    response = client.get("/collections/briefing/")
    assert response.status_code == 403
    (tmp_path / "collection-members-only-pending.html").write_bytes(response.content)
    response = client.get("/synthesis/")
    (tmp_path / "synthesis-pending.html").write_bytes(response.content)
    for reader in (make_user(approved=True), make_core()):
        client.force_login(reader)
        for name, url in MEMBER_PAGES.items():
            response = client.get(url)
            assert response.status_code in (200, 400), url
            (tmp_path / f"{name}-{reader.pk}.html").write_bytes(response.content)
    errors = vnu_errors(tmp_path)
    assert errors == []
    expected = len(VISITOR_PAGES) + 2 + 2 * len(MEMBER_PAGES)
    assert len(list(tmp_path.glob("*.html"))) == expected
