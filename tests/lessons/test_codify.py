"""The core team codifies a story into lessons from its review page; the
story's authors hear once when it is first cited, by a lesson or a theme."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from framework.models import FrameworkVersion, Practice, Stream
from framework.services import version_copy
from lessons.models import Citation, Lesson, Theme
from lessons.services import lesson_add, lesson_move, lesson_update
from stories.models import Status
from tests.factories import (
    mails,
    make_community,
    make_member,
    make_story,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(community, author):
    story = make_story(
        status=Status.SUBMITTED,
        community=community,
        streams=["learn", "plan"],
        title="Yarning circles",
    )
    story.authors.add(author)
    return story


@pytest.fixture
def trust(db):
    return Theme.objects.create(name="Trust takes time", slug="trust")


@pytest.fixture
def data_theme(db):
    return Theme.objects.create(name="Data for change", slug="data")


def url(name, story, *args):
    return reverse(f"moderation:codify:{name}", args=[story.slug, *args])


def lesson_data(**overrides):
    data = {
        "statement": "Start with a yarn, not a survey.",
        "kind": "works",
        "stream": Stream.objects.get(slug="learn").pk,
        "condition": "",
    }
    data.update(overrides)
    return data


def add_lesson(story, statement, position, **fields):
    fields.setdefault("kind", "works")
    fields.setdefault("stream", Stream.objects.get(slug="plan"))
    return Lesson.objects.create(
        story=story, statement=statement, position=position, **fields
    )


def statements(story):
    return list(story.lessons.order_by("position").values_list("statement", flat=True))


# The core team codifies --------------------------------------------------------


def test_the_review_page_offers_the_core_team_the_lessons_and_the_add_form(
    client, core, story, trust
):
    add_lesson(story, "Listen before you plan.", 0)
    client.force_login(core)
    html = client.get(story.get_review_url()).content.decode()
    assert 'id="lessons"' in html and ">Lessons</h2>" in html
    assert "Listen before you plan." in html
    assert f'action="{url("add", story)}#lessons"' in html
    assert "Trust takes time" in html  # a theme to tick
    learn = Stream.objects.get(slug="learn")  # the story's main stream
    assert f'<option value="{learn.pk}" selected>' in html


def test_the_core_team_adds_a_lesson(
    client, core, story, trust, django_capture_on_commit_callbacks
):
    client.force_login(core)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("add", story),
            lesson_data(condition="common_agenda", themes=[trust.pk]),
        )
    assert response.status_code == 302
    assert response["Location"] == story.get_review_url() + "#lessons"
    lesson = story.lessons.get()
    assert lesson.statement == "Start with a yarn, not a survey."
    assert (lesson.kind, lesson.stream.slug) == ("works", "learn")
    assert lesson.condition == "common_agenda"
    assert list(lesson.themes.all()) == [trust]
    assert (lesson.position, lesson.created_by) == (0, core)
    page = client.get(response["Location"]).content.decode()
    assert "The lesson is added." in page
    assert "Common agenda" in page


def test_new_lessons_go_to_the_end(client, core, story):
    add_lesson(story, "First.", 0)
    client.force_login(core)
    client.post(url("add", story), lesson_data(statement="Second."))
    assert statements(story) == ["First.", "Second."]
    assert list(story.lessons.values_list("position", flat=True)) == [0, 1]


def test_the_core_team_edits_a_lesson(client, core, story, trust, data_theme):
    lesson = add_lesson(story, "Old words.", 0)
    lesson.themes.add(trust)
    client.force_login(core)
    page = client.get(url("edit", story, lesson.pk))
    assert page.status_code == 200 and "Old words." in page.content.decode()
    response = client.post(
        url("edit", story, lesson.pk),
        lesson_data(statement="New words.", kind="enabling", themes=[data_theme.pk]),
    )
    assert response.status_code == 302
    assert response["Location"] == story.get_review_url() + "#lessons"
    lesson.refresh_from_db()
    assert (lesson.statement, lesson.kind) == ("New words.", "enabling")
    assert list(lesson.themes.all()) == [data_theme]


def test_the_core_team_reorders_lessons(client, core, story):
    one, two, three = (add_lesson(story, name, n) for n, name in
                       enumerate(["One.", "Two.", "Three."]))  # fmt: skip
    client.force_login(core)
    response = client.post(url("move", story, three.pk, "up"))
    assert response["Location"] == story.get_review_url() + "#lessons"
    assert statements(story) == ["One.", "Three.", "Two."]
    client.post(url("move", story, one.pk, "down"))
    assert statements(story) == ["Three.", "One.", "Two."]
    client.post(url("move", story, two.pk, "down"))  # already last: nothing moves
    assert statements(story) == ["Three.", "One.", "Two."]
    assert sorted(story.lessons.values_list("position", flat=True)) == [0, 1, 2]


def test_an_unknown_direction_is_not_found(client, core, story):
    lesson = add_lesson(story, "One.", 0)
    client.force_login(core)
    assert client.post(url("move", story, lesson.pk, "sideways")).status_code == 404


def test_the_core_team_removes_a_lesson_and_the_rest_close_up(client, core, story):
    lessons = [add_lesson(story, name, n) for n, name in enumerate("ABC")]
    client.force_login(core)
    response = client.post(url("remove", story, lessons[1].pk))
    assert response["Location"] == story.get_review_url() + "#lessons"
    assert statements(story) == ["A", "C"]
    assert list(story.lessons.values_list("position", flat=True)) == [0, 1]


def test_a_lesson_of_another_story_is_not_found(client, core, story, community):
    other = make_story(status=Status.SUBMITTED, community=community)
    theirs = add_lesson(other, "Not this story's.", 0)
    client.force_login(core)
    assert client.post(url("remove", story, theirs.pk)).status_code == 404
    assert client.get(url("edit", story, theirs.pk)).status_code == 404
    assert Lesson.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize("status", ["submitted", "awaiting_signoff", "approved",
                                    "published"])  # fmt: skip
def test_submitted_and_published_stories_can_be_codified(
    client, core, community, status
):
    story = make_story(status=status, community=community)
    client.force_login(core)
    assert client.post(url("add", story), lesson_data()).status_code == 302
    assert story.lessons.count() == 1


@pytest.mark.parametrize("status", ["draft", "changes_requested", "rejected",
                                    "withdrawn", "archived"])  # fmt: skip
def test_other_stories_cannot_be_codified(client, core, community, status):
    story = make_story(status=status, community=community)
    lesson = add_lesson(story, "Kept.", 0)
    client.force_login(core)
    response = client.post(url("add", story), lesson_data())
    assert response.status_code == 403
    assert "only submitted or published stories are codified" in response.text
    assert client.post(url("remove", story, lesson.pk)).status_code == 403
    assert client.post(url("move", story, lesson.pk, "up")).status_code == 403
    assert client.get(url("edit", story, lesson.pk)).status_code == 403
    assert statements(story) == ["Kept."]
    page = client.get(story.get_review_url()).content.decode()
    assert url("add", story) not in page  # no lesson controls at all


# Everyone else ------------------------------------------------------------------


def attempts(story, lesson):
    """Every codifying request, as (method, path, data)."""
    return [
        ("get", url("add", story), None),
        ("post", url("add", story), lesson_data()),
        ("get", url("edit", story, lesson.pk), None),
        ("post", url("edit", story, lesson.pk), lesson_data(statement="Changed.")),
        ("post", url("move", story, lesson.pk, "down"), None),
        ("post", url("remove", story, lesson.pk), None),
    ]


def assert_unchanged(story, lesson):
    assert statements(story) == ["Kept.", "Also kept."]
    lesson.refresh_from_db()
    assert lesson.statement == "Kept."


def test_authors_and_leads_may_not_codify(client, story, author, lead):
    lesson = add_lesson(story, "Kept.", 0)
    add_lesson(story, "Also kept.", 1)
    for user in [author, lead]:
        client.force_login(user)
        for method, path, data in attempts(story, lesson):
            response = getattr(client, method)(path, data or {})
            assert response.status_code == 403, (user, method, path)
        page = client.get(story.get_review_url()).content.decode()
        assert "Kept." in page  # they see the lessons drawn from it…
        assert url("add", story) not in page  # …not the controls
    assert_unchanged(story, lesson)


@pytest.mark.parametrize("who", ["member", "pending"])
def test_others_get_403_for_a_story_they_may_read_and_404_otherwise(
    client, story, community, who
):
    published = make_story(status=Status.PUBLISHED, community=community)
    readable = add_lesson(published, "Kept.", 0)
    add_lesson(published, "Also kept.", 1)
    hidden = add_lesson(story, "Kept.", 0)
    add_lesson(story, "Also kept.", 1)
    user = make_user(approved=who == "member")
    client.force_login(user)
    for method, path, data in attempts(published, readable):
        response = getattr(client, method)(path, data or {})
        assert response.status_code == 403, (who, method, path)
    for method, path, data in attempts(story, hidden):
        response = getattr(client, method)(path, data or {})
        assert response.status_code == 404, (who, method, path)
    assert_unchanged(published, readable)
    assert_unchanged(story, hidden)


def test_a_member_of_the_community_may_not_codify(client, story, community):
    lesson = add_lesson(story, "Kept.", 0)
    add_lesson(story, "Also kept.", 1)
    client.force_login(make_member(community))  # can't read a submitted story
    for method, path, data in attempts(story, lesson):
        assert getattr(client, method)(path, data or {}).status_code == 404
    assert_unchanged(story, lesson)


def test_visitors_are_sent_to_sign_in(client, story):
    lesson = add_lesson(story, "Kept.", 0)
    add_lesson(story, "Also kept.", 1)
    for method, path, data in attempts(story, lesson):
        response = getattr(client, method)(path, data or {})
        assert response.status_code == 302, (method, path)
        assert "/accounts/login/" in response["Location"]
    assert_unchanged(story, lesson)


def test_the_services_check_who_and_when_themselves(story, author, core):
    """A caller that forgot the view's checks still can't codify."""
    with pytest.raises(PermissionDenied):
        lesson_add(story=story, actor=author, data=lesson_data())
    lesson = add_lesson(story, "Kept.", 0)
    story.status = Status.DRAFT
    story.save()
    with pytest.raises(PermissionDenied):
        lesson_move(lesson=lesson, actor=core, direction="down")
    assert statements(story) == ["Kept."]


# Bad input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"statement": ""}, "statement", "Write the lesson in a sentence."),
        ({"statement": "x" * 301}, "statement", "at most 300 characters"),
        ({"themes": ["9999"]}, "themes", "There is no such theme"),
        ({"themes": ["nine"]}, "themes", "There is no such theme"),
        ({"kind": "maybe"}, "kind", "Choose one of the kinds listed."),
        ({"stream": "9999"}, "stream", "Choose one of the five streams."),
    ],
)
def test_bad_input_shows_the_review_page_again_with_the_error_beside_the_field(
    client, core, story, overrides, field, message
):
    client.force_login(core)
    data = lesson_data(condition="backbone_support", **overrides)
    if field != "statement":
        data["statement"] = "What I typed stays."
    response = client.post(url("add", story), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert story.lessons.count() == 0
    assert "<h1>Yarning circles</h1>" in html  # the review page
    beside = html.split(f'id="id_{field}_error"', 1)
    assert len(beside) == 2 and message in beside[1].split("</ul>", 1)[0]
    assert data["statement"] in html  # what was typed is kept
    assert 'value="backbone_support" selected' in html


def test_a_bad_edit_shows_the_review_page_again_with_that_form_open(
    client, core, story
):
    lesson = add_lesson(story, "Kept.", 0)
    add_lesson(story, "Untouched.", 1)
    client.force_login(core)
    response = client.post(
        url("edit", story, lesson.pk), lesson_data(statement="Typed.", kind="")
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert response.templates[0].name == "stories/review.html"
    opened = re.findall(r'<details class="lesson__edit"( open)?>', html)
    assert opened == [" open", ""]  # the one with the problem, not the other
    # the message beside the field, linked from the summary; the text kept
    beside = html.split(f'id="id_lesson{lesson.pk}_kind_error"', 1)
    assert len(beside) == 2
    assert "Choose the kind of lesson." in beside[1].split("</ul>", 1)[0]
    assert f'href="#id_lesson{lesson.pk}_kind_0"' in html
    assert ">\nTyped.</textarea>" in html
    assert ">\nUntouched.</textarea>" in html  # the other form as it was
    lesson.refresh_from_db()
    assert lesson.statement == "Kept."


def test_each_lesson_is_edited_on_the_review_page_without_leaving_it(
    client, core, story, trust, data_theme
):
    """No JavaScript needed: each lesson's form sits folded in a <details>,
    filled with the lesson as it is, with ids of its own."""
    one = add_lesson(story, "One.", 0, kind="enabling", condition="backbone_support")
    one.themes.add(trust)
    two = add_lesson(story, "Two.", 1, stream=Stream.objects.get(slug="learn"))
    client.force_login(core)
    html = client.get(story.get_review_url()).content.decode()
    forms = re.findall(r'<form method="post" action="([^"]+)" class="narrow">', html)
    assert url("edit", story, one.pk) in forms and url("edit", story, two.pk) in forms
    section = html.split(f'id="lesson-{one.pk}"', 1)[1].split("</details>", 1)[0]
    assert "<summary>Edit" in section
    assert ">\nOne.</textarea>" in section
    assert f'value="enabling" required id="id_lesson{one.pk}_kind_2" checked' in section
    assert 'value="backbone_support" selected' in section
    ticked = re.findall(r'value="(\d+)" id="id_lesson\d+_themes_\d+" checked', section)
    assert ticked == [str(trust.pk)]
    ids = re.findall(r'id="(id_[^"]+)"', html)
    assert len(ids) == len(set(ids)), "every form's ids are its own"
    response = client.post(
        url("edit", story, two.pk), lesson_data(statement="Two, better.")
    )
    assert response["Location"] == story.get_review_url() + "#lessons"
    assert statements(story) == ["One.", "Two, better."]


def test_a_hostile_statement_is_shown_as_text(client, core, story):
    hostile = "<script>alert('lesson')</script>"
    client.force_login(core)
    client.post(url("add", story), lesson_data(statement=hostile))
    html = client.get(story.get_review_url()).content.decode()
    assert hostile not in html
    assert "&lt;script&gt;alert(&#x27;lesson&#x27;)&lt;/script&gt;" in html


# Telling the authors ------------------------------------------------------------


def test_the_first_lesson_tells_the_authors_once(
    client, core, story, author, django_capture_on_commit_callbacks
):
    co_author = make_member(story.community, email="co@example.org")
    story.authors.add(co_author, make_user(email=""))  # no address: not emailed
    client.force_login(core)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(url("add", story), lesson_data())
    assert len(mails(callbacks)) == 1 and len(mail.outbox) == 1
    email = mail.outbox[0]
    assert sorted(email.to) == ["ari@example.org", "co@example.org"]
    assert "Yarning circles" in email.subject
    assert "Start with a yarn, not a survey." in email.body
    assert f"http://testserver{story.get_review_url()}#lessons" in email.body
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("add", story), lesson_data(statement="Second."))
    assert len(mail.outbox) == 1  # a second lesson tells nobody


def test_nothing_is_sent_before_the_commit(
    client, core, story, django_capture_on_commit_callbacks
):
    client.force_login(core)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(url("add", story), lesson_data())
        assert mail.outbox == []
    assert len(mails(callbacks)) == 1 and mail.outbox == []


def test_a_first_theme_citation_tells_the_authors_once(
    client, core, story, trust, django_capture_on_commit_callbacks
):
    client.force_login(core)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("add", story), lesson_data())
    mail.outbox.clear()
    lesson = story.lessons.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("edit", story, lesson.pk), lesson_data(themes=[trust.pk]))
    assert len(mail.outbox) == 1
    assert "Trust takes time" in mail.outbox[0].subject
    assert "evidence for the learning theme “Trust takes time”" in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("add", story), lesson_data(statement="Two.", themes=[trust.pk]))
    assert len(mail.outbox) == 1  # the same theme again: nothing new


def test_removing_and_adding_again_sends_nothing_new(
    client, core, story, trust, django_capture_on_commit_callbacks
):
    client.force_login(core)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("add", story), lesson_data(themes=[trust.pk]))
    assert len(mail.outbox) == 2  # a lesson, and the theme
    lesson = story.lessons.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("remove", story, lesson.pk))
        client.post(url("add", story), lesson_data(themes=[trust.pk]))
    assert len(mail.outbox) == 2
    assert story.lessons.count() == 1
    assert Citation.objects.filter(story=story).count() == 2


def test_each_story_is_told_for_itself(
    client, core, story, trust, django_capture_on_commit_callbacks
):
    other = make_story(status=Status.PUBLISHED, community=make_community())
    other.authors.add(make_user(email="other@example.org"))
    client.force_login(core)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("add", story), lesson_data(themes=[trust.pk]))
        client.post(url("add", other), lesson_data(themes=[trust.pk]))
    assert sorted(m.to[0] for m in mail.outbox) == [
        "ari@example.org", "ari@example.org", "other@example.org",
        "other@example.org",
    ]  # fmt: skip


# Tied to a practice of the self-assessment ---------------------------------------


def practice(name):
    return Practice.objects.get(version__number=1, name=name)


def test_a_lesson_is_tied_to_a_practice_of_its_stream(client, core, story):
    reflection = practice("Reflection built into the work")  # a Learn practice
    client.force_login(core)
    form = client.get(story.get_review_url()).content.decode()
    assert '<optgroup label="Learn">' in form
    assert f'<option value="{reflection.pk}">Reflection built into the work' in form
    response = client.post(url("add", story), lesson_data(practice=reflection.pk))
    assert response.status_code == 302
    assert story.lessons.get().practice == reflection
    page = client.get(story.get_review_url()).content.decode()
    assert "<dt>Practice</dt><dd>Reflection built into the work" in page
    lesson = story.lessons.get()
    client.post(url("edit", story, lesson.pk), lesson_data(practice=""))
    lesson.refresh_from_db()
    assert lesson.practice is None  # untied again


def test_a_practice_of_another_stream_is_refused_beside_the_field(client, core, story):
    agenda = practice("A shared agenda")  # a Plan practice
    client.force_login(core)
    response = client.post(
        url("add", story),
        lesson_data(practice=agenda.pk, statement="What I typed stays."),
    )
    html = response.content.decode()
    assert response.status_code == 400 and story.lessons.count() == 0
    beside = html.split('id="id_practice_error"', 1)[1].split("</ul>", 1)[0]
    assert "is a practice of Plan, not of Learn" in beside
    assert "What I typed stays." in html


def test_only_the_current_versions_practices_are_offered(client, core, story):
    draft = version_copy(version=FrameworkVersion.objects.get(number=1))
    drafted = draft.practices.get(name="Reflection built into the work")
    client.force_login(core)
    response = client.post(url("add", story), lesson_data(practice=drafted.pk))
    assert response.status_code == 400 and story.lessons.count() == 0
    assert "Choose one of the practices listed." in response.content.decode()


def test_the_admin_too_refuses_a_practice_of_another_stream(story):
    lesson = add_lesson(story, "Plan with families.", 0)  # a Plan lesson
    lesson.practice = practice("Reflection built into the work")  # Learn's
    with pytest.raises(ValidationError) as refused:
        lesson.full_clean()
    assert "practice" in refused.value.message_dict
    lesson.practice = practice("A shared agenda")
    lesson.full_clean()


def test_a_service_call_that_doesnt_name_the_practice_keeps_it(story, core):
    lesson = add_lesson(story, "Plan with families.", 0)
    lesson.practice = practice("A shared agenda")
    lesson.save()
    data = {"statement": "Plan with families, early.", "kind": "works",
            "stream": lesson.stream, "condition": ""}  # fmt: skip
    lesson_update(lesson=lesson, actor=core, data=data)
    lesson.refresh_from_db()
    assert (lesson.statement, lesson.practice) == (
        data["statement"],
        practice("A shared agenda"),
    )


def test_a_lesson_made_in_the_admin_records_its_citations_like_the_review_page(
    client, story, trust, django_capture_on_commit_callbacks
):
    admin_user = get_user_model().objects.create_superuser(
        "root", "root@example.org", "a-long-test-password"
    )
    client.force_login(admin_user)
    plan = Stream.objects.get(slug="plan")
    add = reverse("admin:lessons_lesson_add")
    data = {"story": story.pk, "statement": "Yarn first.", "kind": "works",
            "stream": plan.pk, "condition": "", "position": 0,
            "themes": [trust.pk]}  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(add, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert story.lessons.get().statement == "Yarn first."
    cited = Citation.objects.filter(story=story)
    assert sorted(str(c.theme) for c in cited) == ["None", "Trust takes time"]
    assert len(mail.outbox) == 2  # a lesson, and the theme: as the review page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(add, data | {"statement": "Yarn again."})
    assert len(mail.outbox) == 2 and cited.count() == 2
