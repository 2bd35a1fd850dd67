"""The pages work under our Content-Security-Policy, enforced by Chromium:
no violation on any page, and the editor's live preview still works."""

from playwright.sync_api import expect

from tests.factories import make_member, make_story


def test_no_page_breaks_the_policy_and_the_editor_works(new_page, library):
    community = library["plan"].community
    make_member(community, email="writer@example.org")
    draft = make_story(status="draft", community=community, slug="a-draft")
    page = new_page(enforce_csp=True)
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill("writer@example.org")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_have_text("My stories")
    for url in ["/", "/stories/", "/streams/plan/", "/stories/a-plan-story/",
                "/communities/", f"/tags/{library['plan'].tags.first().slug}/",
                f"/stories/{draft.slug}/"]:  # fmt: skip
        page.goto(url)
        expect(page.locator("h1")).to_be_visible()
    page.goto("/stories/new/")
    page.get_by_label("The story").fill("Some **bold** words")
    expect(page.locator(".markdownx-preview strong")).to_have_text("bold")
    assert violations == []
