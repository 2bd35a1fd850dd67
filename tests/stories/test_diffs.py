"""The revision diff: word by word, blind to spacing and blank lines, streams
and tags as sets; and the review page drawing it."""

import time

import pytest
from django.urls import reverse

from stories.diffs import revision_diff
from stories.services import record_revision, snapshot_of
from tests.factories import make_core, make_story

NAMES = {"plan": "Plan", "learn": "Learn", "monitor": "Monitor"}


def base(**changes):
    data = {"title": "Dads at the footy", "summary": "Saturdays.",
            "body": "We met.\n\nIt rained all day.", "streams": ["plan", "learn"],
            "primary_stream": "plan", "tags": ["fathers", "Sport"], "year": 2024,
            "visibility": "public", "storytellers": "", "what_worked": "",
            "what_didnt": "", "conditions": ""}  # fmt: skip
    return data | changes


def by_label(changes):
    return {change.label: change for change in changes}


def test_a_changed_word_is_marked_not_its_whole_line():
    changes = by_label(
        revision_diff(base(), base(body="We met.\n\nIt rained all night."))
    )
    assert list(changes) == ["The story"]
    assert changes["The story"].segments == [
        ("same", "We met.\n\nIt rained all "), ("del", "day."), ("same", " "),
        ("ins", "night."),
    ]  # fmt: skip


def test_spacing_and_blank_lines_are_not_changes():
    noisy = base(body="\n\nWe  met.   \r\n\r\n\r\n\r\nIt rained all day.\n\n\n",
                 title=" Dads at the  footy ")  # fmt: skip
    assert revision_diff(base(), noisy) == []


def test_a_paragraph_break_added_is_shown():
    changes = revision_diff(base(), base(body="We met.\nIt rained all day."))
    assert changes[0].segments == [("same", "We met.\n"), ("del", "¶"),
                                   ("same", "\nIt rained all day.")]  # fmt: skip


def test_streams_and_tags_are_compared_as_sets():
    same = base(streams=["learn", "plan"], tags=["sport", "Fathers"])
    assert revision_diff(base(), same) == []
    changes = by_label(revision_diff(base(), base(
        streams=["learn", "monitor"], primary_stream="learn",
        tags=["Sport", "dads"]), NAMES))  # fmt: skip
    assert (changes["Streams"].added, changes["Streams"].removed) == (
        ["Monitor"], ["Plan"])  # fmt: skip
    assert (changes["Primary stream"].before, changes["Primary stream"].after) == (
        "Plan", "Learn")  # fmt: skip
    assert (changes["Tags"].added, changes["Tags"].removed) == (["dads"], ["fathers"])


def test_values_say_what_they_were_and_became():
    changes = by_label(revision_diff(base(), base(year=None, visibility="collective")))
    assert (changes["Year of the work"].before, changes["Year of the work"].after) == (
        "2024", "none")  # fmt: skip
    assert changes["Visibility"].after == "Collective only"


def test_the_order_is_the_forms():
    edited = base(title="New", conditions="Trust.", body="B.", tags=[], year=2025)
    changes = revision_diff(base(), edited)
    assert [change.label for change in changes] == [
        "Title", "Tags", "Year of the work", "The story",
        "Conditions that made it possible"]  # fmt: skip


def test_a_long_text_shows_its_changes_with_a_little_context():
    paragraphs = [f"Paragraph {n} of the story." for n in range(40)]
    edited = [*paragraphs]
    edited[20] = "Paragraph 20 of the changed story."
    changes = revision_diff(base(body="\n\n".join(paragraphs)),
                            base(body="\n\n".join(edited)))  # fmt: skip
    text = "".join(text for _, text in changes[0].segments)
    assert "Paragraph 19" in text and "Paragraph 21" in text
    assert "Paragraph 2 of" not in text and "Paragraph 38" not in text
    assert ("ins", "changed") in changes[0].segments
    assert changes[0].segments[0] == ("gap", "…\n")


def test_a_huge_rewrite_is_quick():
    words = " ".join(f"word{n % 300} the and" for n in range(8000))  # 50k chars
    started = time.monotonic()
    revision_diff(base(body=words), base(body=words.replace("word5 ", "five ")))
    revision_diff(base(body=words), base(body="Something else entirely."))
    assert time.monotonic() - started < 5


@pytest.mark.django_db
def test_the_review_page_shows_a_staged_edit_word_by_word(client, community, author):
    story = make_story(community=community, body="We met.\n\nIt rained.",
                       tags=["Fathers"], streams=["plan", "learn"])  # fmt: skip
    story.authors.add(author)
    data = {**snapshot_of(story), "body": "We met.\n\n\n\nIt poured.",
            "tags": ["fathers"], "streams": ["learn", "plan"]}  # fmt: skip
    revision = record_revision(story, author, data, kind="staged")
    story.staged_revision = revision
    story.save()
    client.force_login(make_core())
    html = client.get(reverse("moderation:review", args=[story.slug])).text
    assert "Changes from the live story to revision 1" in html
    diff = html[html.index('class="diff-list"') : html.index('id="preview-heading"')]
    assert "<dt>The story</dt>" in diff
    assert "<dt>Tags</dt>" not in diff and "<dt>Streams</dt>" not in diff
    assert "rained." in diff and "poured." in diff and "<del>" in diff
