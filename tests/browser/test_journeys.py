import re

from playwright.sync_api import expect


def test_a_visitor_goes_from_the_wheel_to_a_story(page, library):
    page.goto("/")
    expect(page.locator("h1")).to_have_text("Stories from the field")
    page.locator('a.wheel__segment[href="/streams/evaluate/"]').click()
    expect(page).to_have_url(re.compile(r"/streams/evaluate/$"))
    expect(page.locator("h1")).to_have_text("Evaluate")
    # the stream's lessons link to their stories too: take the story card
    stories = page.get_by_role("region", name=re.compile("^Stories in Evaluate"))
    stories.get_by_role("link", name="A evaluate story").click()
    expect(page.locator("h1")).to_have_text("A evaluate story")
    expect(
        page.get_by_role("img", name="Illustration for the evaluate story")
    ).to_be_visible()
    image_size = page.locator(".story__cover img").evaluate(
        "img => [img.complete, img.naturalWidth]"
    )
    assert image_size == [True, 32]
    assert "Hidden draft story" not in page.content()


def test_browse_filters_combine_and_can_be_removed(page, library):
    page.goto("/stories/")
    expect(page.locator(".results__heading")).to_have_text("5 stories")
    # with JavaScript a chosen filter applies at once (static/js/browse.js)
    page.get_by_label("Stream", exact=True).select_option("learn")
    expect(page).to_have_url(re.compile(r"/stories/\?stream=learn$"))
    page.get_by_label("State or territory").select_option("WA")
    expect(page).to_have_url(re.compile(r"/stories/\?stream=learn&state=WA$"))
    expect(page.locator(".results__heading")).to_have_text("2 stories")
    page.get_by_role(
        "link", name=re.compile("State or territory: Western Australia")
    ).click()
    expect(page.locator(".results__heading")).to_have_text("5 stories")
    expect(page.get_by_label("Stream", exact=True)).to_have_value("learn")


def test_the_site_works_without_javascript(browser, live_server, library):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    try:
        page = context.new_page()
        page.goto("/stories/")
        page.get_by_label("Year of the work").select_option("2022")
        page.get_by_role("button", name="Show stories").click()
        expect(page.locator(".results__heading")).to_have_text("1 story")
        # the empty fields sent without JavaScript are dropped by the server
        expect(page).to_have_url(re.compile(r"/stories/\?year=2022$"))
        page.get_by_role("link", name="A evaluate story").click()
        expect(page.locator("h1")).to_have_text("A evaluate story")
    finally:
        context.close()
