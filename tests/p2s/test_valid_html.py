"""Every page in the map is valid HTML by the Nu HTML Checker (npm vnu-jar + Java)."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from communities.models import JoinRequest
from tests.factories import (
    make_community,
    make_image,
    make_member,
    make_story,
    make_user,
)

VNU = (
    Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
)


def require_vnu():
    reason = None
    if not shutil.which("java"):
        reason = "no java on PATH: HTML validation skipped"
    elif not VNU.exists():
        reason = (
            f"vnu-jar not installed at {VNU} (run `npm ci`): HTML validation skipped"
        )
    if reason and os.environ.get("P2S_REQUIRE_TOOLS") == "1":
        pytest.fail(reason)
    if reason:
        pytest.skip(reason)


@pytest.mark.django_db
def test_every_page_is_valid_html(client, tmp_path):
    require_vnu()
    community = make_community(slug="harbour-hills", website="https://example.org/")
    story = make_story(
        slug="drawing-hopes",
        community=community,
        streams=["plan", "learn"],
        tags=["graphic recording"],
        body="# Heading\n\nText with [a link](https://example.org) and a table:\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n![ours](/media/stories/x.png)",
        what_worked="Worked.",
        what_didnt="Didn't.",
        conditions="Conditions.",
        storytellers="Anonymous",
        year=2024,
        is_demo=True,
        is_featured=True,
    )
    make_image(story)
    make_image(story, cover=False)
    make_story(streams=["plan"], tags=["graphic recording"], visibility="collective")
    for _ in range(25):
        make_story(streams=["plan"])
    add_lessons(story)
    shared = add_collections(story)
    pages = {
        "home": "/",
        "stream": "/streams/plan/",
        "browse": "/stories/",
        "browse-page-2": "/stories/?page=2",
        "browse-filtered": "/stories/?stream=plan&tag=graphic-recording",
        "browse-empty": "/stories/?state=TAS",
        "browse-bad": "/stories/?year=abc",
        "search": "/stories/?q=story+%3Cb%3E",
        "search-empty": "/stories/?q=nothing-like-it&state=TAS",
        "story": "/stories/drawing-hopes/",
        "communities": "/communities/",
        "community": "/communities/harbour-hills/",
        "tag": "/tags/graphic-recording/",
        "themes": "/themes/",
        "theme": "/themes/trust/",
        "theme-empty": "/themes/quiet/",
        "collections": "/collections/",
        "collection": "/collections/for-funders/",
        "collection-print": "/collections/for-funders/print/",
        "collection-as-of": "/collections/for-funders/?as_of=2000-01-01",
        "collection-bad-as-of": "/collections/for-funders/?as_of=soon",
        "collection-shared": f"/collections/shared/{shared.share_token}/",
        "stream-no-lessons": "/streams/evaluate/",
        "not-found": "/no-such-page/",
    }
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code in (200, 400, 404), url
        (tmp_path / f"{name}.html").write_bytes(response.content)
    for name, url in {
        "login": "/accounts/login/",
        "signup": "/accounts/signup/",
        "reset": "/accounts/password-reset/",
    }.items():
        (tmp_path / f"{name}.html").write_bytes(client.get(url).content)
    lead = make_member(community, role="lead")
    JoinRequest.objects.create(user=make_user(approved=False), community=community)
    draft = make_story(status="draft", community=community, slug="my-draft")
    draft.authors.add(lead)
    client.force_login(lead)
    member_pages = {
        "me": "/me/",
        "new-story": "/stories/new/",
        "edit-story": "/stories/my-draft/edit/",
        "draft": "/stories/my-draft/",
        "join-requests": "/communities/harbour-hills/join-requests/",
        "bad-story-form": None,
    }
    for name, url in member_pages.items():
        if url is None:
            response = client.post("/stories/new/", {"title": "", "action": "submit"})
            assert response.status_code == 400
        else:
            response = client.get(url)
            assert response.status_code == 200, url
        (tmp_path / f"{name}.html").write_bytes(response.content)
    pages.update(member_pages)
    pages.update(workflow_pages(client, community, lead, tmp_path))
    pages.update(collection_pages(client, story, tmp_path))
    pages.update(assessment_pages(client, community, lead, tmp_path))
    client.force_login(make_user(approved=True))  # a funder: in no community
    response = client.get("/stories/new/")
    assert response.status_code == 403
    (tmp_path / "new-story-no-community.html").write_bytes(response.content)
    pages.update({"login": 1, "signup": 1, "reset": 1, "new-story-no-community": 1})
    errors = vnu_errors(tmp_path)
    assert errors == []
    assert len(list(tmp_path.glob("*.html"))) == len(pages)


def add_lessons(story):
    """A theme with a lesson of every kind in two streams, and one with none."""
    from framework.models import Stream
    from lessons.models import Lesson, Theme

    theme = Theme.objects.create(
        name="Trust takes time", slug="trust", description="First.\n\nSecond."
    )
    Theme.objects.create(name="Quiet", slug="quiet")
    for stream in Stream.objects.filter(slug__in=["plan", "learn"]):
        for kind in ["works", "doesnt_work", "enabling"]:
            lesson = Lesson.objects.create(
                story=story,
                statement=f"A {kind} lesson in {stream.name} & <more>.",
                kind=kind,
                stream=stream,
                condition="common_agenda" if kind == "works" else "",
            )
            lesson.themes.add(theme)


def add_collections(story):
    """A public collection with notes, and a link-only one; returns the latter."""
    from tests.factories import make_collection

    other = make_story(title="Another one", visibility="collective")
    collection = make_collection(
        title="For funders & <friends>",
        slug="for-funders",
        introduction="# Why\n\nThese stories show **patience**.",
        stories=[story, other],
    )
    collection.items.update(note="Read it for the _numbers_.\n\n- one\n- two")
    return make_collection(title="By link", visibility="link", stories=[story])


def collection_pages(client, story, folder):
    """The core team's curating pages, with and without mistakes, and the
    story page with its "Add to a collection" form."""
    from curation.models import Collection
    from tests.factories import make_core

    client.force_login(make_core())
    collection = Collection.objects.get(slug="for-funders")
    archived = make_story(title="Archived one", status="archived")
    collection.items.create(story=archived, position=5, note="Gone now.")
    by_link = Collection.objects.get(visibility="link")
    pages = {
        "collection-new": ("get", "/collections/new/", {}),
        "collection-new-bad": ("post", "/collections/new/", {"slug": "new"}),
        "collection-curate": ("get", collection.get_curate_url(), {}),
        "collection-curate-bad": (
            "post", "/collections/for-funders/stories/", {"story": "nope"}),
        "collection-curate-link": ("get", by_link.get_curate_url(), {}),
        "story-with-add-form": ("get", story.get_absolute_url(), {}),
        "add-to-collection-bad": (
            "post", f"/collections/add-story/{story.slug}/", {"collection": ""}),
    }  # fmt: skip
    saved = {}
    for name, (method, url, data) in pages.items():
        response = getattr(client, method)(url, data)
        assert response.status_code in (200, 400), url
        (folder / f"{name}.html").write_bytes(response.content)
        saved[name] = url
    return saved


def workflow_pages(client, community, lead, folder):
    """The moderation queue, the review page with everything on it, the
    confirmation pages, the conflict page and /me/ with sign-offs waiting."""
    from stories.models import StoryComment, StoryFlag
    from stories.services import record_revision, snapshot_of
    from stories.workflow import story_transition
    from tests.factories import make_core

    core = make_core(name="Casey Core")
    review = make_story(status="submitted", community=community, slug="in-review",
                        consent=True, body="First words.")  # fmt: skip
    review.authors.add(lead)
    record_revision(review, lead, snapshot_of(review))
    review.body = "Second words.\n\nMore."
    review.save()
    record_revision(review, lead, snapshot_of(review))
    StoryComment.objects.create(story=review, author=core, body="Looks <good>.")
    from framework.models import Stream
    from lessons.models import Lesson, Theme

    lesson = Lesson.objects.create(  # its edit form is folded on the review page
        story=review, statement="Ask <first>.", kind="works",
        stream=Stream.objects.get(slug="plan"),
    )  # fmt: skip
    lesson.themes.add(*Theme.objects.all())
    story_transition(story=review, actor=core, action="send_for_signoff")
    live = make_story(community=community, slug="live-story", consent=True)
    live.authors.add(lead)
    StoryFlag.objects.create(story=live, reporter=lead, reason="Please check")
    staged = record_revision(live, lead, {**snapshot_of(live), "body": "Staged."},
                             kind="staged")  # fmt: skip
    live.staged_revision = staged
    live.save()
    draft = make_story(status="draft", community=community, slug="clash")
    draft.authors.add(lead)
    client.force_login(core)
    pages = {
        "queue": ("get", "/moderation/", {}),
        "queue-signoff": ("get", "/moderation/?state=awaiting_signoff", {}),
        "review-diff": ("get", "/moderation/in-review/?a=1&b=2", {}),
        "review-staged": ("get", "/moderation/live-story/", {}),
        "confirm-archive": ("get", "/moderation/live-story/do/archive/", {}),
        "confirm-archive-bad": ("post", "/moderation/live-story/do/archive/", {}),
        "review-bad-lesson-edit": (
            "post",
            f"/moderation/in-review/lessons/{lesson.pk}/",
            {"statement": "Typed <words>.", "kind": ""},
        ),
        "synthesis": ("get", "/synthesis/", {}),
    }
    saved = {}
    for name, (method, url, data) in pages.items():
        response = getattr(client, method)(url, data)
        assert response.status_code in (200, 400), url
        (folder / f"{name}.html").write_bytes(response.content)
        saved[name] = url
    client.force_login(lead)
    response = client.get("/me/")
    assert "Waiting for your sign-off" in response.content.decode()
    (folder / "me-signoff.html").write_bytes(response.content)
    response = client.post(
        "/stories/clash/edit/",
        {"title": "Clash", "summary": "S", "body": "Mine", "community": community.pk,
         "streams": ["plan"], "primary_stream": "plan", "visibility": "public",
         "version": 0, "action": "draft"},
    )  # fmt: skip
    assert response.status_code == 409
    (folder / "conflict.html").write_bytes(response.content)
    response = client.post("/stories/live-story/flag/", {"reason": ""})
    assert response.status_code == 400
    (folder / "flag-bad.html").write_bytes(response.content)
    saved.update({"me-signoff": 1, "conflict": 1, "flag-bad": 1})
    return saved


def assessment_pages(client, community, lead, folder):
    """A community's self-assessments: a closed one with targets, a closed and
    shared one since (its results compare), an open one; each page of them,
    the forms with mistakes, a group's conflict, and the national picture."""
    from framework.models import Practice
    from tests.factories import make_assessment_history, make_core

    closed, current = make_assessment_history(
        community,
        lead,
        first="First & <workshop>",
        evidence="We met & <talked>.\n\nThen wrote it down.",
    )
    group = current.groups.first()
    gap = Practice.objects.filter(version=closed.version).first()  # level 1
    base, done = current.get_absolute_url(), {"done": "1", "revision": "0"}
    client.force_login(lead)
    pages = {
        "assessments": ("get", "/assessments/", {}, 200),
        "assessment-new": ("get", "/assessments/new/", {}, 200),
        "assessment-new-bad": ("post", "/assessments/new/", {"title": ""}, 400),
        "assessment-open": ("get", base, {}, 200),
        "assessment-group": ("get", group.get_absolute_url(), {}, 200),
        "assessment-group-bad": ("post", group.get_absolute_url(), done, 400),
        "assessment-group-conflict": (
            "post", group.get_absolute_url(), {"revision": "7"}, 409),
        "assessment-group-add": ("get", f"{base}groups/new/", {}, 200),
        "assessment-group-add-bad": ("post", f"{base}groups/new/", {"name": ""}, 400),
        "assessment-closed": ("get", closed.get_absolute_url(), {}, 200),
        "assessment-group-closed": (
            "get", closed.groups.first().get_absolute_url(), {}, 200),
        "assessment-gap": ("get", f"/assessments/{closed.pk}/gaps/{gap.pk}/", {}, 200),
        "assessment-print": ("get", f"/assessments/{closed.pk}/print/", {}, 200),
    }  # fmt: skip
    saved = {}
    for name, (method, url, data, status) in pages.items():
        response = getattr(client, method)(url, data)
        assert response.status_code == status, url
        (folder / f"{name}.html").write_bytes(response.content)
        saved[name] = url
    client.force_login(make_core())
    for name, url in {
        "assessment-national": "/assessments/national/",
        "assessment-group-read-only": group.get_absolute_url(),
    }.items():
        response = client.get(url)
        assert response.status_code == 200, url
        (folder / f"{name}.html").write_bytes(response.content)
        saved[name] = url
    return saved


def vnu_errors(folder):
    """The Nu HTML Checker's errors on every page saved in `folder` (their
    SVG too), as "file:line: message"."""
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", "--exit-zero-always",
         "--also-check-svg", str(folder)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    messages = json.loads(result.stderr)["messages"]
    return [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] == "error" or m.get("subType") == "fatal"
    ]
