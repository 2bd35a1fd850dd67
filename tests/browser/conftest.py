"""Real Chromium (Debian's package) driven by Playwright against the live server.

Without /usr/bin/chromium the browser tests are skipped, and say so; with
P2S_REQUIRE_TOOLS=1 (as in CI) a missing browser is a failure instead.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings

# Playwright's sync API runs an event loop in this thread; the tests only touch
# the database between page calls, never concurrently with them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(os.environ.get("P2S_SCREENSHOTS", settings.BASE_DIR / "screenshots"))
DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 375, "height": 812}


def require(condition, reason):
    if condition:
        return
    if os.environ.get("P2S_REQUIRE_TOOLS") == "1":
        pytest.fail(f"{reason} (P2S_REQUIRE_TOOLS=1)")
    pytest.skip(reason)


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    require(
        os.path.exists(CHROMIUM), f"no Chromium at {CHROMIUM}: browser tests skipped"
    )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser, live_server):
    """Open pages at a given viewport; every context is closed afterwards."""
    contexts = []

    def open_page(viewport=DESKTOP, *, enforce_csp=False):
        # axe-core is injected as an inline script, which our CSP forbids: pages
        # are checked with the CSP bypassed, except where a test enforces it
        context = browser.new_context(
            viewport=viewport, base_url=live_server.url, bypass_csp=not enforce_csp
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture(scope="session")
def axe_source():
    require(AXE.exists(), f"axe-core not installed at {AXE} (run `npm ci`)")
    return AXE.read_text()


def axe_violations(page, axe_source):
    """axe-core's WCAG 2.x A and AA violations on the current page, any impact."""
    page.add_script_tag(content=axe_source)
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values:
                ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa']}});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
        }"""
    )
    return result


def page_problems(name, page, axe_source):
    """{name: axe-core's violations, "<name> scrolls sideways": by how much},
    for what the current page has of them (a wide table scrolls in its own
    region instead of the page)."""
    found = {}
    if violations := axe_violations(page, axe_source):
        found[name] = violations
    overflow = page.evaluate(
        "(d => d.scrollWidth - d.clientWidth)(document.documentElement)"
    )
    if overflow > 0:
        found[f"{name} scrolls sideways"] = overflow
    return found


@pytest.fixture
def library(transactional_db):
    """A small library: every stream, two communities, tags, images, a hidden story."""
    from tests.factories import make_community, make_image, make_story

    wa = make_community(name="Harbour Hills Together", slug="harbour-hills", state="WA")
    vic = make_community(name="Geelong Learning Network", slug="geelong", state="VIC")
    stories = {}
    for index, stream in enumerate(
        ["plan", "monitor", "evaluate", "learn", "communicate"]
    ):
        story = make_story(
            title=f"A {stream} story",
            slug=f"a-{stream}-story",
            summary=f"What a backbone learnt in the {stream} stream.",
            body="## What happened\n\nWe met and listened, we **agreed**.\n\n- a\n- b",
            streams=[stream, "learn"] if stream != "learn" else ["learn"],
            tags=["peer support", f"{stream} tag"],
            community=wa if index % 2 else vic,
            year=2020 + index,
            what_worked="Listening first.",
            what_didnt="Long meetings.",
            conditions="Trust built over years.",
            is_featured=index == 0,
        )
        make_image(story, alt_text=f"Illustration for the {stream} story")
        stories[stream] = story
    hidden = make_story(title="Hidden draft story", status="draft", streams=["plan"])
    add_lessons(stories)
    add_collection(stories, hidden)
    return stories


def add_collection(stories, hidden):
    """A published collection of three stories with notes (and a draft one a
    reader never sees)."""
    from tests.factories import make_collection

    collection = make_collection(
        title="Listening first",
        slug="listening-first",
        introduction="Stories of **community voice**, for funders and peers.",
        stories=[stories["plan"], stories["learn"], hidden, stories["communicate"]],
    )
    for item in collection.items.all():
        item.note = f"Why _{item.story.title}_ is here, in a sentence."
        item.save()


def add_lessons(stories):
    """A learning theme with a lesson of every kind from each story."""
    from lessons.models import Kind, Lesson, Theme

    theme = Theme.objects.create(
        name="Trust takes time",
        slug="trust-takes-time",
        description="Relationships come first.\n\nThen the data.",
    )
    for name, story in stories.items():
        for kind in Kind.values:
            lesson = Lesson.objects.create(
                story=story,
                statement=f"A {kind.replace('_', ' ')} lesson from the {name} story.",
                kind=kind,
                stream=story.streams.first(),
            )
            lesson.themes.add(theme)


PASSWORD = "a-long-test-password"  # what tests.factories gives every account


def sign_in(page, email, password=PASSWORD):
    """Sign in through the login page; lands on /me/."""
    from playwright.sync_api import expect

    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_have_text("My stories")


def check_axe(page, axe_source, problems, name):
    """Add the current page's axe violations, if any, to `problems[name]`."""
    if violations := axe_violations(page, axe_source):
        problems[name] = violations


def shoot(page, name, viewport):
    """A full-page screenshot (lazy images loaded), after checking that the
    page doesn't scroll sideways."""
    overflow = page.evaluate(
        "(d => d.scrollWidth - d.clientWidth)(document.documentElement)"
    )
    assert overflow <= 0, f"{name} scrolls sideways at {viewport['width']} px"
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_load_state("networkidle")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}-{viewport['width']}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 5_000
