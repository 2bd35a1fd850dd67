import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from stories.models import EditorImage, PendingUpload, Story, StoryImage
from tests.factories import (
    make_community,
    make_member,
    make_story,
    make_user,
    png_bytes,
    story_data,
)
from tests.stories import hostile_images as hostile

pytestmark = pytest.mark.django_db
NEW = reverse("stories:new")


@pytest.fixture
def author_client(client, author):
    client.force_login(author)
    return client


def image_file(data=None, name="cover.png", content_type="image/png"):
    return SimpleUploadedFile(
        name, data or png_bytes((64, 36)), content_type=content_type
    )


# Who may ------------------------------------------------------------------------


def test_visitors_are_sent_to_sign_in_and_nothing_is_written(client, community):
    response = client.get(NEW)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = client.post(NEW, story_data(community))
    assert response.status_code == 302
    assert Story.objects.count() == 0


def test_pending_accounts_cannot_submit(client, community):
    pending = make_member(community, approved=False)
    client.force_login(pending)
    assert client.get(NEW).status_code == 403
    assert (
        client.post(
            NEW, story_data(community, action="submit", consent="on")
        ).status_code
        == 403
    )
    assert Story.objects.count() == 0


def test_an_approved_account_without_a_community_cannot_submit(client, community):
    client.force_login(make_user(approved=True))
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, story_data(community)).status_code == 403
    assert Story.objects.count() == 0


def test_nobody_posts_for_a_community_they_dont_belong_to(author_client):
    other = make_community(name="Elsewhere")
    response = author_client.post(NEW, story_data(other))
    assert response.status_code == 400
    assert "valid choice" in str(response.context["form"].errors["community"])
    assert Story.objects.count() == 0


# Saving and submitting ----------------------------------------------------------


def test_a_member_saves_a_draft_without_consent(author_client, author, community):
    co_author = make_member(community, name="Cleo Co")
    data = story_data(community, co_authors=[co_author.pk])
    data["cover_image"] = image_file()
    data["cover_alt"] = "A blue rectangle"
    data["cover_credit"] = "Photo: Ari"
    response = author_client.post(NEW, data)
    assert response.status_code == 302 and response["Location"] == reverse("me")
    story = Story.objects.get()
    assert story.status == "draft" and not story.consent
    assert story.slug == "drawing-our-hopes"
    assert set(story.authors.all()) == {author, co_author}
    assert story.primary_stream.slug == "plan"
    assert [link.stream.slug for link in story.ordered_stream_links] == [
        "plan",
        "communicate",
    ]
    assert sorted(t.name for t in story.tags.all()) == [
        "Graphic Recording",
        "community voice",
    ]
    assert story.year == 2024 and story.storytellers == "A parent (anonymous)"
    cover = story.images.get()
    assert (
        cover.is_cover
        and cover.alt_text == "A blue rectangle"
        and cover.credit == "Photo: Ari"
    )
    assert (cover.width, cover.height) == (64, 36)
    me = author_client.get(reverse("me")).content.decode()
    assert "Drawing our hopes" in me and "Draft" in me


def test_tags_are_one_whatever_their_case(author_client, community):
    make_story(tags=["Graphic Recording"])
    author_client.post(NEW, story_data(community, tags="graphic recording"))
    from taggit.models import Tag

    assert Tag.objects.filter(name__iexact="graphic recording").count() == 1


def test_submitting_needs_consent_and_keeps_what_was_typed(author_client, community):
    response = author_client.post(NEW, story_data(community, action="submit"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Confirm consent before you submit" in html
    assert 'id="id_consent_error"' in html
    assert 'value="Drawing our hopes"' in html
    assert "We **gathered**." in html
    assert "Graphic Recording, community voice" in html
    assert Story.objects.count() == 0
    response = author_client.post(
        NEW, story_data(community, action="submit", consent="on")
    )
    assert response.status_code == 302
    story = Story.objects.get()
    assert story.status == "submitted" and story.consent


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"title": ""}, "title", "required"),
        ({"title": "t" * 151}, "title", "at most 150"),
        ({"title": "A bell\x07 rang"}, "title", "invisible control character"),
        ({"summary": "Tabs\tand\x1bescapes"}, "summary", "invisible control"),
        ({"body": "Text\x0cwith a form feed"}, "body", "invisible control"),
        ({"summary": "s" * 301}, "summary", "at most 300"),
        ({"body": "b" * 50_001}, "body", "at most 50000"),
        ({"streams": []}, "streams", "required"),
        ({"primary_stream": "learn"}, "primary_stream", "from the streams you ticked"),
        ({"streams": ["nope"]}, "streams", "valid choice"),
        ({"year": "-1"}, "year", "greater than or equal to 1990"),
        ({"year": "abc"}, "year", "whole number"),
        ({"tags": ", ".join(f"t{n}" for n in range(11))}, "tags", "at most 10"),
        ({"tags": "x" * 60}, "tags", "under 50"),
        ({"visibility": "secret"}, "visibility", "valid choice"),
        (
            {"body": "![Describe this image](/media/uploads/x.png)"},
            "body",
            "Describe each image",
        ),
    ],
)
def test_bad_input_is_explained_beside_its_field(
    author_client, community, overrides, field, message
):
    response = author_client.post(NEW, story_data(community, **overrides))
    assert response.status_code == 400
    errors = " ".join(response.context["form"].errors[field])
    assert message in errors, errors
    assert f'id="id_{field}_error"' in response.content.decode()
    assert Story.objects.count() == 0


def test_co_authors_must_belong_to_the_story_community(
    author_client, author, community
):
    other = make_community()
    outsider = make_member(other)
    # the author belongs to both, so the outsider is offered, but not for this community
    from communities.models import Membership

    Membership.objects.create(user=author, community=other)
    response = author_client.post(NEW, story_data(community, co_authors=[outsider.pk]))
    assert response.status_code == 400
    errors = " ".join(response.context["form"].errors["co_authors"])
    assert "isn't a member of Harbour Hills" in errors


@pytest.mark.parametrize(
    "data, name, message", hostile.REFUSED, ids=hostile.REFUSED_IDS
)
def test_hostile_images_get_a_form_error_never_a_500(
    author_client, community, data, name, message
):
    post = story_data(
        community,
        cover_image=image_file(data, name),
        cover_alt="Alt",
        cover_credit="Me",
    )
    response = author_client.post(NEW, post)
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["cover_image"])
    assert 'href="#id_cover_image"' in response.text  # the summary links to it
    assert Story.objects.count() == 0 and StoryImage.objects.count() == 0
    assert not PendingUpload.objects.exists()  # a refused file is never kept


def test_a_jpeg_with_gps_is_cleaned_on_upload(author_client, community):
    post = story_data(
        community,
        cover_image=image_file(
            hostile.jpeg_with_gps_and_comment(), "gps.jpg", "image/jpeg"
        ),
        cover_alt="Alt",
        cover_credit="Me",
    )
    assert author_client.post(NEW, post).status_code == 302
    image = StoryImage.objects.get()
    with image.image.open("rb") as handle:
        data = handle.read()
    assert b"secret comment" not in data and b"SpyCam" not in data
    assert not Image.open(io.BytesIO(data)).getexif()
    assert image.image.name.endswith(".jpg") and "gps" not in image.image.name


def test_an_image_needs_alt_text_and_credit(author_client, community):
    response = author_client.post(NEW, story_data(community, cover_image=image_file()))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "Describe the image" in errors["cover_alt"][0]
    assert "who made the image" in errors["cover_credit"][0]


def test_unicode_works_everywhere(author_client, community):
    title = "Kōrero 🌱 حكاية\u200b" + " ok"
    word = "w" * 500
    response = author_client.post(
        NEW,
        story_data(
            community,
            title=title,
            summary=f"مرحبا {word}"[:300],
            body=f"נחמד 👶🏽 {word}",
            tags="café, ümlaut, حكاية",
        ),
    )
    assert response.status_code == 302
    story = Story.objects.get()
    assert story.title == title and word in story.body
    page = author_client.get(story.get_absolute_url())
    assert title in page.content.decode()
    Story.objects.filter(pk=story.pk).update(
        status="published", consent=True, published_at="2026-01-01T00:00Z"
    )
    for tag in story.tags.all():
        assert Client().get(reverse("stories:tag", args=[tag.slug])).status_code == 200


# Editing ------------------------------------------------------------------------


def draft_by(author, community, **fields):
    story = make_story(status="draft", community=community, **fields)
    story.authors.add(author)
    return story


def test_authors_and_co_authors_edit_their_drafts(client, author, community):
    co_author = make_member(community)
    story = draft_by(author, community, title="Old title")
    story.authors.add(co_author)
    client.force_login(co_author)
    url = reverse("stories:edit", args=[story.slug])
    page = client.get(url)
    assert page.status_code == 200 and b'value="Old title"' in page.content
    response = client.post(
        url, story_data(community, title="New title", co_authors=[author.pk], version=1)
    )
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.title == "New title" and story.slug == story.slug
    assert set(story.authors.all()) == {author, co_author}


def test_the_community_lead_can_edit_its_drafts(client, author, community):
    story = draft_by(author, community)
    client.force_login(make_member(community, role="lead"))
    assert client.get(reverse("stories:edit", args=[story.slug])).status_code == 200


@pytest.mark.parametrize(
    "who", ["other-member", "member-of-same-community", "pending-author"]
)
def test_others_cannot_see_or_edit_a_draft(client, author, community, who):
    story = draft_by(author, community, title="Private draft")
    if who == "other-member":
        client.force_login(make_member(make_community()))
    elif who == "member-of-same-community":
        client.force_login(make_member(community))
    else:
        author.is_approved = False
        author.save()
        client.force_login(author)
    edit = reverse("stories:edit", args=[story.slug])
    expected = 403 if who == "pending-author" else 404
    assert client.get(edit).status_code == expected
    assert (
        client.post(edit, story_data(community, title="Hacked", version=1)).status_code
        == expected
    )
    if who != "pending-author":
        assert client.get(story.get_absolute_url()).status_code == 404
    story.refresh_from_db()
    assert story.title == "Private draft"


def test_a_submitted_story_is_no_longer_editable_by_its_author(
    author_client, author, community
):
    story = make_story(status="submitted", community=community)
    story.authors.add(author)
    url = reverse("stories:edit", args=[story.slug])
    assert author_client.get(url).status_code == 404
    assert author_client.post(url, story_data(community)).status_code == 404


def test_an_author_can_read_their_own_draft(author_client, author, community):
    story = draft_by(author, community, title="Mine")
    response = author_client.get(story.get_absolute_url())
    assert response.status_code == 200
    assert b"Not published (Draft)" in response.content
    assert response["Cache-Control"] == "private, no-store"


def test_me_lists_my_stories_by_status(author_client, author, community):
    draft_by(author, community, title="A draft")
    submitted = make_story(status="submitted", community=community, title="Sent in")
    submitted.authors.add(author)
    make_story(title="Not mine")
    html = author_client.get(reverse("me")).content.decode()
    assert "A draft" in html and "Sent in" in html and "Not mine" not in html
    assert html.index("Draft") < html.index("A draft")
    assert html.index("Submitted") < html.index("Sent in")


def test_me_groups_my_stories_in_the_order_of_the_workflow(
    author_client, author, community
):
    # touched last, so newest: still listed after the earlier states
    for status in ["published", "draft", "submitted", "withdrawn"][::-1]:
        story = make_story(status=status, community=community, title=f"A {status}")
        story.authors.add(author)
    groups = list(author_client.get(reverse("me")).context["by_status"])
    assert groups == ["Draft", "Submitted", "Published", "Withdrawn"]


# The editor's endpoints ---------------------------------------------------------

PREVIEW = reverse("markdownx_markdownify")
UPLOAD = reverse("markdownx_upload")


@pytest.mark.parametrize("who", ["anonymous", "pending"])
def test_editor_endpoints_refuse_visitors_and_pending_accounts(client, who, community):
    if who == "pending":
        client.force_login(make_member(community, approved=False))
    assert client.post(PREVIEW, {"content": "# hi"}).status_code == 403
    response = client.post(UPLOAD, {"image": image_file()})
    assert response.status_code == 403
    assert EditorImage.objects.count() == 0


def test_preview_goes_through_the_sanitising_renderer(author_client):
    response = author_client.post(
        PREVIEW, {"content": "**hi** <script>alert(1)</script>"}
    )
    assert response.status_code == 200
    assert b"<strong>hi</strong>" in response.content
    assert b"<script>" not in response.content and b"&lt;script&gt;" in response.content
    assert author_client.post(PREVIEW, {}).status_code == 200  # no content, no 500
    assert author_client.post(PREVIEW, {"content": "x" * 60_001}).status_code == 413
    assert author_client.get(PREVIEW).status_code == 405


def test_upload_goes_through_the_image_pipeline(author_client, author):
    response = author_client.post(
        UPLOAD, {"image": image_file(hostile.jpeg_with_gps_and_comment(), "gps.jpg")}
    )
    assert response.status_code == 200
    code = response.json()["image_code"]
    assert code.startswith("![Describe this image](/media/uploads/")
    image = EditorImage.objects.get()
    assert image.owner == author
    with image.image.open("rb") as handle:
        assert b"SpyCam" not in handle.read()
    bad = author_client.post(
        UPLOAD, {"image": image_file(hostile.SVG_WITH_SCRIPT, "x.svg")}
    )
    assert bad.status_code == 400
    assert "Upload a JPEG, PNG or WebP" in bad.json()["image"][0]
    assert EditorImage.objects.count() == 1


def test_uploaded_images_are_private_until_a_readable_story_uses_them(
    author_client, author, community
):
    code = author_client.post(UPLOAD, {"image": image_file()}).json()["image_code"]
    url = code[code.index("(") + 1 : -1]
    response = author_client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"  # only its owner's
    assert Client().get(url).status_code == 404
    body = code.replace("Describe this image", "A blue box")
    author_client.post(NEW, story_data(community, body=f"Look: {body}"))
    story = Story.objects.get()
    assert Client().get(url).status_code == 404  # still a draft
    Story.objects.filter(pk=story.pk).update(
        status="published", consent=True, published_at="2026-01-01T00:00Z"
    )
    response = Client().get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=3600"  # a public story's


def test_a_deleted_account_s_images_stay_in_its_published_story(
    author_client, author, community, django_capture_on_commit_callbacks
):
    """The editor's images outlive their uploader: a published story keeps its
    pictures; an image no story uses goes with the daily sweep, file and all."""
    from django.core.files.storage import default_storage
    from django.core.management import call_command

    used = author_client.post(UPLOAD, {"image": image_file()}).json()["image_code"]
    unused = author_client.post(UPLOAD, {"image": image_file()}).json()["image_code"]
    used_url, unused_url = (code[code.index("(") + 1 : -1] for code in (used, unused))
    body = used.replace("Describe this image", "A blue box")
    author_client.post(NEW, story_data(community, body=f"Look: {body}"))
    Story.objects.update(
        status="published", consent=True, published_at="2026-01-01T00:00Z"
    )
    author.delete()
    assert EditorImage.objects.count() == 2
    assert set(EditorImage.objects.values_list("owner", flat=True)) == {None}
    assert Client().get(used_url).status_code == 200  # the story keeps it
    assert Client().get(unused_url).status_code == 404
    orphan = EditorImage.objects.get(stories=None).image.name
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("expire_pending_uploads", stdout=out)
    assert "1 image of deleted accounts that no story uses deleted." in out.getvalue()
    assert EditorImage.objects.get().stories.exists()  # only the used one is left
    assert not default_storage.exists(orphan)
    assert Client().get(used_url).status_code == 200
