"""The core team builds a collection (create, add two stories, annotate,
reorder, publish for anyone with the link) and copies its share link; a fresh
signed-out browser opens it and reads the stories; the core team revokes the
link, and the same browser gets 404 on reload. axe-core on the pages."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import check_axe, sign_in
from tests.factories import ensure_streams, make_community, make_core, make_story

TITLE = "For funders: listening first"
WALK = "A data walk with families"
SURVEY = "The survey nobody answered"


def story_titles(page):
    return page.locator(".collection-item .card__title").all_inner_texts()


def test_a_collection_is_built_shared_by_link_and_revoked(
    new_page, live_server, transactional_db, axe_source
):
    ensure_streams()
    community = make_community(name="Harbour Hills Together", slug="harbour-hills")
    make_story(title=WALK, slug="a-data-walk", community=community)
    make_story(title=SURVEY, slug="the-survey", community=community)
    make_story(title="Members only", visibility="collective", community=community)
    make_core(name="Casey Core", email="core@example.org")
    problems = {}

    # the core team starts a collection shared with anyone with the link
    core = new_page()
    sign_in(core, "core@example.org")
    core.goto("/collections/")
    core.get_by_role("link", name="Start a collection").click()
    expect(core.locator("h1")).to_have_text("Start a collection")
    check_axe(core, axe_source, problems, "new collection")
    core.get_by_label("Title").fill(TITLE)
    core.get_by_label("Introduction").fill("Stories where **families** led.")
    core.get_by_label("Anyone with the link").check()
    core.get_by_role("button", name="Make the collection").click()
    expect(core.get_by_text("is made, as a draft")).to_be_visible()
    expect(core.locator("h1")).to_have_text(f"Curate “{TITLE}”")

    # adds two stories: one by its slug, one by its address
    core.get_by_label("Story's address or slug").fill("a-data-walk")
    core.get_by_label("Curator's note (optional)").fill("Families read the data.")
    core.get_by_role("button", name="Add the story").click()
    expect(core.get_by_text(f"“{WALK}” is added.")).to_be_visible()
    core.get_by_label("Story's address or slug").fill(
        f"{live_server.url}/stories/the-survey/"
    )
    core.get_by_role("button", name="Add the story").click()
    expect(core.get_by_text(f"“{SURVEY}” is added.")).to_be_visible()

    # a mistake comes back beside the field, with what was typed
    core.get_by_label("Story's address or slug").fill("no-such-story")
    core.get_by_role("button", name="Add the story").click()
    expect(core.get_by_role("alert")).to_be_visible()
    expect(core.get_by_label("Story's address or slug")).to_have_value("no-such-story")
    check_axe(core, axe_source, problems, "curating page with a mistake")

    # annotates the second story, then moves it up
    core.get_by_label(f"Curator's note on “{SURVEY}”").fill("What *not* to do.")
    core.get_by_role("button", name=f"Save the note on “{SURVEY}”").click()
    expect(core.get_by_text(f"The note on “{SURVEY}” is saved.")).to_be_visible()
    core.get_by_role("button", name=f"Up (move “{SURVEY}” up)").click()
    expect(core.get_by_text(f"“{SURVEY}” is moved up.")).to_be_visible()
    titles = core.locator(".curate-item__title").all_inner_texts()
    assert titles == [SURVEY, WALK]

    # publishes it and copies its share link
    core.get_by_role("button", name="Publish", exact=True).click()
    expect(core.get_by_text("The collection is published.")).to_be_visible()
    check_axe(core, axe_source, problems, "curating page")
    share_link = core.get_by_label("Share link").input_value()
    shared_path = r"/collections/shared/[-\w]{43}/"
    assert re.fullmatch(re.escape(live_server.url) + shared_path, share_link)

    # a fresh signed-out browser opens the link and reads the stories
    visitor = new_page()
    response = visitor.goto(share_link)
    assert response.status == 200
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "noindex" in response.headers["x-robots-tag"]
    assert "no-store" in response.headers["cache-control"]
    expect(visitor.locator("h1")).to_have_text(TITLE)
    assert story_titles(visitor) == [SURVEY, WALK]
    expect(visitor.get_by_text("Families read the data.")).to_be_visible()
    expect(visitor.locator(".collection-item__note em")).to_have_text("not")
    expect(visitor.get_by_text("Sign in")).to_be_visible()  # signed out indeed
    check_axe(visitor, axe_source, problems, "collection by share link")
    visitor.get_by_role("link", name="Printable version").click()
    expect(visitor.locator("h1")).to_have_text(TITLE)
    check_axe(visitor, axe_source, problems, "printable collection by share link")
    visitor.go_back()
    # it is listed nowhere
    visitor.goto("/collections/")
    expect(visitor.get_by_text(TITLE)).to_have_count(0)
    visitor.goto(share_link)
    expect(visitor.locator("h1")).to_have_text(TITLE)

    # the core team revokes the link; the visitor's reload finds nothing
    core.get_by_role("button", name="Revoke the link").click()
    expect(core.get_by_text("The share link is revoked")).to_be_visible()
    response = visitor.reload()
    assert response.status == 404
    expect(visitor.get_by_text(SURVEY)).to_have_count(0)
    assert problems == {}
