import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from stories.images import MAX_SIDE, clean_image, rendition_name
from tests.factories import make_image, make_story
from tests.stories import hostile_images as hostile


def upload(data, name):
    return ContentFile(data, name=name)


def reopen(clean):
    return Image.open(io.BytesIO(clean.content.read()))


def test_jpeg_loses_gps_exif_and_comment():
    clean = clean_image(upload(hostile.jpeg_with_gps_and_comment(), "me.jpg"))
    data = clean.content.read()
    assert b"secret comment" not in data and b"SpyCam" not in data
    picture = Image.open(io.BytesIO(data))
    assert picture.format == "JPEG"
    assert not picture.getexif()
    assert "comment" not in picture.info and "exif" not in picture.info
    assert clean.name.startswith("stories/") and clean.name.endswith(".jpg")
    assert "me" not in clean.name.removeprefix("stories/")


def test_png_loses_text_and_xmp_chunks_and_keeps_transparency():
    clean = clean_image(upload(hostile.png_with_text_chunk(), "a.png"))
    data = clean.content.read()
    assert b"home address" not in data and b"xmpmeta" not in data
    picture = Image.open(io.BytesIO(data))
    assert picture.format == "PNG" and picture.mode == "RGBA"
    assert clean.name.endswith(".png")


def test_webp_is_accepted_and_named_for_its_format():
    clean = clean_image(upload(hostile.webp_image(), "photo.JPG"))
    assert clean.format == "WEBP" and clean.name.endswith(".webp")


@pytest.mark.parametrize(
    "data, name, message",
    hostile.REFUSED
    + [
        (b"", "empty.png", "empty"),
        (b"just text", "notes.jpg", "Upload a JPEG, PNG or WebP"),
    ],
    ids=hostile.REFUSED_IDS + ["empty", "text"],
)
def test_hostile_files_are_refused_with_a_clear_message(data, name, message):
    with pytest.raises(ValidationError) as error:
        clean_image(upload(data, name))
    assert message in error.value.messages[0]


def test_large_images_are_scaled_down():
    buffer = io.BytesIO()
    Image.new("RGB", (5000, 1000), "white").save(buffer, "PNG")
    clean = clean_image(upload(buffer.getvalue(), "wide.png"))
    assert (clean.width, clean.height) == (MAX_SIDE, 480)


def test_orientation_is_applied_before_exif_is_dropped():
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise when shown
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(buffer, "JPEG", exif=exif.tobytes())
    clean = clean_image(upload(buffer.getvalue(), "sideways.jpg"))
    assert (clean.width, clean.height) == (20, 40)


@pytest.mark.django_db
def test_renditions_are_made_once_at_upload():
    image = make_image(make_story())
    name = image.image.name
    for kind, width in [("card", 32), ("page", 32), ("social", 1200)]:
        target = rendition_name(name, kind)
        assert default_storage.exists(target), kind
        with default_storage.open(target) as handle:
            assert Image.open(handle).width == width
    assert image.social["width"] == 1200 and image.social["height"] == 630
    assert image.card["url"].endswith(".card.png")
