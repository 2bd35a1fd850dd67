"""A story as the library uses it, for the pages of issue 22's points 1 and 7
(their browser journeys and HTML validity): through the whole workflow, its
lead signing it off, with a cover, two lessons under two themes, and in a
public and a link-only collection."""

from lessons.models import Kind
from stories.workflow import story_transition
from tests.factories import (
    ensure_streams,
    make_collection,
    make_community,
    make_core,
    make_image,
    make_lesson,
    make_member,
    make_story,
    make_theme,
)

TITLE = "Drawing our hopes together"
SLUG = "drawing-our-hopes"


def codified_library():
    """A story through the whole workflow (its lead signs it off), with a
    cover, two lessons under two themes, and in two collections."""
    ensure_streams()
    community = make_community(name="Harbour Hills Together", slug="hh", state="WA")
    author = make_member(community, name="Ari Author", email="author@example.org")
    lead = make_member(community, role="lead", email="lead@example.org")
    core = make_core(email="core@example.org")
    story = make_story(
        title=TITLE,
        slug=SLUG,
        summary="A graphic recorder drew what families hope for, and it stayed up.",
        body="## What happened\n\nWe met, we listened, we **drew**.",
        community=community,
        streams=["communicate", "plan"],
        tags=["graphic recording"],
        status="draft",
        consent=True,
        year=2024,
    )
    story.authors.add(author)
    make_image(story, alt_text="A mural of families' hopes", credit="Drawn by Sam")
    story_transition(story=story, actor=author, action="submit")
    story_transition(story=story, actor=core, action="send_for_signoff")
    story_transition(story=story, actor=lead, action="sign_off")
    story_transition(story=story, actor=core, action="publish")
    trust = make_theme(name="Trust takes time", slug="trust")
    voice = make_theme(name="Community voice", slug="voice")
    make_lesson(story, statement="Draw together before you plan.", themes=[trust])
    make_lesson(
        story,
        statement="A picture nobody is asked about comes down.",
        stream="communicate",
        kind=Kind.DOESNT_WORK,
        themes=[trust, voice],
    )
    make_collection(title="For funders", slug="for-funders", stories=[story])
    make_collection(title="Board pack", visibility="link", stories=[story])
    return story
