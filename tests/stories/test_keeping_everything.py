"""Submitting without losing anything: every error of the story form in one
round, with a summary linking to each field; an image sent with a form that
had a problem kept for its sender (cleaned, shown back to them alone, never
asked for again, expired after a while); image slots added one at a time,
without JavaScript too; the live preview drawn as the story page is."""

import io
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from stories.models import PendingUpload, Story, StoryImage
from stories.pending import PENDING_MAX, pending_uploads_expire
from tests.factories import make_core, make_member, make_story, png_bytes, story_data
from tests.stories import hostile_images as hostile

pytestmark = pytest.mark.django_db
NEW = reverse("stories:new")


@pytest.fixture
def author_client(client, author):
    client.force_login(author)
    return client


def picture(data=None, name="cover.png", content_type="image/png"):
    return SimpleUploadedFile(
        name, data or png_bytes((64, 36)), content_type=content_type
    )


def kept_token(response, prefix="cover"):
    marker = f'name="{prefix}_pending" value="'
    start = response.text.index(marker) + len(marker)
    return response.text[start : start + 32]


# Every error at once ---------------------------------------------------------


def test_every_error_comes_in_one_round_with_a_summary_linking_to_each(
    author_client, community
):
    data = story_data(community, action="submit", title="", streams=[],
                      cover_image=picture(), gallery_1_alt="Alt without a file",
                      image_slots="2")  # fmt: skip
    response = author_client.post(NEW, data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"title", "streams", "consent", "cover_alt",
                           "cover_credit"}  # fmt: skip
    summary = response.text[: response.text.index('<form method="post" enctype')]
    for anchor in ["id_title", "id_streams_0", "id_consent", "id_cover_alt",
                   "id_cover_credit"]:  # fmt: skip
        assert f'href="#{anchor}"' in summary, anchor
    assert "Confirm consent before you submit" in summary
    assert Story.objects.count() == 0


def test_consent_is_not_asked_for_a_draft(author_client, community):
    response = author_client.post(NEW, story_data(community, title=""))
    assert "consent" not in response.context["form"].errors


# An image survives a failed submit ------------------------------------------


def test_an_image_sent_with_a_form_that_failed_is_kept_and_not_asked_again(
    author_client, author, community, django_capture_on_commit_callbacks
):
    data = story_data(community, action="submit", cover_image=picture(),
                      cover_alt="A blue field", cover_credit="Photo: Ari")  # fmt: skip
    response = author_client.post(NEW, data)  # no consent
    assert response.status_code == 400
    kept = PendingUpload.objects.get()
    assert kept.owner == author and (kept.width, kept.height) == (64, 36)
    assert kept.image.name.startswith("pending/")
    token = kept_token(response)
    assert token == kept.token
    assert "Cover image: kept from your last try." in response.text
    assert f'src="{reverse("stories:pending-image", args=[token])}"' in response.text
    assert 'alt="A blue field"' in response.text
    assert "Your images are kept (cover image)" in response.text
    # the second try sends no file, only the token: the story gets the image
    again = story_data(community, action="submit", consent="on", cover_pending=token,
                       cover_alt="A blue field", cover_credit="Photo: Ari")  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        assert author_client.post(NEW, again).status_code == 302
    story = Story.objects.get()
    cover = story.images.get()
    assert cover.is_cover and cover.alt_text == "A blue field"
    assert (cover.width, cover.height) == (64, 36)
    assert default_storage.exists(cover.image.name)
    assert not PendingUpload.objects.exists()
    assert not default_storage.exists(kept.image.name)


def test_a_kept_image_still_needs_its_alt_text_and_credit(author_client, community):
    first = author_client.post(NEW, story_data(community, cover_image=picture()))
    token = kept_token(first)
    errors = first.context["form"].errors
    assert "cover_alt" in errors and "cover_credit" in errors
    second = author_client.post(NEW, story_data(community, cover_pending=token))
    assert second.status_code == 400
    assert "Describe the image" in second.context["form"].errors["cover_alt"][0]
    assert kept_token(second) == token and PendingUpload.objects.count() == 1


def test_a_kept_image_is_cleaned_like_every_image(author_client, community):
    gps = picture(hostile.jpeg_with_gps_and_comment(), "gps.jpg", "image/jpeg")
    author_client.post(NEW, story_data(community, title="", cover_image=gps))
    kept = PendingUpload.objects.get()
    with kept.image.open("rb") as handle:
        data = handle.read()
    assert b"secret comment" not in data and b"SpyCam" not in data
    assert not Image.open(io.BytesIO(data)).getexif()
    assert kept.image.name.endswith(".jpg") and "gps" not in kept.image.name


def test_a_kept_image_is_shown_to_its_sender_and_nobody_else(
    author_client, author, community
):
    author_client.post(NEW, story_data(community, title="", cover_image=picture()))
    kept = PendingUpload.objects.get()
    url = reverse("stories:pending-image", args=[kept.token])
    response = author_client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "private, no-store"
    for other in [None, make_member(community), make_core()]:
        client = Client()
        if other is not None:
            client.force_login(other)
        assert client.get(url).status_code == 404
        assert client.get(f"/media/{kept.image.name}").status_code == 404
    assert author_client.post(url).status_code == 405


def test_someone_elses_token_is_ignored(client, author, community):
    thief = make_member(community)
    client.force_login(author)
    client.post(NEW, story_data(community, title="", cover_image=picture()))
    token = PendingUpload.objects.get().token
    client.force_login(thief)
    data = story_data(community, cover_pending=token, cover_alt="Mine now",
                      cover_credit="Me")  # fmt: skip
    assert client.post(NEW, data).status_code == 302
    assert StoryImage.objects.count() == 0 and PendingUpload.objects.count() == 1


def test_a_kept_image_can_be_let_go(author_client, community):
    first = author_client.post(
        NEW, story_data(community, title="", cover_image=picture())
    )
    data = story_data(community, cover_pending=kept_token(first), cover_discard="on")
    assert author_client.post(NEW, data).status_code == 302
    assert StoryImage.objects.count() == 0


def test_a_refused_file_keeps_the_image_kept_before(author_client, community):
    first = author_client.post(
        NEW, story_data(community, title="", cover_image=picture())
    )
    token = kept_token(first)
    bad = picture(hostile.SVG_WITH_SCRIPT, "x.svg", "image/svg+xml")
    second = author_client.post(
        NEW, story_data(community, cover_pending=token, cover_image=bad)
    )
    assert second.status_code == 400
    assert (
        "Upload a JPEG, PNG or WebP" in second.context["form"].errors["cover_image"][0]
    )
    assert kept_token(second) == token


def test_kept_images_expire_and_nobody_keeps_too_many(
    author_client, author, community, django_capture_on_commit_callbacks
):
    for _ in range(PENDING_MAX + 2):
        author_client.post(NEW, story_data(community, title="", cover_image=picture()))
    assert PendingUpload.objects.filter(owner=author).count() == PENDING_MAX
    PendingUpload.objects.update(created_at=timezone.now() - timedelta(hours=25))
    old = PendingUpload.objects.first()
    response = author_client.post(
        NEW, story_data(community, title="", cover_pending=old.token)
    )
    assert "kept from your last try" not in response.text  # expired: not shown
    with django_capture_on_commit_callbacks(execute=True):
        assert pending_uploads_expire() == PENDING_MAX
    assert not PendingUpload.objects.exists()
    assert not default_storage.exists(old.image.name)


def test_a_conflict_keeps_the_image_too(client, author, community):
    story = make_story(status="draft", community=community, slug="clash")
    story.authors.add(author)
    client.force_login(author)
    data = story_data(community, version=0, cover_image=picture(),
                      cover_alt="Alt", cover_credit="Me")  # fmt: skip
    response = client.post(reverse("stories:edit", args=["clash"]), data)
    assert response.status_code == 409
    assert kept_token(response) == PendingUpload.objects.get().token


# Image slots, one at a time --------------------------------------------------


def test_the_form_starts_with_one_image_slot(author_client):
    html = author_client.get(NEW).content.decode()
    assert 'id="slot-cover" data-image-slot>' in html
    assert 'id="slot-gallery_1" data-image-slot hidden>' in html
    assert 'name="image_slots" value="1"' in html
    assert 'value="add_image"' in html and "Add another image" in html


def test_add_another_image_posts_back_without_javascript_keeping_everything(
    author_client, community
):
    data = story_data(community, title="Typed title", action="add_image",
                      cover_image=picture(), cover_alt="A blue field")  # fmt: skip
    response = author_client.post(NEW, data)
    assert response.status_code == 200
    assert Story.objects.count() == 0
    assert (
        "There is a problem" not in response.text and "errorlist" not in response.text
    )
    assert 'value="Typed title"' in response.text and "A blue field" in response.text
    assert 'name="image_slots" value="2"' in response.text
    assert 'id="slot-gallery_1" data-image-slot>' in response.text
    assert 'id="slot-gallery_2" data-image-slot hidden>' in response.text
    token = kept_token(response)
    data = story_data(community, action="add_image", image_slots="3",
                      cover_pending=token)  # fmt: skip
    response = author_client.post(NEW, data)
    assert 'id="slot-gallery_3" data-image-slot>' in response.text
    assert "Add another image" not in response.text  # all four are shown
    assert kept_token(response) == token


def test_slots_in_use_are_always_shown(author_client, community):
    data = story_data(community, title="", gallery_2_alt="Typed for the second")
    response = author_client.post(NEW, data)
    assert 'id="slot-gallery_2" data-image-slot>' in response.text
    assert response.context["form"].slot_count == 3


def test_a_gallery_image_goes_to_the_gallery(author_client, community):
    data = story_data(community, image_slots="2", gallery_1_image=picture(),
                      gallery_1_alt="Second", gallery_1_credit="Me")  # fmt: skip
    assert author_client.post(NEW, data).status_code == 302
    image = StoryImage.objects.get()
    assert not image.is_cover and image.alt_text == "Second"


def test_enter_in_a_field_saves_rather_than_adding_a_slot(author_client):
    html = author_client.get(NEW).content.decode()
    form = html[html.index('<form method="post" enctype') :]
    first_button = form[form.index("<button") : form.index("</button>")]
    assert 'value="draft"' in first_button


# The preview -----------------------------------------------------------------


def test_the_preview_is_drawn_with_the_story_pages_classes(author_client):
    html = author_client.get(NEW).content.decode()
    assert 'class="markdownx story-editor"' in html
    assert '<div class="markdownx-preview prose story__body">' in html
    page = make_story(body="## Heading\n\n- one\n- two")
    story_html = Client().get(page.get_absolute_url()).content.decode()
    assert '<div class="prose story__body">' in story_html
    preview = author_client.post(
        reverse("markdownx_markdownify"), {"content": "## Heading\n\n- one\n- two"}
    ).content.decode()
    body = story_html[story_html.index('<div class="prose story__body">') :]
    assert body.startswith('<div class="prose story__body">' + preview.strip()[:40])
