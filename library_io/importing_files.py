"""The file side of an import: the story bodies read from the folder, the
image files checked to be images of the allowed formats and sizes, stored
under their own names, given their renditions, and removed again should the
import fail."""

import os
from concurrent.futures import ThreadPoolExecutor, as_completed

from django.core.files import File
from django.core.files.storage import default_storage
from PIL import Image, UnidentifiedImageError

from library_io.layout import (
    IMAGE_FORMATS,
    IMAGE_NAME,
    LibraryError,
    inside,
    storage_name,
)
from stories.images import (
    ALLOWED_FORMATS,
    MAX_BYTES,
    MAX_PIXELS,
    delete_with_renditions,
    make_renditions,
)


def read_bodies(root, library):
    bodies = {}
    for story in library.get("stories", []):
        source = inside(root, story["body_file"])
        try:
            with open(source, encoding="utf-8", newline="") as handle:
                bodies[story["slug"]] = handle.read()
        except FileNotFoundError as missing:
            raise LibraryError(
                f"The body of {story['slug']!r}, {story['body_file']}, is missing."
            ) from missing
    return bodies


def image_files(root, library):
    """Storage name -> file in the folder, for every image, each checked to be
    an image of the allowed formats and sizes, named as the library names them."""
    files = {}
    records = [i for s in library.get("stories", []) for i in s.get("images", [])]
    records += library.get("editor_images", [])
    for record in records:
        name = storage_name(record["file"])
        source = inside(root, record["file"])
        if not source.is_file():
            raise LibraryError(f"The image {record['file']} is missing.")
        _check_image(source, IMAGE_FORMATS[IMAGE_NAME.match(name)["ext"]])
        files[name] = source
    return files


def _check_image(source, expected):
    if source.stat().st_size > MAX_BYTES:
        raise LibraryError(f"The image {source.name} is larger than images may be.")
    try:
        with Image.open(source, formats=list(ALLOWED_FORMATS)) as probe:
            found, (width, height) = probe.format, probe.size
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as bad:
        raise LibraryError(f"{source.name} isn't an image the library takes.") from bad
    if found != expected or width * height > MAX_PIXELS:
        raise LibraryError(
            f"{source.name} is a {width} × {height} {found} image; the library "
            f"takes {expected} for this name, up to {MAX_PIXELS:,} pixels."
        )


def store_image(name, source):
    """Put the file in storage under exactly `name`: the story bodies link
    editor images by it. A file already there belongs to no row (the
    database is empty), so it is replaced."""
    if default_storage.exists(name):
        default_storage.delete(name)
    with open(source, "rb") as handle:
        stored = default_storage.save(name, File(handle))
    if stored != name:
        default_storage.delete(stored)
        raise LibraryError(f"The storage wouldn't keep the name {name}.")


def make_renditions_of(names):
    """Renditions of the story images, a few at a time: Pillow lets go of the
    GIL while it resizes and encodes."""
    with ThreadPoolExecutor(max_workers=min(8, os.cpu_count() or 1)) as pool:
        made = {pool.submit(make_renditions, name): name for name in names}
        for future in as_completed(made):
            try:
                future.result()
            except (OSError, ValueError, SyntaxError) as damaged:
                raise LibraryError(
                    f"The image {made[future]} can't be decoded: {damaged}"
                ) from damaged


def remove_images(names):
    for name in names:
        delete_with_renditions(name)
