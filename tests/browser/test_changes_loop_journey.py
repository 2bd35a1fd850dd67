"""The changes-requested loop, at 1280 and 375 px: the core team asks for
changes; the author finds them first on /me/, with an Edit button; the edit
page shows the note at the top; the author resubmits with a reply, which the
core team reads on the review page and in its history; the lead signs off
from /me/. The review page's destructive action looks different and asks for
confirmation. axe-core on every page, and a screenshot of each."""

import re

import pytest
from playwright.sync_api import expect

from stories.services import record_revision, snapshot_of
from tests.browser.conftest import DESKTOP, MOBILE, check_axe, shoot, sign_in
from tests.factories import (
    ensure_streams,
    make_community,
    make_core,
    make_image,
    make_member,
    make_story,
)

TITLE = "Dads at the footy playgroup"
NOTE = "Please say what the dads said."
REPLY = "Added what two dads told us, with their consent."


def named(label):
    return re.compile(rf"^{re.escape(label)}\s*: {re.escape(TITLE)}$")


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1280px", "375px"])
def test_changes_are_asked_answered_and_signed_off(
    new_page, transactional_db, axe_source, viewport
):
    ensure_streams()
    community = make_community(name="Harbour Hills Together", slug="harbour-hills")
    author = make_member(community, name="Morgan Member", email="member@example.org")
    make_member(community, role="lead", name="Lee Lead", email="lead@example.org")
    make_core(name="Casey Core", email="core@example.org")
    story = make_story(
        title=TITLE, slug="dads", status="submitted", community=community,
        consent=True, body="The club opened its rooms on Saturdays.",
        streams=["learn", "plan"], tags=["fathers"], what_worked="Coffee.",
    )  # fmt: skip
    story.authors.add(author)
    record_revision(story, author, snapshot_of(story))  # as submitted
    make_image(story, alt_text="Dads and toddlers on the oval", credit="Photo: Sam")
    problems = {}

    # the core team sees the whole story, and asks for changes
    core = new_page(viewport)
    sign_in(core, "core@example.org")
    core.goto("/moderation/dads/")
    core.get_by_role("button", name="I'm reviewing this").click()
    preview = core.locator(".review-preview")
    cover = preview.get_by_role("img", name="Dads and toddlers on the oval")
    expect(cover).to_be_visible()
    expect(preview.get_by_text("Photo: Sam").first).to_be_visible()
    expect(preview.get_by_text("Its authors confirmed:")).to_be_visible()
    reject = core.get_by_role("button", name=named("Reject"))
    colour = reject.evaluate("button => getComputedStyle(button).backgroundColor")
    assert colour == "rgb(179, 38, 30)"  # red, unlike every other action
    check_axe(core, axe_source, problems, "review")
    shoot(core, "review-submitted", viewport)
    core.get_by_label("Note", exact=True).first.fill(NOTE)
    core.get_by_role("button", name=named("Request changes")).click()
    expect(core.get_by_text("Done: request changes")).to_be_visible()

    # the author finds it first on /me/, with its Edit button
    member = new_page(viewport)
    sign_in(member, "member@example.org")
    first = member.locator("main h2").first
    expect(first).to_have_text(re.compile(r"^Needs your action"))
    expect(member.locator(".needs-action blockquote")).to_have_text(NOTE)
    check_axe(member, axe_source, problems, "me with changes requested")
    shoot(member, "me-changes-requested", viewport)
    member.get_by_role("link", name=named("Edit")).click()

    # the edit page shows the note at the top, and the reply goes with Submit
    expect(member.locator("h1")).to_have_text(f"Edit “{TITLE}”")
    note = member.locator(".changes-request")
    expect(note).to_contain_text(NOTE)
    assert note.bounding_box()["y"] < member.get_by_label("Title").bounding_box()["y"]
    check_axe(member, axe_source, problems, "edit with the core team's note")
    shoot(member, "edit-changes-requested", viewport)
    member.get_by_label("The story").fill(
        "The club opened its rooms on Saturdays.\n\nOne dad said: *we belong here*."
    )
    member.get_by_label("Your reply to the core team (optional)").fill(REPLY)
    member.get_by_role("button", name="Submit to the core team").click()
    expect(member.get_by_text("is submitted to the core team")).to_be_visible()

    # the core team reads the reply on the review page and in the history
    core.goto("/moderation/dads/")
    exchange = core.locator(".exchange")
    expect(exchange).to_contain_text(NOTE)
    expect(exchange).to_contain_text(REPLY)
    expect(core.get_by_role("cell", name=REPLY)).to_be_attached()
    core.get_by_role("button", name="Compare the chosen revisions").click()
    expect(core.locator(".diff ins").first).to_contain_text("we belong here")
    check_axe(core, axe_source, problems, "review with the reply and the diff")
    shoot(core, "review-reply-and-diff", viewport)
    core.get_by_role("button", name=named("Send for sign-off")).click()
    expect(core.get_by_text("Done: send for sign-off")).to_be_visible()
    expect(core.locator(".claim")).to_contain_text("Being reviewed by Casey Core")

    # the lead signs it off from /me/, its first section
    lead = new_page(viewport)
    sign_in(lead, "lead@example.org")
    expect(lead.locator(".needs-action")).to_contain_text("Waiting for your sign-off")
    check_axe(lead, axe_source, problems, "me with a sign-off")
    shoot(lead, "me-sign-off", viewport)
    lead.get_by_role("button", name=named("Sign off")).click()
    expect(lead.get_by_text("Done: sign off")).to_be_visible()
    expect(lead.locator(".needs-action")).to_have_count(0)
    assert problems == {}


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1280px", "375px"])
def test_withdrawing_asks_for_confirmation_first(
    new_page, transactional_db, axe_source, viewport
):
    ensure_streams()
    community = make_community(name="Harbour Hills Together", slug="harbour-hills")
    author = make_member(community, email="member@example.org")
    story = make_story(title=TITLE, slug="dads", status="submitted",
                       community=community, consent=True)  # fmt: skip
    story.authors.add(author)
    problems = {}
    member = new_page(viewport)
    sign_in(member, "member@example.org")
    member.goto("/moderation/dads/")
    member.get_by_role("button", name=named("Withdraw")).click()  # not ticked
    expect(member.get_by_role("alert")).to_contain_text("Tick the box to confirm")
    expect(member.get_by_text("The story is submitted.")).to_be_visible()
    check_axe(member, axe_source, problems, "withdraw, not confirmed")
    shoot(member, "withdraw-confirm", viewport)
    member.get_by_label(re.compile("^Yes, withdraw this story")).check()
    member.get_by_role("button", name=named("Withdraw")).click()
    expect(member.get_by_text("Done: withdraw")).to_be_visible()
    story.refresh_from_db()
    assert story.status == "withdrawn"
    assert problems == {}
