"""The printable assessment, as Chromium prints it on A4: a summary page,
then each stream on a page of its own, even with long evidence. And the
results page's wheel is drawn without JavaScript."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.factories import (
    ensure_framework,
    make_assessment,
    make_community,
    make_member,
)

EVIDENCE = " ".join(["We met with partners and families to agree the next step."] * 9)


def pages_in(pdf):
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def test_the_print_view_gives_each_stream_one_a4_page(
    new_page, live_server, transactional_db
):
    ensure_framework()
    community = make_community(name="Harbour Hills Together")
    lead = make_member(community, role="lead", email="lead@example.org")
    assessment = make_assessment(
        community,
        lead=lead,
        levels=3,
        targets={"A shared agenda": 4},
        evidence=EVIDENCE,  # shortened in print, on the page in full
        close=True,
    )
    page = new_page()
    sign_in(page, "lead@example.org")
    page.goto(f"/assessments/{assessment.pk}/print/")
    expect(page.locator("h1")).to_have_text(assessment.title)
    expect(page.locator(".document__stream")).to_have_count(5)
    pdf = page.pdf(prefer_css_page_size=True)
    assert pages_in(pdf) == 1 + 5


def test_the_wheel_is_drawn_with_javascript_off(browser, live_server, transactional_db):
    ensure_framework()
    community = make_community(name="Harbour Hills Together")
    lead = make_member(community, role="lead", email="lead@example.org")
    assessment = make_assessment(community, lead=lead, levels=2, close=True)
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in(page, "lead@example.org")
        page.goto(assessment.get_absolute_url())
        wheel = page.locator("figure.standing-wheel svg")
        expect(wheel).to_be_visible()
        expect(wheel.locator("path")).to_have_count(10)  # ring and fill, five times
        assert wheel.bounding_box()["width"] > 200
    finally:
        context.close()
