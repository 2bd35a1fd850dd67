"""A funder's /me/ at 1280 and 375 px: the collections they may read, and
how to keep up, with no "you haven't written a story". axe-core, no sideways
scrolling on a phone, and a screenshot."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, MOBILE, SCREENSHOTS, check_axe, sign_in
from tests.factories import ensure_streams, make_collection, make_story, make_user


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1280px", "375px"])
def test_a_funder_finds_the_collections_on_their_page(
    new_page, transactional_db, axe_source, viewport
):
    ensure_streams()
    story = make_story(title="Dads at the footy", visibility="collective")
    make_collection(title="For the Collective: listening first",
                    visibility="collective", stories=[story],
                    introduction="Stories of **community voice**.")  # fmt: skip
    make_collection(title="Open to all", stories=[make_story()])
    make_user(name="Frankie Funder", email="funder@example.org")
    page = new_page(viewport)
    sign_in(page, "funder@example.org")
    expect(page.get_by_role("heading", name="Collections for you")).to_be_visible()
    link = page.get_by_role("link", name="For the Collective: listening first")
    expect(link).to_be_visible()
    expect(page.get_by_text("haven't written a story")).to_have_count(0)
    expect(page.get_by_role("link", name="all stories")).to_be_visible()
    problems = {}
    check_axe(page, axe_source, problems, "a funder's /me/")
    overflow = page.evaluate(
        "(d => d.scrollWidth - d.clientWidth)(document.documentElement)"
    )
    assert overflow <= 0
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"me-funder-{viewport['width']}.png"
    page.screenshot(path=str(path), full_page=True)
    link.click()
    expect(page.locator("h1")).to_have_text("For the Collective: listening first")
    expect(page.get_by_role("link", name="Dads at the footy").first).to_be_visible()
    assert problems == {}
