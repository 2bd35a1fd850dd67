"""What an export folder looks like, shared by the exporter and the importer."""

import hashlib
import re
from datetime import UTC, date, datetime
from pathlib import Path

FORMAT = "p2s-library"
# 2: the framework's versions and practices; 3: assessments; 4: communities
# of practice; 5: their sessions and resources, and accounts' time zones
FORMAT_VERSION = 5
LIBRARY_JSON = "library.json"
BODY_FOLDER = "stories"
IMAGE_FOLDER = "images"
FILE_FOLDER = "files"  # the files shared in the spaces, by their storage names

# A stored image's name as the library makes it (stories/<hex>.png for story
# images, uploads/<hex>.png for the editor's): no folder above, no dot-dot.
IMAGE_NAME = re.compile(
    r"^(?P<folder>stories|uploads)/[A-Za-z0-9_-]+\.(?P<ext>jpg|png|webp)$"
)
IMAGE_FORMATS = {"jpg": "JPEG", "png": "PNG", "webp": "WEBP"}
SAFE_FILE_STEM = re.compile(r"^[A-Za-z0-9_-]{1,100}$")


class LibraryError(Exception):
    """What stops an export or an import, said so an operator can act on it."""


def when(value):
    """A timestamp as ISO 8601 in UTC with microseconds, or None."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def parse_when(text):
    if text is None:
        return None
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise LibraryError(f"The time {text!r} has no time zone.")
    return value


def day(value):
    """A date as ISO 8601 (`2025-06-30`), or None."""
    return None if value is None else value.isoformat()


def parse_day(text):
    return None if text is None else date.fromisoformat(text)


def image_file(name):
    """Where a stored image goes in the folder: images/ + its storage name."""
    return f"{IMAGE_FOLDER}/{name}"


def storage_name(file):
    """The storage name of an image from its place in the folder, checked."""
    prefix = f"{IMAGE_FOLDER}/"
    name = file[len(prefix) :] if isinstance(file, str) else ""
    if not file.startswith(prefix) or not IMAGE_NAME.match(name):
        raise LibraryError(
            f"The image {file!r} isn't named as the library names images "
            "(images/stories/<name>.jpg|png|webp or images/uploads/…)."
        )
    return name


def body_file(slug, taken):
    """stories/<slug>.md, unique even on a case-insensitive file system; a
    slug that isn't a safe file name is replaced by its hash."""
    stem = slug if SAFE_FILE_STEM.match(slug) else _digest(slug)
    candidate, number = stem, 2
    while candidate.casefold() in taken:
        candidate = f"{stem}-{number}"
        number += 1
    taken.add(candidate.casefold())
    return f"{BODY_FOLDER}/{candidate}.md"


def _digest(text):
    return "story-" + hashlib.sha256(text.encode()).hexdigest()[:16]


def inside(root, relative):
    """`relative` as a path inside the folder `root`; anything that would
    lead out of it (an absolute path, `..`, a link) is refused."""
    if not isinstance(relative, str) or not relative:
        raise LibraryError(f"{relative!r} is not a file name.")
    base = Path(root).resolve()
    target = (base / relative).resolve()
    if not target.is_relative_to(base) or Path(relative).is_absolute():
        raise LibraryError(f"{relative!r} points outside the export folder.")
    return target
