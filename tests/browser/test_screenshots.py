"""Screenshots of the demo library at both widths, for a person to look at.

Saved to screenshots/ (or $P2S_SCREENSHOTS); not committed. This test loads the
demo content because it checks the demo itself.
"""

import pytest

from tests.browser.conftest import DESKTOP, MOBILE, SCREENSHOTS, axe_violations

SHOTS = {
    "home": "/",
    "stream": "/streams/plan/",
    "browse": "/stories/",
}


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1280px", "375px"])
def test_demo_pages_screenshots_and_accessibility(
    new_page, transactional_db, axe_source, viewport
):
    from demo.load import load_demo
    from stories.models import Story
    from tests.factories import ensure_streams

    ensure_streams()
    load_demo()
    story = Story.objects.visible_to(None).filter(is_featured=True).first()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = new_page(viewport)
    problems = {}
    for name, url in {**SHOTS, "story": story.get_absolute_url()}.items():
        response = page.goto(url)
        assert response.status == 200, url
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")  # lazy images
        page.wait_for_load_state("networkidle")
        path = SCREENSHOTS / f"{name}-{viewport['width']}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 10_000
        violations = axe_violations(page, axe_source)
        if violations:
            problems[url] = violations
    assert problems == {}
