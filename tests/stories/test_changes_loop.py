"""The changes-requested loop: /me/ puts what waits for its reader first, each
with its button; the edit page shows the core team's note at the top; the
resubmission carries an optional reply, shown on the review page and in the
history, and sent to the core team."""

import re

import pytest
from django.urls import reverse

from stories.models import Status, StoryEvent
from stories.workflow import story_transition
from tests.factories import make_community, make_member, make_story, story_data

pytestmark = pytest.mark.django_db
ME = reverse("me")
NOTE = "Please say what the dads said."


def sent_back(author, core, community, **fields):
    """A story of `author`'s that the core team asked to change, with NOTE."""
    story = make_story(status="submitted", community=community, **fields)
    story.authors.add(author)
    story_transition(story=story, actor=core, action="request_changes", note=NOTE)
    story.refresh_from_db()
    return story


def test_me_puts_what_needs_action_first_each_with_its_button(
    client, author, lead, core, community
):
    changes = sent_back(author, core, community, title="Dads at the footy")
    signoff = make_story(status="awaiting_signoff", community=community, title="Ask")
    signoff.authors.add(author)
    draft = make_story(status="draft", community=community, title="A quiet draft")
    draft.authors.add(author)
    client.force_login(author)
    html = client.get(ME).content.decode()
    assert 'Needs your action <span class="count">(2)</span>' in html
    order = [html.index(text) for text in [
        "Needs your action", "Changes requested", NOTE, "Waiting for your sign-off",
        "Stories I'm writing or wrote", "A quiet draft"]]  # fmt: skip
    assert order == sorted(order)
    edit = reverse("stories:edit", args=[changes.slug])
    assert re.search(
        rf'<a class="button" href="{edit}">Edit<span class="visually-hidden">: '
        r"Dads at the footy</span></a>",
        html,
    )
    sign = reverse("moderation:transition", args=[signoff.slug, "sign_off"])
    assert f'action="{sign}"' in html
    assert 'Sign off<span class="visually-hidden">: Ask</span>' in html


def test_me_says_nothing_waits_when_nothing_does(client, author, community):
    draft = make_story(status="draft", community=community)
    draft.authors.add(author)
    client.force_login(author)
    html = client.get(ME).content.decode()
    assert "Needs your action" not in html and "Stories I'm writing" in html


def test_a_lead_is_asked_for_join_requests_and_sign_offs_first(client, lead, community):
    from communities.models import JoinRequest
    from tests.factories import make_user

    waiting = make_story(status="awaiting_signoff", community=community)
    JoinRequest.objects.create(user=make_user(approved=False), community=community)
    client.force_login(lead)
    html = client.get(ME).content.decode()
    assert 'Needs your action <span class="count">(2)</span>' in html
    assert html.index(waiting.title) < html.index("Join requests</h3>")
    assert html.index("Join requests</h3>") < html.index("My communities")


def test_me_has_a_query_budget(
    client, author, core, community, django_assert_max_num_queries
):
    for _ in range(6):
        sent_back(author, core, community)
        make_story(status="awaiting_signoff", community=community).authors.add(author)
        make_story(status="draft", community=community).authors.add(author)
    client.force_login(author)
    with django_assert_max_num_queries(12):
        response = client.get(ME)
    assert response.text.count("Edit<span") == 6 + 12  # buttons, then the list's


def test_the_edit_page_shows_the_core_teams_note_at_the_top(
    client, author, core, community
):
    story = sent_back(author, core, community)
    client.force_login(author)
    html = client.get(reverse("stories:edit", args=[story.slug])).content.decode()
    top = html.index("The core team asked for changes")
    assert top < html.index(NOTE) < html.index('<form method="post" enctype')
    assert "Casey Core" in html[top : html.index(NOTE)]
    assert "Your reply to the core team (optional)" in html
    draft = make_story(status="draft", community=community)
    draft.authors.add(author)
    html = client.get(reverse("stories:edit", args=[draft.slug])).content.decode()
    assert "asked for changes" not in html and "reply to the core team" not in html


def test_resubmitting_with_a_reply_shows_it_on_the_review_page_and_in_history(
    client, author, core, community, mailoutbox, django_capture_on_commit_callbacks
):
    story = sent_back(author, core, community)
    client.force_login(author)
    data = story_data(community, version=story.version, action="submit",
                      consent="on", reply="Added their words & a <photo>.")  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("stories:edit", args=[story.slug]), data)
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.status == Status.SUBMITTED
    event = StoryEvent.objects.filter(story=story, action="submit").latest("pk")
    assert event.note == "Added their words & a <photo>." and event.actor == author
    assert "Added their words & a <photo>." in mailoutbox[-1].body
    client.force_login(core)
    html = client.get(story.get_review_url()).content.decode()
    exchange = html[html.index('id="exchange-heading"') : html.index("What you can do")]
    assert "Changes requested, and the reply" in exchange
    assert NOTE in exchange
    assert "Ari Author</strong> replied when resubmitting" in exchange
    assert "Added their words &amp; a &lt;photo&gt;." in exchange  # escaped
    history = html[html.index('id="history-heading"') :]
    assert "Added their words &amp; a &lt;photo&gt;." in history


def test_the_reply_is_optional_and_a_draft_save_does_not_send_it(
    client, author, core, community
):
    story = sent_back(author, core, community)
    client.force_login(author)
    url = reverse("stories:edit", args=[story.slug])
    data = story_data(community, version=story.version, reply="Not yet.")
    response = client.post(url, data)  # consent once given can't be taken back
    assert response.status_code == 400 and "keeps it once submitted" in response.text
    data["consent"] = "on"
    assert client.post(url, data).status_code == 302  # a draft: stays sent back
    story.refresh_from_db()
    assert story.status == Status.CHANGES_REQUESTED
    data = story_data(community, version=story.version, action="submit", consent="on")
    assert client.post(url, data).status_code == 302
    event = StoryEvent.objects.filter(story=story, action="submit").latest("pk")
    assert event.note == ""
    client.force_login(make_member(make_community()))
    assert client.get(story.get_review_url()).status_code == 404


def test_a_reply_too_long_is_refused_beside_its_field(client, author, core, community):
    story = sent_back(author, core, community)
    client.force_login(author)
    data = story_data(community, version=story.version, action="submit",
                      consent="on", reply="r" * 5001)  # fmt: skip
    response = client.post(reverse("stories:edit", args=[story.slug]), data)
    assert response.status_code == 400
    assert 'id="id_reply_error"' in response.text
    assert 'href="#id_reply"' in response.text
    story.refresh_from_db()
    assert story.status == Status.CHANGES_REQUESTED


def test_the_review_page_waits_for_the_reply(client, author, core, community):
    story = sent_back(author, core, community)
    client.force_login(author)
    html = client.get(story.get_review_url()).content.decode()
    assert "Waiting for its authors to edit it and submit it again." in html
    assert NOTE in html
