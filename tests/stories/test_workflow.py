"""The codesign workflow: every action, by every kind of person, from every state.

Through the test client, on GET (the confirmation page) and on POST (doing
it). Allowed: the page answers and the story moves to the table's target with
one audit event. Not allowed: 403 for someone who may read the story, 404 for
someone who may not even know it exists, the sign-in page for a visitor, and
nothing changes.
"""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.html import escape

from stories.models import Status, Story, StoryEvent
from stories.workflow import ACTIONS, Conflict, allowed_actions, story_transition
from tests.factories import (
    make_community,
    make_core,
    make_member,
    make_story,
    make_user,
)

pytestmark = pytest.mark.django_db

# The DESIGN table, written out again here so that a change to the code's table
# has to be a deliberate change to this one too.
TABLE = {
    "submit": ({"author", "lead"}, {"draft", "changes_requested"}, "submitted"),
    "request_changes": ({"core"}, {"submitted", "awaiting_signoff"},
                        "changes_requested"),
    "send_for_signoff": ({"core"}, {"submitted"}, "awaiting_signoff"),
    "sign_off": ({"author", "lead"}, {"awaiting_signoff"}, "approved"),
    "ask_for_changes": ({"author", "lead"}, {"awaiting_signoff"}, "submitted"),
    "publish": ({"core"}, {"approved"}, "published"),
    "reject": ({"core"}, {"submitted"}, "rejected"),
    "withdraw": ({"author", "lead"}, {"draft", "submitted", "changes_requested",
                                      "awaiting_signoff", "approved"}, "withdrawn"),
    "archive": ({"core"}, {"published"}, "archived"),
    "republish": ({"core"}, {"archived"}, "published"),
}  # fmt: skip
NOTE_REQUIRED = {"request_changes", "ask_for_changes", "reject", "archive"}
# those that end or take back a story: they look different and ask "are you sure?"
DESTRUCTIVE = {"reject", "withdraw", "archive"}
VIEWERS = ["anonymous", "pending", "outsider", "funder", "neighbour", "author",
           "lead", "core"]  # fmt: skip


def test_the_code_holds_the_design_table():
    assert set(ACTIONS) == set(TABLE)
    for name, (who, sources, target) in TABLE.items():
        action = ACTIONS[name]
        assert set(action.who) == who, name
        assert set(action.sources) == sources, name
        assert action.target == target, name
        assert action.note_required == (name in NOTE_REQUIRED), name
        assert action.destructive == (name in DESTRUCTIVE), name


@pytest.fixture
def people():
    community = make_community(name="Harbour Hills", slug="harbour-hills")
    elsewhere = make_community(name="Elsewhere", slug="elsewhere")
    return {
        "community": community,
        "anonymous": None,
        "pending": make_member(community, approved=False),
        "outsider": make_member(elsewhere),
        "funder": make_user(),
        "neighbour": make_member(community),  # same community, not an author
        "author": make_member(community, email="author@example.org"),
        "lead": make_member(community, role="lead", email="lead@example.org"),
        "core": make_core(email="core@example.org"),
    }


def client_for(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client


def expected_refusal(viewer, status):
    """What someone who may not do an action gets, by what they may read."""
    if viewer == "anonymous":
        return 302  # to the sign-in page
    can_read = viewer in {"author", "lead", "core"} or (
        status == "published" and viewer not in {"pending"}
    )
    return 403 if can_read else 404


@pytest.mark.parametrize("action", sorted(TABLE))
@pytest.mark.parametrize("status", [status.value for status in Status])
def test_every_action_by_every_viewer_from_every_state(client, people, action, status):
    who, sources, target = TABLE[action]
    story = make_story(
        status=status,
        community=people["community"],
        visibility="collective",
        consent=True,
    )
    story.authors.add(people["author"])
    url = reverse("moderation:transition", args=[story.slug, action])
    data = {f"{action}-note": "Because the community asked.", f"{action}-confirm": "on"}
    for viewer in VIEWERS:
        role_ok = viewer in who
        if not role_ok or status not in sources:
            c = client_for(client, people[viewer])
            code = expected_refusal(viewer, status)
            assert c.get(url).status_code == code, (viewer, "GET")
            assert c.post(url, data).status_code == code, (viewer, "POST")
            story.refresh_from_db()
            assert story.status == status, viewer
            assert not StoryEvent.objects.filter(story=story).exists(), viewer
    for viewer in sorted(v for v in who if status in sources):
        Story.objects.filter(pk=story.pk).update(status=status)
        c = client_for(client, people[viewer])
        page = c.get(url)
        assert page.status_code == 200, (viewer, "GET")
        assert ACTIONS[action].label in page.content.decode()
        response = c.post(url, data)
        assert response.status_code == 302, (viewer, "POST")
        story.refresh_from_db()
        assert story.status == target, viewer
        event = StoryEvent.objects.filter(story=story).latest("pk")
        assert (event.actor, event.action) == (people[viewer], action)
        assert (event.from_status, event.to_status) == (status, target)
        assert event.note == "Because the community asked."


@pytest.mark.parametrize("action", sorted(NOTE_REQUIRED))
def test_a_required_note_is_asked_for_beside_the_field(client, people, action):
    who, sources, _ = TABLE[action]
    status = sorted(sources)[0]
    story = make_story(status=status, community=people["community"])
    story.authors.add(people["author"])
    client.force_login(people[sorted(who)[0]])
    url = reverse("moderation:transition", args=[story.slug, action])
    response = client.post(url, {f"{action}-note": "   "})
    assert response.status_code == 400
    assert "Say why: the note is required." in response.content.decode()
    story.refresh_from_db()
    assert story.status == status
    assert not story.events.exists()


def test_an_unknown_action_is_refused(client, people):
    story = make_story(status="submitted", community=people["community"])
    client.force_login(people["core"])
    url = reverse("moderation:transition", args=[story.slug, "delete"])
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403


def test_the_service_refuses_what_the_table_does_not_allow(people):
    story = make_story(status="draft", community=people["community"])
    story.authors.add(people["author"])
    with pytest.raises(PermissionDenied):
        story_transition(story=story, actor=people["core"], action="publish")
    with pytest.raises(PermissionDenied):
        story_transition(story=story, actor=people["neighbour"], action="submit")
    submitted = make_story(status="submitted", community=people["community"])
    with pytest.raises(ValidationError):
        story_transition(story=submitted, actor=people["core"], action="reject")
    assert Story.objects.get(pk=submitted.pk).status == "submitted"


def test_a_stale_story_object_makes_a_conflict_not_a_second_transition(people):
    story = make_story(status="approved", community=people["community"])
    first, second = Story.objects.get(pk=story.pk), Story.objects.get(pk=story.pk)
    story_transition(story=first, actor=people["core"], action="publish")
    with pytest.raises(Conflict):
        story_transition(story=second, actor=people["core"], action="publish")
    assert StoryEvent.objects.filter(story=story, action="publish").count() == 1


def test_a_double_click_publishes_once(client, people):
    story = make_story(status="approved", community=people["community"])
    client.force_login(people["core"])
    url = reverse("moderation:transition", args=[story.slug, "publish"])
    assert client.post(url).status_code == 302
    # the second click finds the story published: publish is no longer allowed
    assert client.post(url).status_code == 403
    assert StoryEvent.objects.filter(story=story).count() == 1


def test_allowed_actions_follow_the_roles(people):
    story = make_story(status="awaiting_signoff", community=people["community"])
    story.authors.add(people["author"])
    names = {action.name for action in allowed_actions(people["lead"], story)}
    assert names == {"sign_off", "ask_for_changes", "withdraw"}
    names = {action.name for action in allowed_actions(people["core"], story)}
    assert names == {"request_changes"}
    assert allowed_actions(people["neighbour"], story) == []
    assert allowed_actions(people["pending"], story) == []


def test_a_draft_without_consent_is_not_submitted_and_says_why(client, people):
    story = make_story(status="draft", community=people["community"])
    story.authors.add(people["author"])
    client.force_login(people["author"])
    url = reverse("moderation:transition", args=[story.slug, "submit"])
    response = client.post(url, {"submit-note": "Ready"})
    assert response.status_code == 400
    assert "consent is needed first" in response.content.decode()
    assert Story.objects.get(pk=story.pk).status == "draft"
    # withdrawing a draft needs no consent
    response = client.post(
        reverse("moderation:transition", args=[story.slug, "withdraw"]),
        {"withdraw-confirm": "on"},
    )
    assert response.status_code == 302
    assert Story.objects.get(pk=story.pk).status == "withdrawn"


@pytest.mark.parametrize("action", sorted(DESTRUCTIVE))
def test_an_action_that_ends_a_story_asks_to_be_confirmed(client, people, action):
    """Without the box ticked nothing happens, and the page says so beside
    the box, with the note's error in the same round where there is one."""
    who, sources, _ = TABLE[action]
    status = sorted(sources)[0]
    story = make_story(status=status, community=people["community"], consent=True)
    story.authors.add(people["author"])
    client.force_login(people[sorted(who)[0]])
    url = reverse("moderation:transition", args=[story.slug, action])
    page = client.get(url).content.decode()
    assert escape(ACTIONS[action].confirm) in page and "button--danger" in page
    assert f'name="{action}-confirm"' in page
    response = client.post(url, {f"{action}-note": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Tick the box to confirm" in html
    assert f'id="id_{action}-confirm_error"' in html
    assert ("Say why: the note is required." in html) == (action in NOTE_REQUIRED)
    story.refresh_from_db()
    assert story.status == status and not story.events.exists()
    response = client.post(
        url, {f"{action}-note": "Agreed with them.", f"{action}-confirm": "on"}
    )
    assert response.status_code == 302
    assert Story.objects.get(pk=story.pk).status == TABLE[action][2]


def test_the_everyday_actions_come_first_and_look_like_themselves(client, people):
    story = make_story(status="submitted", community=people["community"])
    client.force_login(people["core"])
    html = client.get(story.get_review_url()).content.decode()
    actions = re.findall(r'do/(\w+)/" class="action-form( action-form--danger)?"', html)
    assert actions == [
        ("request_changes", ""), ("send_for_signoff", ""),
        ("reject", " action-form--danger"),
    ]  # fmt: skip
    assert html.count('class="button button--danger"') == 1
