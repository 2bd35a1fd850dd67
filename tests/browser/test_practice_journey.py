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


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1280px", "375px"])
def test_planning_a_session_that_each_state_reads_in_its_own_time(
    new_page, practice, axe_source, viewport
):
    """The facilitator in Perth plans a session at 9:30 am their time by the
    keyboard; a member in Sydney reads it at 12:30 pm daylight time, opens
    the time in every state, and finds the video link and calendar file."""
    from communities.models import State
    from spaces.models import SpaceMember
    from tests.factories import make_community, make_member

    perth = make_member(
        make_community(state=State.WA), email="wen@example.org", name="Wen West"
    )
    SpaceMember.objects.create(space=practice, user=perth, role="facilitator")
    sydney = make_member(
        make_community(state=State.NSW), email="sid@example.org", name="Sid East"
    )
    SpaceMember.objects.create(space=practice, user=sydney)
    problems = {}

    def check(name, page):
        problems.update(page_problems(name, page, axe_source))

    planner = new_page(viewport)
    sign_in(planner, "wen@example.org")
    planner.goto("/practice/learning/")
    check("space-empty", planner)
    planner.get_by_role("link", name="Plan a session").click()
    expect(planner.locator("h1")).to_have_text("Plan a session")
    expect(planner.get_by_label("In the time of")).to_have_value("Australia/Perth")
    check("session-form", planner)
    planner.get_by_label("Title").fill("Measures that last")
    planner.get_by_label("Day").fill("02/02/2027")
    planner.get_by_label("Time", exact=True).fill("25:00")
    planner.get_by_label("Video link (optional)").fill("https://meet.example.org/m")
    planner.get_by_label("Agenda (optional)").fill("1. Welcome\n2. Our measures")
    planner.get_by_role("button", name="Plan the session").press("Enter")
    # the mistake is named beside its field; what was typed stays
    expect(
        planner.get_by_text("Enter the time like 09:30 or 2:30 pm.").first
    ).to_be_visible()
    expect(planner.get_by_label("Title")).to_have_value("Measures that last")
    check("session-form-error", planner)
    planner.get_by_label("Time", exact=True).fill("9:30 am")
    planner.get_by_role("button", name="Plan the session").press("Enter")
    expect(planner.locator("h1")).to_have_text("Measures that last")
    expect(planner.locator(".session-when")).to_contain_text(
        "Tuesday 2 February 2027, 9:30 am to 10:30 am AWST"
    )

    reader = new_page(viewport)
    sign_in(reader, "sid@example.org")
    reader.goto("/practice/learning/")
    reader.get_by_role("link", name="Measures that last").click()
    expect(reader.locator(".session-when")).to_contain_text("12:30 pm to 1:30 pm AEDT")
    summary = reader.get_by_text("The time in every state")
    summary.focus()
    reader.keyboard.press("Enter")
    expect(reader.get_by_role("row", name="Perth (Western Australia)")).to_contain_text(
        "9:30 am to 10:30 am AWST"
    )
    expect(
        reader.get_by_role("link", name="Join the video link-up for Measures that last")
    ).to_have_attribute("href", "https://meet.example.org/m")
    with reader.expect_download() as download:
        reader.get_by_role("link", name="Add to your calendar (.ics)").click()
    assert download.value.suggested_filename == "learning-2027-02-02.ics"
    expect(reader.get_by_role("link", name="Edit the session")).to_have_count(0)
    check("session", reader)
    assert problems == {}


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1280px", "375px"])
def test_sharing_a_file_and_finding_it_by_search(
    new_page, practice, axe_source, viewport, tmp_path
):
    """A member shares a CSV with its stream and tags, a refused file first;
    another member finds it by a word and by its tag, and downloads it."""
    from spaces.models import SpaceMember
    from tests.factories import ensure_streams, make_user

    ensure_streams()
    for email, name in [("ines@example.org", "Ines"), ("otto@example.org", "Otto")]:
        SpaceMember.objects.create(
            space=practice, user=make_user(email=email, name=name)
        )
    problems = {}

    def check(name, page):
        problems.update(page_problems(name, page, axe_source))

    program = tmp_path / "tool.pdf"
    program.write_bytes(b"MZ\x90\x00 a program")
    table = tmp_path / "measures.csv"
    table.write_text("measure,since\nattendance,2019\n")
    sharer = new_page(viewport)
    sign_in(sharer, "ines@example.org")
    sharer.goto("/practice/learning/")
    sharer.get_by_role("link", name="Share a resource").first.click()
    expect(sharer.locator("h1")).to_have_text("Share a resource")
    check("resource-form", sharer)
    sharer.get_by_label("Title").fill("Measures we kept")
    sharer.get_by_label("Stream").select_option(label="Evaluate")
    sharer.get_by_label("Tags (optional)").fill("shared measurement, data")
    sharer.get_by_label("File").set_input_files(str(program))
    sharer.get_by_role("button", name="Share it").press("Enter")
    expect(sharer.locator("#id_file_error")).to_contain_text("can't be shared here")
    expect(sharer.get_by_label("Title")).to_have_value("Measures we kept")
    check("resource-form-error", sharer)
    sharer.get_by_label("File").set_input_files(str(table))
    sharer.get_by_role("button", name="Share it").press("Enter")
    expect(sharer.get_by_text("“Measures we kept” is shared.")).to_be_visible()

    reader = new_page(viewport)
    sign_in(reader, "otto@example.org")
    reader.goto("/practice/learning/resources/")
    search = reader.get_by_label("Words to look for")
    search.fill("measures")
    search.press("Enter")
    expect(reader.get_by_role("heading", name="Found (1)")).to_be_visible()
    tags = reader.get_by_role("navigation", name="Tags of the resources")
    tags.get_by_role("link", name="data", exact=True).click()
    expect(reader.get_by_role("heading", name="Found (1)")).to_be_visible()
    expect(reader.get_by_role("link", name="Edit Measures we kept")).to_have_count(0)
    check("resources-found", reader)
    with reader.expect_download() as download:
        reader.get_by_role("link", name="Measures we kept").click()
    assert download.value.suggested_filename == "measures.csv"
    assert problems == {}
