"""Sign up → approved by the community lead → write a story with live preview and
an image → save the draft → find it on /me/."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import axe_violations
from tests.factories import ensure_streams, make_community, make_member, png_bytes


def test_sign_up_approval_and_first_draft(
    new_page, transactional_db, axe_source, tmp_path
):
    ensure_streams()
    community = make_community(name="Harbour Hills Together", slug="harbour-hills")
    lead = make_member(community, role="lead", email="lead@example.org")

    newcomer = new_page()
    newcomer.goto("/accounts/signup/")
    assert axe_violations(newcomer, axe_source) == []
    newcomer.get_by_label("Name").fill("Ngaire Example")
    newcomer.get_by_label("Email address").fill("ngaire@example.org")
    newcomer.get_by_label("Password", exact=True).fill("kites-over-the-bay-42")
    newcomer.get_by_label("Password again").fill("kites-over-the-bay-42")
    newcomer.get_by_label("Community to join").select_option(
        label="Harbour Hills Together"
    )
    newcomer.get_by_role("button", name="Create my account").click()
    expect(newcomer.locator("h1")).to_have_text("My stories")
    expect(
        newcomer.get_by_text("Your account is waiting for approval.")
    ).to_be_visible()

    leader = new_page()
    leader.goto("/accounts/login/")
    leader.get_by_label("Email address").fill(lead.email)
    leader.get_by_label("Password").fill("a-long-test-password")
    leader.get_by_role("button", name="Sign in").click()
    expect(leader.get_by_text("asks to join")).to_be_visible()
    assert axe_violations(leader, axe_source) == []
    leader.get_by_role("button", name="Approve Ngaire Example").click()
    expect(leader.get_by_text("Ngaire Example was approved.")).to_be_visible()

    newcomer.reload()
    newcomer.get_by_role("link", name="Share a story").first.click()
    expect(newcomer.locator("h1")).to_have_text("Share a story")
    assert axe_violations(newcomer, axe_source) == []
    newcomer.get_by_label("Title").fill("Parent Cafe in a box")
    newcomer.get_by_label("Summary").fill("A kit that got parents, and dads, talking.")
    newcomer.get_by_label("The story").fill(
        "## How it started\n\nWe **opened the box**."
    )
    preview = newcomer.locator(".markdownx-preview")
    expect(preview.locator("strong")).to_have_text("opened the box")
    expect(preview.locator("h2")).to_have_text("How it started")
    newcomer.get_by_label("Plan").first.check()
    newcomer.get_by_role("group", name="Primary stream").get_by_label("Plan").check()
    newcomer.get_by_label("Tags").fill("peer support, fathers")
    picture = tmp_path / "cafe.png"
    picture.write_bytes(png_bytes((120, 80), "#a3234f"))
    newcomer.get_by_label("Cover image", exact=True).set_input_files(str(picture))
    newcomer.get_by_label("Cover image: alt text").fill("A red card on a table")
    newcomer.get_by_label("Cover image: credit").fill("Photo: Ngaire")
    newcomer.get_by_role("button", name="Save draft").click()

    expect(newcomer).to_have_url(re.compile(r"/me/$"))
    expect(
        newcomer.get_by_text("Draft of “Parent Cafe in a box” saved.")
    ).to_be_visible()
    newcomer.get_by_role("link", name="Parent Cafe in a box", exact=True).click()
    expect(newcomer.locator("h1")).to_have_text("Parent Cafe in a box")
    expect(newcomer.get_by_role("img", name="A red card on a table")).to_be_visible()
    assert axe_violations(newcomer, axe_source) == []
