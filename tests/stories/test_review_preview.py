"""Reviewers see everything: "The story as it will appear" shows the whole
story, with what a reviewer checks that the page itself doesn't show."""

import pytest
from django.urls import reverse

from stories.forms import CONSENT_STATEMENT
from stories.services import record_revision, snapshot_of
from tests.factories import make_core, make_image, make_story

pytestmark = pytest.mark.django_db


def preview_of(client, story):
    html = client.get(reverse("moderation:review", args=[story.slug])).text
    start = html.index('id="preview-heading"')
    return html[start : html.index("</section>", start)]


@pytest.fixture
def full_story(community, author):
    story = make_story(
        status="submitted", community=community, title="Dads & <footy>",
        summary="Saturday mornings.", body="## What happened\n\n- one\n- two",
        streams=["learn", "plan"], tags=["Fathers", "sport"], year=2024,
        visibility="collective", storytellers="A dad (anonymous)", consent=True,
        what_worked="Coffee.", what_didnt="Early starts.", conditions="The club.",
    )  # fmt: skip
    story.authors.add(author)
    make_image(story, alt_text="Dads on the oval", credit="Photo: Sam")
    make_image(story, cover=False, alt_text="A <ball>", credit="Photo: Kim")
    return story


def test_the_preview_shows_the_whole_story(client, full_story):
    client.force_login(make_core())
    preview = preview_of(client, full_story)
    for shown in [
        "Dads &amp; &lt;footy&gt;", "Saturday mornings.", "<h2>What happened</h2>",
        "<li>one</li>", 'class="badge badge--learn">Learn<span class="visually-hidden">'
        " (primary stream)", 'class="badge badge--plan">Plan</li>', "2024",
        "A dad (anonymous)", "Collective only", "Coffee.", "Early starts.",
        "The club.", "<li>Fathers</li>", "<li>sport</li>",
        # the cover and the gallery, each with its alt text and credit in words
        'alt="Dads on the oval"', "<dt>Cover's alt text</dt><dd>Dads on the oval",
        "Photo: Sam", 'alt="A &lt;ball&gt;"', "<dt>Alt text</dt><dd>A &lt;ball&gt;",
        "Photo: Kim", "Confirmed", "Its authors confirmed:",
    ]:  # fmt: skip
        assert shown in preview, shown
    assert CONSENT_STATEMENT.replace("'", "&#x27;") in preview


def test_the_preview_says_what_is_missing(client, community, author):
    story = make_story(status="draft", community=community, consent=False)
    story.authors.add(author)
    client.force_login(author)
    preview = preview_of(client, story)
    missing = ["No cover image.", "No reflections.", "No tags.", "not given",
               "Not confirmed", "Its authors haven't confirmed yet"]  # fmt: skip
    for shown in missing:
        assert shown in preview, shown


def test_the_preview_of_a_staged_edit_is_the_edit(client, full_story):
    client.force_login(make_core())
    full_story.status = "published"
    full_story.published_at = full_story.created_at
    full_story.save()
    data = {**snapshot_of(full_story), "title": "A better title",
            "streams": ["plan"], "primary_stream": "plan", "tags": ["new tag"],
            "what_worked": "", "what_didnt": "", "conditions": ""}  # fmt: skip
    full_story.staged_revision = record_revision(full_story, None, data, "staged")
    full_story.save()
    preview = preview_of(client, full_story)
    assert "with the staged edit" in preview and "A better title" in preview
    assert "<li>new tag</li>" in preview and "Fathers" not in preview
    assert "badge--learn" not in preview and "No reflections." in preview
    assert 'alt="Dads on the oval"' in preview  # images: the story's own
