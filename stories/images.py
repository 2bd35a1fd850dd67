"""The one way an image enters the library.

Decoded with Pillow from an allow-list of formats, bounded in bytes and pixels
(a decompression bomb is refused from its header, before decoding), turned
upright, re-encoded (which drops EXIF with GPS, XMP, ICC and comments) and given
a server-made name. Renditions for cards, pages and social cards are made once,
here, and stored beside the original.
"""

import io
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}
MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 2400
RENDITIONS = {
    # name: (width, height or None to keep the aspect ratio)
    "card": (640, None),
    "page": (1200, None),
    "social": (1200, 630),
}


@dataclass
class CleanImage:
    name: str  # the server-made name, e.g. stories/3f2a….jpg
    content: ContentFile
    width: int
    height: int
    format: str


def _refuse(message):
    raise ValidationError(message, code="invalid_image")


def clean_image(upload):
    """Check and re-encode an uploaded file; raise ValidationError with a
    message for the person who sent it."""
    size = getattr(upload, "size", None)
    if size is None or size > MAX_BYTES:
        _refuse(f"This file is too large. Images can be up to {MAX_BYTES // 2**20} MB.")
    if size == 0:
        _refuse("This file is empty.")
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        _refuse(f"This file is too large. Images can be up to {MAX_BYTES // 2**20} MB.")
    try:
        with Image.open(io.BytesIO(data), formats=list(ALLOWED_FORMATS)) as probe:
            detected = probe.format
            width, height = probe.size
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        _refuse("This isn't an image we can use. Upload a JPEG, PNG or WebP file.")
    except Image.DecompressionBombError:
        _refuse("This image has too many pixels. Upload a smaller image.")
    if width * height > MAX_PIXELS or width < 1 or height < 1:
        _refuse(
            f"This image is {width} × {height} pixels, which is too many. "
            f"Upload one under {MAX_PIXELS // 1_000_000} megapixels."
        )
    try:
        with Image.open(io.BytesIO(data), formats=[detected]) as source:
            source.load()
            picture = ImageOps.exif_transpose(source)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        _refuse("This image is damaged or incomplete. Try saving it again.")
    picture = _normalise_mode(picture, detected)
    picture.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    extension = ALLOWED_FORMATS[detected]
    name = f"stories/{uuid.uuid4().hex}{extension}"
    return CleanImage(
        name=name,
        content=ContentFile(_encode(picture, detected)),
        width=picture.width,
        height=picture.height,
        format=detected,
    )


def _normalise_mode(picture, fmt):
    if fmt == "JPEG":
        return picture.convert("RGB")
    if picture.mode not in {"RGB", "RGBA", "L", "LA"}:
        has_alpha = "A" in picture.getbands() or "transparency" in picture.info
        return picture.convert("RGBA" if has_alpha else "RGB")
    return picture


def _encode(picture, fmt):
    """Fresh bytes with no metadata: no exif, xmp, icc_profile or comment."""
    buffer = io.BytesIO()
    clean = Image.new(picture.mode, picture.size)
    clean.paste(picture)
    if fmt == "JPEG":
        clean.save(buffer, "JPEG", quality=85, optimize=True, progressive=True)
    elif fmt == "PNG":
        clean.save(buffer, "PNG", optimize=True)
    else:
        clean.save(buffer, "WEBP", quality=85, method=4)
    return buffer.getvalue()


def rendition_name(name, kind):
    stem, _, extension = name.rpartition(".")
    return f"{stem}.{kind}.{extension}"


def rendition_size(width, height, kind):
    target_width, target_height = RENDITIONS[kind]
    if target_height:
        return target_width, target_height
    if width <= target_width:
        return width, height
    return target_width, max(1, round(height * target_width / width))


def make_renditions(name, storage=default_storage):
    """Write the card, page and social renditions of a stored, clean image."""
    with storage.open(name, "rb") as handle:
        original = Image.open(handle, formats=list(ALLOWED_FORMATS))
        original.load()
    fmt = original.format
    for kind in RENDITIONS:
        size = rendition_size(original.width, original.height, kind)
        if RENDITIONS[kind][1]:
            picture = ImageOps.fit(original, size, Image.Resampling.LANCZOS)
        else:
            picture = original.resize(size, Image.Resampling.LANCZOS)
        target = rendition_name(name, kind)
        if storage.exists(target):
            storage.delete(target)
        storage.save(target, ContentFile(_encode(picture, fmt)))


def delete_with_renditions(name, storage=default_storage):
    for target in [name, *(rendition_name(name, kind) for kind in RENDITIONS)]:
        if target and storage.exists(target):
            storage.delete(target)


MEDIA_TYPES = {".jpg": "image/jpeg", ".png": "image/png", ".webp": "image/webp"}


def media_type(name):
    """The content type of a stored image, by the extension it was given here."""
    return MEDIA_TYPES.get(f".{name.rpartition('.')[2]}", "application/octet-stream")


def stored_clean_image(name, width, height, storage=default_storage):
    """An image this module already cleaned and stored (a pending upload), as a
    CleanImage under a new server-made name, ready to be stored again."""
    extension = f".{name.rpartition('.')[2]}"
    with storage.open(name, "rb") as handle:
        content = ContentFile(handle.read())
    formats = {suffix: fmt for fmt, suffix in ALLOWED_FORMATS.items()}
    return CleanImage(
        name=f"stories/{uuid.uuid4().hex}{extension}",
        content=content,
        width=width,
        height=height,
        format=formats[extension],
    )
