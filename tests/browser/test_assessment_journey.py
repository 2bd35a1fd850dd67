"""A self-assessment at 375px: the lead starts it → two members each assess a
stream in their own browser (the first by keyboard) → the other streams are
done → the lead closes it, reads the results, opens a gap and a story the
gap page suggests."""

import re
from datetime import date

from playwright.sync_api import expect

from tests.browser.conftest import MOBILE, sign_in
from tests.factories import (
    ensure_framework,
    make_community,
    make_member,
    make_story,
)

TITLE = "Leadership table workshop, March"
STORY = "Counting what families told us"
TARGET_DATE = date(2026, 6, 30)
GAP = "Clear outcomes and evidence"  # an Evaluate practice, left at level 1


def open_group(page, stream):
    """From the assessment page, the stream's one group (the whole table)."""
    streams = page.locator(".group-list > li")
    its = streams.filter(has=page.get_by_role("heading", name=stream, exact=True))
    its.get_by_role("link", name="The whole table").click()
    expect(page.locator("h1")).to_have_text(f"{stream}: The whole table")


def practice(page, name):
    return page.get_by_role("region", name=name, exact=True)


def assess(page, stream, answers, *, target=None):
    """Give each practice its level and evidence, a target on the one named in
    `target` (practice, level label), then Save and Save and mark done."""
    for name, level in answers.items():
        section = practice(page, name)
        section.get_by_role("radio", name=re.compile(rf"^{level}:")).check()
        section.get_by_label("What we have done").fill(f"{stream} work on {name}.")
    if target:
        name, label = target
        section = practice(page, name)
        section.get_by_label("Target level (optional)").select_option(label=label)
        section.get_by_label("Target date (optional)").fill(f"{TARGET_DATE:%d/%m/%Y}")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text(f"Saved: {stream}, The whole table.")).to_be_visible()
    expect(page.locator(".card__meta")).to_contain_text("At work")
    for name, level in answers.items():  # what was saved is on the page again
        section = practice(page, name)
        expect(
            section.get_by_role("radio", name=re.compile(rf"^{level}:"))
        ).to_be_checked()
        expect(section.get_by_label("What we have done")).to_have_value(
            f"{stream} work on {name}."
        )
    if target:  # shown again day first
        expect(
            practice(page, target[0]).get_by_label("Target date (optional)")
        ).to_have_value(f"{TARGET_DATE:%d/%m/%Y}")
    page.get_by_role("button", name="Save and mark done").click()
    expect(
        page.get_by_text(f"Saved and marked done: {stream}, The whole table.")
    ).to_be_visible()
    expect(page.locator("h1")).to_have_text(TITLE)
    done = page.locator(".group-list > li").filter(
        has=page.get_by_role("heading", name=stream, exact=True)
    )
    expect(done.get_by_text("Done", exact=True)).to_be_visible()


def answer_by_keyboard(page, name):
    """The first practice by keyboard only: Space picks a level, the arrow keys
    move along the radios, Tab leaves the group for the evidence."""
    section = practice(page, name)
    radios = section.get_by_role("radio")
    expect(radios).to_have_count(4)
    radios.first.focus()
    page.keyboard.press("Space")
    expect(radios.nth(0)).to_be_checked()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(radios.nth(2)).to_be_focused()
    expect(radios.nth(2)).to_be_checked()
    expect(radios.nth(0)).not_to_be_checked()
    page.keyboard.press("Tab")  # a radio group is one stop: on to the evidence
    evidence = section.get_by_label("What we have done")
    expect(evidence).to_be_focused()
    page.keyboard.type("Monitor work on A few shared measures.")


def test_a_community_assesses_itself_and_finds_evidence_for_a_gap(
    new_page, transactional_db
):
    from assessments import services
    from assessments.models import Answer, Assessment, Status
    from framework.models import Practice

    version = ensure_framework()
    community = make_community(name="Riverbend Together", slug="riverbend")
    lead = make_member(
        community, role="lead", name="Lee Lead", email="lead@example.org"
    )
    make_member(community, name="Mo Member", email="mo@example.org")
    make_member(community, name="Ari Second", email="ari@example.org")
    make_story(title=STORY, slug="counting", streams=["evaluate"], summary="Tally.")

    # the lead starts the assessment
    lead_page = new_page(MOBILE)
    sign_in(lead_page, "lead@example.org")
    lead_page.goto("/assessments/")
    lead_page.get_by_role("link", name="Start an assessment").click()
    expect(lead_page.locator("h1")).to_have_text("Start an assessment")
    lead_page.get_by_label("Title").fill(TITLE)
    lead_page.get_by_label("Date").fill("14/03/2025")
    lead_page.get_by_label("Who took part").fill("Lee, Mo, Ari and the table")
    lead_page.get_by_role("button", name="Start the assessment").click()
    expect(lead_page.get_by_text("The assessment is started")).to_be_visible()
    expect(lead_page.locator("h1")).to_have_text(TITLE)
    expect(lead_page.get_by_text("14 March 2025")).to_be_visible()
    expect(lead_page.get_by_text("In progress")).to_be_visible()
    assessment = Assessment.objects.get()
    assert (assessment.community, assessment.started_by) == (community, lead)
    assert assessment.groups.count() == 5

    # one member takes Plan, in their own browser
    mo = new_page(MOBILE)
    sign_in(mo, "mo@example.org")
    mo.goto(assessment.get_absolute_url())
    open_group(mo, "Plan")
    assess(
        mo,
        "Plan",
        {
            "A shared agenda": "Developing",
            "Community voice in setting priorities": "Emerging",
            "Partners and resources aligned": "Embedded and exceeding expectation",
        },
        target=("Community voice in setting priorities", "Developing"),
    )

    # another takes Monitor, the first practice by keyboard only
    ari = new_page(MOBILE)
    sign_in(ari, "ari@example.org")
    ari.goto(assessment.get_absolute_url())
    open_group(ari, "Monitor")
    answer_by_keyboard(ari, "A few shared measures")
    assess(
        ari,
        "Monitor",
        {"Data the community can read": "Emerging",
         "Regular check-ins on progress": "Developing"},
        target=("Data the community can read", "Developing"),
    )  # fmt: skip

    # the other three streams, done through the services
    for group in assessment.groups.exclude(stream__slug__in=["plan", "monitor"]):
        practices = Practice.objects.filter(version=version, stream=group.stream)
        services.group_save(
            group=group,
            actor=lead,
            revision=group.revision,
            answers={
                p.pk: {"level": 1 if p.name == GAP else 3, "evidence": "Some."}
                for p in practices
            },
            done=True,
        )

    # the lead closes it and reads the results
    lead_page.reload()
    expect(lead_page.get_by_text("Every stream is done.")).to_be_visible()
    lead_page.get_by_role("button", name="Close the assessment").click()
    expect(
        lead_page.get_by_text("The assessment is closed: here are its results.")
    ).to_be_visible()
    expect(lead_page.get_by_role("heading", name="Results", exact=True)).to_be_visible()
    expect(lead_page.get_by_role("button", name="Close the assessment")).to_have_count(
        0
    )
    wheel = lead_page.get_by_role("img", name=re.compile("^Each stream's standing"))
    expect(wheel).to_be_visible()
    expect(wheel).to_have_accessible_name(
        re.compile("Plan 3.0; Monitor 2.7; Evaluate 2.3; Learn 3.0; Communicate 3.0")
    )
    expect(lead_page.locator("svg .standing-wheel__segment")).to_have_count(5)
    gaps = lead_page.get_by_role("region", name="Gaps")
    for name in [
        "Community voice in setting priorities",
        "Data the community can read",
        GAP,
    ]:
        expect(gaps.get_by_role("link", name=name)).to_be_visible()
    expect(gaps.get_by_text("Plan · level 2.0, target 3")).to_be_visible()
    strengths = lead_page.get_by_role("region", name="Strengths")
    expect(strengths.get_by_text("Partners and resources aligned")).to_be_visible()

    # from a gap to the evidence, and a story it suggests
    gaps.get_by_role("link", name=GAP).click()
    expect(lead_page.locator("h1")).to_have_text(f"{GAP}: what the field has learnt")
    expect(lead_page.locator(".lead")).to_contain_text(
        "stands at 1.0 of 4 (Not yet started)"
    )
    stories = lead_page.get_by_role("region", name="Stories")
    stories.get_by_role("link", name=STORY).click()
    expect(lead_page.locator("h1")).to_have_text(STORY)

    # what the database holds
    assessment.refresh_from_db()
    assert assessment.status == Status.CLOSED and assessment.closed_at is not None
    assert all(group.is_done for group in assessment.groups.all())
    assert Answer.objects.filter(group__assessment=assessment).count() == 15
    saved = {
        a.practice.name: (a.level, a.evidence, a.target_level, a.target_date)
        for a in Answer.objects.filter(group__stream__slug__in=["plan", "monitor"])
    }
    assert saved == {
        "A shared agenda": (3, "Plan work on A shared agenda.", None, None),
        "Community voice in setting priorities": (
            2, "Plan work on Community voice in setting priorities.", 3, TARGET_DATE),
        "Partners and resources aligned": (
            4, "Plan work on Partners and resources aligned.", None, None),
        "A few shared measures": (
            3, "Monitor work on A few shared measures.", None, None),
        "Data the community can read": (
            2, "Monitor work on Data the community can read.", 3, TARGET_DATE),
        "Regular check-ins on progress": (
            3, "Monitor work on Regular check-ins on progress.", None, None),
    }  # fmt: skip
    writers = dict(assessment.groups.values_list("stream__slug", "saved_by__email"))
    assert (writers["plan"], writers["monitor"]) == (
        "mo@example.org",
        "ari@example.org",
    )
