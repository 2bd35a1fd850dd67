"""Reading an export folder into an empty database: every row and relation,
its timestamps kept, the images copied into storage with their renditions."""

import json
import os
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from PIL import Image, UnidentifiedImageError
from taggit.models import Tag, TaggedItem

from communities.models import (
    Community,
    Invitation,
    JoinRequest,
    Membership,
    User,
    hash_token,
)
from curation.models import Collection, CollectionEvent, CollectionItem
from lessons.models import Citation, Lesson, Theme
from library_io.layout import (
    FORMAT,
    FORMAT_VERSION,
    IMAGE_FORMATS,
    IMAGE_NAME,
    LIBRARY_JSON,
    LibraryError,
    inside,
    parse_when,
    storage_name,
)
from p2s.cache import changes_library
from p2s.models import Stream
from stories.images import (
    ALLOWED_FORMATS,
    MAX_BYTES,
    MAX_PIXELS,
    delete_with_renditions,
    make_renditions,
)
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
from stories.search import refresh_search_vectors

BATCH = 1000
# Whatever of these holds a row makes the database "not empty". The streams
# aren't among them: the migrations make them, and the import replaces them.
LIBRARY_APPS = ["communities", "stories", "lessons", "curation", "taggit"]


@dataclass
class ImportResult:
    counts: dict
    images: int = 0
    warnings: list = field(default_factory=list)


def read_library(path):
    """library.json of the folder `path`, checked to be an export this code
    can read into a database."""
    root = Path(path)
    try:
        with open(root / LIBRARY_JSON, encoding="utf-8") as handle:
            library = json.load(handle)
    except FileNotFoundError as missing:
        raise LibraryError(
            f"{root} holds no {LIBRARY_JSON}: it isn't an export, or the export "
            "didn't finish."
        ) from missing
    except (UnicodeDecodeError, json.JSONDecodeError) as broken:
        raise LibraryError(f"{LIBRARY_JSON} can't be read: {broken}") from broken
    if not isinstance(library, dict) or library.get("format") != FORMAT:
        raise LibraryError(f"{LIBRARY_JSON} isn't a {FORMAT} export.")
    version = library.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise LibraryError(
            f"This export is in format version {version}; this code reads up to "
            f"version {FORMAT_VERSION}. Import it with a newer release."
        )
    if library.get("public_only"):
        raise LibraryError(
            "This is a public-only export (open data): it has no accounts, "
            "revisions or history, so it can't restore a library. Import a full "
            "export."
        )
    return library


def rows_in_the_way():
    """How many rows of the library the database already holds, by model."""
    found = {}
    models = [Group]
    for label in LIBRARY_APPS:
        models += apps.get_app_config(label).get_models()
    for model in models:
        if not model._meta.proxy and (count := model._default_manager.count()):
            found[model] = count
    return found


def refuse_unless_empty():
    found = rows_in_the_way()
    if found:
        named = [User, Group, Community, Story, Theme, Tag, Collection]
        listed = [
            f"{found[model]:,} {model._meta.verbose_name_plural}"
            for model in named
            if model in found
        ]
        more = " and more" if set(found) - set(named) else ""
        raise LibraryError(
            f"The database isn't empty: it holds {', '.join(listed)}{more}. "
            "import_library only reads into an empty database: make a new one, "
            "run `manage.py migrate`, then import."
        )


@changes_library
def import_library(path):
    """Read the export in the folder `path` into this (empty) database."""
    root = Path(path)
    library = read_library(root)
    refuse_unless_empty()
    with _malformed():
        bodies = _read_bodies(root, library)
        files = _image_files(root, library)
    result = ImportResult(counts=library.get("counts", {}))
    copied = []
    try:
        for name, source in files.items():
            _store(name, source)
            copied.append(name)
        _make_renditions(name for name in copied if name.startswith("stories/"))
        with transaction.atomic(), _malformed():
            refuse_unless_empty()
            _Loader(library, bodies, result).load()
    except BaseException:
        _remove(copied)
        raise
    result.images = len(copied)
    refresh_search_vectors()
    return result


@contextmanager
def _malformed():
    """A field missing or of the wrong kind in library.json, said as such."""
    try:
        yield
    except (KeyError, TypeError, ValueError) as malformed:
        raise LibraryError(f"{LIBRARY_JSON} is malformed: {malformed!r}") from malformed


def _remove(names):
    for name in names:
        delete_with_renditions(name)


def _read_bodies(root, library):
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


def _image_files(root, library):
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


def _store(name, source):
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


def _make_renditions(names):
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


@contextmanager
def _timestamps_as_given():
    """bulk_create stamps `auto_now` and `auto_now_add` fields with the time of
    the import; while this lasts they keep the times given, the export's.
    (Setting them afterwards with bulk_update took longer than the rest of
    the import.) Safe in the import's own process, where nothing else saves
    rows meanwhile; put back however the import ends."""
    stamps = [
        stamp
        for model in TIMESTAMPED
        for stamp in model._meta.concrete_fields
        if getattr(stamp, "auto_now", False) or getattr(stamp, "auto_now_add", False)
    ]
    saved = [(stamp, stamp.auto_now, stamp.auto_now_add) for stamp in stamps]
    for stamp in stamps:
        stamp.auto_now = stamp.auto_now_add = False
    try:
        yield
    finally:
        for stamp, auto_now, auto_now_add in saved:
            stamp.auto_now, stamp.auto_now_add = auto_now, auto_now_add


TIMESTAMPED = [Membership, JoinRequest, Invitation, Theme, Story, StoryRevision,
               StoryComment, StoryFlag, Lesson, Citation, EditorImage,
               Collection]  # fmt: skip


class _Loader:
    """Creates the rows in dependency order with bulk_create, keeping natural
    key -> id maps to join them up."""

    def __init__(self, library, bodies, result):
        self.library = library
        self.bodies = bodies
        self.result = result
        self.users = {}

    def create(self, model, objects):
        return model._default_manager.bulk_create(objects, batch_size=BATCH)

    def ref(self, mapping, key, what, *, optional=False):
        if key is None and optional:
            return None
        try:
            return mapping[key]
        except (KeyError, TypeError) as unknown:
            raise LibraryError(f"The {what} {key!r} isn't in the export.") from unknown

    def person(self, username):
        if username is None:
            return None
        return self.ref(self.users, username, "account")

    def load(self):
        self.streams()
        self.permissions = {
            f"{p.content_type.app_label}.{p.codename}": p.pk
            for p in Permission.objects.select_related("content_type")
        }
        with _timestamps_as_given():
            self.groups()
            self.accounts()
            self.communities()
            self.memberships()
            self.join_requests()
            self.invitations()
            self.themes()
            self.tags()
            self.stories()
            self.editor_images()
            self.collections()

    def permission(self, key, owner):
        if key not in self.permissions:
            self.result.warnings.append(
                f"The permission {key} of {owner} doesn't exist here; left out."
            )
        return self.permissions.get(key)

    # people and places ------------------------------------------------------------

    def streams(self):
        rows = self.library.get("streams", [])
        # nothing points at the streams yet, so those of the export replace
        # those the migrations made
        Stream.objects.filter(slug__in=[row["slug"] for row in rows]).delete()
        self.create(Stream, [Stream(**row) for row in rows])
        self.stream_ids = {stream.slug: stream.pk for stream in Stream.objects.all()}

    def groups(self):
        rows = self.library.get("groups", [])
        groups = self.create(Group, [Group(name=row["name"]) for row in rows])
        self.group_ids = {group.name: group.pk for group in groups}
        links = []
        for group, row in zip(groups, rows, strict=True):
            for key in row.get("permissions", []):
                if pk := self.permission(key, f"group {group.name}"):
                    links.append(
                        Group.permissions.through(group_id=group.pk, permission_id=pk)
                    )
        self.create(Group.permissions.through, links)

    def accounts(self):
        rows = self.library.get("accounts", [])
        users = self.create(
            User,
            [
                User(
                    username=row["username"],
                    email=row["email"],
                    name=row["name"],
                    first_name=row["first_name"],
                    last_name=row["last_name"],
                    organisation=row["organisation"],
                    is_approved=row["is_approved"],
                    is_active=row["is_active"],
                    is_staff=row["is_staff"],
                    is_superuser=row["is_superuser"],
                    date_joined=parse_when(row["date_joined"]),
                    last_login=parse_when(row["last_login"]),
                    # without the hash, nobody can log in until they reset it
                    password=row.get("password") or make_password(None),
                )
                for row in rows
            ],
        )
        self.users = {user.username: user.pk for user in users}
        groups, permissions = [], []
        for user, row in zip(users, rows, strict=True):
            for name in row.get("groups", []):
                groups.append(
                    User.groups.through(
                        user_id=user.pk,
                        group_id=self.ref(self.group_ids, name, "group"),
                    )
                )
            for key in row.get("permissions", []):
                if pk := self.permission(key, user.username):
                    permissions.append(
                        User.user_permissions.through(user_id=user.pk, permission_id=pk)
                    )
        self.create(User.groups.through, groups)
        self.create(User.user_permissions.through, permissions)

    def communities(self):
        rows = self.library.get("communities", [])
        made = self.create(Community, [Community(**row) for row in rows])
        self.community_ids = {community.slug: community.pk for community in made}

    def community(self, slug, *, optional=False):
        return self.ref(self.community_ids, slug, "community", optional=optional)

    def memberships(self):
        self.create(
            Membership,
            [
                Membership(
                    user_id=self.person(row["user"]),
                    community_id=self.community(row["community"]),
                    role=row["role"],
                    created_at=parse_when(row["created_at"]),
                )
                for row in self.library.get("memberships", [])
            ],
        )

    def join_requests(self):
        self.create(
            JoinRequest,
            [
                JoinRequest(
                    user_id=self.person(row["user"]),
                    community_id=self.community(row["community"]),
                    message=row["message"],
                    status=row["status"],
                    decided_by_id=self.person(row["decided_by"]),
                    decided_at=parse_when(row["decided_at"]),
                    created_at=parse_when(row["created_at"]),
                )
                for row in self.library.get("join_requests", [])
            ],
        )

    def invitations(self):
        self.create(
            Invitation,
            [
                Invitation(
                    email=row["email"],
                    community_id=self.community(row["community"], optional=True),
                    role=row["role"],
                    # without the hash the old link can't work: a token nobody has
                    token_hash=row.get("token_hash")
                    or hash_token(Invitation.new_token()),
                    created_by_id=self.person(row["created_by"]),
                    created_at=parse_when(row["created_at"]),
                    expires_at=parse_when(row["expires_at"]),
                    revoked=row["revoked"],
                    used_at=parse_when(row["used_at"]),
                    used_by_id=self.person(row["used_by"]),
                )
                for row in self.library.get("invitations", [])
            ],
        )

    # what the library knows ---------------------------------------------------------

    def themes(self):
        made = self.create(
            Theme,
            [
                Theme(
                    slug=row["slug"],
                    name=row["name"],
                    description=row["description"],
                    created_at=parse_when(row["created_at"]),
                )
                for row in self.library.get("themes", [])
            ],
        )
        self.theme_ids = {theme.slug: theme.pk for theme in made}

    def tags(self):
        rows = self.library.get("tags", [])
        made = self.create(
            Tag, [Tag(name=row["name"], slug=row["slug"]) for row in rows]
        )
        self.tag_ids = {tag.name: tag.pk for tag in made}

    def stories(self):
        rows = self.library.get("stories", [])
        stories = self.create(
            Story,
            [
                Story(
                    slug=row["slug"],
                    title=row["title"],
                    summary=row["summary"],
                    body=self.bodies[row["slug"]],
                    community_id=self.community(row["community"]),
                    storytellers=row["storytellers"],
                    what_worked=row["what_worked"],
                    what_didnt=row["what_didnt"],
                    conditions=row["conditions"],
                    year=row["year"],
                    visibility=row["visibility"],
                    status=row["status"],
                    consent=row["consent"],
                    is_featured=row["is_featured"],
                    is_demo=row["is_demo"],
                    created_at=parse_when(row["created_at"]),
                    updated_at=parse_when(row["updated_at"]),
                    published_at=parse_when(row["published_at"]),
                    status_changed_at=parse_when(row["status_changed_at"]),
                    publish_at=parse_when(row["publish_at"]),
                    version=row["version"],
                    claimed_by_id=self.person(row["claimed_by"]),
                )
                for row in rows
            ],
        )
        self.story_ids = {story.slug: story.pk for story in stories}
        pairs = list(zip(stories, rows, strict=True))
        self.story_links(pairs)
        revisions = self.revisions(pairs)
        staged = []
        for story, row in pairs:
            if row["staged_revision"] is not None:
                story.staged_revision_id = self.ref(
                    revisions, (story.pk, row["staged_revision"]), "staged revision"
                )
                staged.append(story)
        Story.objects.bulk_update(staged, ["staged_revision"], batch_size=BATCH)
        self.story_parts(pairs)
        self.lessons(pairs)

    def story(self, slug, *, optional=False):
        return self.ref(self.story_ids, slug, "story", optional=optional)

    def story_links(self, pairs):
        story_type = ContentType.objects.get_for_model(Story)
        streams, authors, tags = [], [], []
        for story, row in pairs:
            for link in row["streams"]:
                streams.append(
                    StoryStream(
                        story_id=story.pk,
                        stream_id=self.ref(self.stream_ids, link["stream"], "stream"),
                        is_primary=link["primary"],
                    )
                )
            for username in row["authors"]:
                authors.append(
                    Story.authors.through(
                        story_id=story.pk, user_id=self.person(username)
                    )
                )
            for name in row["tags"]:
                tags.append(
                    TaggedItem(
                        content_type=story_type,
                        object_id=story.pk,
                        tag_id=self.ref(self.tag_ids, name, "tag"),
                    )
                )
        self.create(StoryStream, streams)
        self.create(Story.authors.through, authors)
        self.create(TaggedItem, tags)

    def revisions(self, pairs):
        """Creates the revisions; returns (story id, number) -> revision id."""
        made = self.create(
            StoryRevision,
            [
                StoryRevision(
                    story_id=story.pk,
                    number=revision["number"],
                    author_id=self.person(revision["author"]),
                    kind=revision["kind"],
                    data=revision["data"],
                    signed_off_by_id=self.person(revision["signed_off_by"]),
                    created_at=parse_when(revision["created_at"]),
                )
                for story, row in pairs
                for revision in row["revisions"]
            ],
        )
        return {(revision.story_id, revision.number): revision.pk for revision in made}

    def story_parts(self, pairs):
        """Images, the audit trail, comments, flags and citations."""
        images, events, comments, flags, citations = [], [], [], [], []
        for story, row in pairs:
            for image in row["images"]:
                images.append(
                    StoryImage(
                        story_id=story.pk,
                        image=storage_name(image["file"]),
                        width=image["width"],
                        height=image["height"],
                        alt_text=image["alt_text"],
                        credit=image["credit"],
                        caption=image["caption"],
                        is_cover=image["is_cover"],
                        position=image["position"],
                    )
                )
            for event in row["events"]:
                events.append(
                    StoryEvent(
                        story_id=story.pk,
                        actor_id=self.person(event["actor"]),
                        action=event["action"],
                        from_status=event["from_status"],
                        to_status=event["to_status"],
                        note=event["note"],
                        created_at=parse_when(event["created_at"]),
                    )
                )
            for comment in row["comments"]:
                comments.append(
                    StoryComment(
                        story_id=story.pk,
                        author_id=self.person(comment["author"]),
                        body=comment["body"],
                        created_at=parse_when(comment["created_at"]),
                    )
                )
            for flag in row["flags"]:
                flags.append(
                    StoryFlag(
                        story_id=story.pk,
                        reporter_id=self.person(flag["reporter"]),
                        reason=flag["reason"],
                        created_at=parse_when(flag["created_at"]),
                        resolved_at=parse_when(flag["resolved_at"]),
                        resolved_by_id=self.person(flag["resolved_by"]),
                    )
                )
            for citation in row["citations"]:
                citations.append(
                    Citation(
                        story_id=story.pk,
                        theme_id=self.ref(
                            self.theme_ids, citation["theme"], "theme", optional=True
                        ),
                        created_at=parse_when(citation["created_at"]),
                    )
                )
        self.create(StoryImage, images)
        self.create(StoryEvent, events)
        self.create(StoryComment, comments)
        self.create(StoryFlag, flags)
        self.create(Citation, citations)

    def lessons(self, pairs):
        lessons, rows = [], []
        for story, row in pairs:
            for lesson in row["lessons"]:
                lessons.append(
                    Lesson(
                        story_id=story.pk,
                        statement=lesson["statement"],
                        kind=lesson["kind"],
                        stream_id=self.ref(self.stream_ids, lesson["stream"], "stream"),
                        condition=lesson["condition"],
                        position=lesson["position"],
                        created_by_id=self.person(lesson["created_by"]),
                        created_at=parse_when(lesson["created_at"]),
                        updated_at=parse_when(lesson["updated_at"]),
                    )
                )
                rows.append(lesson)
        lessons = self.create(Lesson, lessons)
        self.create(
            Lesson.themes.through,
            [
                Lesson.themes.through(
                    lesson_id=lesson.pk,
                    theme_id=self.ref(self.theme_ids, slug, "theme"),
                )
                for lesson, row in zip(lessons, rows, strict=True)
                for slug in row["themes"]
            ],
        )

    # images in the text and collections ---------------------------------------------

    def editor_images(self):
        rows = self.library.get("editor_images", [])
        made = self.create(
            EditorImage,
            [
                EditorImage(
                    owner_id=self.person(row["owner"]),
                    image=storage_name(row["file"]),
                    width=row["width"],
                    height=row["height"],
                    created_at=parse_when(row["created_at"]),
                )
                for row in rows
            ],
        )
        self.create(
            Story.editor_images.through,
            [
                Story.editor_images.through(
                    editorimage_id=image.pk, story_id=self.story(slug)
                )
                for image, row in zip(made, rows, strict=True)
                for slug in row["stories"]
            ],
        )

    def collections(self):
        rows = self.library.get("collections", [])
        collections = self.create(
            Collection,
            [
                Collection(
                    slug=row["slug"],
                    title=row["title"],
                    introduction=row["introduction"],
                    curator_id=self.person(row["curator"]),
                    visibility=row["visibility"],
                    share_token=row["share_token"],
                    published_at=parse_when(row["published_at"]),
                    created_at=parse_when(row["created_at"]),
                    updated_at=parse_when(row["updated_at"]),
                )
                for row in rows
            ],
        )
        items, events = [], []
        for collection, row in zip(collections, rows, strict=True):
            items += [
                CollectionItem(
                    collection_id=collection.pk,
                    story_id=self.story(item["story"]),
                    position=item["position"],
                    note=item["note"],
                    added_by_id=self.person(item["added_by"]),
                    created_at=parse_when(item["created_at"]),
                    notified_at=parse_when(item["notified_at"]),
                )
                for item in row["items"]
            ]
            events += [
                CollectionEvent(
                    collection_id=collection.pk,
                    story_id=self.story(event["story"], optional=True),
                    story_title=event["story_title"],
                    action=event["action"],
                    actor_id=self.person(event["actor"]),
                    created_at=parse_when(event["created_at"]),
                )
                for event in row["events"]
            ]
        self.create(CollectionItem, items)
        self.create(CollectionEvent, events)
