"""Submitting a story without losing anything, at 1280 and 375 px: the live
preview drawn as the story page (beside the text on a wide screen, below it
on a phone); "Add another image" shows one more slot in place; a submit with
every kind of mistake answers them all at once, with a summary at the top
whose links lead to each field; the image chosen comes back kept and is not
asked for again. Without JavaScript, "Add another image" posts the form back,
everything kept. axe-core on every page, and a screenshot of each."""

import re

import pytest
from playwright.sync_api import expect

from stories.models import PendingUpload, Story
from tests.browser.conftest import DESKTOP, MOBILE, check_axe, shoot, sign_in
from tests.factories import ensure_streams, make_community, make_member, png_bytes

TITLE = "Parent Cafe in a box"


def looks(text):
    """How a rendered story text draws its heading, list and paragraph."""
    return text.evaluate(
        """body => ["h2", "ul", "li", "p", "strong"].map(tag => {
            const style = getComputedStyle(body.querySelector(tag));
            return [tag, style.fontSize, style.fontWeight, style.listStyleType,
                    style.paddingLeft, style.marginTop, style.display];
        })"""
    )


@pytest.fixture
def member(transactional_db):
    ensure_streams()
    community = make_community(name="Harbour Hills Together", slug="harbour-hills")
    return make_member(community, name="Ngaire Example", email="ngaire@example.org")


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1280px", "375px"])
def test_a_story_with_mistakes_is_answered_at_once_and_loses_nothing(
    new_page, member, axe_source, tmp_path, viewport
):
    problems = {}
    page = new_page(viewport)
    sign_in(page, "ngaire@example.org")
    page.goto("/stories/new/")
    check_axe(page, axe_source, problems, "new story")

    # the preview is the story page's, beside the text where there's room
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("The story").fill(
        "## How it started\n\nWe **opened the box**:\n\n- cards\n- a kettle"
    )
    preview = page.locator(".markdownx-preview")
    expect(preview.locator("h2")).to_have_text("How it started")
    expect(preview.locator("li")).to_have_count(2)
    assert "prose story__body" in preview.get_attribute("class")
    drawn = looks(preview)
    text = page.get_by_label("The story").bounding_box()
    shown = page.locator(".story-editor__preview").bounding_box()
    if viewport == DESKTOP:
        assert shown["x"] >= text["x"] + text["width"] - 1
        assert abs(shown["y"] - text["y"]) < 5
    else:
        assert shown["y"] >= text["y"] + text["height"] - 1
    shoot(page, "story-form-preview", viewport)

    # one image slot, and one more added in place
    expect(page.get_by_label("Gallery image 1", exact=True)).to_be_hidden()
    page.evaluate("window.stillHere = true")
    page.get_by_role("button", name="Add another image").click()
    gallery = page.get_by_label("Gallery image 1", exact=True)
    expect(gallery).to_be_visible()
    expect(gallery).to_be_focused()
    assert page.evaluate("window.stillHere") is True  # no reload

    # submit with no summary, no stream, no consent, an image without words
    picture = tmp_path / "cafe.png"
    picture.write_bytes(png_bytes((120, 80), "#a3234f"))
    page.get_by_label("Cover image", exact=True).set_input_files(str(picture))
    page.get_by_role("button", name="Submit to the core team").click()
    summary = page.get_by_role("alert")
    expect(summary).to_be_visible()
    links = summary.get_by_role("link")
    expect(links).to_have_count(6)
    for wrong in ["Summary", "Streams", "Primary stream", "Cover image: alt text",
                  "Cover image: credit", "People quoted or pictured"]:  # fmt: skip
        expect(
            summary.get_by_role("link", name=re.compile(f"^{wrong}"))
        ).to_be_visible()
    assert summary.bounding_box()["y"] < page.get_by_label("Title").bounding_box()["y"]
    expect(page.get_by_label("Title")).to_have_value(TITLE)
    kept = page.get_by_role("img", name="The cover image you chose")
    expect(kept).to_be_visible()
    assert kept.evaluate("image => image.naturalWidth") == 120
    check_axe(page, axe_source, problems, "new story with every mistake")
    shoot(page, "story-form-errors", viewport)
    summary.get_by_role("link", name=re.compile("^Cover image: alt text")).click()
    expect(page.get_by_label("Cover image: alt text")).to_be_focused()

    # put it right, without choosing the image again: it is the story's
    page.get_by_label("Cover image: alt text").fill("A red card on a table")
    page.get_by_label("Cover image: credit").fill("Photo: Ngaire")
    page.get_by_label("Summary").fill("A kit that got parents, and dads, talking.")
    page.get_by_label("Plan").first.check()
    page.get_by_role("group", name="Primary stream").get_by_label("Plan").check()
    page.get_by_label(re.compile("consent", re.I)).check()
    page.get_by_role("button", name="Submit to the core team").click()
    expect(
        page.get_by_text(f"“{TITLE}” is submitted to the core team.")
    ).to_be_visible()
    story = Story.objects.get(title=TITLE)
    cover = story.images.get()
    assert cover.is_cover and cover.alt_text == "A red card on a table"
    assert (cover.width, cover.height) == (120, 80)
    assert not PendingUpload.objects.exists()
    # the story's own page draws its text as the preview did
    page.goto(story.get_absolute_url())
    assert looks(page.locator(".story__body")) == drawn
    assert problems == {}


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1280px", "375px"])
def test_without_javascript_another_image_slot_is_a_post_back(
    browser, live_server, member, axe_source, tmp_path, viewport
):
    signed_in = browser.new_context(viewport=viewport, base_url=live_server.url)
    page = signed_in.new_page()
    sign_in(page, "ngaire@example.org")
    cookies = signed_in.cookies()
    signed_in.close()
    context = browser.new_context(
        viewport=viewport, base_url=live_server.url, java_script_enabled=False
    )
    try:
        context.add_cookies(cookies)
        page = context.new_page()
        page.goto("/stories/new/")
        expect(page.get_by_text("it needs JavaScript")).to_be_visible()
        page.get_by_label("Title").fill(TITLE)
        picture = tmp_path / "cafe.png"
        picture.write_bytes(png_bytes((120, 80), "#1d5a96"))
        page.get_by_label("Cover image", exact=True).set_input_files(str(picture))
        page.get_by_label("Cover image: alt text").fill("A blue card")
        page.get_by_role("button", name="Add another image").click()
        expect(page.get_by_label("Gallery image 1", exact=True)).to_be_visible()
        expect(page.get_by_label("Gallery image 2", exact=True)).to_be_hidden()
        expect(page.get_by_role("alert")).to_have_count(0)  # nothing was wrong
        expect(page.get_by_label("Title")).to_have_value(TITLE)
        expect(page.get_by_label("Cover image: alt text")).to_have_value("A blue card")
        expect(page.get_by_role("img", name="A blue card")).to_be_visible()
        shoot(page, "story-form-another-slot-no-js", viewport)
        assert Story.objects.count() == 0 and PendingUpload.objects.count() == 1
    finally:
        context.close()
