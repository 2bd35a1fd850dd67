"""The pages of the changes-requested loop, the story form that keeps
everything and the review page that shows everything are valid HTML by the
Nu HTML Checker (tests/p2s/test_valid_html.py's, reused)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from communities.models import JoinRequest
from stories.services import record_revision, snapshot_of
from stories.workflow import story_transition
from tests.factories import (
    make_collection,
    make_image,
    make_member,
    make_story,
    make_user,
    png_bytes,
    story_data,
)
from tests.p2s.test_valid_html import require_vnu, vnu_errors

pytestmark = pytest.mark.django_db


def save(folder, name, response, status=200):
    assert response.status_code == status, name
    (folder / f"{name}.html").write_bytes(response.content)


def picture():
    return SimpleUploadedFile("cover.png", png_bytes((64, 36)), "image/png")


def test_the_changed_story_pages_are_valid_html(
    client, tmp_path, community, author, lead, core
):
    require_vnu()
    story = make_story(
        status="submitted", community=community, slug="dads", consent=True,
        title="Dads & <footy>", body="## Then\n\n- one\n- two\n\nWe met.",
        tags=["fathers"], streams=["learn", "plan"], what_worked="Coffee.",
        storytellers="A dad", year=2024,
    )  # fmt: skip
    story.authors.add(author)
    make_image(story, alt_text="Dads on the oval")
    make_image(story, cover=False, alt_text="A ball")
    record_revision(story, author, snapshot_of(story))
    story_transition(story=story, actor=core, action="request_changes",
                     note="Say what the dads said.")  # fmt: skip
    waiting = make_story(status="awaiting_signoff", community=community)
    waiting.authors.add(author)
    JoinRequest.objects.create(user=make_user(approved=False), community=community)
    pages = {}

    client.force_login(author)
    edit = reverse("stories:edit", args=["dads"])
    pages["me-actions"] = client.get("/me/")
    pages["edit-changes-requested"] = client.get(edit)
    data = story_data(community, version=story.version, title="",
                      action="submit", cover_image=picture(),
                      body="We met.\n\nOne dad said: *yes*.")  # fmt: skip
    pages["edit-errors-kept-image"] = (client.post(edit, data), 400)
    data = story_data(community, action="add_image", cover_image=picture(),
                      cover_alt="A blue field")  # fmt: skip
    pages["new-another-slot"] = client.post("/stories/new/", data)
    data = story_data(community, version=story.version, action="submit",
                      consent="on", reply="Added their words & <more>.",
                      body="## Then\n\n- one\n- two\n\nWe met, and talked.",
                      )  # fmt: skip
    assert client.post(edit, data).status_code == 302
    pages["withdraw-not-confirmed"] = (
        client.post(reverse("moderation:transition", args=["dads", "withdraw"]), {}),
        400,
    )

    client.force_login(core)
    pages["review-everything"] = client.get("/moderation/dads/?a=1&b=2")
    pages["confirm-reject"] = client.get("/moderation/dads/do/reject/")
    reject = client.post("/moderation/dads/do/reject/", {"reject-note": ""})
    pages["reject-not-confirmed"] = (reject, 400)
    published = make_story(community=community, slug="live", consent=True)
    staged = {**snapshot_of(published), "body": "A staged edit.", "tags": ["new"]}
    published.staged_revision = record_revision(published, core, staged, "staged")
    published.save()
    pages["review-staged"] = client.get("/moderation/live/")

    client.force_login(lead)
    pages["me-lead"] = client.get("/me/")
    make_collection(title="Members & <friends>", visibility="collective",
                    stories=[published])  # fmt: skip
    client.force_login(make_user())
    pages["me-funder"] = client.get("/me/")

    for name, answer in pages.items():
        response, status = answer if isinstance(answer, tuple) else (answer, 200)
        save(tmp_path, name, response, status)
    assert vnu_errors(tmp_path) == []
    assert len(list(tmp_path.glob("*.html"))) == len(pages)


def test_a_member_in_no_community_is_a_reader_here_too(client, community):
    member = make_member(community)
    client.force_login(member)
    html = client.get("/me/").content.decode()
    assert "Collections for you" not in html and "Stories I'm writing" in html
