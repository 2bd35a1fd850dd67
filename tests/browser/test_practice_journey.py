"""A community of practice in a real browser: a member asks to join by the
keyboard, the facilitator approves; every page of it at both widths with no
axe-core violation and no sideways scroll on a phone."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, MOBILE, page_problems
from tests.browser.test_accessibility import sign_in


@pytest.fixture
def practice(transactional_db):
    from spaces.models import Space, SpaceMember, SpaceRole
    from tests.factories import make_user

    space = Space.objects.create(
        name="Strategic learning and evaluation",
        slug="learning",
        purpose="For evaluation specialists.\n\nWe meet monthly by video link-up.",
    )
    facilitator = make_user(email="fran@example.org", name="Fran Facilitator")
    SpaceMember.objects.create(
        space=space, user=facilitator, role=SpaceRole.FACILITATOR
    )
    make_user(email="asha@example.org", name="Asha Asker")
    return space


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1280px", "375px"])
def test_asking_to_join_and_being_let_in(new_page, practice, axe_source, viewport):
    problems = {}

    def check(name, page):
        problems.update(page_problems(name, page, axe_source))

    asker = new_page(viewport)
    sign_in(asker, "asha@example.org")
    asker.goto("/practice/")
    expect(asker.locator("h1")).to_have_text("Communities of practice")
    check("list", asker)
    asker.get_by_role("link", name="Strategic learning and evaluation").click()
    check("outside", asker)
    note = asker.get_by_label("A note to the facilitators (optional)")
    note.focus()
    note.press_sequentially("I evaluate playgroups.")
    asker.keyboard.press("Tab")
    expect(asker.get_by_role("button", name="Ask to join")).to_be_focused()
    asker.keyboard.press("Enter")
    expect(asker.get_by_text("Your request to join")).to_be_visible()
    check("asked", asker)

    facilitator = new_page(viewport)
    sign_in(facilitator, "fran@example.org")
    facilitator.goto("/practice/learning/")
    expect(facilitator.get_by_text("I evaluate playgroups.")).to_be_visible()
    check("deciding", facilitator)
    facilitator.get_by_role("button", name="Approve Asha Asker").click()
    expect(facilitator.get_by_text("Asha Asker is now a member")).to_be_visible()

    asker.goto("/practice/learning/")
    expect(asker.get_by_role("heading", name="Members (2)")).to_be_visible()
    check("inside", asker)
    assert problems == {}
