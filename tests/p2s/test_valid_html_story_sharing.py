"""The pages of issue 22's points 1 and 7 are valid HTML by the Nu HTML
Checker: a story page with its lessons, sign-off, share links and citation
(public, Collective only, not yet published, and with the core team's form),
and the storyteller's impact page, full and empty. The checker and its
helpers are tests/p2s/test_valid_html.py's."""

import pytest

from tests.factories import make_community, make_core, make_member, make_story
from tests.p2s.test_valid_html import require_vnu, vnu_errors
from tests.stories.codified import SLUG, codified_library


@pytest.mark.django_db
def test_the_story_and_impact_pages_are_valid_html(client, tmp_path):
    require_vnu()
    story = codified_library()
    author = story.authors.get()
    collective = make_story(community=story.community, visibility="collective")
    draft = make_story(community=story.community, status="draft")
    draft.authors.add(author)
    untouched = make_story(community=story.community)
    untouched.authors.add(author)
    pages = {"story-visitor": (None, f"/stories/{SLUG}/")}
    pages["story-collective"] = (make_member(make_community()), collective)
    pages["story-author"] = (author, f"/stories/{SLUG}/")
    pages["story-draft"] = (author, draft)
    pages["story-core"] = (make_core(), f"/stories/{SLUG}/")
    pages["impact"] = (author, f"/stories/{SLUG}/impact/")
    pages["impact-empty"] = (author, f"/stories/{untouched.slug}/impact/")
    for name, (reader, url) in pages.items():
        client.logout()
        if reader is not None:
            client.force_login(reader)
        url = url if isinstance(url, str) else url.get_absolute_url()
        response = client.get(url)
        assert response.status_code == 200, url
        (tmp_path / f"{name}.html").write_bytes(response.content)
    errors = vnu_errors(tmp_path)
    assert errors == []
    assert len(list(tmp_path.glob("*.html"))) == len(pages)
