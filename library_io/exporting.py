"""Writing the library to a folder: library.json, the story bodies as Markdown
and the original image files. docs/export.md describes every field."""

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth.models import AnonymousUser
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone

from library_io.assessments import AssessmentExporter
from library_io.exporting_people import PeopleExporter
from library_io.exporting_stories import StoryExporter
from library_io.exporting_trails import StoryTrailExporter
from library_io.framework import FrameworkExporter
from library_io.layout import (
    FORMAT,
    FORMAT_VERSION,
    LIBRARY_JSON,
    LibraryError,
    body_file,
    image_file,
    when,
)
from library_io.spaces import SpaceExporter
from stories.models import Story


@dataclass
class ExportResult:
    path: Path
    counts: dict
    files: int = 0
    bytes: int = 0
    warnings: list = field(default_factory=list)


def export_library(path, *, public_only=False, with_accounts=False):
    """Write the library to the folder `path` (made if missing; it must be
    empty). `public_only`: only what a visitor may read, and nobody's account.
    `with_accounts`: the password hashes too, so people keep their logins."""
    if public_only and with_accounts:
        raise LibraryError("A public export holds no accounts: choose one option.")
    root = Path(path)
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise LibraryError(f"{root} is not an empty folder; export into a new one.")
    root.mkdir(parents=True, exist_ok=True)
    if not public_only:
        root.chmod(0o700)  # emails, unpublished stories, perhaps password hashes
    exporter = _Exporter(root, public_only=public_only, with_accounts=with_accounts)
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            # one snapshot for every query, so writes made meanwhile can't
            # leave a row pointing at another that isn't in the export
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        library = exporter.library()
    # written last: a folder without library.json is an unfinished export
    with open(root / LIBRARY_JSON, "w", encoding="utf-8") as handle:
        json.dump(library, handle, ensure_ascii=False, indent=1)
        handle.write("\n")
    return ExportResult(
        path=root,
        counts=library["counts"],
        files=exporter.files + 1,
        bytes=exporter.bytes + (root / LIBRARY_JSON).stat().st_size,
        warnings=exporter.warnings,
    )


class _Exporter(
    PeopleExporter,
    FrameworkExporter,
    StoryExporter,
    StoryTrailExporter,
    AssessmentExporter,
    SpaceExporter,
):
    """Builds library.json, writing the Markdown and image files as it goes.
    The records themselves are read by the mixins: people and places, the
    stories, and the trail and the assessments only a full export holds."""

    def __init__(self, root, *, public_only, with_accounts):
        self.root = root
        self.public_only = public_only
        self.with_accounts = with_accounts
        self.files = 0
        self.bytes = 0
        self.warnings = []
        self.usernames = {}
        if public_only:
            self.stories = Story.objects.visible_to(AnonymousUser())
        else:
            self.stories = Story.objects.all()

    # helpers ----------------------------------------------------------------------

    def person(self, user_id):
        return self.usernames.get(user_id)

    def private(self, record, **fields):
        """`record` with `fields` added, unless the export is public."""
        if not self.public_only:
            record.update(fields)
        return record

    def copy_image(self, name):
        """Copy a stored image into images/; None if its file is missing."""
        return self.copy_stored(name, image_file(name), "image file")

    def copy_stored(self, name, relative, what="file"):
        """Copy the stored file `name` to `relative` in the folder; None if
        it is missing (said in the warnings)."""
        target = self.root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with default_storage.open(name, "rb") as source, open(target, "wb") as out:
                shutil.copyfileobj(source, out, 1024 * 1024)
        except FileNotFoundError:
            target.unlink(missing_ok=True)
            self.warnings.append(f"The {what} {name} is missing; left out.")
            return None
        self.files += 1
        self.bytes += target.stat().st_size
        return relative

    def write_body(self, story, taken):
        """Write the story's body as Markdown; its place in the folder."""
        body = body_file(story["slug"], taken)
        target = self.root / body
        target.parent.mkdir(exist_ok=True)
        target.write_text(story["body"], encoding="utf-8", newline="")
        self.files += 1
        self.bytes += target.stat().st_size
        return body

    # the whole ----------------------------------------------------------------------

    def library(self):
        library = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "exported_at": when(timezone.now()),
            "public_only": self.public_only,
            "with_accounts": self.with_accounts,
            "counts": {},
            "streams": self.streams(),
            "framework_versions": self.framework_versions(),
        }
        if not self.public_only:
            library["groups"] = self.groups()
            library["accounts"] = self.accounts()
        library["communities"] = self.communities()
        if not self.public_only:
            library["memberships"] = self.memberships()
            library["join_requests"] = self.join_requests()
            library["invitations"] = self.invitations()
        library["themes"] = self.themes()
        library["tags"] = self.tags()
        library["stories"] = self.story_records()
        library["editor_images"] = self.editor_images()
        library["collections"] = self.collections()
        if not self.public_only:
            # a community's own: never open data, not even how many
            library["assessments"] = self.assessments()
            library["spaces"] = self.spaces()
        library["counts"] = self.counts(library)
        return library

    def counts(self, library):
        counts = {
            key: len(value) for key, value in library.items() if isinstance(value, list)
        }
        stories = library["stories"]
        for part in ["images", "revisions", "events", "comments", "flags"]:
            if not self.public_only or part == "images":
                counts[part] = sum(len(story[part]) for story in stories)
        counts["lessons"] = sum(len(story["lessons"]) for story in stories)
        collections = library["collections"]
        counts["collection_items"] = sum(len(c["items"]) for c in collections)
        counts["collection_events"] = sum(len(c["events"]) for c in collections)
        if not self.public_only:
            groups = [group for a in library["assessments"] for group in a["groups"]]
            counts["assessment_groups"] = len(groups)
            counts["assessment_answers"] = sum(len(g["answers"]) for g in groups)
            spaces = library["spaces"]
            counts["space_members"] = sum(len(s["members"]) for s in spaces)
            counts["space_join_requests"] = sum(len(s["join_requests"]) for s in spaces)
            counts["space_sessions"] = sum(len(s["sessions"]) for s in spaces)
            counts["space_resources"] = sum(len(s["resources"]) for s in spaces)
        return counts
