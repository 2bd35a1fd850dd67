"""The header and browse at 1280 and 375 px (issue 22, point 5).

At 375 px the header is one row, the brand and a Menu button (a <details>:
it opens and closes by keyboard, and without JavaScript); at 1280 px a core
team member's header fits one row, the streams dropping down from
"Streams". On browse at 375 px the filters fold behind "Filter", so the first
story is on the first screen; with JavaScript a chosen filter applies at
once and the address carries only it. Screenshots of both at both widths go
to screenshots/."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import (
    DESKTOP,
    MOBILE,
    SCREENSHOTS,
    check_axe,
    sign_in,
)
from tests.factories import make_community, make_core


def shoot(page, name, *, header_only=False):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    if header_only:
        page.locator(".site-header").screenshot(path=str(path))
    else:
        page.screenshot(path=str(path))
    assert path.stat().st_size > 2_000


def box(page, selector):
    return page.locator(selector).first.bounding_box()


def outline_of_focus(page):
    return page.evaluate(
        """() => { const s = getComputedStyle(document.activeElement);
                   return [s.outlineStyle, parseFloat(s.outlineWidth)]; }"""
    )


def assert_one_row(page):
    """Every item of the header sits in one row, none past its edge."""
    header = box(page, ".site-header")
    assert header["height"] <= 72, header
    items = page.evaluate(
        """() => [...document.querySelectorAll(
                '.brand, .site-nav > ul > li, .account-nav li, .menu__button')]
            .filter(e => e.checkVisibility())
            .map(e => { const r = e.getBoundingClientRect();
                        const text = (e.querySelector('summary') || e).textContent;
                        return [text.trim().replace(/\\s+/g, ' ').slice(0, 20),
                                r.top, r.bottom, r.left, r.right]; })"""
    )
    middle = header["height"] / 2
    inner = box(page, ".site-header__inner")
    for name, top, bottom, _, right in items:
        assert top < middle < bottom, (name, top, bottom)
        assert right <= inner["x"] + inner["width"], (name, right)
    lefts = [left for _, _, _, left, _ in items]
    assert lefts == sorted(lefts)  # side by side, in their order
    for (a, _, _, _, a_right), (b, _, _, b_left, _) in zip(
        items, items[1:], strict=False
    ):
        assert a_right <= b_left, (a, b)
    return [name for name, *_ in items]


# The header at 375 px ---------------------------------------------------------


def test_at_375_the_header_is_one_row_and_its_menu_works_by_keyboard(
    new_page, library, axe_source
):
    make_core(email="core@example.org")
    page = new_page(MOBILE)
    sign_in(page, "core@example.org")
    page.goto("/stories/")
    assert assert_one_row(page) == ["Pathway to Scale Int", "Menu"]
    menu = page.locator("details.menu")
    button = page.locator("summary.menu__button")
    main_nav = page.get_by_role("navigation", name="Main")
    expect(main_nav).to_be_hidden()
    expect(page.get_by_role("navigation", name="Account")).to_be_hidden()
    shoot(page, "header-375", header_only=True)
    problems = {}
    check_axe(page, axe_source, problems, "menu closed")

    # Tab: the skip link, the brand, then the Menu button, its focus visible
    for _ in range(3):
        page.keyboard.press("Tab")
    expect(button).to_be_focused()
    style, width = outline_of_focus(page)
    assert style == "solid" and width >= 2
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("open", "")
    expect(main_nav).to_be_visible()
    # the streams are listed in the menu, no second button to open
    expect(page.locator(".nav-group__button")).to_be_hidden()
    for name in ["Stories", "Plan", "Communicate", "Synthesis", "Self-assessment"]:
        expect(main_nav.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="My stories")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.keyboard.press("Tab")
    expect(main_nav.get_by_role("link", name="Stories", exact=True)).to_be_focused()
    page.keyboard.press("Tab")
    expect(main_nav.get_by_role("link", name="Plan")).to_be_focused()
    # the menu pushes the page down rather than covering it
    assert (
        box(page, "main")["y"]
        >= box(page, ".menu__panel")["y"] + box(page, ".menu__panel")["height"]
    )
    check_axe(page, axe_source, problems, "menu open")
    shoot(page, "header-375-menu-open")

    # Escape closes it and gives the focus back to its button
    page.keyboard.press("Escape")
    expect(menu).not_to_have_attribute("open", "")
    expect(button).to_be_focused()
    expect(main_nav).to_be_hidden()
    page.keyboard.press("Space")
    expect(main_nav).to_be_visible()
    page.keyboard.press("Enter")
    expect(main_nav).to_be_hidden()

    # a link in it takes the reader on
    button.click()
    main_nav.get_by_role("link", name="Learn").click()
    expect(page.locator("h1")).to_have_text("Learn")
    expect(main_nav).to_be_hidden()  # closed again on the new page
    assert problems == {}


def test_at_375_the_menu_opens_and_closes_without_javascript(
    browser, live_server, library
):
    context = browser.new_context(
        viewport=MOBILE, java_script_enabled=False, base_url=live_server.url
    )
    try:
        page = context.new_page()
        page.goto("/")
        main_nav = page.get_by_role("navigation", name="Main")
        button = page.locator("summary.menu__button")
        expect(main_nav).to_be_hidden()
        button.click()
        expect(main_nav).to_be_visible()
        expect(page.get_by_role("link", name="Sign in")).to_be_visible()
        button.click()
        expect(main_nav).to_be_hidden()
        # by keyboard too
        button.focus()
        page.keyboard.press("Enter")
        expect(main_nav).to_be_visible()
        page.keyboard.press("Tab")
        expect(main_nav.get_by_role("link", name="Stories", exact=True)).to_be_focused()
        page.keyboard.press("Enter")
        expect(page.locator("h1")).to_have_text("Browse stories")
        expect(page).to_have_url(re.compile(r"/stories/$"))
    finally:
        context.close()


# The header at 1280 px -------------------------------------------------------


def test_at_1280_a_core_team_members_header_fits_one_row(new_page, library, axe_source):
    core = make_core(email="core@example.org")
    core.memberships.create(community=make_community())  # so offered "Share a story"
    page = new_page(DESKTOP)
    sign_in(page, "core@example.org")
    for url in ["/stories/", "/me/", "/streams/plan/", "/synthesis/", "/themes/"]:
        page.goto(url)
        names = assert_one_row(page)
        assert names == [
            "Pathway to Scale Int",
            "Stories",
            "Streams",
            "Communities",
            "Themes",
            "Collections",
            "Synthesis",
            "Self-assessment",
            "Practice",
            "My stories",
            "Share a story",
            "Sign out",
        ], url
    expect(page.locator("summary.menu__button")).to_be_hidden()
    shoot(page, "header-1280", header_only=True)
    problems = {}
    check_axe(page, axe_source, problems, "header")

    # the streams drop down from their button, by keyboard
    header = page.locator(".site-header")
    streams = page.locator("summary.nav-group__button")
    plan = header.get_by_role("link", name="Plan", exact=True)
    expect(plan).to_be_hidden()
    streams.focus()
    style, width = outline_of_focus(page)
    assert style == "solid" and width >= 2
    page.keyboard.press("Enter")
    expect(plan).to_be_visible()
    page.keyboard.press("Tab")
    expect(plan).to_be_focused()
    style, width = outline_of_focus(page)
    assert style == "solid" and width >= 2
    check_axe(page, axe_source, problems, "streams open")
    shoot(page, "header-1280-streams-open")
    page.keyboard.press("Escape")
    expect(plan).to_be_hidden()
    expect(streams).to_be_focused()
    # a click elsewhere closes them too; the Tab key past them as well
    streams.click()
    expect(plan).to_be_visible()
    page.locator("h1").click()
    expect(plan).to_be_hidden()
    streams.click()
    for _ in range(5):
        page.keyboard.press("Tab")  # Plan … Communicate
    page.keyboard.press("Tab")
    expect(header.get_by_role("link", name="Communities")).to_be_focused()
    expect(plan).to_be_hidden()
    # a stream page marks its place in the header
    page.goto("/streams/evaluate/")
    streams.click()
    expect(header.get_by_role("link", name="Evaluate", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    header.get_by_role("link", name="Learn", exact=True).click()
    expect(page.locator("h1")).to_have_text("Learn")
    assert problems == {}


def csp_violations(page):
    """The Content-Security-Policy violations the page reports, as they come."""
    found = []
    page.on(
        "console",
        lambda message: (
            found.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return found


def test_at_1280_a_visitors_header_fits_one_row_its_script_under_the_csp(
    new_page, library
):
    page = new_page(DESKTOP, enforce_csp=True)
    violations = csp_violations(page)
    page.goto("/")
    assert assert_one_row(page)[-2:] == ["Sign in", "Join"]
    streams = page.locator("summary.nav-group__button")
    monitor = page.locator(".site-header").get_by_role("link", name="Monitor")
    streams.click()
    expect(monitor).to_be_visible()
    page.keyboard.press("Escape")  # static/js/menus.js, allowed by script-src
    expect(monitor).to_be_hidden()
    expect(streams).to_be_focused()
    assert violations == []


# Browse -----------------------------------------------------------------------


def test_at_375_browse_shows_the_first_story_and_a_chosen_filter_applies(
    new_page, library, axe_source
):
    page = new_page(MOBILE)
    page.goto("/stories/")
    card = page.locator(".card-grid .card").first
    title = card.locator(".card__title")
    expect(title).to_have_text("A communicate story")
    assert (
        title.bounding_box()["y"] + title.bounding_box()["height"] <= MOBILE["height"]
    )
    stream = page.get_by_label("Stream", exact=True)
    expect(stream).to_be_hidden()
    problems = {}
    check_axe(page, axe_source, problems, "browse, filters folded")
    shoot(page, "browse-filters-folded-375")

    page.locator("summary.filters__toggle").click()
    expect(stream).to_be_visible()
    expect(
        page.get_by_text(
            "A filter you choose applies at once; the button runs your search."
        )
    ).to_be_visible()
    # the states with no story are marked and can't be chosen
    tasmania = page.locator('#id_state option[value="TAS"]')
    expect(tasmania).to_have_text("Tasmania (0)")
    expect(tasmania).to_be_disabled()
    expect(page.locator('#id_state option[value="WA"]')).to_be_enabled()
    check_axe(page, axe_source, problems, "browse, filters open")
    shoot(page, "browse-filters-open-375")

    # chosen, a filter applies without a button; the address holds it alone
    stream.select_option("monitor")
    expect(page).to_have_url(re.compile(r"/stories/\?stream=monitor$"))
    expect(page.locator(".results__heading")).to_have_text("1 story")
    expect(page.locator("summary.filters__toggle")).to_have_text(
        re.compile(r"Filter\s+\(1 chosen\)")
    )
    expect(stream).to_be_hidden()  # folded again, the story first
    title = page.locator(".card-grid .card__title").first
    expect(title).to_have_text("A monitor story")
    assert (
        title.bounding_box()["y"] + title.bounding_box()["height"] <= MOBILE["height"]
    )
    page.locator("summary.filters__toggle").click()
    page.get_by_label("Year of the work").select_option("2021")
    expect(page).to_have_url(re.compile(r"/stories/\?stream=monitor&year=2021$"))
    expect(page.locator(".results__heading")).to_have_text("1 story")
    check_axe(page, axe_source, problems, "browse, filtered")
    assert problems == {}


def test_at_1280_the_filters_stand_open_and_a_search_sends_only_itself(
    new_page, library, axe_source
):
    page = new_page(DESKTOP)
    page.goto("/stories/")
    expect(page.locator("summary.filters__toggle")).to_be_hidden()
    expect(page.get_by_label("Stream", exact=True)).to_be_visible()
    shoot(page, "browse-filters-1280")
    problems = {}
    check_axe(page, axe_source, problems, "browse")
    page.get_by_label("Search the stories").fill("listened")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/stories/\?q=listened$"))
    page.get_by_label("Learning theme").select_option("trust-takes-time")
    expect(page).to_have_url(
        re.compile(r"/stories/\?q=listened&theme=trust-takes-time$")
    )
    expect(
        page.get_by_role("link", name=re.compile("^Learning theme: Trust"))
    ).to_be_visible()
    check_axe(page, axe_source, problems, "browse, searched and filtered")
    assert problems == {}


def test_a_filter_chosen_with_the_arrow_keys_applies_on_enter(new_page, library):
    page = new_page(DESKTOP, enforce_csp=True)
    violations = csp_violations(page)
    page.goto("/stories/")
    stream = page.get_by_label("Stream", exact=True)
    stream.focus()
    page.keyboard.press("ArrowDown")  # All streams → Plan, not yet applied
    page.keyboard.press("ArrowDown")  # → Monitor
    page.wait_for_timeout(300)
    expect(page).to_have_url(re.compile(r"/stories/$"))
    expect(stream).to_have_value("monitor")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/stories/\?stream=monitor$"))
    expect(page.locator(".results__heading")).to_have_text("1 story")
    expect(stream).to_be_focused()  # where the reader was
    # leaving the field applies the choice too
    page.keyboard.press("ArrowUp")  # → Plan
    page.keyboard.press("Tab")
    expect(page).to_have_url(re.compile(r"/stories/\?stream=plan$"))
    expect(page.locator(".results__heading")).to_have_text("1 story")
    assert violations == []


def test_back_shows_the_filters_of_the_page_it_returns_to(new_page, library):
    page = new_page(DESKTOP)
    page.goto("/stories/?stream=learn")
    page.get_by_label("State or territory").select_option("WA")
    expect(page).to_have_url(re.compile(r"\?stream=learn&state=WA$"))
    page.go_back()
    expect(page).to_have_url(re.compile(r"\?stream=learn$"))
    expect(page.get_by_label("State or territory")).to_have_value("")
    expect(page.get_by_label("Stream", exact=True)).to_have_value("learn")
