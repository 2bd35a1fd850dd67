import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, MOBILE, axe_violations

PAGES = [
    "/",
    "/streams/plan/",
    "/stories/",
    "/stories/?stream=learn&state=WA",
    "/stories/?stream=nope",
    "/stories/?state=TAS",
    "/stories/?q=story",
    "/stories/?q=nothing-like-it&state=TAS",
    "/stories/a-plan-story/",
    "/communities/",
    "/communities/harbour-hills/",
    "/tags/peer-support/",
    "/themes/",
    "/themes/trust-takes-time/",
    "/collections/",
    "/collections/listening-first/",
    "/collections/listening-first/print/",
    "/collections/listening-first/?as_of=2000-01-01",
    "/no-such-page/",
]


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1280px", "375px"])
def test_every_page_has_no_wcag_a_or_aa_violations(
    new_page, library, axe_source, viewport
):
    page = new_page(viewport)
    problems = {}
    for url in PAGES:
        page.goto(url)
        violations = axe_violations(page, axe_source)
        if violations:
            problems[url] = violations
    assert problems == {}


def test_no_page_scrolls_sideways_on_a_phone(new_page, library):
    page = new_page(MOBILE)
    for url in PAGES:
        page.goto(url)
        overflow = page.evaluate(
            "(d => d.scrollWidth - d.clientWidth)(document.documentElement)"
        )
        assert overflow <= 0, url


def focus_trail(page, presses):
    trail = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        trail.append(
            page.evaluate(
                """() => {
                    const el = document.activeElement;
                    if (['SELECT', 'INPUT'].includes(el.tagName)) return el.name;
                    return (el.getAttribute('aria-label') || el.textContent || '')
                        .trim().replace(/\\s+/g, ' ');
                }"""
            )
        )
    return trail


def test_skip_link_comes_first_and_moves_focus_to_main(page, library):
    page.goto("/stories/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_q"


def test_keyboard_order_is_nav_then_filters_then_stories(page, library):
    page.goto("/stories/")
    # at 1280 px the five streams drop down from "Streams" (closed, skipped)
    trail = focus_trail(page, 20)
    assert trail[:3] == [
        "Skip to main content",
        "Pathway to Scale Interactive",
        "Stories",
    ]
    assert trail[3:10] == [
        "Streams",
        "Communities",
        "Themes",
        "Collections",
        "Synthesis",
        "Sign in",
        "Join",
    ]
    assert trail[10:17] == ["q", "stream", "community", "state", "tag", "theme", "year"]
    assert trail[17:19] == ["Show stories", "Clear all filters"]
    assert trail[19] == "A communicate story"  # newest first


def test_focus_is_clearly_visible(page, library):
    page.goto("/")
    for _ in range(3):
        page.keyboard.press("Tab")
    outline = page.evaluate(
        """() => { const s = getComputedStyle(document.activeElement);
                   return [s.outlineStyle, parseFloat(s.outlineWidth)]; }"""
    )
    assert outline[0] == "solid" and outline[1] >= 2


def test_the_wheel_is_keyboard_usable(page, library):
    page.goto("/")
    segment = page.locator('a.wheel__segment[href="/streams/monitor/"]')
    segment.focus()
    expect(segment).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Monitor")


def sign_in(page, email, password="a-long-test-password"):
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_have_text("My stories")


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1280px", "375px"])
def test_signed_in_pages_have_no_wcag_a_or_aa_violations(
    new_page, library, axe_source, viewport
):
    from communities.models import JoinRequest
    from tests.factories import make_member, make_story, make_user

    community = library["plan"].community
    lead = make_member(community, role="lead", email="lead@example.org")
    JoinRequest.objects.create(user=make_user(approved=False), community=community)
    draft = make_story(status="draft", community=community, slug="a-draft")
    draft.authors.add(lead)
    page = new_page(viewport)
    sign_in(page, "lead@example.org")
    problems = {}
    urls = [
        "/me/",
        "/stories/new/",
        "/stories/a-draft/edit/",
        "/stories/a-draft/",
        f"/communities/{community.slug}/join-requests/",
        "/accounts/signup/",
    ]
    for url in urls:
        page.goto(url)
        if violations := axe_violations(page, axe_source):
            problems[url] = violations
    page.goto("/stories/new/")
    page.get_by_role("button", name="Submit to the core team").click()
    expect(page.get_by_role("alert")).to_be_visible()
    if violations := axe_violations(page, axe_source):
        problems["story form with errors"] = violations
    assert problems == {}


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1280px", "375px"])
def test_moderation_pages_have_no_wcag_a_or_aa_violations(
    new_page, library, axe_source, viewport
):
    from framework.models import Stream
    from lessons.models import Lesson
    from stories.models import StoryComment, StoryFlag
    from stories.services import record_revision, snapshot_of
    from tests.factories import make_core, make_story

    make_core(email="core@example.org", name="Casey Core")
    community = library["plan"].community
    story = make_story(status="submitted", community=community, slug="in-review",
                       consent=True, body="First.")  # fmt: skip
    record_revision(story, None, snapshot_of(story))
    record_revision(story, None, {**snapshot_of(story), "body": "Second."})
    StoryComment.objects.create(story=story, body="Please add a photo.")
    StoryFlag.objects.create(story=library["plan"], reason="Check the names")
    Lesson.objects.create(
        story=story, statement="Ask first.", kind="works", stream=Stream.objects.first()
    )
    page = new_page(viewport)
    sign_in(page, "core@example.org")
    problems = {}
    urls = ["/moderation/", "/moderation/in-review/?a=1&b=2",
            "/moderation/in-review/do/reject/", "/stories/a-plan-story/",
            "/synthesis/", "/collections/new/",
            "/collections/listening-first/edit/"]  # fmt: skip
    for url in urls:
        page.goto(url)
        if violations := axe_violations(page, axe_source):
            problems[url] = violations
        # a wide table (the queue's) scrolls in its own region on a phone
        overflow = page.evaluate(
            "(d => d.scrollWidth - d.clientWidth)(document.documentElement)"
        )
        if overflow > 0:
            problems[f"{url} scrolls sideways"] = overflow
    page.goto("/moderation/in-review/")  # a lesson's edit form, opened by keyboard
    page.locator(".lesson__edit summary").focus()
    page.keyboard.press("Enter")
    expect(
        page.get_by_role("button", name=re.compile("^Save the lesson"))
    ).to_be_visible()
    if violations := axe_violations(page, axe_source):
        problems["a lesson's edit form, open"] = violations
    page.goto("/moderation/in-review/do/reject/")
    page.get_by_label("Note").fill("   ")  # passes the browser's check, not ours
    page.get_by_role("button", name=re.compile("^Reject")).click()
    expect(page.get_by_role("alert")).to_be_visible()
    if violations := axe_violations(page, axe_source):
        problems["reject without a note"] = violations
    assert problems == {}


def assessments_of(community):
    """A lead's three assessments (tests/factories.make_assessment_history)."""
    from tests.factories import make_assessment_history, make_member

    lead = make_member(community, role="lead", email="lead@example.org")
    return make_assessment_history(community, lead)


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1280px", "375px"])
def test_assessment_pages_have_no_wcag_a_or_aa_violations(
    new_page, library, axe_source, viewport
):
    from tests.factories import make_core

    closed, current = assessments_of(library["plan"].community)
    gap = next(p for p in closed.version.practices.all() if p.position == 0)
    group = current.groups.first()
    page = new_page(viewport)
    sign_in(page, "lead@example.org")
    problems = {}

    def check(name, page=page):
        """axe-core's violations, and on a phone whether the page scrolls
        sideways (a wide table scrolls in its own region instead)."""
        if violations := axe_violations(page, axe_source):
            problems[name] = violations
        overflow = page.evaluate(
            "(d => d.scrollWidth - d.clientWidth)(document.documentElement)"
        )
        if overflow > 0:
            problems[f"{name} scrolls sideways"] = overflow

    first = closed.groups.first()
    pages = {
        "/assessments/": "Self-assessments",
        "/assessments/new/": "Start an assessment",
        current.get_absolute_url(): "Third workshop",
        group.get_absolute_url(): f"{group.stream.name}: The whole table",
        f"/assessments/{current.pk}/groups/new/": "Add a group",
        closed.get_absolute_url(): "Second workshop",
        first.get_absolute_url(): f"{first.stream.name}: The whole table",
        f"/assessments/{closed.pk}/gaps/{gap.pk}/": re.compile(f"^{gap.name}: "),
        f"/assessments/{closed.pk}/print/": "Second workshop",
    }
    for url, heading in pages.items():
        page.goto(url)
        expect(page.locator("h1")).to_have_text(heading)
        check(url)
    page.goto(closed.get_absolute_url())
    expect(
        page.get_by_role("table", name="What moved, practice by practice")
    ).to_be_visible()
    page.goto(first.get_absolute_url())
    expect(page.get_by_text("its answers can't change")).to_be_visible()
    expect(page.get_by_role("radio")).to_have_count(0)
    page.goto("/assessments/new/")
    page.get_by_role("button", name="Start the assessment").click()
    expect(page.get_by_role("alert")).to_be_visible()
    check("start form with errors")
    page.goto(group.get_absolute_url())
    page.get_by_role("button", name="Save and mark done").click()
    expect(
        page.get_by_role("alert").filter(has_text="Some answers need a change")
    ).to_be_visible()
    expect(
        page.get_by_text("Choose a level to mark the stream done.").first
    ).to_be_visible()
    check("group form with errors")
    page.goto(f"/assessments/{current.pk}/groups/new/")
    page.get_by_role("button", name="Add the group").click()
    expect(page.get_by_role("alert")).to_be_visible()
    check("add-group form with errors")
    make_core(email="core@example.org")
    core = new_page(viewport)
    sign_in(core, "core@example.org")
    core.goto("/assessments/national/")
    expect(
        core.get_by_role("table", name="How often each practice is a gap")
    ).to_be_visible()
    check("/assessments/national/", core)
    assert problems == {}


def test_a_field_reached_by_tab_is_never_under_the_sticky_save_bar(new_page, library):
    """WCAG 2.4.11: the group form's Save bar stays at the foot of the window;
    a field Tab reaches is scrolled to show above it, never hidden under it."""
    _, current = assessments_of(library["plan"].community)
    page = new_page({"width": 1280, "height": 700})
    sign_in(page, "lead@example.org")
    page.goto(current.groups.first().get_absolute_url())
    bar = page.locator(".answers__actions")
    checked = 0
    for _ in range(60):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "(() => { const e = document.activeElement; if (!e.closest('.practice'))"
            " return null; const r = e.getBoundingClientRect();"
            " return {tag: e.tagName, top: r.top, bottom: r.bottom}; })()"
        )
        if focused and focused["tag"] == "TEXTAREA":
            # at least its first lines show above the bar (AA: never hidden)
            assert focused["top"] + 40 <= bar.bounding_box()["y"], focused
            checked += 1
    assert checked >= 3
