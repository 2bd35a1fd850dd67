"""A story page as a reader meets it (issue 22, points 1 and 7), in Chromium at
1280 and 375 px: the lessons codified from it and the themes it feeds, the
community's sign-off, and passing it on by keyboard alone (copy the link,
the share links, print, copy the citation); the same page without
JavaScript and under the site's CSP; printed; and its author's impact page.
axe-core on every page; screenshots in screenshots/."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, MOBILE, SCREENSHOTS, check_axe, sign_in
from tests.stories.codified import SLUG, TITLE, codified_library

SHARE_NETWORKS = ["Email", "LinkedIn", "Facebook", "X (Twitter)", "Bluesky"]
VIEWPORTS = pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1280", "375"])


def no_sideways_scroll(page):
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def focused(page):
    return page.evaluate(
        """() => { const e = document.activeElement;
        return {tag: e.tagName, text: (e.innerText || e.value || '').trim(),
                href: e.getAttribute('href') || '',
                outline: getComputedStyle(e).outlineStyle}; }"""
    )


def clipboard(page):
    return page.evaluate("navigator.clipboard.readText()")


@VIEWPORTS
def test_a_reader_sees_the_codification_and_passes_the_story_on_by_keyboard(
    new_page, live_server, transactional_db, axe_source, viewport
):
    codified_library()
    address = f"{live_server.url}/stories/{SLUG}/"
    page = new_page(viewport)
    page.context.grant_permissions(
        ["clipboard-read", "clipboard-write"], origin=live_server.url
    )
    page.goto(f"/stories/{SLUG}/")
    expect(page.locator("h1")).to_have_text(TITLE)
    problems = {}

    # what the library made of it, and the community's sign-off
    mark = page.locator(".signoff-mark")
    expect(mark).to_contain_text("Signed off by Harbour Hills Together on")
    lessons = page.locator("#lessons")
    expect(
        lessons.get_by_role("heading", name="What this story teaches")
    ).to_be_visible()
    expect(lessons.locator(".lesson")).to_have_count(2)
    expect(lessons.locator(".kind").first).to_have_text("Works")
    expect(lessons.get_by_role("link", name="Community voice").first).to_have_attribute(
        "href", "/themes/voice/"
    )
    feeds = lessons.get_by_role("list", name="The learning themes it feeds")
    expect(feeds.get_by_role("link")).to_have_text(
        ["Community voice", "Trust takes time"]
    )

    # the address is there to read; Tab from it reaches "Copy link"
    expect(page.get_by_label("Its address")).to_have_value(address)
    page.get_by_label("Its address").focus()
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Copy link"
    page.keyboard.press("Enter")
    expect(page.locator(".share__row .copy-status")).to_have_text("Link copied.")
    assert clipboard(page) == address

    # on through the share links, each with a visible focus
    for network in SHARE_NETWORKS:
        page.keyboard.press("Tab")
        now = focused(page)
        assert (now["tag"], now["text"]) == ("A", network)
        assert now["outline"] != "none", network
    assert focused(page)["href"].startswith("https://bsky.app/intent/compose?text=")

    # print (the browser's dialog is stood in for), then copy the citation
    page.evaluate(
        "() => { window.printed = 0; window.print = () => { window.printed += 1; }; }"
    )
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Print this story"
    page.keyboard.press("Enter")
    assert page.evaluate("window.printed") == 1
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Copy the citation"
    page.keyboard.press("Space")
    expect(page.locator(".cite .copy-status")).to_have_text("Citation copied.")
    citation = page.locator("#citation").inner_text()
    assert citation.startswith("Harbour Hills Together (20")
    assert f"{TITLE}. Pathway to Scale Interactive. Published " in citation
    assert f"{address} (accessed " in citation
    assert clipboard(page) == citation

    assert no_sideways_scroll(page)
    check_axe(page, axe_source, problems, "story page")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(
        path=str(SCREENSHOTS / f"story-shared-{viewport['width']}.png"), full_page=True
    )

    # printed: the story, its lessons and its citation, not the menus or buttons
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".share")).to_be_hidden()
    expect(page.locator("#citation")).to_be_visible()
    expect(page.locator("#lessons")).to_be_visible()
    expect(page.get_by_role("button", name="Copy the citation")).to_be_hidden()
    page.screenshot(
        path=str(SCREENSHOTS / f"story-print-{viewport['width']}.png"), full_page=True
    )
    assert problems == {}


def test_without_javascript_the_address_and_citation_are_there_to_select(
    browser, live_server, transactional_db
):
    codified_library()
    context = browser.new_context(
        viewport=MOBILE, base_url=live_server.url, java_script_enabled=False
    )
    try:
        page = context.new_page()
        page.goto(f"/stories/{SLUG}/")
        field = page.get_by_label("Its address")
        expect(field).to_have_value(f"{live_server.url}/stories/{SLUG}/")
        expect(field).to_be_editable(editable=False)
        expect(page.locator("#citation")).to_be_visible()
        for name in ("Copy link", "Copy the citation", "Print this story"):
            expect(page.get_by_role("button", name=name)).to_be_hidden()
        expect(page.get_by_text("use your browser's Print")).to_be_visible()
        for network in SHARE_NETWORKS:
            expect(page.get_by_role("link", name=network, exact=True)).to_be_visible()
    finally:
        context.close()


def test_the_buttons_work_under_the_site_s_content_security_policy(
    new_page, transactional_db
):
    codified_library()
    page = new_page(DESKTOP, enforce_csp=True)
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    page.goto(f"/stories/{SLUG}/")
    expect(page.get_by_role("button", name="Copy link")).to_be_visible()
    expect(page.get_by_role("button", name="Print this story")).to_be_visible()
    assert refused == []


@VIEWPORTS
def test_its_author_finds_where_the_story_has_been_used(
    new_page, transactional_db, axe_source, viewport
):
    codified_library()
    page = new_page(viewport)
    sign_in(page, "author@example.org")
    page.goto(f"/stories/{SLUG}/")
    problems = {}
    check_axe(page, axe_source, problems, "story page, its author signed in")
    page.get_by_role("link", name="Where this story has been used").click()
    expect(page.locator("h1")).to_have_text(f"Where “{TITLE}” has been used")
    lessons = page.locator("section", has=page.locator("#impact-lessons"))
    expect(lessons.locator(".impact-list > li")).to_have_count(2)
    themes = page.locator("section", has=page.locator("#impact-themes"))
    expect(themes.get_by_role("link")).to_have_text(
        ["Community voice", "Trust takes time"]
    )
    collections = page.locator("section", has=page.locator("#impact-collections"))
    expect(collections.get_by_role("link", name="For funders")).to_be_visible()
    expect(collections.get_by_text("Board pack")).to_be_visible()
    expect(collections.get_by_role("link", name="Board pack")).to_have_count(0)
    assert no_sideways_scroll(page)
    check_axe(page, axe_source, problems, "impact page")
    page.screenshot(
        path=str(SCREENSHOTS / f"story-impact-{viewport['width']}.png"), full_page=True
    )
    assert problems == {}
