"""Writing the library to a folder: library.json, the story bodies as Markdown
and the original image files. docs/export.md describes every field."""

import json
import shutil
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from operator import attrgetter, itemgetter
from pathlib import Path

from django.contrib.auth.models import AnonymousUser, Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from communities.models import Community, Invitation, JoinRequest, Membership, User
from curation.models import (
    READER_HISTORY,
    Collection,
    CollectionEvent,
    CollectionItem,
)
from lessons.models import Citation, Lesson, Theme
from library_io.layout import (
    FORMAT,
    FORMAT_VERSION,
    LIBRARY_JSON,
    LibraryError,
    body_file,
    image_file,
    when,
)
from p2s.models import Stream
from stories.models import (
    EditorImage,
    Story,
    StoryComment,
    StoryEvent,
    StoryFlag,
    StoryImage,
    StoryRevision,
    StoryStream,
)


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


def _grouped(rows, key):
    """Rows (dicts, in query order) by `key`, as lists."""
    groups = defaultdict(list)
    for row in rows:
        groups[row.pop(key)].append(row)
    return groups


def _sorted_by(key, rows):
    """Rows in the order of `key`'s text, by code point: the same on every
    database, whatever its collation, so that exports compare equal."""
    return sorted(rows, key=itemgetter(key))


def _canonical(value):
    """JSON with its objects' keys sorted: PostgreSQL's jsonb keeps its own
    order, SQLite the order written."""
    if isinstance(value, dict):
        return {key: _canonical(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [_canonical(item) for item in value]
    return value


def _permission_names(rows, key):
    names = defaultdict(list)
    for row in rows:
        names[row[key]].append(
            f"{row['permission__content_type__app_label']}."
            f"{row['permission__codename']}"
        )
    return {owner: sorted(found) for owner, found in names.items()}


class _Exporter:
    """Builds library.json, writing the Markdown and image files as it goes."""

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
        target = self.root / image_file(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with default_storage.open(name, "rb") as source, open(target, "wb") as out:
                shutil.copyfileobj(source, out, 1024 * 1024)
        except FileNotFoundError:
            target.unlink(missing_ok=True)
            self.warnings.append(f"The image file {name} is missing; left out.")
            return None
        self.files += 1
        self.bytes += target.stat().st_size
        return image_file(name)

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
        return counts

    # people and places ------------------------------------------------------------

    def streams(self):
        return list(
            Stream.objects.order_by("order").values(
                "slug", "name", "order", "tagline", "description", "colour"
            )
        )

    def groups(self):
        permissions = _permission_names(
            Group.permissions.through.objects.values(
                "group_id",
                "permission__content_type__app_label",
                "permission__codename",
            ),
            "group_id",
        )
        return [
            {"name": group.name, "permissions": permissions.get(group.pk, [])}
            for group in sorted(Group.objects.all(), key=attrgetter("name"))
        ]

    def accounts(self):
        groups = defaultdict(list)
        for row in User.groups.through.objects.values("user_id", "group__name"):
            groups[row["user_id"]].append(row["group__name"])
        permissions = _permission_names(
            User.user_permissions.through.objects.values(
                "user_id",
                "permission__content_type__app_label",
                "permission__codename",
            ),
            "user_id",
        )
        records = []
        for user in sorted(User.objects.values(), key=itemgetter("username")):
            self.usernames[user["id"]] = user["username"]
            record = {
                "username": user["username"],
                "email": user["email"],
                "name": user["name"],
                "first_name": user["first_name"],
                "last_name": user["last_name"],
                "organisation": user["organisation"],
                "is_approved": user["is_approved"],
                "is_active": user["is_active"],
                "is_staff": user["is_staff"],
                "is_superuser": user["is_superuser"],
                "date_joined": when(user["date_joined"]),
                "last_login": when(user["last_login"]),
                "groups": sorted(groups.get(user["id"], [])),
                "permissions": permissions.get(user["id"], []),
            }
            if self.with_accounts:
                record["password"] = user["password"]
            records.append(record)
        return records

    def communities(self):
        return _sorted_by(
            "slug",
            Community.objects.values(
                "slug",
                "name",
                "state",
                "place",
                "backbone_organisation",
                "description",
                "website",
                "is_demo",
            ),
        )

    def memberships(self):
        records = [
            {
                "user": self.person(row["user_id"]),
                "community": row["community__slug"],
                "role": row["role"],
                "created_at": when(row["created_at"]),
            }
            for row in Membership.objects.values(
                "user_id", "community__slug", "role", "created_at"
            )
        ]
        return sorted(records, key=itemgetter("community", "user"))

    def join_requests(self):
        return [
            {
                "user": self.person(row["user_id"]),
                "community": row["community__slug"],
                "message": row["message"],
                "status": row["status"],
                "decided_by": self.person(row["decided_by_id"]),
                "decided_at": when(row["decided_at"]),
                "created_at": when(row["created_at"]),
            }
            for row in JoinRequest.objects.order_by("created_at", "pk").values(
                "user_id",
                "community__slug",
                "message",
                "status",
                "decided_by_id",
                "decided_at",
                "created_at",
            )
        ]

    def invitations(self):
        records = []
        for row in Invitation.objects.order_by("created_at", "pk").values(
            "email",
            "community__slug",
            "role",
            "token_hash",
            "created_by_id",
            "created_at",
            "expires_at",
            "revoked",
            "used_at",
            "used_by_id",
        ):
            record = {
                "email": row["email"],
                "community": row["community__slug"],
                "role": row["role"],
                "created_by": self.person(row["created_by_id"]),
                "created_at": when(row["created_at"]),
                "expires_at": when(row["expires_at"]),
                "revoked": row["revoked"],
                "used_at": when(row["used_at"]),
                "used_by": self.person(row["used_by_id"]),
            }
            if self.with_accounts:
                record["token_hash"] = row["token_hash"]
            records.append(record)
        return records

    # what the library knows ---------------------------------------------------------

    def themes(self):
        return _sorted_by(
            "slug",
            (
                {**row, "created_at": when(row["created_at"])}
                for row in Theme.objects.values(
                    "slug", "name", "description", "created_at"
                )
            ),
        )

    def tags(self):
        tags = Tag.objects.all()
        if self.public_only:
            story_type = ContentType.objects.get_for_model(Story)
            tags = tags.filter(
                pk__in=TaggedItem.objects.filter(
                    content_type=story_type, object_id__in=self.stories.values("pk")
                ).values("tag_id")
            )
        return _sorted_by("name", tags.values("name", "slug"))

    def story_records(self):
        stories = self.stories
        story_type = ContentType.objects.get_for_model(Story)
        streams = _grouped(
            StoryStream.objects.filter(story__in=stories)
            .order_by("-is_primary", "stream__order")
            .values("story_id", "stream__slug", "is_primary"),
            "story_id",
        )
        tags = _grouped(
            TaggedItem.objects.filter(
                content_type=story_type, object_id__in=stories.values("pk")
            ).values("object_id", "tag__name"),
            "object_id",
        )
        images = _grouped(
            StoryImage.objects.filter(story__in=stories)
            .order_by("-is_cover", "position", "pk")
            .values(
                "story_id",
                "image",
                "width",
                "height",
                "alt_text",
                "credit",
                "caption",
                "is_cover",
                "position",
            ),
            "story_id",
        )
        lessons = self.lessons(stories)
        private = defaultdict(dict)
        if not self.public_only:
            private.update(self.story_trails(stories))
        records = []
        taken = set()
        columns = [
            field.attname
            for field in Story._meta.concrete_fields
            if field.name != "search_vector"
        ]
        for story in _sorted_by("slug", stories.values(*columns)):
            pk = story["id"]
            body = body_file(story["slug"], taken)
            target = self.root / body
            target.parent.mkdir(exist_ok=True)
            target.write_text(story["body"], encoding="utf-8", newline="")
            self.files += 1
            self.bytes += target.stat().st_size
            record = {
                "slug": story["slug"],
                "title": story["title"],
                "summary": story["summary"],
                "body_file": body,
                "community": self.community_slugs[story["community_id"]],
            }
            self.private(record, authors=sorted(private["authors"].get(pk, [])))
            record.update(
                storytellers=story["storytellers"],
                streams=[
                    {"stream": link["stream__slug"], "primary": link["is_primary"]}
                    for link in streams.get(pk, [])
                ],
                tags=sorted(row["tag__name"] for row in tags.get(pk, [])),
                what_worked=story["what_worked"],
                what_didnt=story["what_didnt"],
                conditions=story["conditions"],
                year=story["year"],
                visibility=story["visibility"],
                status=story["status"],
                consent=story["consent"],
                is_featured=story["is_featured"],
                is_demo=story["is_demo"],
                created_at=when(story["created_at"]),
                updated_at=when(story["updated_at"]),
                published_at=when(story["published_at"]),
            )
            self.private(
                record,
                status_changed_at=when(story["status_changed_at"]),
                publish_at=when(story["publish_at"]),
                version=story["version"],
                claimed_by=self.person(story["claimed_by_id"]),
                staged_revision=private["revision_numbers"].get(
                    story["staged_revision_id"]
                ),
            )
            record["images"] = self.image_records(images.get(pk, []))
            for part in ["revisions", "events", "comments", "flags", "citations"]:
                if not self.public_only:
                    record[part] = private[part].get(pk, [])
            record["lessons"] = lessons.get(pk, [])
            records.append(record)
        return records

    @cached_property
    def community_slugs(self):
        return dict(Community.objects.values_list("pk", "slug"))

    def image_records(self, rows):
        records = []
        for row in rows:
            file = self.copy_image(row.pop("image"))
            if file is not None:
                records.append({"file": file, **row})
        return records

    def lessons(self, stories):
        lessons = Lesson.objects.filter(story__in=stories)
        themes = defaultdict(list)
        for row in Lesson.themes.through.objects.filter(lesson__in=lessons).values(
            "lesson_id", "theme__slug"
        ):
            themes[row["lesson_id"]].append(row["theme__slug"])
        grouped = defaultdict(list)
        for row in lessons.order_by("position", "pk").values(
            "id",
            "story_id",
            "statement",
            "kind",
            "stream__slug",
            "condition",
            "position",
            "created_by_id",
            "created_at",
            "updated_at",
        ):
            record = {
                "statement": row["statement"],
                "kind": row["kind"],
                "stream": row["stream__slug"],
                "condition": row["condition"],
                "themes": sorted(themes.get(row["id"], [])),
                "position": row["position"],
            }
            self.private(record, created_by=self.person(row["created_by_id"]))
            record.update(
                created_at=when(row["created_at"]), updated_at=when(row["updated_at"])
            )
            grouped[row["story_id"]].append(record)
        return grouped

    def story_trails(self, stories):
        """What only the library's own people see: authors, revisions, the
        audit trail, comments, flags and citations, by story id."""
        person = self.person
        trails = {"authors": defaultdict(list), "revision_numbers": {}}
        for row in Story.authors.through.objects.filter(story__in=stories).values(
            "story_id", "user_id"
        ):
            trails["authors"][row["story_id"]].append(person(row["user_id"]))
        revisions = defaultdict(list)
        for row in (
            StoryRevision.objects.filter(story__in=stories)
            .order_by("story", "number")
            .values()
        ):
            trails["revision_numbers"][row["id"]] = row["number"]
            revisions[row["story_id"]].append(
                {
                    "number": row["number"],
                    "kind": row["kind"],
                    "author": person(row["author_id"]),
                    "signed_off_by": person(row["signed_off_by_id"]),
                    "created_at": when(row["created_at"]),
                    "data": _canonical(row["data"]),
                }
            )
        trails["revisions"] = revisions
        trails["events"] = _grouped(
            (
                {
                    "story_id": row["story_id"],
                    "action": row["action"],
                    "from_status": row["from_status"],
                    "to_status": row["to_status"],
                    "note": row["note"],
                    "actor": person(row["actor_id"]),
                    "created_at": when(row["created_at"]),
                }
                for row in StoryEvent.objects.filter(story__in=stories)
                .order_by("created_at", "pk")
                .values()
            ),
            "story_id",
        )
        trails["comments"] = _grouped(
            (
                {
                    "story_id": row["story_id"],
                    "author": person(row["author_id"]),
                    "body": row["body"],
                    "created_at": when(row["created_at"]),
                }
                for row in StoryComment.objects.filter(story__in=stories)
                .order_by("created_at", "pk")
                .values()
            ),
            "story_id",
        )
        trails["flags"] = _grouped(
            (
                {
                    "story_id": row["story_id"],
                    "reporter": person(row["reporter_id"]),
                    "reason": row["reason"],
                    "created_at": when(row["created_at"]),
                    "resolved_at": when(row["resolved_at"]),
                    "resolved_by": person(row["resolved_by_id"]),
                }
                for row in StoryFlag.objects.filter(story__in=stories)
                .order_by("created_at", "pk")
                .values()
            ),
            "story_id",
        )
        trails["citations"] = _grouped(
            (
                {
                    "story_id": row["story_id"],
                    "theme": row["theme__slug"],
                    "created_at": when(row["created_at"]),
                }
                for row in sorted(
                    Citation.objects.filter(story__in=stories).values(
                        "story_id", "theme__slug", "created_at"
                    ),
                    # the story's own citation (no theme) first, on any database
                    key=lambda row: (
                        row["theme__slug"] is not None,
                        row["theme__slug"],
                    ),
                )
            ),
            "story_id",
        )
        return trails

    # images in the text and collections ---------------------------------------------

    def editor_images(self):
        images = EditorImage.objects.all()
        links = Story.editor_images.through.objects.filter(story__in=self.stories)
        if self.public_only:
            images = images.filter(pk__in=links.values("editorimage_id"))
        slugs = defaultdict(list)
        for row in links.values("editorimage_id", "story__slug"):
            slugs[row["editorimage_id"]].append(row["story__slug"])
        records = []
        for row in _sorted_by("image", images.values()):
            file = self.copy_image(row["image"])
            if file is None:
                continue
            record = {"file": file}
            self.private(record, owner=self.person(row["owner_id"]))
            record.update(
                width=row["width"],
                height=row["height"],
                stories=sorted(slugs.get(row["id"], [])),
                created_at=when(row["created_at"]),
            )
            records.append(record)
        return records

    def collections(self):
        collections = Collection.objects.all()
        items = CollectionItem.objects.filter(collection__in=collections)
        events = CollectionEvent.objects.filter(collection__in=collections)
        if self.public_only:
            collections = Collection.objects.visible_to(None)
            items = items.filter(story__in=self.stories)
            events = events.visible_to(None).filter(action__in=READER_HISTORY)
        by_collection = defaultdict(list)
        for row in items.order_by("position", "pk").values(
            "collection_id",
            "story__slug",
            "position",
            "note",
            "added_by_id",
            "created_at",
            "notified_at",
        ):
            record = {
                "story": row["story__slug"],
                "position": row["position"],
                "note": row["note"],
            }
            self.private(record, added_by=self.person(row["added_by_id"]))
            record["created_at"] = when(row["created_at"])
            self.private(record, notified_at=when(row["notified_at"]))
            by_collection[row["collection_id"]].append(record)
        history = defaultdict(list)
        for row in events.order_by("created_at", "pk").values(
            "collection_id", "action", "story__slug", "story_title", "actor_id",
            "created_at",
        ):  # fmt: skip
            record = {
                "action": row["action"],
                "story": row["story__slug"],
                "story_title": row["story_title"],
            }
            self.private(record, actor=self.person(row["actor_id"]))
            record["created_at"] = when(row["created_at"])
            history[row["collection_id"]].append(record)
        records = []
        for row in _sorted_by("slug", collections.values()):
            record = {
                "slug": row["slug"],
                "title": row["title"],
                "introduction": row["introduction"],
            }
            self.private(record, curator=self.person(row["curator_id"]))
            record["visibility"] = row["visibility"]
            self.private(record, share_token=row["share_token"])
            record.update(
                published_at=when(row["published_at"]),
                created_at=when(row["created_at"]),
                updated_at=when(row["updated_at"]),
                items=by_collection.get(row["id"], []),
                events=history.get(row["id"], []),
            )
            records.append(record)
        return records
