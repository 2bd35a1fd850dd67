"""The synthesis in Chromium at 1280 and 375 px: a member filters it by state
and year with its form, follows a bar to the stories it counts and a cell to
its lessons, and reaches a chart link by keyboard; a visitor reads the public
summary, signs in from it and comes back to the whole synthesis; a visitor
opening a Collective-only collection is told it is for members and signs in
to read it. axe-core on every page, and a screenshot of each for a person to
look at (screenshots/synthesis*-<width>.png, collection-members-only-*)."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    DESKTOP,
    MOBILE,
    PASSWORD,
    SCREENSHOTS,
    check_axe,
    sign_in,
)
from tests.factories import make_collection, make_story, make_user

MEMBER = "member@example.org"
WIDTHS = pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1280px", "375px"])


def shoot(page, name, viewport):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}-{viewport['width']}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000


def add_members_only(library):
    """A Collective-only story with a lesson (WA, 2024), in a Collective-only
    collection; and an approved member."""
    from lessons.models import Kind, Lesson, Theme

    story = make_story(
        title="What the Collective keeps",
        slug="collective-keeps",
        community=library["monitor"].community,
        visibility="collective",
        year=2024,
        streams=["plan"],
    )
    lesson = Lesson.objects.create(
        story=story,
        statement="A lesson only members read.",
        kind=Kind.WORKS,
        stream=story.streams.first(),
    )
    lesson.themes.add(Theme.objects.get(slug="trust-takes-time"))
    make_collection(
        title="Briefing for members",
        slug="briefing",
        visibility="collective",
        stories=[story, library["plan"]],
    )
    make_user(approved=True, email=MEMBER, name="Morgan Member")
    return story


def no_sideways_page_scroll(page):
    """The page itself never scrolls sideways (a chart's own region may)."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], width


@WIDTHS
def test_a_member_filters_the_synthesis_and_follows_its_charts(
    new_page, library, axe_source, viewport
):
    add_members_only(library)
    page = new_page(viewport)
    sign_in(page, MEMBER)
    problems = {}
    page.goto("/synthesis/")
    expect(page.locator("h1")).to_have_text("Synthesis")
    no_sideways_page_scroll(page)
    check_axe(page, axe_source, problems, "synthesis")
    shoot(page, "synthesis", viewport)

    # the filter form, without JavaScript's help: choose, then Show
    page.get_by_label("State or territory", exact=True).select_option("WA")
    page.get_by_label("Year of the work", exact=True).select_option("2024")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"/synthesis/\?state=WA&year=2024$"))
    expect(page.locator(".lead")).to_contain_text(
        "counting stories from Western Australia in 2024"
    )
    expect(page.get_by_label("State or territory", exact=True)).to_have_value("WA")
    states = page.get_by_role("table", name="Stories per state or territory")
    expect(states.get_by_role("row", name="Western Australia 1")).to_be_visible()
    expect(states.get_by_role("row", name="Victoria 0")).to_be_visible()
    check_axe(page, axe_source, problems, "synthesis, filtered")
    shoot(page, "synthesis-filtered", viewport)

    # a bar of the states chart leads to exactly its stories
    page.locator(
        '#states-caption ~ .chart__drawing:visible a[href*="state=WA"]'
    ).click()
    expect(page).to_have_url(re.compile(r"/stories/\?state=WA&year=2024$"))
    expect(page.get_by_role("link", name="What the Collective keeps")).to_be_visible()
    assert page.locator(".card__title").count() == 1

    # a cell of the streams-and-themes grid leads to its lessons
    page.goto("/synthesis/")
    cell = page.locator('#matrix-caption ~ .chart__drawing a[href*="stream=plan"]')
    expect(cell.first).to_have_attribute("href", re.compile("theme=trust-takes-time"))
    cell.first.click()
    expect(page.locator("h1")).to_have_text("Lessons behind the synthesis")
    expect(page.get_by_text("A lesson only members read.")).to_be_visible()
    expect(page.get_by_text("Stream: Plan")).to_be_visible()
    no_sideways_page_scroll(page)
    check_axe(page, axe_source, problems, "lessons behind a cell")
    shoot(page, "synthesis-lessons", viewport)

    # and a part of the kinds chart, reached by keyboard, to its kind's lessons
    page.goto("/synthesis/")
    part = page.locator(
        '#kinds-caption ~ .chart__drawing:visible a[href*="kind=enabling"]'
    )
    part.first.focus()
    expect(part.first).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(
        re.compile(r"/synthesis/lessons/\?stream=\w+&kind=enabling")
    )
    expect(page.get_by_text("Kind of lesson: Enabling condition")).to_be_visible()

    # a bad filter typed into the address is an error beside its field
    page.goto("/synthesis/?state=XX")
    expect(page.get_by_role("alert")).to_contain_text("State or territory")
    check_axe(page, axe_source, problems, "synthesis, a bad filter")
    assert problems == {}


@WIDTHS
def test_a_visitor_reads_the_public_summary_and_signs_in_for_the_rest(
    new_page, library, axe_source, viewport
):
    add_members_only(library)
    page = new_page(viewport)
    problems = {}
    page.goto("/synthesis/?state=WA")
    expect(page.locator(".eyebrow").first).to_have_text("Public summary")
    states = page.get_by_role("table", name="Stories per state or territory")
    public_wa = states.get_by_role("row", name=re.compile("^Western Australia"))
    expect(public_wa).to_have_text(re.compile(r"Western Australia\s*2$"))
    expect(page.get_by_text("What the Collective keeps")).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile("CSV"))).to_have_count(0)
    no_sideways_page_scroll(page)
    check_axe(page, axe_source, problems, "public summary")
    shoot(page, "synthesis-public", viewport)

    # the lessons behind a number are the public ones
    page.locator(
        '#kinds-caption ~ .chart__drawing:visible a[href*="kind=works"]'
    ).first.click()
    expect(page.locator("h1")).to_have_text("Lessons behind the synthesis")
    expect(page.get_by_text("A lesson only members read.")).to_have_count(0)
    check_axe(page, axe_source, problems, "public lessons behind a number")
    page.go_back()

    # sign in from the summary, and come back to the whole synthesis
    page.get_by_role("link", name="Sign in to see it").click()
    page.get_by_label("Email address").fill(MEMBER)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/synthesis/\?state=WA$"))
    expect(page.locator(".eyebrow").first).to_have_text("For the Collective")
    expect(public_wa).to_have_text(re.compile(r"Western Australia\s*3$"))
    assert problems == {}


@WIDTHS
def test_a_visitor_is_told_a_collection_is_for_members_and_signs_in(
    new_page, library, axe_source, viewport
):
    add_members_only(library)
    page = new_page(viewport)
    problems = {}
    response = page.goto("/collections/briefing/")
    assert response.status == 403
    expect(page.locator("h1")).to_have_text(
        "This collection is for members of the Collective"
    )
    expect(page.get_by_text("Briefing for members")).to_have_count(0)
    no_sideways_page_scroll(page)
    check_axe(page, axe_source, problems, "members-only collection, visitor")
    shoot(page, "collection-members-only", viewport)
    assert page.goto("/collections/no-such-thing/").status == 404

    page.goto("/collections/briefing/")
    page.get_by_role("link", name="Sign in to read it").click()
    page.get_by_label("Email address").fill(MEMBER)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/collections/briefing/$"))
    expect(page.locator("h1")).to_have_text("Briefing for members")

    # an account waiting for approval is told why, and signs in no further
    make_user(approved=False, email="waiting@example.org")
    waiting = new_page(viewport)
    waiting.goto("/accounts/login/")
    waiting.get_by_label("Email address").fill("waiting@example.org")
    waiting.get_by_label("Password").fill(PASSWORD)
    waiting.get_by_role("button", name="Sign in").click()
    assert waiting.goto("/collections/briefing/").status == 403
    expect(waiting.get_by_text("Your account is waiting for approval")).to_be_visible()
    check_axe(waiting, axe_source, problems, "members-only collection, pending")
    assert problems == {}
