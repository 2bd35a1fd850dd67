"""Member submits → core team requests changes → member edits and resubmits →
core team sends for sign-off → lead signs off → core team publishes → the story
is on its stream page, its tag page and in browse. axe-core on every new page."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import MOBILE, check_axe, sign_in
from tests.factories import ensure_streams, make_community, make_core, make_member

TITLE = "Dads at the footy playgroup"


def action_name(label):
    """An action button's name: its label, then the story's title for screen
    readers (in a visually hidden span)."""
    return re.compile(rf"^{re.escape(label)}\s*: {re.escape(TITLE)}$")


def test_a_story_goes_from_submission_to_publication(
    new_page, transactional_db, axe_source
):
    ensure_streams()
    community = make_community(name="Harbour Hills Together", slug="harbour-hills")
    make_member(community, name="Morgan Member", email="member@example.org")
    make_member(community, role="lead", name="Lee Lead", email="lead@example.org")
    make_core(name="Casey Core", email="core@example.org")
    problems = {}

    # the member writes and submits
    member = new_page()
    sign_in(member, "member@example.org")
    member.goto("/stories/new/")
    member.get_by_label("Title").fill(TITLE)
    member.get_by_label("Summary").fill(
        "Saturday mornings at the club brought dads in."
    )
    member.get_by_label("The story").fill("The club opened its rooms on Saturdays.")
    member.get_by_label("Learn").first.check()
    member.get_by_role("group", name="Primary stream").get_by_label("Learn").check()
    member.get_by_label("Tags").fill("Fathers, sport")
    member.get_by_label(re.compile("consent", re.I)).check()
    member.get_by_role("button", name="Submit to the core team").click()
    expect(
        member.get_by_text(f"“{TITLE}” is submitted to the core team.")
    ).to_be_visible()

    # the core team finds it in the queue, claims it and asks for changes
    core = new_page()
    sign_in(core, "core@example.org")
    core.goto("/moderation/")
    check_axe(core, axe_source, problems, "queue")
    core.get_by_role("link", name=TITLE).click()
    expect(core.locator("h1")).to_have_text(TITLE)
    core.get_by_role("button", name="I'm reviewing this").click()
    expect(core.get_by_text("Being reviewed by")).to_be_visible()
    check_axe(core, axe_source, problems, "review")
    core.get_by_label("Note", exact=True).first.fill("Please say what the dads said.")
    core.get_by_role("button", name=action_name("Request changes")).click()
    expect(core.get_by_text("Done: request changes")).to_be_visible()

    # the member sees the note on /me/, edits and resubmits
    member.goto("/me/")
    expect(member.get_by_text("Please say what the dads said.")).to_be_visible()
    check_axe(member, axe_source, problems, "me with changes requested")
    member.get_by_role("link", name=TITLE).first.click()
    expect(member.locator("h1")).to_have_text(f"Edit “{TITLE}”")
    member.get_by_label("The story").fill(
        "The club opened its rooms on Saturdays.\n\nOne dad said: *we belong here*."
    )
    member.get_by_role("button", name="Submit to the core team").click()
    expect(member.get_by_text("is submitted to the core team")).to_be_visible()

    # the core team sees the change between revisions and sends it for sign-off
    core.goto("/moderation/")
    core.get_by_role("link", name=TITLE).click()
    core.get_by_role("button", name="Compare the chosen revisions").click()
    expect(core.locator(".diff ins").first).to_contain_text("we belong here")
    core.get_by_role("button", name=action_name("Send for sign-off")).click()
    expect(core.get_by_text("Done: send for sign-off")).to_be_visible()

    # the lead signs it off from /me/
    lead = new_page(MOBILE)
    sign_in(lead, "lead@example.org")
    expect(
        lead.get_by_role("heading", name="Waiting for your sign-off")
    ).to_be_visible()
    check_axe(lead, axe_source, problems, "me with a sign-off, 375px")
    lead.get_by_label("Note (optional)").fill("The community is proud of this.")
    lead.get_by_role("button", name=action_name("Sign off")).click()
    expect(lead.get_by_text("Done: sign off")).to_be_visible()

    # the core team publishes, from the confirmation page this time
    core.goto("/moderation/?state=approved")
    core.get_by_role("link", name=TITLE).click()
    expect(core.get_by_role("button", name=action_name("Publish"))).to_be_visible()
    core.goto(core.url + "do/publish/")
    check_axe(core, axe_source, problems, "publish confirmation")
    core.get_by_role("button", name=action_name("Publish")).click()
    expect(core.get_by_text("Done: publish")).to_be_visible()
    expect(core.get_by_role("cell", name="Published", exact=True).first).to_be_visible()

    # anyone now finds it on its stream page, its tag page and in browse
    visitor = new_page()
    for url in ["/streams/learn/", "/tags/fathers/", "/stories/"]:
        visitor.goto(url)
        expect(visitor.get_by_role("link", name=TITLE)).to_be_visible()
    visitor.get_by_role("link", name=TITLE).click()
    expect(visitor.locator("h1")).to_have_text(TITLE)
    expect(visitor.locator("em", has_text="we belong here")).to_be_visible()
    assert problems == {}
